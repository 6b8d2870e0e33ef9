#!/usr/bin/env python3
"""Segmenters applied the way people use them on scraped text: every word token that is not
in the segmenter's own dictionary is segmented, and the pieces are joined with spaces.

    bench/.venv/bin/python bench/glue/baselines.py wordninja|symspell INPUT_DIR OUTPUT_DIR

Tokens are maximal runs of letters (as unscrape's tokens, without digits). The letters are
kept as written (only spaces are inserted), so a segmenter cannot "fix" case or spelling.
symspellpy segments with max_edit_distance=0 (segmentation only, no spelling correction) and
its bundled English frequency dictionary; wordninja uses its bundled English model. Prints
the bytes and seconds (the segmentation itself, file reading and writing included).
"""

import os
import re
import sys
import time

LETTERS = re.compile(r"[^\W\d_]+")


def wordninja_segmenter():
    import wordninja

    model = wordninja.DEFAULT_LANGUAGE_MODEL
    known = model._wordcost  # the model's dictionary (lower case)

    def segment(token):
        if token.lower() in known:
            return token
        return " ".join(model.split(token))

    return segment


def symspell_segmenter():
    import importlib.resources

    from symspellpy import SymSpell

    sym = SymSpell(max_dictionary_edit_distance=0, prefix_length=7)
    path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    sym.load_dictionary(str(path), term_index=0, count_index=1)
    known = sym.words

    def segment(token):
        if token.lower() in known:
            return token
        return sym.word_segmentation(token, max_edit_distance=0).segmented_string

    return segment


def keep_letters(token, segmented):
    """Puts the segmenter's spaces into the token as written (segmenters may change case)."""
    pieces = segmented.split()
    if "".join(pieces).lower() != token.lower():
        return token  # the segmenter changed letters: leave the token alone
    out, at = [], 0
    for p in pieces:
        out.append(token[at:at + len(p)])
        at += len(p)
    return " ".join(out)


def main():
    tool, src, dst = sys.argv[1:4]
    segment = {"wordninja": wordninja_segmenter, "symspell": symspell_segmenter}[tool]()
    cache = {}
    total = 0
    started = time.perf_counter()
    for root, _, files in os.walk(src):
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", newline="") as f:
                text = f.read()
            total += len(text.encode())

            def repl(m):
                token = m.group()
                if token not in cache:
                    cache[token] = keep_letters(token, segment(token))
                return cache[token]

            out = LETTERS.sub(repl, text)
            target = os.path.join(dst, os.path.relpath(path, src))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.write(out)
    seconds = time.perf_counter() - started
    print(f"{tool}: {total} bytes in {seconds:.2f} s = {total / 1e6 / seconds:.2f} MB/s")


if __name__ == "__main__":
    main()
