#!/usr/bin/env bash
# Seat selection in a 5,000-seat hall, in headless Chromium: how long a click takes to show on
# the spectators' map and in the back office's editor (target: within one frame, < 16 ms).
#   scripts/bench-seatmap.sh            (SEAT_CLICKS=40 by default)
# Needs the release build (cargo leptos build --release) and the test tools (scripts/setup.sh
# --tests). Starts its own server on a fresh SQLite database with the demo accounts, creates the
# hall (50 rows × 100 seats, the generator) and a performance, then runs
# end2end/bench/seat-select.bench.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bin="$PWD/target/release/guichet"
[ -x "$bin" ] && compgen -G "target/site/pkg/guichet*.wasm" >/dev/null || { echo "build first: cargo leptos build --release" >&2; exit 1; }
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$work/guichet.db" GUICHET_KEYS_FILE="$work/keys.json"
export LEPTOS_SITE_ROOT="$PWD/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
export GUICHET_PAYMENTS=sandbox GUICHET_RATE_LIMITS=off
"$bin" demo >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done

# The hall, a show and a published performance, through the admin API.
jar="$work/cookies"
curl -sf -c "$jar" -H 'content-type: application/json' \
  -d '{"email":"admin@guichet.test","password":"demo-admin-2026"}' "$base/api/v1/auth/login" >/dev/null
api() { curl -sf -b "$jar" -H 'content-type: application/json' -H "origin: $base" "$@"; }
venue=$(api -d '{"code":"BENCH","name":"Salle de test","operator_name":"Ville","address":"","kind":"theatre"}' \
  "$base/api/v1/admin/venues" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
hall=$(api -d '{"name":"Grande salle","generator":{"levels":[{"zone":"Parterre","rows":50,"seats_per_row":100,"category_from_row":[{"row":26,"category":"Fond"}],"category":"Parterre"}]}}' \
  "$base/api/v1/admin/venues/$venue/halls" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["seats"]==5000, d; print(d["id"])')
show=$(api -d '{"title":"Banc d’essai","kind":"theatre","duration_min":90}' "$base/api/v1/admin/shows" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
starts=$(python3 -c 'import datetime; print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(days=30)).strftime("%Y-%m-%dT20:00:00Z"))')
perf=$(api -d "{\"hall_id\":$hall,\"starts_at\":[\"$starts\"],\"published\":true,\"prices\":{\"Parterre\":{\"plein\":2000},\"Fond\":{\"plein\":1500}}}" \
  "$base/api/v1/admin/shows/$show/performances" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

cd end2end
BASE_URL="$base" BENCH_HALL_ID="$hall" BENCH_PERFORMANCE_ID="$perf" \
  npx playwright test --config bench/playwright.config.ts
