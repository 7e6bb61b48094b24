#!/usr/bin/env bash
# Builds Guichet (release) and serves it with the demo programme on http://127.0.0.1:3000, on a
# SQLite file under data/. Installs the missing tools first (see scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

cargo leptos build --release
scripts/precompress.sh target/site

export DATABASE_URL="${DATABASE_URL:-sqlite://data/guichet.db}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
# The demo takes (fake) payments through the clearly labelled sandbox provider.
export GUICHET_PAYMENTS="${GUICHET_PAYMENTS:-sandbox}"

target/release/guichet demo
echo "Guichet: http://${LEPTOS_SITE_ADDR}"
exec target/release/guichet serve
