#!/usr/bin/env bash
# Runs every test: unit and HTTP integration tests (SQLite, and PostgreSQL when
# TEST_DATABASE_URL is set), then the Playwright journeys in headless Chromium against a release
# build. Installs the missing tools first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
source scripts/env.sh

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "note: TEST_DATABASE_URL is not set, the PostgreSQL variants of the storage tests will not run"
fi

section "unit and integration tests"
cargo test --workspace --locked

section "fuzzing (ticket codes, JSON request bodies; bounded)"
scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

section "release build (site + server)"
cargo leptos build --release

section "end-to-end journeys (Playwright, headless Chromium)"
bash end2end/run-e2e.sh
