#!/usr/bin/env python3
"""Builds the control corpus: clean, real prose that the default pipeline must leave alone
except for whitespace normalisation. Any other applied edit on it is a false edit.

    python3 bench/controls/make_controls.py --out bench/.data/controls

Material: the packaged English prose of bench/glue/sources.py (fortunes, the Jargon File,
Python and Perl documentation, licences), cut into articles by bench/glue/make_eval.py's
make_documents, plus translated manual pages under /usr/share/man/<lang> (German, French,
Spanish, Polish, Russian, ...) rendered with man(1).

Layout (every folder is one site of 20+ documents, so learned boilerplate runs on it):
    txt/<site>/NNN.txt    title, blank line, paragraphs separated by blank lines
    html/<site>/NNN.html  the same document as a plain page: <article><h1>…<p>…, no chrome
    manifest.json         documents and words per site

Deterministic: the same packages and seed give the same bytes.
"""

import argparse
import gzip
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "glue"))
import make_eval  # noqa: E402
import sources  # noqa: E402

MAN = "/usr/share/man"
MAN_LANGS = ["de", "fr", "es", "it", "pl", "pt_BR", "nl", "sv", "ru", "uk", "cs", "ja"]
SITE_MIN, SITE_MAX = 20, 40
# Letters of any script; a prose word is letters with inner ' - . and outer punctuation.
INTL_WORD = re.compile(r"""^[(\[«„“‘"'¿¡]*[^\W\d_][^\W_'’.-]*(?:['’.-][^\W_]+)*[.,;:!?)\]»“”’"']*$""")
CODEY = re.compile(r"[{}$@\\<>|=#_~^*`/]|\w\(|--|\s-\w")


def intl_prose(text, min_words=8):
    words = text.split()
    if len(words) < min_words or CODEY.search(text):
        return False
    ok = sum(1 for w in words if INTL_WORD.match(w))
    return ok / len(words) >= 0.85 and re.search(r"[.!?。][»”’\"')]*$", text) is not None


def render_man(path):
    env = dict(os.environ, MANWIDTH="3000", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    out = subprocess.run(["man", "-l", path], capture_output=True, env=env, check=False).stdout
    out = subprocess.run(["col", "-b"], input=out, capture_output=True, check=False).stdout
    return out.decode("utf-8", "replace")


def man_pages(lang):
    """One stream per translated manual page: section titles and prose paragraphs of the body
    (option lists, synopses and examples left out by the prose filter)."""
    folder_root = os.path.join(MAN, lang)
    for sec in sorted(os.listdir(folder_root)):
        folder = os.path.join(folder_root, sec)
        if not sec.startswith("man") or not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            text = render_man(os.path.join(folder, name))
            stream = []
            for chunk in re.split(r"\n\s*\n", text):
                lines = [ln for ln in chunk.split("\n") if ln.strip()]
                if not lines:
                    continue
                if not lines[0].startswith((" ", "\t")):
                    # A section title: man(1) sets the section's first paragraph right under it.
                    title = lines.pop(0).strip()
                    if 1 <= len(title.split()) <= 6 and title[:1].isalpha() and title[-1:].isalpha():
                        stream.append(("h", title.capitalize() if title.isupper() else title))
                    if not lines:
                        continue
                body = sources.clean_ws(" ".join(lines))
                if intl_prose(body):
                    stream.append(("p", body))
            if sum(1 for k, _ in stream if k == "p") >= 2:
                yield f"man-{lang}/{name.split('.')[0]}", stream


def man_documents(lang):
    """Manual pages are short: each page with at least 40 words of prose is one document."""
    docs = []
    for name, stream in man_pages(lang):
        blocks = []
        for kind, text in stream:
            if kind == "h" and blocks and blocks[-1][0] == "h":
                blocks[-1] = (kind, text)
            else:
                blocks.append((kind, text))
        while blocks and blocks[-1][0] == "h":
            blocks.pop()
        if sum(len(t.split()) for k, t in blocks if k == "p") >= 40:
            docs.append((name, 0, blocks))
    return docs


def as_text(blocks):
    return "\n\n".join(t for _, t in blocks) + "\n"


def as_html(blocks, lang):
    title = next((t for k, t in blocks if k == "h"), blocks[0][1][:60])
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "</head>",
        "<body>",
        "<article>",
    ]
    first = True
    for kind, text in blocks:
        tag = ("h1" if first else "h2") if kind == "h" else "p"
        parts.append(f"<{tag}>{html.escape(text, quote=False)}</{tag}>")
        first = False
    parts += ["</article>", "</body>", "</html>", ""]
    return "\n".join(parts)


def sites(docs, family):
    """Splits one family's documents into sites of SITE_MIN..SITE_MAX documents."""
    n = len(docs)
    if n < SITE_MIN:
        return []
    count = max(1, n // SITE_MAX + (1 if n % SITE_MAX else 0))
    size = -(-n // count)
    return [(f"{family}-{i:02d}", docs[i * size:(i + 1) * size]) for i in range(count)
            if len(docs[i * size:(i + 1) * size]) >= SITE_MIN]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--per-family", type=int, default=80,
                    help="at most this many documents from each source family")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    families = {}
    for name, index, blocks in make_eval.make_documents(list(sources.all_streams()), rng):
        families.setdefault(name.split("/")[0], []).append((name, index, blocks))
    for lang in MAN_LANGS:
        if os.path.isdir(os.path.join(MAN, lang)):
            families[f"man-{lang}"] = man_documents(lang)

    # Families too small for a site of their own share one ("mixed").
    mixed = []
    for family in sorted(families):
        if len(families[family]) < SITE_MIN:
            mixed += families.pop(family)
    if mixed:
        families["mixed"] = mixed

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    manifest = {}
    for family in sorted(families):
        docs = families[family]
        rng.shuffle(docs)
        docs = sorted(docs[: args.per_family], key=lambda d: (d[0], d[1]))
        lang = family[4:].split("_")[0] if family.startswith("man-") else "en"
        for site, members in sites(docs, family):
            words = 0
            for i, (name, index, blocks) in enumerate(members):
                for shape, body, ext in (("txt", as_text(blocks), "txt"),
                                         ("html", as_html(blocks, lang), "html")):
                    path = os.path.join(args.out, shape, site, f"{i:03d}.{ext}")
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w", encoding="utf-8", newline="\n") as f:
                        f.write(body)
                words += sum(len(t.split()) for _, t in blocks)
            manifest[site] = {"documents": len(members), "words": words,
                              "sources": sorted({n for n, _, _ in members})[:5]}
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    total_docs = sum(s["documents"] for s in manifest.values())
    total_words = sum(s["words"] for s in manifest.values())
    print(f"{len(manifest)} sites, {total_docs} documents, {total_words} words (per shape)")


if __name__ == "__main__":
    main()
