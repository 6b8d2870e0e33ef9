#!/usr/bin/env python3
"""Accuracy of the encoding stage on the generated multilingual corpus, against ftfy.

    python3 bench/encoding/evaluate.py [--seed N] [-v]

Generates (or reuses) bench/.data/encoding-eval-seed<N>/ with gen_corpus.py, runs
`unscrape clean input --out OUT --only encoding -q` (the release binary; UNSCRAPE_BIN to use
another), and compares every output with the expected text byte for byte. With `--only
encoding` the normalize stage does not run, so the comparison is with the encoding stage's
own output (a byte-order mark is kept as U+FEFF there; it is ignored in the comparison for
every tool alike, as ftfy's decoders drop it). Then the same for ftfy 6.x in bench/.venv
(charset-normalizer turns non-UTF-8 bytes into text first): its default fix_text, and
fix_encoding alone (closest to this stage: no quote straightening or width folding).

Prints a Markdown table: documents exactly right, per category, and control files changed.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, log, run_unscrape, venv_python  # noqa: E402

HERE = Path(__file__).parent


def score(corpus: Path, out: Path, manifest: dict, verbose: bool, tool: str):
    results = {}
    for name, meta in sorted(manifest.items()):
        expected = (corpus / "expected" / name).read_bytes().decode("utf-8").lstrip("\ufeff")
        path = out / name
        got = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff") if path.exists() else None
        ok = got == expected
        results.setdefault(meta["category"], []).append(ok)
        if verbose and not ok:
            print(f"[{tool}] {name}", file=sys.stderr)
            if got is not None:
                for g, e in zip(got.splitlines(), expected.splitlines()):
                    if g != e:
                        print(f"   got:  {g[:160]!r}\n   want: {e[:160]!r}", file=sys.stderr)
                        break
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", action="store_true", help="show each wrong document")
    parser.add_argument("--no-ftfy", action="store_true")
    args = parser.parse_args()
    corpus = DATA / f"encoding-eval-seed{args.seed}"
    if not (corpus / "manifest.json").exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "eval", "--seed", str(args.seed)], check=True)
    manifest = json.loads((corpus / "manifest.json").read_text())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "unscrape")
        log("running unscrape")
        run_unscrape(corpus / "input", out)
        rows.append(("unscrape --only encoding", score(corpus, out, manifest, args.v, "unscrape")))
        if not args.no_ftfy:
            python = venv_python()
            for mode in ["fix_text", "fix_encoding"]:
                log(f"running ftfy {mode}")
                out = Path(tmp, mode)
                subprocess.run([str(python), str(HERE / "ftfy_runner.py"), mode, str(corpus / "input"), str(out)],
                               check=True)
                rows.append((f"ftfy {mode} (+ charset-normalizer)", score(corpus, out, manifest, args.v, mode)))
    categories = ["legacy", "mojibake", "entities", "control"]
    counts = {c: sum(1 for m in manifest.values() if m["category"] == c) for c in categories}
    print(f"Encoding-stage corpus (seed {args.seed}): {len(manifest)} documents — "
          + ", ".join(f"{counts[c]} {c}" for c in categories) + "\n")
    print("| tool | exact, all | legacy | mojibake | entities | control files changed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for tool, results in rows:
        every = [ok for oks in results.values() for ok in oks]
        cells = [f"{100 * sum(every) / len(every):.1f}%"]
        for c in categories[:3]:
            oks = results.get(c, [])
            cells.append(f"{100 * sum(oks) / max(len(oks), 1):.1f}%")
        controls = results.get("control", [])
        changed = controls.count(False)
        cells.append(f"{changed} of {len(controls)} ({100 * changed / max(len(controls), 1):.0f}%)")
        print(f"| {tool} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
