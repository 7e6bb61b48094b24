#!/usr/bin/env bash
# Page weight and time to interactive on a throttled phone (issue 12): the home page and the
# demo theatre's performance page (its whole hall's seat map), cold, in headless Chromium on
# slow 4G with a 4× slower CPU. Prints KB transferred, first paint and interactive (median of
# PAGE_RUNS=3).
#   scripts/bench-pageweight.sh
# Needs the release build (cargo leptos build --release, then scripts/precompress.sh) and the
# test tools (scripts/setup.sh --tests). Starts its own server on a fresh demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
bin="$target/release/guichet"
[ -x "$bin" ] && compgen -G "target/site/pkg/guichet*.wasm" >/dev/null || { echo "build first: cargo leptos build --release" >&2; exit 1; }
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/guichet.db" GUICHET_KEYS_FILE="$work/keys.json" GUICHET_MAIL_DIR="$work/mail"
export LEPTOS_SITE_ROOT="$PWD/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
export GUICHET_PAYMENTS=sandbox GUICHET_RATE_LIMITS=off
"$bin" demo >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done

# The seated performance with the largest hall in the demo programme.
read -r perf seats < <(curl -sf "$base/api/v1/performances" | python3 -c '
import json, sys, urllib.request
best = None
for p in json.load(sys.stdin):
    if not p.get("seated"):
        continue
    m = json.load(urllib.request.urlopen("'"$base"'/api/v1/performances/%d/seatmap" % p["id"]))
    n = len(m["seats"])
    if best is None or n > best[1]:
        best = (p["id"], n)
print(best[0], best[1])')

cd end2end
BASE_URL="$base" BENCH_PERFORMANCE_ID="$perf" BENCH_SEATS="$seats" \
  npx playwright test --config bench/playwright.config.ts page-weight
