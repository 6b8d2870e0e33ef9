#!/usr/bin/env bash
# Throughput and memory benchmark of `unscrape clean` (issue 2). See BENCHMARKS.md.
#
#   bash bench/run.sh
#
# Builds the release binary, generates (or reuses) a synthetic scraped-news corpus under
# bench/.data/, cleans it with --jobs 1 and --jobs 2 under /usr/bin/time -v, once on the big
# corpus and once on a smaller one (to show that peak RSS does not grow with the corpus), and
# prints a Markdown table on stdout. Progress goes to stderr. Outputs are deleted afterwards;
# the generated corpora are kept in bench/.data/ (git-ignored) for the next run.
#
# Environment:
#   BENCH_MB=512        size of the big corpus in MiB
#   BENCH_SMALL_MB=128  size of the small corpus in MiB (0: skip it)
#   BENCH_SEED=1        generator seed
#   BENCH_JOBS="1 2"    --jobs values to run
#   BENCH_REPEAT=3      runs per configuration; the table shows the fastest (least disturbed)
#                       run's time and the highest peak RSS seen
#   BENCH_STAGES=0      1: also time --only encoding / normalize / boilerplate at --jobs 1 on
#                       the big corpus, to see which stage dominates
#   BENCH_DATA=bench/.data   where generated corpora are cached
#   BENCH_TMP=...       where the cleaned output and report are written (and deleted after
#                       each run). Default: /dev/shm (tmpfs) when it has room, else $TMPDIR or
#                       /tmp. Why tmpfs: every run writes two files per document (cleaned text, diff) and
#                       the next run deletes them; on ext4, creating files in the minutes after deleting
#                       tens of thousands makes the kernel scan "recently deleted" inodes
#                       (ext4 recently_deleted(), seen with perf), and that scan, not unscrape,
#                       then dominates the wall time. Set BENCH_TMP=/tmp to measure it anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

# The whole script is one brace group, so bash parses all of it before running any of it
# (editing this file while a benchmark runs cannot change what the running one does).
{

BENCH_MB=${BENCH_MB:-512}
BENCH_SMALL_MB=${BENCH_SMALL_MB:-128}
BENCH_SEED=${BENCH_SEED:-1}
BENCH_JOBS=${BENCH_JOBS:-"1 2"}
BENCH_REPEAT=${BENCH_REPEAT:-3}
BENCH_STAGES=${BENCH_STAGES:-0}
BENCH_DATA=${BENCH_DATA:-bench/.data}

TIME=/usr/bin/time
BIN=target/release/unscrape
log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 2; }

[ -x "$TIME" ] || die "$TIME not found (install GNU time: apt-get install time)"
command -v python3 >/dev/null || die "python3 not found (needed by bench/gen_corpus.py)"

# What is being measured: the commit, and whether the sources differ from it.
rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
git diff --quiet HEAD -- src Cargo.toml Cargo.lock rules 2>/dev/null || rev="$rev + uncommitted changes"
[ -z "$(git ls-files --others --exclude-standard -- src rules 2>/dev/null)" ] || rev="$rev (+ untracked sources)"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

log "building the release binary"
cargo build --release --quiet >&2 || die "cargo build --release failed"

