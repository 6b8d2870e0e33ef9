#!/usr/bin/env bash
# Python API throughput vs the CLI, per core (issue 10). See BENCHMARKS.md, "Python API".
#
#   bash bench/python/run.sh
#
# The same documents (bench/gen_corpus.py, MB MiB, as one JSONL file) cleaned, all stages on:
#   - by the CLI streaming JSONL from standard input to standard output, --jobs 1 (and 2);
#   - by the Python API, clean_batch in batches of 1,000, threads=1 (and 2);
# each once without corpus statistics and once with statistics from `unscrape learn
# --group-by host --stats-out` (the CLI with --stats-from, Python with stats= and each
# record's host as its group). CPU time (user+sys) is the measure: the machine is shared.
# The CLI's rate leaves out its fixed cost (start-up, rules, statistics file: a run on empty
# input) as the Python rate leaves out building the Cleaner; the CLI still counts its JSON
# reading and writing, the Python side its str conversions and Result objects.
# The Python texts are checked equal to the CLI's.
#
# Environment: MB=32, REPEAT=3, PY (a Python with unscrape installed; default: builds the
# wheel into python/.venv with maturin), TMP (work folder; default /dev/shm).
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${MB:-32}
REPEAT=${REPEAT:-3}
DATA=bench/.data
BIN=target/release/unscrape
log() { echo "bench: $*" >&2; }

cargo build --release --quiet -p unscrape >&2
if [ -z "${PY:-}" ]; then
    [ -x python/.venv/bin/python ] || { python3 -m venv python/.venv && python/.venv/bin/pip install -q -r python/requirements-dev.txt; }
    (cd python && .venv/bin/maturin develop --release --quiet >&2)
    PY=python/.venv/bin/python
fi
corpus=$DATA/corpus-${MB}mb-seed1
[ -d "$corpus" ] || python3 bench/gen_corpus.py --out "$corpus" --mb "$MB" --quiet
feeds=$DATA/python-feed-$MB
[ -d "$feeds" ] || python3 bench/jsonl/to_jsonl.py "$corpus" "$feeds" --shards 1 --compress none
feed=$feeds/shard-0000.jsonl

TMP=${TMP:-/dev/shm}
WORK=$(mktemp -d "$TMP/unscrape-py.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
"$BIN" learn --quiet --group-by host --stats-out "$WORK/feed.stats" "$feeds"
text_bytes=$($PY -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1], encoding='utf-8')))" "$feed")
cat "$feed" > /dev/null

# CLI: best CPU time of REPEAT runs; prints "cpu wall".
cli() {
    local best_cpu= best_wall=
    for r in $(seq "$REPEAT"); do
        /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$BIN" clean - --format jsonl --quiet "$@" < "$feed" > "$WORK/cli.jsonl"
        read -r wall user sys < "$WORK/time"
        cpu=$(echo "$user + $sys" | bc)
        if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu; fi
        if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then best_wall=$wall; fi
    done
    echo "$best_cpu $best_wall"
}

same() {
    $PY - "$WORK/cli.jsonl" "$WORK/py.txt" <<'PYEOF'
import json, sys
cli = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
py = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(cli) == len(py), (len(cli), len(py))
bad = sum(a != b for a, b in zip(cli, py))
print("identical" if bad == 0 else f"{bad} DIFFER")
PYEOF
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "documents: $(wc -l < "$feed"), text bytes: $text_bytes"
echo
# The CLI's fixed cost (start, rules, statistics file) with no input, best of REPEAT.
fixed() {
    local best=
    for r in $(seq "$REPEAT"); do
        /usr/bin/time -f "%U %S" -o "$WORK/time" "$BIN" clean - --format jsonl --quiet "$@" < /dev/null > /dev/null
        read -r user sys < "$WORK/time"
        cpu=$(echo "$user + $sys" | bc)
        if [ -z "$best" ] || [ "$(echo "$cpu < $best" | bc)" = 1 ]; then best=$cpu; fi
    done
    echo "$best"
}

echo "| statistics | threads | CLI CPU s (fixed) | CLI MiB/CPU-s, without fixed | Python CPU s (setup) | Python MiB/CPU-s | Python vs CLI | outputs |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for stats in none learned; do
    for jobs in 1 2; do
        if [ $stats = none ]; then
            cli_flags=(--jobs "$jobs"); py_flags=()
        else
            cli_flags=(--jobs "$jobs" --group-by host --stats-from "$WORK/feed.stats")
            py_flags=(--stats "$WORK/feed.stats" --group-by-host)
        fi
        log "CLI stats=$stats jobs=$jobs"
        read -r cli_cpu cli_wall < <(cli "${cli_flags[@]}")
        cli_fixed=$(fixed "${cli_flags[@]}")
        log "Python stats=$stats threads=$jobs"
        py_json=$($PY bench/python/throughput.py "$feed" --threads "$jobs" --repeat "$REPEAT" --out "$WORK/py.txt" "${py_flags[@]}")
        py_cpu=$(echo "$py_json" | $PY -c "import json,sys; print(json.load(sys.stdin)['best_cpu_s'])")
        py_setup=$(echo "$py_json" | $PY -c "import json,sys; print(json.load(sys.stdin)['setup_cpu_s'])")
        cli_rate=$(echo "scale=2; $text_bytes / 1048576 / ($cli_cpu - $cli_fixed)" | bc)
        py_rate=$(echo "scale=2; $text_bytes / 1048576 / $py_cpu" | bc)
        ratio=$(echo "scale=1; 100 * $py_rate / $cli_rate" | bc)
        echo "| $stats | $jobs | $cli_cpu ($cli_fixed) | $cli_rate | $py_cpu ($py_setup) | $py_rate | ${ratio}% | $(same) |"
    done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
