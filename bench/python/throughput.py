#!/usr/bin/env python3
"""Throughput of the Python API: the records of a JSONL file cleaned with
`Cleaner.clean_batch` in batches (1,000 documents by default), CPU time (user + sys of this
process, rayon threads included) counted around the cleaning only: reading the JSONL is not
counted; turning the Python strings into Rust strings and back, and reading `.text` of every
result, is.

    python bench/python/throughput.py FEED.jsonl [--stats S] [--group-by-host] [--threads 1]
        [--batch 1000] [--repeat 3] [--out TEXTS.jsonl]

Prints one JSON line: documents, text bytes, the CPU time of building the cleaner (rules,
statistics; not in the rate), best CPU and wall seconds, MiB per CPU-second.
`--out` writes the cleaned texts (one JSON string per line) for comparison with the CLI."""

import argparse
import json
import resource
import sys
import time

import unscrape


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("jsonl")
    ap.add_argument("--stats")
    ap.add_argument("--group-by-host", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out")
    args = ap.parse_args()

    texts, groups = [], []
    with open(args.jsonl, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts.append(record["text"])
            url = record.get("url") or (record.get("metadata") or {}).get("url")
            groups.append(unscrape.host_of(url) if args.group_by_host and url else None)
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    cpu0 = cpu_seconds()
    cleaner = unscrape.Cleaner({"threads": args.threads}, stats=args.stats)
    setup_cpu = cpu_seconds() - cpu0
    best_cpu = best_wall = None
    cleaned = []
    for _ in range(args.repeat):
        cleaned = []
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        for at in range(0, len(texts), args.batch):
            results = cleaner.clean_batch(
                texts[at : at + args.batch], groups=groups[at : at + args.batch]
            )
            cleaned.extend(r.text for r in results)
        cpu, wall = cpu_seconds() - cpu0, time.perf_counter() - wall0
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        best_wall = wall if best_wall is None else min(best_wall, wall)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for text in cleaned:
                f.write(json.dumps(text, ensure_ascii=False) + "\n")
    print(
        json.dumps(
            {
                "documents": len(texts),
                "text_bytes": text_bytes,
                "threads": args.threads,
                "batch": args.batch,
                "setup_cpu_s": round(setup_cpu, 3),
                "best_cpu_s": round(best_cpu, 3),
                "best_wall_s": round(best_wall, 3),
                "mib_per_cpu_s": round(text_bytes / 1048576 / best_cpu, 2),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
