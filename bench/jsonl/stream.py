#!/usr/bin/env python3
"""Write --mb MiB of JSONL records to stdout, cycling through the documents of a text corpus
folder with fresh ids, for the streaming-memory benchmark (no data on disk):

    python3 bench/jsonl/stream.py bench/.data/corpus-128mb-seed1 --mb 5120 | unscrape clean --format jsonl - > /dev/null
"""

import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("--mb", type=int, required=True)
    args = ap.parse_args()
    docs = []
    for dirpath, dirnames, filenames in os.walk(args.src):
        dirnames.sort()
        for name in sorted(filenames):
            with open(os.path.join(dirpath, name), "rb") as f:
                docs.append(json.dumps(f.read().decode("utf-8", errors="replace"), ensure_ascii=False))
    limit = args.mb << 20
    written = 0
    n = 0
    out = sys.stdout.buffer
    while written < limit:
        for text in docs:
            line = f'{{"id":"r{n}","text":{text},"metadata":{{"n":{n}}}}}\n'.encode("utf-8")
            out.write(line)
            written += len(line)
            n += 1
            if written >= limit:
                break


if __name__ == "__main__":
    main()
