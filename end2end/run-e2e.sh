#!/usr/bin/env bash
# Starts two release servers on fresh SQLite databases with the demo programme — one normal, one
# whose holds last a few seconds (for the expiry journey) — then runs Playwright against them
# (arguments go to `playwright test`, e.g. `tests/programme.spec.ts --repeat-each 5`).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
# The server from cargo's build directory (CARGO_TARGET_DIR, else target/); the site where
# cargo-leptos writes it (site-root, under the workspace).
bin="${CARGO_TARGET_DIR:-$root/target}/release/guichet"
site="$root/target/site"
[ -x "$bin" ] && compgen -G "$site/pkg/guichet*.wasm" >/dev/null || {
  echo "build first: cargo leptos build --release" >&2
  exit 1
}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

started_url=
start() { # name hold_seconds [payfip stand-in URL] -> sets started_url (not run in $(...): the pid must reach the trap)
  local name=$1 hold=$2 standin=${3:-} port
  port=$(free_port)
  mkdir -p "$work/$name"
  (
    export DATABASE_URL="sqlite://$work/$name/guichet.db" GUICHET_KEYS_FILE="$work/$name/keys.json"
    export LEPTOS_SITE_ROOT="$site" LEPTOS_SITE_ADDR="127.0.0.1:$port"
    export GUICHET_PAYMENTS=sandbox RUST_LOG=warn GUICHET_MAIL_DIR="$work/$name/mail"
    if [ -n "$standin" ]; then
      export GUICHET_PAYMENTS=payfip GUICHET_PAYFIP_NUMCLI=123456 GUICHET_PUBLIC_URL="http://127.0.0.1:$port"
      export GUICHET_PAYFIP_SOAP_URL="$standin/tpa/services/securite" GUICHET_PAYFIP_PAGE_URL="$standin/tpa/paiementws.web"
    fi
    [ "$hold" = 0 ] || export GUICHET_HOLD_SECONDS="$hold"
    "$bin" demo >/dev/null
    exec "$bin" serve >"$work/$name.log" 2>&1
  ) &
  pids+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
  done
  started_url="http://127.0.0.1:$port"
}

export BASE_URL SHORT_HOLD_URL
start main 0
BASE_URL=$started_url
start shorthold 6
SHORT_HOLD_URL=$started_url
# A local PayFiP, and a server that takes its payments through it.
standin_port=$(free_port)
"$bin" dev payfip-standin --addr "127.0.0.1:$standin_port" >"$work/standin.log" 2>&1 &
pids+=($!)
export PAYFIP_STANDIN_URL="http://127.0.0.1:$standin_port" PAYFIP_URL
start payfip 0 "$PAYFIP_STANDIN_URL"
PAYFIP_URL=$started_url
# The door journeys create door accesses with the CLI, against the main server's database and keys.
export GUICHET_BIN="$bin" MAIN_DATABASE_URL="sqlite://$work/main/guichet.db" MAIN_KEYS_FILE="$work/main/keys.json"
export MAIN_SITE_ROOT="$site" MAIN_SITE_ADDR="${BASE_URL#http://}"
# The mail journeys read what the main server's sender wrote (no SMTP: .eml files).
export MAIN_MAIL_DIR="$work/main/mail"
echo "servers: $BASE_URL (holds 15 min), $SHORT_HOLD_URL (holds 6 s), $PAYFIP_URL (PayFiP stand-in at $PAYFIP_STANDIN_URL)"
npx playwright test "$@"
