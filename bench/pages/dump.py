#!/usr/bin/env python3
"""Dumps the generated pages to plain text with HTML-to-text converters, as scrapers do.

Writes <data>/dump/<converter>/<id>.txt for each converter that is available: html-text and
inscriptis (pip), lynx and w3m (Debian packages, used when installed).

    python dump.py DATA
"""

import os
import shutil
import subprocess
import sys


def converters():
    out = {}
    import html_text
    import inscriptis

    out["html-text"] = lambda h: html_text.extract_text(h, guess_layout=True)
    out["inscriptis"] = lambda h: inscriptis.get_text(h)
    if shutil.which("lynx"):
        out["lynx"] = lambda h: subprocess.run(
            ["lynx", "-dump", "-nolist", "-stdin", "-display_charset=utf-8", "-assume_charset=utf-8", "-width=1000"],
            input=h.encode(), capture_output=True, check=True).stdout.decode("utf-8", "replace")
    if shutil.which("w3m"):
        out["w3m"] = lambda h: subprocess.run(
            ["w3m", "-dump", "-T", "text/html", "-I", "utf-8", "-O", "utf-8", "-cols", "1000"],
            input=h.encode(), capture_output=True, check=True).stdout.decode("utf-8", "replace")
    return out


def main():
    data = sys.argv[1]
    ids = sorted(f[:-5] for f in os.listdir(f"{data}/html") if f.endswith(".html"))
    for name, conv in converters().items():
        os.makedirs(f"{data}/dump/{name}", exist_ok=True)
        for pid in ids:
            with open(f"{data}/html/{pid}.html") as f:
                text = conv(f.read())
            with open(f"{data}/dump/{name}/{pid}.txt", "w") as f:
                f.write(text if text.endswith("\n") else text + "\n")
        print(f"{name}: {len(ids)} pages")


if __name__ == "__main__":
    main()
