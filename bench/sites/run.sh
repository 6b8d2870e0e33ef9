#!/usr/bin/env bash
# Learned-boilerplate evaluation (issue 5): generate site corpora, clean them with every stage
# on (default rules, learning on), score against the truth. See BENCHMARKS.md.
#
#   bash bench/sites/run.sh            # tune corpus (seed 1), held-out corpus (seed 2, other
#                                      # template phrasings), a small held-out corpus (250 docs)
# Environment: UNSCRAPE (binary, default target/release/unscrape), EVAL_DIR (default
# bench/.data/sites), EVAL_DOCS (1500).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${UNSCRAPE:-target/release/unscrape}
DIR=${EVAL_DIR:-bench/.data/sites}
DOCS=${EVAL_DOCS:-1500}
[ -x "$BIN" ] || cargo build --release
mkdir -p "$DIR"
run() { # name seed variant docs
  python3 bench/sites/gen.py --out "$DIR/$1" --seed "$2" --variant "$3" --docs "$4" --force
  rm -rf "$DIR/$1.out" "$DIR/$1.out.report"
  "$BIN" clean "$DIR/$1/corpus" --out "$DIR/$1.out" --quiet
  echo "## $1 (seed $2, templates $3, $4 documents)"
  python3 bench/sites/score.py --truth "$DIR/$1/truth" --out "$DIR/$1.out"
}
run tune 1 tune "$DOCS"
run heldout 2 heldout "$DOCS"
run heldout-small 3 heldout 250
