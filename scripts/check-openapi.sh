#!/usr/bin/env bash
# Validates the OpenAPI document that the API tests wrote (`<target>/tmp/openapi.json`, see
# server/tests/api/openapi.rs) with openapi-spec-validator, installed once in a virtualenv under
# the target directory. Skips, saying so, without python3.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
doc="$target/tmp/openapi.json"
if [ ! -f "$doc" ]; then
  echo "$doc is missing: run 'cargo test -p server --test api -- openapi' first" >&2
  exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "note: python3 is not installed, the OpenAPI document was NOT validated"
  exit 0
fi
venv="$target/openapi-validator"
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'openapi-spec-validator>=0.7,<0.8'
fi
"$venv/bin/openapi-spec-validator" "$doc"
