#!/usr/bin/env python3
"""Scores article extraction from page dumps: token-level F1 against the generated truth.

For each converter's dump (<data>/dump/<conv>/) it scores: doing nothing, unscrape (the
binary, default stages), jusText on the lines, and C4-style line rules (written here from the
published description of C4's cleaning). Prints mean F1 per method and converter, for the
tuning and held-out layouts, and the number of empty outputs.

    python score.py DATA --unscrape target/release/unscrape [--split held-out] [--worst N]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")


def tokens(text):
    return Counter(t.lower() for t in TOKEN.findall(text))


def f1(pred, truth):
    p, t = tokens(pred), tokens(truth)
    common = sum((p & t).values())
    if not common:
        return 0.0
    prec, rec = common / sum(p.values()), common / sum(t.values())
    return 2 * prec * rec / (prec + rec)


# --- C4 line rules, from the description in Raffel et al. (2020), section 2.2 ---------------

C4_END = ('.', '!', '?', '"', '”', '。', '！', '？')
C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")


def c4(text):
    if "lorem ipsum" in text.lower() or "{" in text:
        return ""
    kept = []
    for line in text.splitlines():
        s = line.strip()
        if not s.endswith(C4_END):
            continue
        if len(s.split()) < 5:  # C4 counts whitespace words: a CJK line is one "word"
            continue
        low = s.lower()
        if "javascript" in low or any(p in low for p in C4_POLICY):
            continue
        kept.append(s)
    body = "\n".join(kept)
    if len(re.findall(r"[.!?。！？]", body)) < 3:  # pages with fewer than 3 sentences go
        return ""
    return body + "\n"


JT_LANG = {"en": "English", "de": "German", "fr": "French", "es": "Spanish"}


def justext_lines(text, lang):
    import html

    import justext

    stop = justext.get_stoplist(JT_LANG[lang]) if lang in JT_LANG else frozenset()
    doc = "<html><body>" + "".join(f"<p>{html.escape(l)}</p>" for l in text.splitlines() if l.strip()) + "</body></html>"
    paras = justext.justext(doc.encode(), stop)
    return "\n".join(p.text for p in paras if not p.is_boilerplate) + "\n"


def run_unscrape(binary, src):
    out = tempfile.mkdtemp(prefix="unscrape-pages-")
    t = time.process_time()
    r = subprocess.run([binary, "clean", src, "--out", out + "/o", "-q", "-j", "1"], capture_output=True)
    if r.returncode not in (0, 1):
        sys.exit(r.stderr.decode())
    return out + "/o"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--unscrape", default="target/release/unscrape")
    ap.add_argument("--split", default=None, help="tune or held-out (default: both, reported apart)")
    ap.add_argument("--worst", type=int, default=0, help="print the N worst unscrape pages")
    ap.add_argument("--methods", default="nothing,unscrape,justext,c4")
    ap.add_argument("--json", help="write the table as JSON here")
    a = ap.parse_args()
    meta = {m["id"]: m for m in json.load(open(f"{a.data}/pages.json"))}
    methods = a.methods.split(",")
    table = {}
    worst = []
    for conv in sorted(os.listdir(f"{a.data}/dump")):
        src = f"{a.data}/dump/{conv}"
        uns = run_unscrape(a.unscrape, src) if "unscrape" in methods else None
        for pid, m in sorted(meta.items()):
            if a.split and m["split"] != a.split:
                continue
            text = open(f"{src}/{pid}.txt").read()
            truth = open(f"{a.data}/truth/{pid}.txt").read()
            for meth in methods:
                if meth == "nothing":
                    out = text
                elif meth == "unscrape":
                    out = open(f"{uns}/{pid}.txt").read()
                elif meth == "justext":
                    out = justext_lines(text, m["lang"])
                else:
                    out = c4(text)
                score = f1(out, truth)
                cell = table.setdefault((conv, meth, m["split"]), [0.0, 0, 0])
                cell[0] += score
                cell[1] += 1
                cell[2] += not out.strip()
                if meth == "unscrape":
                    worst.append((score, conv, pid))
    print(f"{'converter':<11} {'split':<9} " + " ".join(f"{m:>16}" for m in methods))
    rows = {}
    for conv in sorted({k[0] for k in table}):
        for split in ["tune", "held-out"]:
            cells = [table.get((conv, m, split)) for m in methods]
            if not cells[0]:
                continue
            txt = [f"{c[0] / c[1]:.3f} ({c[2]} empty)" for c in cells]
            rows[f"{conv}/{split}"] = {m: dict(f1=round(c[0] / c[1], 4), empty=c[2], pages=c[1]) for m, c in zip(methods, cells)}
            print(f"{conv:<11} {split:<9} " + " ".join(f"{t:>16}" for t in txt))
    if a.json:
        json.dump(rows, open(a.json, "w"), indent=1)
    for s, conv, pid in sorted(worst)[: a.worst]:
        print(f"{s:.3f} {conv} {pid}")


if __name__ == "__main__":
    main()
