#!/usr/bin/env python3
"""Counts the content edits the default pipeline applied to the control corpus (clean prose,
see make_controls.py), per rule per 10k words.

    python3 bench/controls/false_edits.py CONTROLS REPORT_TXT REPORT_HTML

An applied edit is whitespace normalisation, not counted, when it is made by the normalize or
extract stage and changes nothing but whitespace, NBSP and zero-width characters. The
headline an HTML page loses to its metadata (html.headline.v1) is listed apart: the text
moves, it is not lost. Everything else applied to clean prose is a content edit; the audit
in BENCHMARKS.md judges them (most are false positives, a few repair real defects of the
packaged text, such as mojibake in a Spanish manual page).
"""

import collections
import json
import os
import re
import sys

INVISIBLE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
MOVED = {"html.headline.v1"}


def main():
    controls, *reports = sys.argv[1:]
    with open(os.path.join(controls, "manifest.json"), encoding="utf-8") as f:
        words = sum(site["words"] for site in json.load(f).values())
    for report in reports:
        shape = os.path.basename(report.rstrip("/")).split(".")[0]
        content, moved, suspects = collections.Counter(), collections.Counter(), collections.Counter()
        docs = set()
        with open(os.path.join(report, "edits.jsonl"), encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                rule = re.sub(r"^learned\..*\.(v\d+)$", r"learned.<site>.\1", e["rule"])
                if e["status"] != "applied":
                    suspects[rule] += 1
                    continue
                if e["stage"] in ("normalize", "extract") and \
                        INVISIBLE.sub("", e["before"]) == INVISIBLE.sub("", e["after"]):
                    continue
                if e["rule"] in MOVED:
                    moved[rule] += 1
                    continue
                content[rule] += 1
                docs.add(e["doc"])
        total = sum(content.values())
        print(f"== {shape}: {words} words; {total} applied content edits "
              f"({total * 1e4 / words:.2f} per 10k words) in {len(docs)} documents; "
              f"{sum(suspects.values())} suspects")
        for rule, n in content.most_common():
            print(f"  {rule:40s} {n:5d}  {n * 1e4 / words:6.2f} /10k words")
        for rule, n in moved.items():
            print(f"  (moved to metadata) {rule:20s} {n:5d}")


if __name__ == "__main__":
    main()
