#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 30 s) from the committed seeds.
# cargo-fuzz needs nightly's sanitizer flags: RUSTC_BOOTSTRAP lets the one stable toolchain
# here accept them. New inputs go to a scratch corpus, never into the repository.
set -euo pipefail
cd "$(dirname "$0")/../app"
secs="${1:-30}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in ticket_code request_bodies; do
  mkdir -p "$scratch/$target"
  echo "== fuzz $target for ${secs}s"
  rc=0
  cargo fuzz run "$target" "$scratch/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$secs" -max_len=4096 -print_final_stats=1 >"$scratch/$target.log" 2>&1 || rc=$?
  grep -E "^Done|executed_units" "$scratch/$target.log" || true
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$scratch/$target.log"
    echo "fuzz target $target failed (the crashing input is under app/fuzz/artifacts/$target/)"
    exit "$rc"
  fi
done
