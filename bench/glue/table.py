#!/usr/bin/env python3
"""Prints the comparison table (Markdown) from the score files run.sh wrote in WORK_DIR."""

import json
import os
import re
import sys

work = sys.argv[1]
rows = []
for tool in ("unscrape", "wordninja", "symspell"):
    with open(os.path.join(work, f"{tool}.json"), encoding="utf-8") as f:
        r = json.load(f)
    speed = ""
    path = os.path.join(work, f"{tool}.speed")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            m = re.search(r"= ([\d.]+) MB/s", f.read())
            speed = m.group(1) if m else ""
    prec = r["change_precision_pct"]
    rows.append((
        tool,
        f"{r['repaired_pct']:.1f}% ({r['repaired']}/{r['errors']})",
        f"{prec:.1f}% ({r['changes_right']}/{r['changes']})" if prec is not None else "no edits",
        f"{r['false_per_10k_control']:.2f} ({r['false_edits_control']} in {r['control_words']:,} words)",
        f"{r['false_per_10k_all']:.2f} ({r['false_edits_all']})",
        speed or "see speed",
    ))
print("| tool | injected errors repaired exactly | edit precision | false edits / 10k words, controls | false edits / 10k words, all text | MB/s (1 core) |")
print("| --- | --- | --- | --- | --- | --- |")
for row in rows:
    print("| " + " | ".join(row) + " |")
kinds = {}
for tool in ("unscrape", "wordninja", "symspell"):
    with open(os.path.join(work, f"{tool}.json"), encoding="utf-8") as f:
        for k, v in json.load(f)["by_kind"].items():
            kinds.setdefault(k, {})[tool] = v
print()
print("| error kind | errors | unscrape | wordninja | symspellpy |")
print("| --- | --- | --- | --- | --- |")
for k, v in kinds.items():
    n = v["unscrape"]["errors"]
    cells = [f"{v[t]['repaired_pct']:.1f}%" for t in ("unscrape", "wordninja", "symspell")]
    print(f"| {k} | {n} | " + " | ".join(cells) + " |")
with open(os.path.join(work, "unscrape.json"), encoding="utf-8") as f:
    r = json.load(f)
print()
print(f"unscrape report: {r['report_applied']} applied glue edits, {r['report_applied_right']} right "
      f"({r['report_precision_pct']:.1f}%); {r['report_suspects']} suspects, "
      f"{r['report_suspects_at_errors']} at injected errors, {r['report_suspects_elsewhere']} elsewhere")
