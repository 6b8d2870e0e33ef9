#!/usr/bin/env bash
# Throughput of the survey pass + glue stage (`--only glue`) on a ~120 MB corpus, with 1 and 2
# worker threads, and the peak memory of the whole process (GNU time).
#
#   bash bench/glue/speed.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=bench/.data/glue-speed
if [ ! -d "$CORPUS/input" ]; then
    python3 bench/glue/make_eval.py --out "$CORPUS" --speed-mb 120
fi
cargo build --release -q
bytes=$(find "$CORPUS/input" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$CORPUS/input" -type f | wc -l)
echo "corpus: $files documents, $bytes bytes"
for jobs in 1 2; do
    out=bench/.data/work/speed-j$jobs
    rm -rf "$out" "$out.report"
    cat "$CORPUS"/input/*/* >/dev/null # warm the page cache
    /usr/bin/time -v -o "$out.time" \
        target/release/unscrape clean "$CORPUS/input" --out "$out" --only glue -q -j "$jobs"
    python3 - "$out" "$jobs" "$bytes" <<'PY'
import json, re, sys
out, jobs, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = open(out + ".time").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall.split(":"))))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
s = json.load(open(out + ".report/summary.json"))
glue = {k: v for k, v in s.get("edits_by_rule", s.get("rules", {})).items() if k.startswith("glue")} if isinstance(s.get("edits_by_rule", s.get("rules")), dict) else ""
print(f"--jobs {jobs}: {seconds:.2f} s wall, {size / 1e6 / seconds:.1f} MB/s, "
      f"{size / 1e6 / seconds / jobs:.1f} MB/s per core, peak RSS {rss / 1024:.0f} MiB, "
      f"survey {json.dumps(s.get('survey'))}")
PY
done