if [ -z "${BENCH_TMP:-}" ]; then
    BENCH_TMP=${TMPDIR:-/tmp}
    # Output plus report is about 4x the input; ask for 5x the big corpus to be safe.
    shm_free_mib=$(df -Pm /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
    if [ -w /dev/shm ] && [ "${shm_free_mib:-0}" -gt $((BENCH_MB * 5)) ]; then
        BENCH_TMP=/dev/shm
    fi
fi
WORK=$(mktemp -d "$BENCH_TMP/unscrape-bench.XXXXXX")
log "outputs go to $WORK ($(stat -f -c %T "$WORK"))"
trap 'rm -rf "$WORK"' EXIT

# corpus MB -> prints the corpus folder, generating it unless a complete one with the same
# generator, size and seed is cached.
corpus() {
    local mb=$1 dir stamp want
    dir="$BENCH_DATA/corpus-${mb}mb-seed${BENCH_SEED}"
    stamp="$dir.stamp"
    want="$(sha256sum bench/gen_corpus.py | cut -c1-64) mb=$mb seed=$BENCH_SEED"
    if [ -d "$dir" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        log "reusing $dir"
    else
        log "generating $dir ($mb MiB, seed $BENCH_SEED)"
        mkdir -p "$BENCH_DATA"
        rm -f "$stamp"
        python3 bench/gen_corpus.py --out "$dir" --mb "$mb" --seed "$BENCH_SEED" --force >&2
        echo "$want" >"$stamp"
    fi
    echo "$dir"
}

# Reads every file once so that all timed runs start with the corpus in the page cache.
warm() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }

# run CORPUS JOBS [EXTRA FLAGS...] -> prints "wall_s user_s sys_s maxrss_kb exit docs errors"
run_once() {
    local corpus=$1 jobs=$2
    shift 2
    local out="$WORK/out" tv="$WORK/time.txt" rc=0
    rm -rf "$out" "$out.report"
    "$TIME" -v -o "$tv" "$BIN" clean "$corpus" --out "$out" --quiet --jobs "$jobs" "$@" \
        2>"$WORK/stderr.txt" || rc=$?
    if [ "$rc" -ne 0 ]; then
        log "unscrape exited with $rc (jobs $jobs $*); last lines of its stderr:"
        tail -n 5 "$WORK/stderr.txt" >&2
    fi
    local docs errors
    read -r docs errors < <(python3 -c 'import json,sys
try:
    s = json.load(open(sys.argv[1]))
    print(s["documents"], s["errors"])
except Exception:
    print("? ?")' "$out.report/summary.json")
    rm -rf "$out" "$out.report"
    awk -v rc="$rc" -v docs="$docs" -v errors="$errors" '
        /Elapsed \(wall clock\)/ {
            n = split($NF, p, ":"); w = 0
            for (i = 1; i <= n; i++) w = w * 60 + p[i]
        }
        /User time \(seconds\)/ { u = $NF }
        /System time \(seconds\)/ { s = $NF }
        /Maximum resident set size/ { m = $NF }
        END { printf "%.2f %.2f %.2f %d %s %s %s\n", w, u, s, m, rc, docs, errors }
    ' "$tv"
}

# bench CORPUS JOBS [EXTRA FLAGS...] -> best-of-N: "wall user sys maxrss(max over runs) rc docs errors"
bench() {
    local corpus=$1 jobs=$2 i line best="" best_wall="" max_rss=0 rc=0
    shift 2
    for ((i = 1; i <= BENCH_REPEAT; i++)); do
        line=$(run_once "$corpus" "$jobs" "$@")
        log "  $(basename "$corpus") jobs=$jobs $* run $i/$BENCH_REPEAT: wall ${line%% *}s, peak RSS $(($(echo "$line" | cut -d' ' -f4) / 1024)) MiB"
        read -r w _ _ m r _ <<<"$line"
        [ "$r" = 0 ] || rc=$r
        [ "$m" -gt "$max_rss" ] && max_rss=$m
        if [ -z "$best" ] || awk -v a="$w" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
            best=$line
            best_wall=$w
        fi
    done
    read -r w u s _ _ d e <<<"$best"
    echo "$w $u $s $max_rss $rc $d $e"
}

input_bytes() { find "$1" -type f -printf '%s\n' | awk '{ t += $1 } END { printf "%d\n", t }'; }
input_files() { find "$1" -type f | wc -l; }

sizes="$BENCH_MB"
if [ "$BENCH_SMALL_MB" != 0 ] && [ "$BENCH_SMALL_MB" != "$BENCH_MB" ]; then
    sizes="$BENCH_SMALL_MB $BENCH_MB"
fi

declare -A WALL RSS MIBS
rows=()
for mb in $sizes; do
    dir=$(corpus "$mb")
    bytes=$(input_bytes "$dir")
    files=$(input_files "$dir")
    mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
    MIBS[$mb]=$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')
    log "warming the page cache with $dir ($mib MiB, $files files)"
    warm "$dir"
    for jobs in $BENCH_JOBS; do
        log "timing $dir with --jobs $jobs ($BENCH_REPEAT runs)"
        read -r w u s m rc d e <<<"$(bench "$dir" "$jobs")"
        WALL[$mb,$jobs]=$w
        RSS[$mb,$jobs]=$m
        speedup="–"
        if [ "$jobs" != 1 ] && [ -n "${WALL[$mb,1]:-}" ]; then
            speedup=$(awk -v a="${WALL[$mb,1]}" -v b="$w" 'BEGIN { printf "%.2f×", a / b }')
        fi
        note=""
        [ "$rc" = 0 ] || note=" (exit $rc)"
        [ "$d" = "$files" ] || note="$note (cleaned $d of $files)"
        rows+=("$(awk -v mb="$mb" -v mib="$mib" -v files="$files" -v jobs="$jobs" -v w="$w" \
            -v u="$u" -v s="$s" -v m="$m" -v sp="$speedup" -v note="$note" 'BEGIN {
                rate = mib / w
                printf "| %s MiB | %d | %.1f | %d | %.2f | %.1f | %.1f | %.0f%% | %.1f | %.1f | %s |%s\n",
                    mb, jobs, mib, files, w, rate, rate / jobs, 100 * (u + s) / w, mib / (u + s), m / 1024, sp, note
            }')")
    done
done

stage_rows=()
if [ "$BENCH_STAGES" = 1 ]; then
    dir=$(corpus "$BENCH_MB")
    mib=$(awk -v b="$(input_bytes "$dir")" 'BEGIN { printf "%.1f", b / 1048576 }')
    for stage in encoding normalize boilerplate; do
        log "timing --only $stage at --jobs 1"
        read -r w u s m rc _ _ <<<"$(bench "$dir" 1 --only "$stage")"
        stage_rows+=("$(awk -v st="$stage" -v mib="$mib" -v w="$w" -v m="$m" 'BEGIN {
            printf "| --only %s | %.2f | %.1f | %.1f |\n", st, w, mib / w, m / 1024 }')")
    done
fi

# ---- report -------------------------------------------------------------------------------
echo "## unscrape clean: throughput and memory"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $rev, $(rustc --version 2>/dev/null)"
echo "- machine: $(nproc) CPUs, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1), $(free -g | awk '/^Mem:/ { print $2 " GiB RAM" }')"
echo "- load average (1, 5, 15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- output and report written to $BENCH_TMP ($(stat -f -c %T "$WORK")), deleted after each run"
echo "- CPU use = (user + system CPU time) / wall time (with --jobs 1 the walk and the report writer run on their own threads, so it can pass 100%); MiB per CPU-s = input / (user + system time), a per-core rate that holds up better than wall time when other processes compete for the CPUs"
echo "- corpus: bench/gen_corpus.py --seed $BENCH_SEED; best of $BENCH_REPEAT runs per row (peak RSS: highest of the runs); input in the page cache; 1 MiB = 1,048,576 bytes"
echo
echo "| corpus | jobs | input MiB | files | wall s | MiB/s | MiB/s per core | CPU use | MiB per CPU-s | peak RSS MiB | speed-up vs 1 job |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"

if [ "${#stage_rows[@]}" -gt 0 ]; then
    echo
    echo "Single stages on the $BENCH_MB MiB corpus, --jobs 1 (each includes reading, writing and the report):"
    echo
    echo "| stages | wall s | MiB/s | peak RSS MiB |"
    echo "|---|---:|---:|---:|"
    printf '%s\n' "${stage_rows[@]}"
fi

# Targets from issue 2.
echo
echo "Targets (issue 2):"
echo
first_jobs=${BENCH_JOBS%% *}
per_core=$(awk -v mib="${MIBS[$BENCH_MB]}" -v w="${WALL[$BENCH_MB,$first_jobs]}" -v j="$first_jobs" 'BEGIN { printf "%.1f", mib / w / j }')
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "met" : "NOT met" }'; }
echo "- throughput ≥ 100 MiB/s per core: $per_core MiB/s per core at --jobs $first_jobs on $BENCH_MB MiB — $(verdict "$per_core" 100)"
if [ -n "${WALL[$BENCH_MB,1]:-}" ] && [ -n "${WALL[$BENCH_MB,2]:-}" ]; then
    sp=$(awk -v a="${WALL[$BENCH_MB,1]}" -v b="${WALL[$BENCH_MB,2]}" 'BEGIN { printf "%.2f", a / b }')
    echo "- speed-up ≥ 1.8× from 1 to 2 jobs: ${sp}× on $BENCH_MB MiB — $(verdict "$sp" 1.8)"
fi
if [ "$sizes" != "$BENCH_MB" ]; then
    for jobs in $BENCH_JOBS; do
        small=${RSS[$BENCH_SMALL_MB,$jobs]}
        big=${RSS[$BENCH_MB,$jobs]}
        awk -v s="$small" -v b="$big" -v j="$jobs" -v sm="$BENCH_SMALL_MB" -v bm="$BENCH_MB" 'BEGIN {
            r = b / s
            printf "- peak RSS independent of corpus size (--jobs %d): %.1f MiB at %s MiB vs %.1f MiB at %s MiB (×%.2f for ×%.1f input) — %s\n",
                j, s / 1024, sm, b / 1024, bm, r, bm / sm, (r <= 1.25) ? "met" : "NOT met"
        }'
    done
fi
exit 0
}
