#!/usr/bin/env python3
"""Generate a labelled corpus for learned boilerplate (issue 5): made-up news articles wrapped
in the chrome of a dozen made-up site templates, with the clean article kept as the truth.

Standard library only; deterministic for a given --seed. Prose comes from the phrase grammar
of bench/gen_corpus.py (word lists written for this project, no copied text); every sentence
is generated for its document, so article lines repeat across documents only by chance.

Each site draws its template from the template pools: generic chrome the default rules know
("Share this article", "Source link", …), site-specific lines repeated on most pages (nav
menus, "Get the latest headlines from <Site> …", "Copyright © <year> <Site>", "Updated
<date>" with digits that vary), photo captions with credit lines, promos (rotating "Most
read" headlines, "READ MORE: …"), mid-body inserts ("Advertisement"), glued tokens,
mojibake, CRLF line ends and no-break spaces. --variant heldout draws every site-specific
phrase from a second, disjoint pool (different wording, positions and rates) that the
thresholds were not tuned on.

Layout:
  <out>/corpus/<site>/<nnnn>.txt   the scraped page (input to unscrape)
  <out>/truth/<site>/<nnnn>.json   {"article": [lines], "junk": [lines], "glued": n}

Usage: python3 bench/sites/gen.py --out DIR [--seed 1] [--docs 1500] [--variant tune|heldout]
"""

import argparse
import json
import math
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gen_corpus as gc  # noqa: E402  (the phrase grammar and word lists)


class Grammar(gc.Grammar):
    """The shared grammar without its own glued tokens: glue is injected here, with truth."""

    def chance(self, p):
        if p == 0.006:
            return False
        return self.rng.random() < p


# Site-specific phrases. {S} is the site's name, {Y} a year, {D} a date/time with digits.
POOLS = {
    "tune": {
        "nav": [["Home | News | Politics | Business | Sport | Culture"],
                ["Menu", "Search", "Sign in", "Subscribe"],
                ["Skip to main content", "Home", "World", "Local", "Opinion"],
                ["{S} Home » News"]],
        "masthead": ["{S}", "The {S}", "{S} — Independent news since 19{Y2}"],
        "dates": ["Updated {D}", "Published {D}", "Last modified: {D}", "{D} | {S}"],
        "newsletter": ["Get the latest headlines from {S} delivered to your inbox",
                       "Sign up for the {S} morning briefing",
                       "Subscribe to {S} for unlimited access"],
        "support": ["{S} is an independent newsroom supported by readers like you.",
                    "Support local journalism: become a {S} member today.",
                    "Our journalism depends on you. Donate to {S} now."],
        "copyright": ["Copyright © {Y} {S}. All rights reserved.",
                      "© {Y} {S} Media Group", "All content © {Y} {S}"],
        "midbody": ["Advertisement", "Story continues below advertisement",
                    "ADVERTISEMENT", "Continue reading the main story"],
        "mostread": ["Most Read", "Popular on {S}", "Trending now", "More from {S}"],
        "follow": ["Follow {S} on Facebook and Twitter", "Follow us on Instagram",
                   "Download the {S} app"],
    },
    "heldout": {
        "nav": [["Top stories · Markets · Tech · Life · Travel"],
                ["Log in", "Register", "My account"],
                ["Jump to navigation", "Main menu"],
                ["{S} / Latest"]],
        "masthead": ["{S} Online", "Welcome to {S}", "{S} News Network"],
        "dates": ["Posted on {D}", "First published {D}", "{D} (UTC)", "Date: {D}"],
        "newsletter": ["Never miss a story: join the {S} newsletter",
                       "Want more stories like this? Get our free weekly email",
                       "Get breaking news alerts from {S}"],
        "support": ["Reporting like this is only possible with the help of {S} subscribers.",
                    "Thank you for reading {S}. Please consider a contribution.",
                    "This article is free to read thanks to {S} members."],
        "copyright": ["{S} © {Y}", "(c) {Y} {S} Ltd. All rights reserved.",
                      "Content copyright {Y} {S} and its licensors"],
        "midbody": ["Sponsored", "Article continues after this ad", "- Advertisement -",
                    "Scroll down to continue reading"],
        "mostread": ["Editor's picks", "You may also like", "Recommended for you",
                     "In case you missed it"],
        "follow": ["Connect with {S} on social media", "Like {S} on Facebook",
                   "Listen to the {S} podcast"],
    },
}


