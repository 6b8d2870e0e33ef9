#!/usr/bin/env python3
"""Builds the glue evaluation set: real English prose (see sources.py) cut into news-like
documents, with machine-translation and extraction glue injected into some of them and the
others left untouched as controls.

    python3 bench/glue/make_eval.py --out bench/.data/glue-eval          # dev + test sets
    python3 bench/glue/make_eval.py --out bench/.data/glue-speed --speed-mb 120

Deterministic: the same packages and seed give the same bytes. Documents are assigned to the
`dev` or `test` split by a hash of their source and position, so the two never share text;
tune on dev, report test.

Layout of each split folder:
    input/inj/NNNNN.txt   documents with injected errors (what the tools clean)
    input/ctl/NNNNN.txt   control documents, untouched
    truth/inj/NNNNN.txt   the injected documents before injection
    errors.jsonl          one line per injected error: doc, kind, sub, line, col (characters,
                          0-based, in the injected text), corrupted, original
    manifest.json         counts

Error kinds (as in issue 4):
    appositive     'Larry Ellison, a big supporter' -> 'Larry Ellisona big supporter'; sub
                   'natural' when the prose had 'Name, a …', 'inserted' when the generator added
                   an appositive after a full name ('Larry Wall said' -> 'Larry Wall, a linguist,
                   said' in the truth)
    case-ending    a Slavic case ending on a name after a preposition ('with Musk' -> 'with
                   Muskom'), only where the bare name also occurs elsewhere in the document;
                   sub = the ending
    preposition    'in a' -> 'u a' (sub 'spaced') or 'ua' (sub 'fused')
    run-together   two adjacent words lose their space ('the company' -> 'thecompany'); sub
                   'function' when one of them is a function word, else 'content'
    block          a block that ends in a letter glued to the next block ('Reuters\\n\\nThe' ->
                   'ReutersThe')
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sources  # noqa: E402

# A generic English stop-word list (not the tool's): decides the run-together sub-kind.
FUNCTION = set("""
a an the of to in on at by for from with and or but nor as is was are were be been being
has had have having do does did that this these those it its he she they we i you me him her
them us my your his our their not no who whom which what when where while if so than then
there here also about after before into over under up out off down said says will would can
could shall should may might must just very too all any some each both either neither such
only own same other more most few one
""".split())

ADJ_NOUN = [
    "longtime contributor", "former colleague", "well-known author", "major financial backer",
    "big supporter", "veteran programmer", "close friend", "frequent critic", "senior engineer",
    "respected researcher", "British writer", "former student", "prominent advocate",
    "key figure in the community", "self-described skeptic", "founding member",
    "popular speaker", "retired professor", "prolific writer", "vocal opponent",
    "regular contributor", "noted expert", "longtime maintainer", "software developer",
    "computer scientist", "keen observer", "lifelong fan", "seasoned journalist",
    "bestselling novelist", "local historian", "staunch defender", "dedicated volunteer",
    "brilliant mathematician", "popular columnist", "trusted adviser", "senior fellow",
    "famous humorist", "young physicist", "talented musician", "physicist", "lawyer",
    "novelist", "programmer", "mathematician", "journalist", "philosopher", "comedian",
    "German engineer", "Canadian poet", "former president of the society", "man who rarely agreed",
    "woman of few words", "co-author of the book", "member of the committee",
]

# Endings a Slavic source leaves on a name after an English preposition, by preposition
# (instrumental -om after 'with', locative -u/-e after 'on', 'in', 'about', genitive -a after
# 'from', 'of', 'without', dative -u after 'to').
PREP_ENDINGS = {
    "with": ["om", "om", "em"], "about": ["e", "u"], "on": ["u", "e"], "in": ["u", "e"],
    "at": ["u"], "from": ["a"], "of": ["a"], "without": ["a"], "by": ["om", "a"],
    "for": ["a", "u"], "to": ["u"], "against": ["a", "u"], "after": ["a", "om"],
    "before": ["om"], "toward": ["u"], "towards": ["u"], "into": ["u"], "between": ["om"],
    "under": ["om"], "over": ["om"],
}

# Each error slot draws a kind by these weights among the kinds that still have a free place
# in the document; the Slavic kinds have fewer places, so they weigh more.
KIND_WEIGHTS = {
    "appositive": 30, "case-ending": 35, "preposition": 25, "run-together": 8, "block": 10,
}

TOKEN = re.compile(r"[^\W_]+")

# Webster's Second (miscfiles): a corruption that happens to spell a word ('may be' ->
# 'maybe') cannot be told from correct text, so it is not injected.
try:
    with open("/usr/share/dict/web2", encoding="utf-8") as _f:
        WORDS = {w.strip().lower() for w in _f}
except OSError:
    WORDS = set()


def stable(*parts):
    return int(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12], 16)


# --------------------------------------------------------------------------- documents


def make_documents(streams, rng):
    """Cuts each stream into documents of 200–900 words: an optional title, then paragraphs.
    Runs of headings collapse to the last one (a section title with nothing under it)."""
    docs = []
    for name, stream in streams:
        blocks = []
        for kind, text in stream:
            if kind == "h" and blocks and blocks[-1][0] == "h":
                blocks[-1] = (kind, text)
            else:
                blocks.append((kind, text))
        current, words, target, index = [], 0, rng.randint(200, 900), 0
        for kind, text in blocks:
            if kind == "h" and words >= target:
                if current and current[-1][0] == "h":
                    current.pop()
                if sum(len(t.split()) for k, t in current if k == "p") >= 120:
                    docs.append((name, index, current))
                    index += 1
                current, words, target = [], 0, rng.randint(200, 900)
            current.append((kind, text))
            words += len(text.split())
            if words >= target + 400:  # no heading came: cut at a paragraph
                while current and current[-1][0] == "h":
                    current.pop()
                if sum(len(t.split()) for k, t in current if k == "p") >= 120:
                    docs.append((name, index, current))
                    index += 1
                current, words, target = [], 0, rng.randint(200, 900)
        while current and current[-1][0] == "h":
            current.pop()
        if sum(len(t.split()) for k, t in current if k == "p") >= 120:
            docs.append((name, index, current))
    return docs


def name_like_words(streams):
    """Capitalised words that look like names: seen capitalised inside sentences, and hardly
    ever in lower case anywhere in the collected prose."""
    inside, lower = Counter(), Counter()
    for _, stream in streams:
        for kind, text in stream:
            if kind != "p":
                continue
            prev = "."
            for m in re.finditer(r"[^\W\d_]+|[.!?:;\"“”()]", text):
                w = m.group()
                if w[0].isalpha():
                    if w[0].isupper() and w[1:].islower() and prev not in ".!?:\"“”(":
                        inside[w] += 1
                    elif w.islower():
                        lower[w] += 1
                prev = w
    names = {w for w, n in inside.items() if len(w) >= 3 and lower[w.lower()] * 10 <= n}
    names |= {w for w in inside if len(w) == 1 and w not in ("I", "A", "O")}
    return names - {w.capitalize() for w in FUNCTION}


# --------------------------------------------------------------------------- injection


def sentence_start(text, pos):
    before = text[:pos].rstrip(" ")
    return not before or before[-1] in ".!?:\"“\n"


def insert_appositives(blocks, names, rng, want):
    """Adds 'First Last, a <description>,' after up to `want` full names; returns the new
    blocks and the (block index, offset of the comma) of each insertion."""
    sites = []
    for b, (kind, text) in enumerate(blocks):
        if kind != "p":
            continue
        for m in re.finditer(r"\b([A-Z][a-z]+) ([A-Z][a-z]{2,})\b(?=( [a-z]+\b|,))", text):
            first, last = m.group(1), m.group(2)
            if last not in names or first in ("The", "In", "On", "A", "An", "This"):
                continue
            if first.lower() in FUNCTION:
                continue
            sites.append((b, m.end(2), m.group(3) == ","))
    rng.shuffle(sites)
    chosen, used_blocks = [], set()
    for b, end, comma in sites:
        if len(chosen) >= want or b in used_blocks:
            continue
        used_blocks.add(b)
        chosen.append((b, end, comma))
    blocks = list(blocks)
    for b, end, comma in sorted(chosen, reverse=True):
        kind, text = blocks[b]
        phrase = "a " + rng.choice(ADJ_NOUN)
        insert = f", {phrase}" if comma else f", {phrase},"
        blocks[b] = (kind, text[:end] + insert + text[end:])
    return blocks, [(b, end) for b, end, _ in chosen]


def candidates(text, spans_p, names, inserted_at, rng):
    """Every place an error of each kind could go: kind -> list of (start, end, corrupted,
    sub) in truth-text offsets."""
    out = {k: [] for k in KIND_WEIGHTS}
    counts = Counter(m.group() for m in TOKEN.finditer(text))

    def in_paragraph(s, e):
        return any(ps <= s and e <= pe for ps, pe in spans_p)

    # appositive, natural and inserted: "Name, a x" -> "Namea x"
    for m in re.finditer(r"\b([A-Z][a-z]+), a (?=[a-z])", text):
        s, e = m.start(1), m.end() - 1
        if not in_paragraph(s, e) or sentence_start(text, s):
            continue
        name = m.group(1)
        if name not in names:
            continue
        if (name + "a").lower() in WORDS:
            continue
        sub = "inserted" if (s + len(name)) in inserted_at else "natural"
        out["appositive"].append((s, e, name + "a", sub))
    # case endings after a preposition
    preps = "|".join(PREP_ENDINGS)
    for m in re.finditer(
        rf"\b({preps}) (?:([A-Z][a-z]+) )?([A-Z][a-z]*)(?=[\s,.;:!?)])", text
    ):
        prep, first, name = m.group(1), m.group(2), m.group(3)
        s, e = m.start(3), m.end(3)
        if not in_paragraph(s, e) or name not in names or counts[name] < 2:
            continue
        if name[-1] in "aeiouy":
            continue  # a Slavic ending would replace the vowel ('Obama' -> 'Obamu')
        if first and first not in names:
            continue
        if re.match(r" [A-Z]", text[e:e + 2]):
            continue
        ending = rng.choice(PREP_ENDINGS[prep])
        corrupted = name + ending
        if counts[corrupted] > 0 or corrupted.lower() in WORDS:
            continue
        out["case-ending"].append((s, e, corrupted, ending))
    # u a / ua
    for m in re.finditer(r"\b([Ii]n) (an?) (?=[a-z])", text):
        s, e = m.start(1), m.end(2)
        if not in_paragraph(s, e):
            continue
        fused = rng.random() < 0.3
        art = m.group(2)
        corrupted = f"u{art}" if fused else f"u {art}"
        if m.group(1) == "In" and not sentence_start(text, s):
            continue
        out["preposition"].append((s, e, corrupted, "fused" if fused else "spaced"))
    # run-together
    for m in re.finditer(r"(?<![\w'’-])([A-Za-z]+) ([a-z]+)(?![\w'’-])", text):
        s, e = m.start(1), m.end(2)
        if not in_paragraph(s, e):
            continue
        a, b = m.group(1), m.group(2)
        if len(a) + len(b) < 4 or (a + b).lower() in WORDS:
            continue
        sub = "function" if a.lower() in FUNCTION or b in FUNCTION else "content"
        out["run-together"].append((s, e, a + b, sub))
    return out


def block_candidates(text, block_spans):
    out = []
    for (ks, s1, e1), (kn, s2, e2) in zip(block_spans, block_spans[1:]):
        if text[e1 - 1].isalpha() and text[s2].isupper():
            # the whole last word and first word, joined
            ws = e1
            while ws > s1 and text[ws - 1].isalpha():
                ws -= 1
            we = s2
            while we < e2 and text[we].isalpha():
                we += 1
            sub = "after-heading" if ks == "h" else "after-paragraph"
            out.append((ws, we, text[ws:e1] + text[s2:we], sub))
    return out


def inject(doc_blocks, sep, names, rng):
    words = sum(len(t.split()) for _, t in doc_blocks)
    n = max(1, min(6, round(words / 180)))
    kinds = list(KIND_WEIGHTS)
    # Appositives are added after up to half as many full names as there are errors to
    # place; those not chosen stay in the text as correct appositives.
    blocks, inserted = insert_appositives(doc_blocks, names, rng, max(1, n // 2))
    text = sep.join(t for _, t in blocks)
    spans, pos = [], 0
    for kind, t in blocks:
        spans.append((kind, pos, pos + len(t)))
        pos += len(t) + len(sep)
    spans_p = [(s, e) for k, s, e in spans if k == "p"]
    inserted_at = set()
    for b, end in inserted:
        inserted_at.add(spans[b][1] + end)
    cands = candidates(text, spans_p, names, inserted_at, rng)
    cands["block"] = block_candidates(text, spans)
    for kind in kinds:
        rng.shuffle(cands[kind])
        if kind == "appositive":  # inserted ones first: they were added for this
            cands[kind].sort(key=lambda c: c[3] != "inserted")
    chosen = []

    def free(s, e):
        return all(e + 12 <= cs or ce + 12 <= s for cs, ce, _, _, _ in chosen)

    # Each error slot takes a kind at random (by weight) among the kinds with a free place left.
    for _ in range(n):
        while True:
            open_kinds = [k for k in kinds if cands[k]]
            if not open_kinds:
                break
            kind = rng.choices(open_kinds, weights=[KIND_WEIGHTS[k] for k in open_kinds])[0]
            s, e, corrupted, sub = cands[kind].pop(0)
            if free(s, e):
                chosen.append((s, e, corrupted, kind, sub))
                break
    chosen.sort()
    corrupted_text, errors, last, delta = [], [], 0, 0
    for s, e, corrupted, kind, sub in chosen:
        corrupted_text.append(text[last:s])
        cs = s + delta
        corrupted_text.append(corrupted)
        errors.append({"start": cs, "kind": kind, "sub": sub,
                       "corrupted": corrupted, "original": text[s:e]})
        delta += len(corrupted) - (e - s)
        last = e
    corrupted_text.append(text[last:])
    corrupted = "".join(corrupted_text)
    for err in errors:
        before = corrupted[:err.pop("start")]
        err["line"] = before.count("\n") + 1
        err["col"] = len(before) - (before.rfind("\n") + 1)
    return text, corrupted, errors


# --------------------------------------------------------------------------- main


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def eval_sets(args, streams, names):
    rng = random.Random(args.seed)
    docs = make_documents(streams, rng)
    for split in ("dev", "test"):
        shutil.rmtree(os.path.join(args.out, split), ignore_errors=True)
    stats = {s: Counter() for s in ("dev", "test")}
    errors = {s: [] for s in ("dev", "test")}
    numbers = Counter()
    for source, index, blocks in docs:
        h = stable(args.seed, source, index)
        split = "dev" if h % 2 == 0 else "test"
        role = "ctl" if (h >> 8) % 100 < args.control_percent else "inj"
        drng = random.Random(h)
        sep = "\n\n" if drng.random() < 0.7 else "\n"
        number = numbers[split]
        numbers[split] += 1
        doc = f"{role}/{number:05d}.txt"
        base = os.path.join(args.out, split)
        if role == "ctl":
            text = sep.join(t for _, t in blocks) + "\n"
            write(os.path.join(base, "input", doc), text)
            stats[split]["ctl_docs"] += 1
            stats[split]["ctl_words"] += len(text.split())
            continue
        truth, corrupted, errs = inject(blocks, sep, names, drng)
        write(os.path.join(base, "input", doc), corrupted + "\n")
        write(os.path.join(base, "truth", doc), truth + "\n")
        for e in errs:
            errors[split].append({"doc": doc, "source": source, **e})
            stats[split][f"errors.{e['kind']}"] += 1
            stats[split][f"errors.{e['kind']}.{e['sub']}"] += 1
        stats[split]["inj_docs"] += 1
        stats[split]["inj_words"] += len(corrupted.split())
    for split in ("dev", "test"):
        base = os.path.join(args.out, split)
        with open(os.path.join(base, "errors.jsonl"), "w", encoding="utf-8") as f:
            for e in errors[split]:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        stats[split]["errors"] = len(errors[split])
        with open(os.path.join(base, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump({"seed": args.seed, "split": split, **dict(sorted(stats[split].items()))},
                      f, indent=2)
            f.write("\n")
        print(split, json.dumps(dict(sorted(stats[split].items()))))


def speed_set(args, streams, names):
    """A large corpus for timing: paragraphs of all sources recombined at random into
    documents of 200–900 words, a third of them with injected errors, until --speed-mb."""
    rng = random.Random(args.seed)
    docs = make_documents(streams, rng)
    out = os.path.join(args.out, "input")
    shutil.rmtree(args.out, ignore_errors=True)
    paragraphs = [t for _, _, blocks in docs for k, t in blocks if k == "p"]
    headings = [t for _, _, blocks in docs for k, t in blocks if k == "h"]
    total, number, limit = 0, 0, args.speed_mb * 1_000_000
    while total < limit:
        blocks = [("h", rng.choice(headings))]
        words = 0
        target = rng.randint(200, 900)
        while words < target:
            p = rng.choice(paragraphs)
            blocks.append(("p", p))
            words += len(p.split())
        sep = "\n\n" if rng.random() < 0.7 else "\n"
        if rng.random() < 1 / 3:
            _, text, _ = inject(blocks, sep, names, rng)
        else:
            text = sep.join(t for _, t in blocks)
        text += "\n"
        write(os.path.join(out, f"{number // 1000:03d}", f"{number:06d}.txt"), text)
        total += len(text.encode())
        number += 1
    print(f"speed corpus: {number} documents, {total / 1e6:.1f} MB in {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--control-percent", type=int, default=40)
    ap.add_argument("--speed-mb", type=int, default=0,
                    help="build a timing corpus of this many MB instead of the eval sets")
    args = ap.parse_args()
    streams = list(sources.all_streams())
    names = name_like_words(streams)
    if args.speed_mb:
        speed_set(args, streams, names)
    else:
        eval_sets(args, streams, names)


if __name__ == "__main__":
    main()
