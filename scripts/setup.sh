#!/usr/bin/env bash
# Installs what building, running and testing Guichet needs; skips whatever is already there.
#   scripts/setup.sh          toolchain for building and running (wasm target, cargo-leptos,
#                             wasm-bindgen CLI at the Cargo.lock version, wasm-opt)
#   scripts/setup.sh --tests  also Chromium, poppler (PDF checks) and Playwright
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v cargo-leptos >/dev/null; then
  # 0.3.11 needs rustc >= 1.96; 0.3.10 builds on 1.95 with its own lockfile. Long build (~20 min).
  say "installing cargo-leptos 0.3.10 (once; this takes a while)"
  cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
fi

# cargo-leptos runs an external wasm-bindgen that must match Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version"
  # Not --locked: its lockfile pins a crate version that is no longer in the index.
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# brotli: the release build's files are precompressed once (scripts/precompress.sh).
command -v brotli >/dev/null || { say "installing brotli"; apt_install brotli; }

# wasm-opt for release builds: npm's binaryen (Debian's 108 breaks hydration).
if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  say "installing binaryen (wasm-opt) from npm"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--tests" ]; then
  command -v chromium >/dev/null || { say "installing Chromium"; apt_install chromium; }
  command -v pdftoppm >/dev/null || { say "installing poppler-utils"; apt_install poppler-utils; }
  command -v xmllint >/dev/null || { say "installing libxml2-utils (PayFiP SOAP checks)"; apt_install libxml2-utils; }
  if [ ! -x tools/smtp-venv/bin/python ]; then
    say "installing aiosmtpd (the e-mail tests' SMTP server)"
    python3 -m venv tools/smtp-venv && tools/smtp-venv/bin/pip install --quiet --disable-pip-version-check 'aiosmtpd>=1.4,<2'
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing Playwright (uses the system Chromium)"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