def fmt(s, site, rng):
    year = 2015 + int(rng.random() * 11)
    date = (f"{1 + int(rng.random() * 12):02d}/{1 + int(rng.random() * 28):02d}/{year} "
            f"{int(rng.random() * 24):02d}:{int(rng.random() * 60):02d}")
    return (s.replace("{S}", site["name"]).replace("{Y2}", str(10 + int(rng.random() * 90)))
            .replace("{Y}", str(year)).replace("{D}", date))


def make_site(rng, g, index, pool):
    name = f"{g.pick(gc.SITE_WORDS_A)} {g.pick(gc.SITE_WORDS_B)}"
    pick = g.pick
    site = {
        "dir": f"{index:02d}-{name.lower().replace(' ', '-')}",
        "name": name,
        "nav": pick(pool["nav"]) if g.chance(0.8) else [],
        "masthead": pick(pool["masthead"]) if g.chance(0.7) else None,
        "date": pick(pool["dates"]) if g.chance(0.7) else None,
        "newsletter": pick(pool["newsletter"]),
        "newsletter_mid": g.chance(0.4),   # inside the body instead of the tail
        "support": pick(pool["support"]) if g.chance(0.6) else None,
        "copyright": pick(pool["copyright"]),
        "midbody": pick(pool["midbody"]) if g.chance(0.6) else None,
        "mostread": pick(pool["mostread"]) if g.chance(0.7) else None,
        "follow": pick(pool["follow"]) if g.chance(0.5) else None,
        "share": pick(gc.SHARES) if g.chance(0.6) else None,        # generic, rules know
        "footer": pick(gc.FOOTERS[2:4] + gc.FOOTERS[5:7]) if g.chance(0.5) else None,
        "caption_rate": rng.random() * 0.6,
        "promo_rate": rng.random() * 0.5,
        "crlf": g.chance(0.25),
        "nbsp": rng.random() * 0.5,
        "mojibake": rng.random() * 0.08,
        "blank_paras": g.chance(0.8),
        "docs_weight": 0.4 + rng.random(),
    }
    # A pool of the site's own headlines, shown as "most read" links on many pages.
    site["popular"] = [g.headline().replace("\x01", g.person()).replace("\x02", g.org())
                       for _ in range(12)]
    # Prose several of the site's articles share (a standard paragraph, a quote): article text
    # that repeats, which must stay.
    person = g.person()
    site["shared"] = [
        " ".join(g.sentence() for _ in range(2)).replace("\x01", person).replace("\x02", g.org()),
        f"“{g.pick(gc.QUOTE_CLAUSES).capitalize()},” {person} said.",
        g.sentence().replace("\x01", person).replace("\x02", g.org()),
    ]
    return site


def mojibake(line):
    """UTF-8 read as Windows-1252: what the encoding stage must repair."""
    try:
        return line.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return line


GLUE_WORDS = ["the", "of", "and", "to", "in"]


def article(rng, g):
    """Title and paragraphs (each one line), with key person/org filled in."""
    key_person, key_org = g.person(), g.org()
    title = g.headline()
    n_para = 3 + int(rng.random() * 9)
    paras = []
    for _ in range(n_para):
        k = 1 + int(rng.random() * 4)
        paras.append(" ".join(g.sentence() for _ in range(k)))
    lines = [title] + paras
    lines = [ln.replace("\x01", key_person).replace("\x02", key_org) for ln in lines]
    return lines


def glue_one(rng, line):
    """Glues a function word to the next word ('of the' → 'ofthe'); returns (line, glued?)."""
    words = line.split(" ")
    spots = [i for i in range(len(words) - 1) if words[i] in GLUE_WORDS and words[i + 1].isalpha()]
    if not spots:
        return line, False
    i = spots[int(rng.random() * len(spots))]
    words[i:i + 2] = [words[i] + words[i + 1]]
    return " ".join(words), True


