#!/usr/bin/env python3
"""Throughput of the encoding stage against ftfy, on the same generated input.

    python3 bench/encoding/speed.py [--mb 64] [--seed 1] [--repeat 3]

Generates (or reuses) bench/.data/encoding-speed-<MB>mb-seed<N>/input/{clean,broken}/ with
gen_corpus.py: at least MB MiB, half clean UTF-8, half broken (mostly mojibake, some
legacy-encoded files). Then, on one core each:

  unscrape, in process   the encoding stage alone (decode, entities, mojibake; no file I/O,
                         no report), from the ignored `throughput` test in tests/encoding.rs,
                         fastest of three passes, each on a fresh thread; also a memchr scan
                         of the same bytes, the floor for "clean input costs a scan"
  unscrape, end to end   `unscrape clean INPUT --out OUT --only encoding -j 1 -q`: reading,
                         decoding, the stage, writing every output and the report (diffs of
                         every changed document included); fastest of --repeat runs
  ftfy, in process       ftfy.fix_text over the same documents already decoded to str
                         (charset-normalizer decodes the legacy-encoded ones, untimed), in
                         bench/.venv; and the same with that decoding timed (UTF-8 when the
                         bytes are valid UTF-8, else charset-normalizer)

MB/s are decimal megabytes of input per CPU second (user + sys of the thread, process or
child), not per wall second: the machine may be shared, and wall time would charge other
people's work to whichever tool ran while they did. Prints a Markdown table.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, ROOT, binary, log, venv_python  # noqa: E402

HERE = Path(__file__).parent


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = DATA / f"encoding-speed-{args.mb}mb-seed{args.seed}"
    if not (corpus / "input" / "clean").exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "speed", "--mb", str(args.mb),
                        "--seed", str(args.seed)], check=True)
    inp = corpus / "input"
    sizes = {part: size(inp / part) for part in ["clean", "broken"]}
    total = sum(sizes.values())
    rows = []

    log("unscrape in process (cargo test --release --test encoding throughput)")
    out = subprocess.run(
        ["cargo", "test", "--release", "--quiet", "--test", "encoding", "throughput", "--",
         "--ignored", "--nocapture"],
        cwd=ROOT, env={**os.environ, "UNSCRAPE_SPEED_DIR": str(inp)}, capture_output=True, text=True,
        check=True,
    ).stdout
    stage, scan = {}, {}
    for line in out.splitlines():
        m = re.match(r"(\w+)\s+[\d.]+ MB\s+encoding stage\s+([\d.]+) MB/s\s+memchr scan\s+([\d.]+) MB/s", line)
        if m:
            stage[m.group(1)] = float(m.group(2))
            scan[m.group(1)] = float(m.group(3))
    rows.append(("unscrape encoding stage, in process", stage.get("all"), stage.get("clean"), stage.get("broken")))
    rows.append(("memchr scan of the same bytes", scan.get("all"), scan.get("clean"), scan.get("broken")))

    log("unscrape end to end (CLI, --only encoding, -j 1)")
    exe = binary()
    tmp_root = "/dev/shm" if Path("/dev/shm").is_dir() and shutil.disk_usage("/dev/shm").free > 4 * total else None
    cli = {}
    for part in ["all", "clean", "broken"]:
        target = inp if part == "all" else inp / part
        best = float("inf")
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory(dir=tmp_root) as tmp:
                proc = subprocess.Popen([str(exe), "clean", str(target), "--out", str(Path(tmp, "out")),
                                         "--only", "encoding", "-j", "1", "-q"])
                _, _, usage = os.wait4(proc.pid, 0)
                best = min(best, usage.ru_utime + usage.ru_stime)
        cli[part] = (total if part == "all" else sizes[part]) / 1e6 / best
    rows.append(("unscrape clean --only encoding -j 1, end to end", cli["all"], cli["clean"], cli["broken"]))

    log("ftfy in process (this takes a while)")
    python = venv_python()
    ftfy, both = {}, {}
    for part in ["clean", "broken"]:
        decoding, fixing, _ = subprocess.run(
            [str(python), str(HERE / "ftfy_runner.py"), "time", str(inp / part)],
            capture_output=True, text=True, check=True).stdout.split()
        ftfy[part] = sizes[part] / 1e6 / float(fixing)
        both[part] = sizes[part] / 1e6 / (float(decoding) + float(fixing))
    # Rates of the whole input from each half's rate (time adds up, not rate).
    def whole(rate):
        return total / 1e6 / (sizes["clean"] / 1e6 / rate["clean"] + sizes["broken"] / 1e6 / rate["broken"])

    ftfy_all = whole(ftfy)
    rows.append(("ftfy fix_text, in process (input already text)", ftfy_all, ftfy["clean"], ftfy["broken"]))
    both_all = whole(both)
    rows.append(("charset-normalizer (non-UTF-8 only) + ftfy fix_text, in process", both_all, both["clean"],
                 both["broken"]))

    print(f"Input: {total / 1e6:.1f} MB in {corpus.name} ({sizes['clean'] / 1e6:.1f} MB clean UTF-8, "
          f"{sizes['broken'] / 1e6:.1f} MB broken), one core each, MB per CPU second.\n")
    print("| | all, MB/s | clean half | broken half | vs ftfy (all) | vs charset-normalizer + ftfy (all) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, every, clean, broken in rows:
        cells = [f"{v:,.1f}" if v is not None else "n/a" for v in (every, clean, broken)]
        ratios = [f"{every / base:,.1f}×" if every is not None else "" for base in (ftfy_all, both_all)]
        print(f"| {name} | " + " | ".join(cells + ratios) + " |")


if __name__ == "__main__":
    main()
