#!/usr/bin/env bash
# Runs every test: unit and HTTP integration tests (SQLite, and PostgreSQL when
# TEST_DATABASE_URL is set), then the Playwright journeys in headless Chromium against a release
# build. Installs the missing tools first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
source scripts/env.sh

section() {
  printf '\n\033[1m== %s\033[0m\n' "$*"
  df -h . | tail -n 1 | awk '{print "   (disk: " $4 " free)"}'
}
# CI sets GUICHET_TIDY=1: each stage's build is removed once the stage is done, so the debug
# build, the fuzzing build and the release build are never all on the disk at once.
tidy() { if [ "${GUICHET_TIDY:-0}" = 1 ]; then rm -rf "$@"; fi; }
target_dir="${CARGO_TARGET_DIR:-target}"


if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "note: TEST_DATABASE_URL is not set, the PostgreSQL variants of the storage tests will not run"
fi

section "unit and integration tests"
cargo test --workspace --locked

section "OpenAPI document (written by the API tests; openapi-spec-validator)"
scripts/check-openapi.sh
tidy "$target_dir/debug"

section "fuzzing (ticket codes, JSON request bodies; bounded)"
scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
tidy app/fuzz/target

section "release build (site + server)"
cargo leptos build --release
scripts/precompress.sh target/site

section "end-to-end journeys (Playwright, headless Chromium)"
bash end2end/run-e2e.sh
