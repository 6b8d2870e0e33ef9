#!/usr/bin/env bash
# Controls: regenerates the clean-prose control corpus (bench/.data/controls, about 3 minutes
# of man(1) rendering; skipped when it exists, unless REGEN=1), cleans its .txt and .html
# shapes with the default pipeline, and prints the applied content edits per rule per 10k
# words (see false_edits.py). Needs target/release/unscrape (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-python3}
DATA=bench/.data/controls
OUT=bench/.data/controls-out
if [[ ! -d $DATA || ${REGEN:-0} == 1 ]]; then
  "$PY" bench/controls/make_controls.py --out "$DATA"
fi
rm -rf "$OUT"
for shape in txt html; do
  /usr/bin/time -f "$shape: %U s user + %S s sys" \
    target/release/unscrape clean "$DATA/$shape" --out "$OUT/$shape" --report "$OUT/$shape.report" -q
done
"$PY" bench/controls/false_edits.py "$DATA" "$OUT/txt.report" "$OUT/html.report"
