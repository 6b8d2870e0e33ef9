#!/usr/bin/env python3
"""Writes a corpus with more distinct tokens than the survey keeps (random 9-letter words,
each once), to check that the survey's memory stays bounded: python3 many_keys.py OUT MB"""
import os
import random
import sys

out, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(4)
letters = "abcdefghijklmnopqrstuvwxyz"
os.makedirs(out, exist_ok=True)
size, n = 0, 0
while size < mb * 1_000_000:
    words = ["".join(rng.choice(letters) for _ in range(9)) for _ in range(2000)]
    text = " ".join(words) + ".\n"
    with open(os.path.join(out, f"{n:05d}.txt"), "w") as f:
        f.write(text)
    size += len(text)
    n += 1
print(f"{n} documents, {size / 1e6:.1f} MB")
