#!/usr/bin/env python3
"""Turn a folder of text documents (bench/gen_corpus.py output) into JSONL shards in the
common corpus layout {"id", "text", "metadata"}, optionally compressed with the `zstd` or
`gzip` command, so the same documents can be cleaned as text files and as JSONL records.

    python3 bench/jsonl/to_jsonl.py bench/.data/corpus-128mb-seed1 bench/.data/jsonl-128 --shards 8 --compress zst

Only the standard library (and the zstd/gzip commands for compression)."""

import argparse
import json
import os
import subprocess
import sys


def documents(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            with open(path, "rb") as f:
                yield rel, f.read().decode("utf-8", errors="replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--compress", choices=["none", "zst", "gz"], default="zst")
    args = ap.parse_args()
    docs = list(documents(args.src))
    os.makedirs(args.out, exist_ok=False)
    per = (len(docs) + args.shards - 1) // args.shards
    suffix = {"none": ".jsonl", "zst": ".jsonl.zst", "gz": ".jsonl.gz"}[args.compress]
    for shard in range(args.shards):
        chunk = docs[shard * per : (shard + 1) * per]
        lines = []
        for rel, text in chunk:
            site = rel.split(os.sep)[0]
            record = {
                "id": rel,
                "text": text,
                "metadata": {"url": f"https://{site}.example/{rel}", "source": "gen_corpus"},
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        path = os.path.join(args.out, f"shard-{shard:04d}{suffix}")
        if args.compress == "none":
            with open(path, "wb") as f:
                f.write(data)
        else:
            cmd = ["zstd", "-q", "-3", "-c"] if args.compress == "zst" else ["gzip", "-c", "-6"]
            with open(path, "wb") as f:
                subprocess.run(cmd, input=data, stdout=f, check=True)
    print(f"{len(docs)} documents in {args.shards} shards under {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
