#!/usr/bin/env python3
"""Score cleaned output against the truth written by bench/sites/gen.py.

Lines are compared after NFC, no-break spaces as spaces, and trimming; blank lines are
ignored. Per document: article lines kept (as a multiset), junk lines removed (a junk line
counts as removed when the output no longer has it beyond the article's own copies), and
whether the output equals the clean article exactly, blank lines aside.

Usage: python3 bench/sites/score.py --truth DIR/truth --out CLEANED [--show 5] [--json]
"""

import argparse
import collections
import json
import os
import sys
import unicodedata


def norm(line):
    return unicodedata.normalize("NFC", line.replace("\u00a0", " ")).strip()


def lines_of(text):
    return [n for n in (norm(x) for x in text.replace("\r\n", "\n").split("\n")) if n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--show", type=int, default=0, help="print this many failures")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    art_total = art_kept = junk_total = junk_removed = docs = exact = 0
    exact_but_glue = 0
    per_site = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    shown = 0
    lost_examples, left_examples = collections.Counter(), collections.Counter()
    for root, _, files in os.walk(args.truth):
        for name in sorted(files):
            truth = json.load(open(os.path.join(root, name), encoding="utf-8"))
            rel = os.path.relpath(os.path.join(root, name[:-5] + ".txt"), args.truth)
            site = rel.split(os.sep)[0]
            try:
                got = lines_of(open(os.path.join(args.out, rel), encoding="utf-8").read())
            except FileNotFoundError:
                got = []
            article = [norm(x) for x in truth["article"]]
            junk = [norm(x) for x in truth["junk"]]
            have = collections.Counter(got)
            kept = 0
            for line in article:
                if have[line] > 0:
                    have[line] -= 1
                    kept += 1
                else:
                    lost_examples[line[:90]] += 1
            removed = 0
            for line in junk:
                if have[line] > 0:
                    have[line] -= 1
                    left_examples[line[:90]] += 1
                else:
                    removed += 1
            same = got == article
            docs += 1
            exact += same
            exact_but_glue += same or (truth["glued"] > 0 and kept >= len(article) - truth["glued"]
                                       and len(got) == len(article))
            art_total += len(article)
            art_kept += kept
            junk_total += len(junk)
            junk_removed += removed
            s = per_site[site]
            for i, v in enumerate((len(article), kept, len(junk), removed, 1, same)):
                s[i] += v
            if not same and shown < args.show:
                shown += 1
                print(f"--- {rel}", file=sys.stderr)
                print("  extra:", [x for x in got if x not in article][:6], file=sys.stderr)
                print("  lost: ", [x for x in article if x not in got][:3], file=sys.stderr)
    result = {
        "documents": docs,
        "junk_removed_pct": 100.0 * junk_removed / max(junk_total, 1),
        "article_kept_pct": 100.0 * art_kept / max(art_total, 1),
        "exact_docs_pct": 100.0 * exact / max(docs, 1),
        "exact_docs_ignoring_unrepaired_glue_pct": 100.0 * exact_but_glue / max(docs, 1),
        "junk_lines": junk_total,
        "article_lines": art_total,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"documents {docs}: junk removed {result['junk_removed_pct']:.2f}% of {junk_total}, "
          f"article kept {result['article_kept_pct']:.3f}% of {art_total}, exact docs "
          f"{result['exact_docs_pct']:.1f}% ({result['exact_docs_ignoring_unrepaired_glue_pct']:.1f}% "
          f"counting docs whose only difference is an unrepaired glued token)")
    print("per site: site, article kept %, junk removed %, exact %")
    for site, (a, k, j, r, n, e) in sorted(per_site.items()):
        print(f"  {site:32} {100 * k / max(a, 1):7.2f} {100 * r / max(j, 1):7.2f} {100 * e / n:6.1f}")
    if left_examples:
        print("junk most often left:", left_examples.most_common(8))
    if lost_examples:
        print("article lines most often lost:", lost_examples.most_common(8))


if __name__ == "__main__":
    main()
