#!/usr/bin/env bash
# The glue evaluation: builds the eval set (once), cleans it with unscrape (--only glue) and
# with the wordninja and symspellpy baselines, scores all three and prints the table.
#
#   bash bench/glue/run.sh            # the held-out test split
#   bash bench/glue/run.sh dev test   # both splits
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=bench/.data/glue-eval
if [ ! -f "$DATA/test/errors.jsonl" ]; then
    python3 bench/glue/make_eval.py --out "$DATA"
fi
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install -q -r bench/glue/requirements.txt
fi
cargo build --release -q
for split in "${@:-test}"; do
    work=bench/.data/work/$split
    rm -rf "$work"
    mkdir -p "$work"
    start=$EPOCHREALTIME
    target/release/unscrape clean "$DATA/$split/input" --out "$work/unscrape" --only glue -q -j 1
    end=$EPOCHREALTIME
    bytes=$(du -sb "$DATA/$split/input" | cut -f1)
    python3 -c "print(f'unscrape: $bytes bytes in {$end - $start:.2f} s (start-up included)')"
    python3 bench/glue/score.py "$DATA/$split" "$work/unscrape" --report "$work/unscrape.report" \
        --json "$work/unscrape.json" >"$work/unscrape.txt"
    for tool in wordninja symspell; do
        bench/.venv/bin/python bench/glue/baselines.py "$tool" "$DATA/$split/input" "$work/$tool" \
            | tee "$work/$tool.speed"
        python3 bench/glue/score.py "$DATA/$split" "$work/$tool" --json "$work/$tool.json" \
            >"$work/$tool.txt"
    done
    echo "== $split"
    python3 bench/glue/table.py "$work"
done
