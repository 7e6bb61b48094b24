#!/usr/bin/env bash
# Writes brotli (.br) and gzip (.gz) copies beside the site's text and wasm files, once per
# build, so that the server sends them compressed without compressing per request
# (tower-http's ServeDir picks the copy the browser accepts).
#   scripts/precompress.sh [site root, default target/site]
set -euo pipefail
site="${1:-target/site}"
command -v brotli >/dev/null || { echo "brotli is missing: scripts/setup.sh installs it" >&2; exit 1; }
find "$site" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.html' \) |
  while read -r f; do
    brotli --force --best --output="$f.br" "$f"
    gzip --force --best --keep "$f"
  done
echo "precompressed: $(find "$site" -name '*.br' | wc -l) files in $site"
