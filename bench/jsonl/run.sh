#!/usr/bin/env bash
# JSONL benchmarks (issue 8). See BENCHMARKS.md, "JSONL".
#
#   bash bench/jsonl/run.sh
#
# 1. Throughput: the same documents cleaned as text files and as JSONL.zst shards (and plain
#    JSONL), with --jobs 2, each REPEAT times; prints CPU time (user+sys) and wall time of the
#    fastest run and MiB of *text* per CPU-second, so the ratio compares like with like.
# 2. Streaming memory: JSONL generated on the fly (bench/jsonl/stream.py, nothing on disk)
#    piped through `unscrape clean --format jsonl -` at two sizes; peak RSS of unscrape.
#
# Environment: MB=128 (text corpus size), REPEAT=3, STREAM_MB="256 5120", TMP (outputs;
# default /dev/shm when it has room).
set -euo pipefail
cd "$(dirname "$0")/../.."
{
MB=${MB:-128}
REPEAT=${REPEAT:-3}
STREAM_MB=${STREAM_MB:-"256 5120"}
DATA=bench/.data
BIN=target/release/unscrape
log() { echo "bench: $*" >&2; }

cargo build --release --quiet >&2
corpus=$DATA/corpus-${MB}mb-seed1
[ -d "$corpus" ] || python3 bench/gen_corpus.py --out "$corpus" --mb "$MB" --quiet
[ -d "$DATA/jsonl-$MB-zst" ] || python3 bench/jsonl/to_jsonl.py "$corpus" "$DATA/jsonl-$MB-zst" --shards 8 --compress zst
[ -d "$DATA/jsonl-$MB-plain" ] || python3 bench/jsonl/to_jsonl.py "$corpus" "$DATA/jsonl-$MB-plain" --shards 8 --compress none
text_bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')

TMP=${TMP:-/dev/shm}
WORK=$(mktemp -d "$TMP/unscrape-jsonl.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cat "$corpus"/*/*/* "$DATA/jsonl-$MB-zst"/* "$DATA/jsonl-$MB-plain"/* > /dev/null 2>&1 || true

echo "| input | runs | best wall s | best CPU s (user+sys) | text MiB per CPU-s | peak RSS MiB |"
echo "| --- | --- | --- | --- | --- | --- |"
for kind in text jsonl-zst jsonl-plain; do
    case $kind in
        text) in=$corpus ;;
        jsonl-zst) in=$DATA/jsonl-$MB-zst ;;
        jsonl-plain) in=$DATA/jsonl-$MB-plain ;;
    esac
    best_cpu=; best_wall=; rss=0
    for r in $(seq "$REPEAT"); do
        rm -rf "$WORK/out" "$WORK/out.report"
        log "$kind run $r"
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$BIN" clean "$in" --out "$WORK/out" --quiet --jobs 2 || true
        read -r wall user sys kb < "$WORK/time"
        cpu=$(echo "$user + $sys" | bc)
        if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu; fi
        if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then best_wall=$wall; fi
        [ "$kb" -gt "$rss" ] && rss=$kb
    done
    rate=$(echo "scale=2; $text_bytes / 1048576 / $best_cpu" | bc)
    echo "| $kind | $REPEAT | $best_wall | $best_cpu | $rate | $((rss / 1024)) |"
done
rm -rf "$WORK/out" "$WORK/out.report"

echo
echo "| streamed MiB (stdin → stdout) | wall s | CPU s (user+sys) | MiB per CPU-s | peak RSS MiB |"
echo "| --- | --- | --- | --- | --- |"
for mb in $STREAM_MB; do
    log "streaming $mb MiB"
    python3 bench/jsonl/stream.py "$corpus" --mb "$mb" \
        | /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$BIN" clean --format jsonl - --quiet --jobs 2 > /dev/null
    read -r wall user sys kb < "$WORK/time"
    cpu=$(echo "$user + $sys" | bc)
    echo "| $mb | $wall | $cpu | $(echo "scale=2; $mb / $cpu" | bc) | $((kb / 1024)) |"
done
exit 0
}
