"""Score unscrape's HTML extraction against trafilatura on the generated pages.

Usage: python3 bench/html/score.py [--data bench/.data/html] [--bin target/release/unscrape]
                                   [--no-trafilatura] [--worst 10]
Run it with an interpreter that has trafilatura (bench/.venv, see bench/html/run.sh).

Quality: token-level F1 (bag of lower-cased \\w+ tokens, as article-extraction benchmarks do)
of each tool's text against the page's true article text; mean over pages, and empty
outputs. Speed: MB of HTML per CPU-second (user+sys, so other jobs on a shared machine do not
distort it), unscrape as one single-threaded run (-j 1) over the folder, trafilatura in
process.
"""

import argparse
import collections
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return collections.Counter(TOKEN.findall(text.lower()))


def f1(pred, truth):
    p, t = tokens(pred), tokens(truth)
    common = sum((p & t).values())
    if not p and not t:
        return 1.0, 1.0, 1.0
    if common == 0:
        return 0.0, 0.0, 0.0
    prec = common / sum(p.values())
    rec = common / sum(t.values())
    return 2 * prec * rec / (prec + rec), prec, rec


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_unscrape(binary, pages, stages):
    out = tempfile.mkdtemp(prefix="unscrape-html-")
    try:
        before, wall = cpu_children(), time.perf_counter()
        cmd = [binary, "clean", pages, "--out", os.path.join(out, "o"), "-j", "1", "-q"]
        if stages:
            cmd += ["--only", stages]
        subprocess.run(cmd, check=False)
        cpu, wall = cpu_children() - before, time.perf_counter() - wall
        texts = {}
        for name in os.listdir(os.path.join(out, "o")):
            with open(os.path.join(out, "o", name), encoding="utf-8") as f:
                texts[name[:-4]] = f.read()
        return texts, cpu, wall
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_trafilatura(pages, names):
    import trafilatura

    texts = {}
    start_cpu, wall = time.process_time(), time.perf_counter()
    for name in names:
        with open(os.path.join(pages, name + ".html"), encoding="utf-8") as f:
            texts[name] = trafilatura.extract(f.read()) or ""
    return texts, time.process_time() - start_cpu, time.perf_counter() - wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", ".data", "html"))
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "target", "release", "unscrape"))
    ap.add_argument("--no-trafilatura", action="store_true")
    ap.add_argument("--worst", type=int, default=8)
    args = ap.parse_args()
    pages = os.path.join(args.data, "pages")
    names = sorted(n[:-5] for n in os.listdir(pages) if n.endswith(".html"))
    truth = {}
    for n in names:
        with open(os.path.join(args.data, "truth", n + ".txt"), encoding="utf-8") as f:
            truth[n] = f.read()
    layouts = {}
    with open(os.path.join(args.data, "layouts.tsv")) as f:
        for line in f:
            name, lang, layout, named, semantic = line.split()
            layouts[name] = (lang, layout, named == "1", semantic == "1")
    mb = sum(os.path.getsize(os.path.join(pages, n + ".html")) for n in names) / 1e6

    runs = [("unscrape (extract+normalize)", *run_unscrape(args.bin, pages, "extract,normalize")),
            ("unscrape (all stages)", *run_unscrape(args.bin, pages, None))]
    if not args.no_trafilatura:
        runs.append(("trafilatura " + __import__("trafilatura").__version__, *run_trafilatura(pages, names)))

    print(f"{len(names)} pages, {mb:.1f} MB of HTML\n")
    print("| tool | mean F1 | precision | recall | empty outputs | MB/s per core (CPU) | CPU s | wall s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    scored = {}
    for label, texts, cpu, wall in runs:
        rows = [(n, *f1(texts.get(n, ""), truth[n])) for n in names]
        scored[label] = {r[0]: r[1] for r in rows}
        empty = sum(1 for n in names if not texts.get(n, "").strip())
        mean = lambda i: sum(r[i] for r in rows) / len(rows)  # noqa: E731
        print(f"| {label} | {mean(1):.4f} | {mean(2):.4f} | {mean(3):.4f} | {empty} | {mb / cpu:.1f} | {cpu:.2f} | {wall:.2f} |")

    print("\nMean F1 by layout group:\n")
    groups = collections.defaultdict(list)
    for n in names:
        lang, layout, named, semantic = layouts[n]
        for key in (f"layout={layout}", f"chrome named={named}", f"semantic tags={semantic}",
                    "lang=en" if lang == "en" else "lang=other"):
            groups[key].append(n)
    labels = list(scored)
    print("| group | pages | " + " | ".join(labels) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in labels) + " |")
    for key in sorted(groups):
        ns = groups[key]
        vals = " | ".join(f"{sum(scored[l][n] for n in ns) / len(ns):.4f}" for l in labels)
        print(f"| {key} | {len(ns)} | {vals} |")

    first = labels[0]
    worst = sorted(names, key=lambda n: scored[first][n])[: args.worst]
    print(f"\nWorst pages for {first}: " + ", ".join(f"{n} ({scored[first][n]:.3f}, {layouts[n][1]})" for n in worst))


if __name__ == "__main__":
    sys.exit(main())
