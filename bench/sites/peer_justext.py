#!/usr/bin/env python3
"""Peer for the learned-boilerplate evaluation: jusText (paragraph classifier for HTML).

Plain-text pages have no markup, so each non-blank line becomes one <p>; jusText keeps the
paragraphs it does not classify as boilerplate (default settings, English stop list). Output
mirrors the input tree, for bench/sites/score.py. jusText sees one page at a time: it has no
notion of a site's repeated lines.

Usage: python bench/sites/peer_justext.py CORPUS_DIR OUT_DIR
"""

import html
import os
import sys
import time

import justext


def main():
    src, dst = sys.argv[1], sys.argv[2]
    stop = justext.get_stoplist("English")
    t0 = time.process_time()
    n = 0
    for root, _, files in os.walk(src):
        for name in files:
            path = os.path.join(root, name)
            text = open(path, encoding="utf-8", errors="replace").read()
            lines = [x.strip() for x in text.replace("\r\n", "\n").split("\n") if x.strip()]
            page = "<html><body>" + "".join(f"<p>{html.escape(x)}</p>" for x in lines) + "</body></html>"
            kept = [p.text for p in justext.justext(page.encode("utf-8"), stop) if not p.is_boilerplate]
            out = os.path.join(dst, os.path.relpath(path, src))
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8") as f:
                f.write("\n\n".join(kept) + "\n")
            n += 1
    print(f"justext: {n} documents, {time.process_time() - t0:.1f} s CPU", file=sys.stderr)


if __name__ == "__main__":
    main()
