#!/usr/bin/env bash
# HTML extraction benchmark: unscrape vs trafilatura on generated pages. See BENCHMARKS.md.
#
#   bash bench/html/run.sh
#
# Creates bench/.venv with trafilatura if it is missing, generates the tuning set (seed 7,
# 300 pages) and a held-out set (seed 11, 200 pages) under bench/.data/ (git-ignored), builds
# the release binary and prints the scorer's Markdown tables for both sets.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=bench/.venv/bin/python
if ! "$PY" -c "import trafilatura, lxml_html_clean" 2>/dev/null; then
    python3 -m venv bench/.venv
    "$PY" -m pip install -q -r bench/html/requirements.txt
fi
[ -f bench/.data/html/layouts.tsv ] || python3 bench/html/gen.py --pages 300 --seed 7 --out bench/.data/html
[ -f bench/.data/html-heldout/layouts.tsv ] || python3 bench/html/gen.py --pages 200 --seed 11 --out bench/.data/html-heldout
cargo build --release >&2
echo "## Tuning set (seed 7)"
"$PY" bench/html/score.py --data bench/.data/html
echo
echo "## Held-out set (seed 11)"
"$PY" bench/html/score.py --data bench/.data/html-heldout
