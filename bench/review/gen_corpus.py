"""Writes N small scraped-looking documents for timing the review page at scale.

    python3 bench/review/gen_corpus.py OUT_DIR N

Each document is a few lines of generated prose with site chrome around it (banners, share
widgets, footers, glued words) so that most documents have edits. Deterministic (seeded).
"""
import os
import random
import sys

WORDS = ("the report said company market city government people year week data "
         "system public price energy school water river policy minister council "
         "project plan study court board bank trade health island station").split()
CHROME_TOP = ["Breaking News", "Live Updates", "Exclusive", None, None]
CHROME_END = [["Source link", "Back to top button"], ["Comments", "Leave a Reply"],
              ["Share this:", "Twitter", "Facebook"], []]


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.2:
        i = rng.randrange(len(words) - 1)
        words[i:i + 2] = [words[i] + words[i + 1]]  # glued words
    return " ".join(words).capitalize() + "."


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(9)
    for k in range(n):
        folder = os.path.join(out, f"site{k % 100:02d}")
        os.makedirs(folder, exist_ok=True)
        lines = []
        top = rng.choice(CHROME_TOP)
        if top:
            lines += [top, ""]
        for _ in range(rng.randint(2, 5)):
            lines += [" ".join(sentence(rng) for _ in range(rng.randint(1, 3))), ""]
        lines += rng.choice(CHROME_END)
        with open(os.path.join(folder, f"doc{k:07d}.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
