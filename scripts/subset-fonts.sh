#!/usr/bin/env bash
# Regenerates the ticket fonts: DejaVu Sans (regular, bold) subset to the Latin repertoire tickets
# print (keep it in step with `CHARSET` in server/src/adapters/pdf/mod.rs), TrueType hinting
# removed (PDF viewers do not need it). Needs fontTools (`pip install fonttools`); the results are
# committed, so building Guichet does not.
set -euo pipefail
cd "$(dirname "$0")/../server/assets/fonts"
unicodes="U+0020-007E,U+00A0-00FF,U+0100-017F,U+0218-021B,U+02C6-02C7,U+02D8-02DD,U+2009-200A,\
U+2010-2014,U+2018-201E,U+2020-2022,U+2026,U+202F,U+2030,U+2039-203A,U+20AC,U+2116,U+2122,\
U+2190-2193,U+2212"
for face in DejaVuSans DejaVuSans-Bold; do
  pyftsubset "src/$face.ttf" --unicodes="$unicodes" --no-hinting --layout-features='' \
    --name-IDs='*' --name-languages='*' --notdef-outline --recalc-bounds \
    --drop-tables+=FFTM,GDEF,GPOS,GSUB,kern --output-file="$face-Latin.ttf"
done
ls -l ./*-Latin.ttf