def make_document(rng, g, site):
    ch = g.chance
    art = article(rng, g)
    if ch(0.12):  # shared prose, anywhere in the body (also last)
        at = 1 + int(rng.random() * len(art))
        art.insert(at, g.pick(site["shared"]))
    out = []   # (text, is_junk)
    junk = lambda s: out.append((s, True))  # noqa: E731
    for line in site["nav"]:
        if ch(0.95):
            junk(fmt(line, site, rng))
    if site["masthead"] and ch(0.95):
        junk(fmt(site["masthead"], site, rng))
    if ch(0.15):
        junk(g.pick(gc.BANNERS[:6]))
    out.append(("", False))
    out.append((art[0], False))
    if site["date"] and ch(0.9):
        junk(fmt(site["date"], site, rng))
    if site["share"] and ch(0.8):
        for s in site["share"]:
            junk(s)
    out.append(("", False))
    glued = 0
    sep = site["blank_paras"]
    for i, para in enumerate(art[1:]):
        if i == 0 and ch(site["caption_rate"]):
            cap, *_ = gc.caption_block(rng, g)
            junk(cap)
            junk(f"{g.pick(['Photo', 'Image'])}: {g.person()}/{g.pick(['Reuters', 'AP', 'AFP'])}")
            out.append(("", False))
        out.append((para, False))
        if sep:
            out.append(("", False))
        if i == 1 and site["midbody"] and ch(0.8):
            junk(fmt(site["midbody"], site, rng))
            out.append(("", False))
        if i == 2 and site["newsletter_mid"] and ch(0.85):
            junk(fmt(site["newsletter"], site, rng))
            out.append(("", False))
        if i == 3 and ch(site["promo_rate"]):
            head = g.headline().replace("\x01", g.person()).replace("\x02", g.org())
            junk(f"{g.pick(['READ MORE', 'RELATED', 'WATCH'])}: {head}")
            out.append(("", False))
    out.append(("", False))
    if not site["newsletter_mid"] and ch(0.9):
        junk(fmt(site["newsletter"], site, rng))
    if site["support"] and ch(0.85):
        junk(fmt(site["support"], site, rng))
    if site["mostread"] and ch(0.8):
        junk(fmt(site["mostread"], site, rng))
        picks = list(site["popular"])
        rng.shuffle(picks)
        for h in picks[:4]:
            junk(h)
    if site["follow"] and ch(0.8):
        junk(fmt(site["follow"], site, rng))
    if site["footer"]:
        for f in site["footer"]:
            if f:
                junk(f)
            else:
                out.append(("", False))
    junk(fmt(site["copyright"], site, rng))

    # Dirt: glued tokens in article lines, mojibake, NBSP, trailing spaces, CRLF.
    truth_article = [t for t, j in out if t and not j]
    truth_junk = [t for t, j in out if t and j]
    lines = []
    for text, is_junk in out:
        if text and not is_junk and ch(0.01):
            text, did = glue_one(rng, text)
            glued += did
        if text and ch(site["mojibake"]) and not text.isascii():
            text = mojibake(text)
        if text and ch(site["nbsp"] * 0.3):
            text = text.replace(" ", "\u00a0", 1 + int(rng.random() * 2))
        if text and ch(0.05):
            text += " "
        lines.append(text)
    body = "\n".join(lines) + "\n"
    if site["crlf"]:
        body = body.replace("\n", "\r\n")
    return body, {"article": truth_article, "junk": truth_junk, "glued": glued}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--sites", type=int, default=12)
    ap.add_argument("--variant", choices=sorted(POOLS), default="tune")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    if os.path.exists(args.out):
        if not args.force:
            sys.exit(f"{args.out} exists (use --force)")
        shutil.rmtree(args.out)
    rng = random.Random(args.seed * 1000 + (7 if args.variant == "heldout" else 0))
    g = Grammar(rng)
    pool = POOLS[args.variant]
    sites = [make_site(rng, g, i, pool) for i in range(args.sites)]
    total_w = sum(s["docs_weight"] for s in sites)
    for site in sites:
        n = max(5, round(args.docs * site["docs_weight"] / total_w))
        for k in range(n):
            body, truth = make_document(rng, g, site)
            for sub, data, mode in (("corpus", body.encode("utf-8"), "wb"),
                                    ("truth", json.dumps(truth, ensure_ascii=False).encode(), "wb")):
                ext = "txt" if sub == "corpus" else "json"
                path = os.path.join(args.out, sub, site["dir"], f"{k:04d}.{ext}")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, mode) as f:
                    f.write(data)


if __name__ == "__main__":
    main()
