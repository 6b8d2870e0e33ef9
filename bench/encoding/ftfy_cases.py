#!/usr/bin/env python3
"""ftfy's own test cases run through `unscrape clean --only encoding`.

    python3 bench/encoding/ftfy_cases.py [-v]

Downloads the ftfy sdist (pinned version) into bench/.data/ with pip (never committed),
takes tests/test_cases.json out of it, writes every case to a file in a temporary folder, runs
the CLI once over the folder and compares each output with what ftfy's fix_encoding is
expected to give ("fixed-encoding", else "fixed"). ftfy's full fix_text also straightens
quotes and folds widths, which unscrape keeps by default, so "fixed-encoding" is the right
yardstick; an output equal to "fixed" (e.g. an HTML entity decoded too) is counted as passing.

Reports, for the cases ftfy expects to pass:
  positives  original != expected: the share repaired exactly
  negatives  original == expected: how many unscrape changed (must be 0)
and, for every case ftfy expects to pass, the share repaired exactly with an extra layer of
damage (UTF-8 read as Latin-1 once more, as ftfy's own test does), and the cases ftfy itself
expects to fail.
"""

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, FTFY_VERSION, log, run_unscrape, venv_python  # noqa: E402


def load_cases():
    sdist = DATA / f"ftfy-{FTFY_VERSION}.tar.gz"
    if not sdist.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        log("downloading the ftfy sdist")
        subprocess.run(
            [str(venv_python()), "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
             "--no-deps", f"ftfy=={FTFY_VERSION}", "-d", str(DATA)],
            check=True,
        )
    with tarfile.open(sdist) as tar:
        member = tar.getmember(f"ftfy-{FTFY_VERSION}/tests/test_cases.json")
        return json.load(tar.extractfile(member))


def main():
    verbose = "-v" in sys.argv
    cases = load_cases()
    runs = []  # (group, label, original, accepted outputs)
    for case in cases:
        expected = case.get("fixed-encoding", case["fixed"])
        accepted = {expected, case["fixed"]}
        group = case["expect"]
        kind = "negative" if case["original"] == expected else "positive"
        runs.append((f"{group}/{kind}", case["label"], case["original"], accepted))
        if group == "pass":
            # One more layer of damage makes every case a repair, negatives included.
            extra = case["original"].encode("utf-8").decode("latin-1")
            runs.append(("extra-layer", case["label"], extra, accepted))
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp, "in"), Path(tmp, "out")
        inp.mkdir()
        for i, (_, _, original, _) in enumerate(runs):
            Path(inp, f"case{i:04}.txt").write_bytes(original.encode("utf-8"))
        run_unscrape(inp, out)
        results = {}
        for i, (group, label, original, accepted) in enumerate(runs):
            path = Path(out, f"case{i:04}.txt")
            got = path.read_bytes().decode("utf-8") if path.exists() else None
            ok = got in accepted
            results.setdefault(group, []).append(ok)
            if verbose and not ok:
                print(f"FAIL [{group}] {label}\n   in:  {original!r}\n   got: {got!r}\n   want:{sorted(accepted)!r}")
    print(f"ftfy {FTFY_VERSION} test_cases.json through unscrape --only encoding")
    for group in ["pass/positive", "pass/negative", "extra-layer", "fail/positive", "fail/negative"]:
        oks = results.get(group, [])
        if not oks:
            continue
        if group.endswith("negative"):
            print(f"  {group:22} {len(oks):4} cases, changed {oks.count(False)}")
        else:
            print(f"  {group:22} {len(oks):4} cases, repaired exactly {oks.count(True)} "
                  f"({100 * oks.count(True) / len(oks):.1f}%)")


if __name__ == "__main__":
    main()
