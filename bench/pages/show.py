#!/usr/bin/env python3
"""Shows what the page step did to one dump: each non-blank line with its verdict and reason.

    python show.py DUMP.txt [--unscrape target/release/unscrape]
"""
import json
import subprocess
import sys
import tempfile

path = sys.argv[1]
binary = sys.argv[3] if len(sys.argv) > 3 else "target/release/unscrape"
d = tempfile.mkdtemp()
subprocess.run([binary, "clean", path, "--out", d + "/o", "--report", d + "/r", "-q", "--only", "normalize,boilerplate"], check=False)
edits = {}
for line in open(d + "/r/edits.jsonl"):
    e = json.loads(line)
    if e["stage"] == "boilerplate":
        edits.setdefault(e["before"].strip(), (e["status"][0].upper(), e["rule"], e["reason"]))
for line in open(d + "/r/../o/" + path.split("/")[-1]).read().splitlines() if False else open(path).read().splitlines():
    s = line.strip()
    if not s:
        continue
    st, rule, reason = edits.get(s, (" ", "", ""))
    score = reason.rsplit("score", 1)[-1] if "line score" in reason else ""
    print(f"{st} {rule[:22]:<22} {score:>6} | {s[:110]}")
