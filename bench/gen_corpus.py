#!/usr/bin/env python3
"""Generate a synthetic scraped-news corpus for benchmarking `unscrape clean`.

Standard library only, deterministic for a given --seed and --mb (same bytes every time on
the same Python version; `random` is only used through methods whose output is stable
across CPython 3.x releases).

Layout: <out>/site-NNN-<name>/<yyyy-mm>/<seq>_<hex>.txt, about 100 site folders of very
different sizes. Every document is a procedurally generated English news story (a small
phrase grammar over word lists written for this script; no downloaded or copied text) of a
few hundred to several thousand words, wrapped in the kind of site chrome found in real
scrapes (see samples/input/): banners, bylines, share widgets, photo captions with credit
lines, "WATCH: ..." promos, "Source link" / "Leave a Reply" / comment-form footers, and the
usual dirt: CRLF line endings, no-break spaces, trailing spaces, runs of blank lines,
zero-width characters, soft hyphens, decomposed accents, a BOM now and then, and about 1%
of documents in windows-1252 instead of UTF-8.

Usage: python3 bench/gen_corpus.py --out DIR [--mb 512] [--seed 1] [--sites 100] [--quiet]

The corpus is written to DIR.partial and renamed to DIR when complete, so an interrupted
run never leaves a folder that looks finished. DIR must not exist (use --force to replace).
"""

import argparse
import bisect
import math
import os
import random
import shutil
import sys
import time

MIB = 1 << 20

# --------------------------------------------------------------------------------------------
# Word lists (written for this generator).
# --------------------------------------------------------------------------------------------

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony "
    "Betty Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle "
    "Kenneth Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Rebecca "
    "Jason Laura Edward Helen Jeffrey Sharon Ryan Cynthia Jacob Kathleen Gary Amy Nicholas "
    "Angela Eric Anna Jonathan Ruth Stephen Brenda Larry Pamela Justin Nicole Scott Katherine "
    "Brandon Samantha Benjamin Christine Samuel Emma Gregory Catherine Alexander Debra Frank "
    "Rachel Raymond Carolyn Patrick Janet Jack Maria Dennis Olivia Jerry Heather Tyler Diane "
    "Aaron Julie Henry Joyce Adam Victoria Nathan Kelly Zachary Christina Peter Lauren Kyle "
    "Joan Noah Evelyn Ethan Judith Jeremy Megan Walter Andrea Christian Cheryl Keith Hannah "
    "Roger Jacqueline Terry Martha Austin Gloria Sean Teresa Gerald Ann Carl Sara Harold Madison "
    "Dylan Frances Arthur Kathryn Lawrence Janice Jordan Jean Jesse Abigail Bryan Alice Billy "
    "Judy Bruce Sophia Gabriel Grace Joe Denise Logan Amber Alan Doris Juan Marilyn Albert "
    "Danielle Willie Beverly Elijah Isabella Wayne Theresa Randy Diana Vincent Natalie Mason "
    "Brittany Roy Charlotte Ralph Marie Bobby Kayla Russell Alexis Bradley Lori Philip Priya "
    "Rahul Wei Mei Hiroshi Yuki Kenji Aiko Olumide Chidi Amara Kwame Fatima Omar Layla Hassan "
    "Youssef Ingrid Lars Sven Astrid Pierre Camille Luca Giulia Marco Sofia Mateo Valentina "
    "Diego Lucia Pavel Olga Dmitri Anastasia Tomasz Agnieszka Piotr Katarzyna Jose Zoe Andre "
    "Rene Noel Ines Soren"
).split()

LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
    "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
    "Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales "
    "Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos "
    "Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes "
    "Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry "
    "Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons "
    "Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West "
    "Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro "
    "Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry "
    "Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez "
    "Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd "
    "Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols "
    "Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce "
    "Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson "
    "Carroll Lane Riley Andrews Ray Berry Perkins Hoffman Johnston Matthews Pena Richards "
    "Okafor Adeyemi Mensah Haddad Nasser Yilmaz Kowalski Novak Horvat Lindqvist Johansson "
    "Nakamura Tanaka Suzuki Sato Watanabe Zhang Wang Liu Huang Sharma Gupta Singh Iyer Rossi "
    "Bianchi Ferrari Dubois Lefebvre Moreau Muller Schneider Fischer Weber Becker Volkov Petrov "
    "Ivanova Costa Oliveira Pereira Almeida"
).split()

# A few names with accents: some documents get them decomposed (NFD), as scrapes often do.
ACCENTED = ["José", "Zoë", "André", "René", "Noël", "Inès", "Søren", "François", "Müller",
            "Gómez", "Peña", "Muñoz", "Hernández", "Björk", "Łukasz", "Dvořák"]

ORG_A = (
    "Northwind Bluefin Crescent Summit Harbor Granite Meridian Vertex Atlas Beacon Cobalt "
    "Evergreen Falcon Horizon Ironwood Juniper Keystone Lakeshore Monarch Nimbus Orion Pinnacle "
    "Quantum Redwood Sterling Tidewater Union Vanguard Westfield Zenith Alder Brightline "
    "Cascade Driftwood Emberly Foxglove Goldcrest Highmark Inland Jetstream Kestrel Lumen "
    "Mariner Northstar Oakridge Polaris Quarry Riverbend Silverline Trident"
).split()
ORG_B = (
    "Energy Capital Holdings Labs Systems Motors Bank Partners Group Networks Pharmaceuticals "
    "Analytics Robotics Logistics Foods Airlines Media Semiconductor Insurance Mining Telecom "
    "Industries Ventures Health Software Dynamics Materials Retail Securities Shipping"
).split()
INSTITUTIONS = [
    "the Federal Reserve", "the European Commission", "the World Bank", "the Senate",
    "the House of Representatives", "the Supreme Court", "the Treasury Department",
    "the Department of Energy", "the Ministry of Finance", "the central bank", "the city council",
    "the state legislature", "the United Nations", "the International Monetary Fund",
    "the Securities and Exchange Commission", "the Federal Trade Commission",
    "the Environmental Protection Agency", "the transport ministry", "the health ministry",
    "the electoral commission", "the competition authority", "the parliament",
]
PLACES = (
    "Washington|New York|London|Paris|Berlin|Tokyo|Beijing|Shanghai|Mumbai|Delhi|Sao Paulo|"
    "Mexico City|Toronto|Sydney|Melbourne|Johannesburg|Lagos|Nairobi|Cairo|Dubai|Abu Dhabi|"
    "Riyadh|Istanbul|Madrid|Rome|Milan|Warsaw|Kyiv|Stockholm|Oslo|Helsinki|Copenhagen|"
    "Amsterdam|Brussels|Geneva|Zurich|Vienna|Prague|Budapest|Athens|Lisbon|Dublin|Edinburgh|"
    "Chicago|Los Angeles|San Francisco|Seattle|Austin|Houston|Miami|Boston|Atlanta|Denver|"
    "Phoenix|Detroit|Singapore|Seoul|Jakarta|Manila|Bangkok|Hanoi|Kuala Lumpur|Taipei|"
    "Buenos Aires|Santiago|Lima|Bogota|Vancouver|Montreal|Auckland|Wellington|Doha|Karachi"
).split("|")
COUNTRIES = (
    "the United States|China|Japan|Germany|France|the United Kingdom|India|Brazil|Canada|"
    "Australia|South Korea|Mexico|Indonesia|Turkey|Saudi Arabia|Argentina|South Africa|Nigeria|"
    "Egypt|Italy|Spain|Poland|Ukraine|Sweden|Norway|the Netherlands|Switzerland|Vietnam|"
    "Thailand|Chile|Kenya|Israel|the United Arab Emirates|Pakistan|the Philippines"
).split("|")
ROLES = [
    "chief executive", "CEO", "chief financial officer", "finance minister", "spokesperson",
    "senior analyst", "economist", "governor", "mayor", "senator", "chair", "president",
    "founder", "director", "head of research", "lead investigator", "professor of economics",
    "union leader", "prime minister", "defence secretary", "press secretary", "coach",
    "portfolio manager", "chief strategist", "board member", "attorney general", "minister",
]
NOUNS = (
    "plan deal report agreement proposal budget election policy investment merger lawsuit "
    "strategy project program market economy company government committee campaign study "
    "survey forecast decision contract network platform system factory pipeline crisis "
    "recovery outlook review investigation hearing ruling settlement partnership venture "
    "tariff subsidy bill measure reform framework initiative shortage surplus deficit loan "
    "bond index rally selloff slowdown expansion acquisition shipment supply demand price "
    "wage pension vaccine trial outbreak storm flood wildfire drought harvest season match "
    "tournament league transfer stadium festival exhibition album film series launch rocket "
    "satellite mission reactor grid battery chip model algorithm dataset app update breach "
    "outage protest strike vote referendum coalition summit treaty ceasefire border"
).split()
PLURALS = (
    "investors officials analysts residents workers voters lawmakers executives regulators "
    "shareholders consumers farmers doctors nurses teachers students engineers developers "
    "researchers scientists economists traders banks companies startups manufacturers "
    "retailers airlines hospitals schools cities states governments agencies unions fans "
    "players critics supporters customers users families households tenants landlords"
).split()
ADJS = (
    "new major global local national regional federal private public digital financial "
    "economic political environmental technical legal military medical strategic historic "
    "controversial ambitious modest significant sharp steady gradual sudden unexpected "
    "long-awaited closely-watched preliminary final annual quarterly record-breaking "
    "fragile robust weak strong cautious aggressive bipartisan independent renewable "
    "large-scale small multibillion-dollar high-profile long-term short-term"
).split()
VERBS_T = [
    "announced", "approved", "rejected", "criticized", "defended", "unveiled", "delayed",
    "postponed", "launched", "expanded", "reviewed", "signed", "blocked", "backed",
    "questioned", "welcomed", "scrapped", "revised", "finalized", "challenged", "proposed",
    "outlined", "completed", "abandoned", "negotiated", "suspended", "accelerated",
    "funded", "acquired", "investigated", "praised", "dismissed", "endorsed",
]
VERBS_THAT = [
    "said", "warned", "argued", "noted", "claimed", "insisted", "suggested", "reported",
    "confirmed", "acknowledged", "predicted", "stressed", "told reporters", "wrote",
    "explained", "added", "denied", "estimated", "signalled", "admitted",
]
VERBS_I = [
    "rose sharply", "fell slightly", "stalled", "recovered", "collapsed", "surged", "slowed",
    "held steady", "remained uncertain", "gained momentum", "lost ground", "came under pressure",
    "moved ahead", "fell apart", "took effect", "ended abruptly", "resumed", "doubled",
    "shrank", "continued to grow", "hit a record high", "dropped to a two-year low",
]
ADVS = [
    "quickly", "quietly", "publicly", "reportedly", "formally", "repeatedly", "initially",
    "eventually", "unexpectedly", "narrowly", "largely", "sharply", "cautiously", "openly",
]
OPENERS = [
    "On {day}", "Last week", "Earlier this month", "In {month}", "Since {year}",
    "At the same time", "Meanwhile", "However", "In addition", "As a result", "By contrast",
    "In a statement", "According to {src}", "For years", "Over time", "Late on {day}",
    "In an interview with {outlet}", "Despite the setback", "Following the announcement",
    "Two days later", "After months of talks", "In recent years", "Under the new rules",
]
PREPS = ["in", "across", "near", "outside", "throughout", "beyond", "within"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
OUTLETS = [
    "The Morning Ledger", "Metro Wire", "the Daily Courier", "Global Dispatch", "The Observer Post",
    "Channel 9 News", "Radio Central", "The Financial Review", "Coastline Times", "The Herald",
]
SOURCES = [
    "people familiar with the matter", "a person briefed on the talks", "officials",
    "a company filing", "court documents", "a regulatory filing", "local media",
    "two sources close to the negotiations", "the latest figures", "preliminary data",
    "a draft seen by reporters", "an internal memo",
]
QUOTE_CLAUSES = [
    "we are not going to back down", "this is only the beginning", "the numbers speak for themselves",
    "nobody expected it to happen this fast", "we have done everything we can",
    "the market has already priced this in", "it was the right decision at the right time",
    "we need more time to review the details", "there is no easy fix", "that is simply not true",
    "families are paying the price", "the risks are real but manageable",
    "we will keep working with our partners", "this changes the whole picture",
    "I don't think anyone saw that coming", "we owe it to the people who voted for us",
    "it's a question of when, not if", "the plan was never realistic",
]

SITE_WORDS_A = (
    "Daily Morning Evening Global Metro Capital Coastal Valley Prairie Northern Southern "
    "Eastern Western Central Frontier Harbor Summit Liberty Union Civic Pioneer Royal Urban"
).split()
SITE_WORDS_B = (
    "Ledger Courier Dispatch Herald Tribune Chronicle Gazette Post Times Observer Wire Report "
    "Journal Sentinel Monitor Register Bulletin Digest Review Beacon Express Standard Record"
).split()

# --------------------------------------------------------------------------------------------
# Chrome.
# --------------------------------------------------------------------------------------------

BANNERS = ["Breaking News", "Breaking", "Live Updates", "Just In", "Exclusive",
           "Developing Story", "BREAKING NEWS", "Breaking News "]
NAV_MENUS = [
    ["Home", "World", "Business", "Tech", "Sports", "Opinion"],
    ["Menu", "Search", "Sign in", "Subscribe"],
    ["Home » World » Politics"],
    ["Home / Business / Markets"],
    ["Skip to content"],
]
SHARES = [
    ["Share", "Facebook", "Twitter", "WhatsApp", "Email"],
    ["Share this article"],
    ["Share on Facebook Share on Twitter Share on LinkedIn"],
    ["Tweet", "Share", "Pin", "Email", "Copy link"],
    ["Facebook Twitter LinkedIn Reddit Email Print"],
    ["Share:"],
]
AGENCIES = ["Afp | Getty Images", "Bloomberg | Getty Images", "Getty Images", "AFP", "Reuters",
            "AP", "EPA", "Shutterstock", "Anadolu | Getty Images", "Nurphoto | Getty Images"]
PROMO_HEADS = ["WATCH", "READ MORE", "RELATED", "ALSO READ", "SEE ALSO", "VIDEO", "MUST READ",
               "TRENDING", "LISTEN", "Don't miss", "More"]
FOOTERS = [
    ["", "", "Source link", "", "Leave a Reply", "",
     "Your email address will not be published. Required fields are marked *", "",
     "Back to top button", "Social Media Auto Publish Powered By : XYZScripts.com"],
    ["Comments"],  # glued to the last line of text, no final newline, like samples/input/000
    ["", "Source link"],
    ["", "Leave a Reply Cancel reply", "", "Your email address will not be published.",
     "Required fields are marked *", "Comment", "Name *", "Email *", "Website",
     "Save my name, email, and website in this browser for the next time I comment.", "",
     "Post Comment", "", "Back to top"],
    ["", "Tags: {tags}", "", "Related Articles", "{h1}", "{h2}", "{h3}", "",
     "Subscribe to our newsletter", "© {year} {site}. All rights reserved."],
    ["", "", "", "Source link", "", "", "Back to top button"],
    ["", "You must be logged in to post a comment.", "", "Scroll to top"],
    ["", "Show comments", "", "Powered by WordPress"],
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="folder to create (must not exist)")
    p.add_argument("--mb", type=float, default=512, help="total size in MiB (default 512)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--sites", type=int, default=100, help="site folders (default 100)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p.parse_args()


class Grammar:
    """A tiny phrase grammar for news prose. Only `random.Random.random()` and
    `getrandbits()`-based helpers are used so output is stable across Python versions."""

    def __init__(self, rng):
        self.rng = rng

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def chance(self, p):
        return self.rng.random() < p

    def person(self):
        if self.chance(0.04):
            return self.pick(ACCENTED) + " " + self.pick(LAST)
        return self.pick(FIRST) + " " + self.pick(LAST)

    def org(self):
        return self.pick(ORG_A) + " " + self.pick(ORG_B)

    def money(self):
        amount = int(self.rng.random() * 900) + 1
        if self.chance(0.4):
            amount = f"{amount / 10:.1f}"
        return f"${amount} {self.pick(['million', 'billion', 'billion', 'trillion'])}"

    def pct(self):
        return f"{self.rng.random() * 40:.1f}%" if self.chance(0.5) else f"{int(self.rng.random() * 90) + 1} percent"

    def fill(self, s):
        if "{" not in s:
            return s
        return (s.replace("{day}", self.pick(DAYS)).replace("{month}", self.pick(MONTHS))
                .replace("{year}", str(2015 + int(self.rng.random() * 11)))
                .replace("{src}", self.pick(SOURCES)).replace("{outlet}", self.pick(OUTLETS)))

    def np(self, depth=0):
        r = self.rng.random()
        if r < 0.45:
            base = f"the {self.pick(ADJS)} {self.pick(NOUNS)}"
        elif r < 0.6:
            adj = self.pick(ADJS)
            base = f"{'an' if adj[0] in 'aeiou' else 'a'} {adj} {self.pick(NOUNS)}"
        elif r < 0.7:
            base = f"the {self.pick(NOUNS)} worth {self.money()}"
        elif r < 0.8:
            base = f"{self.pick(PLURALS)} in {self.pick(PLACES)}"
        elif r < 0.9:
            base = f"its {self.pick(NOUNS)}"
        else:
            base = f"the {self.pick(NOUNS)} of {self.pick(PLURALS)}"
        if depth == 0 and self.chance(0.3):
            base += f" {self.pick(PREPS)} {self.pick(COUNTRIES + PLACES)}"
        return base

    def subject(self, key=True):
        r = self.rng.random()
        if key and r < 0.12:
            return "\x01"  # the document's key person, filled in per document
        if key and r < 0.2:
            return "\x02"  # the document's key organisation
        if r < 0.35:
            return self.person()
        if r < 0.5:
            return self.org()
        if r < 0.6:
            return self.pick(INSTITUTIONS)
        if r < 0.75:
            return f"{self.pick(PLURALS)} in {self.pick(PLACES)}"
        if r < 0.85:
            return f"{self.person()}, the {self.pick(ROLES)} of {self.org()},"
        return f"the {self.pick(ADJS)} {self.pick(NOUNS)}"

    def clause(self):
        r = self.rng.random()
        subj = self.subject()
        if r < 0.45:
            vp = f"{self.pick(VERBS_T)} {self.np()}"
        elif r < 0.75:
            vp = self.pick(VERBS_I)
            if self.chance(0.4):
                vp += f" {self.pick(['in', 'after', 'before', 'during'])} {self.fill(self.pick(['{month}', 'the {day} session', 'the first quarter', 'the summer', 'the vote']))}"
        else:
            vp = f"{self.pick(ADVS)} {self.pick(VERBS_T)} {self.np()}"
        return f"{subj} {vp}"

    def sentence(self):
        r = self.rng.random()
        if r < 0.12:
            q = self.pick(QUOTE_CLAUSES)
            role = self.pick(ROLES)
            who = self.pick(["\x01", self.person(), f"{'an' if role[0] in 'aeiouAEIOU' else 'a'} {role} at \x02"])
            s = f"“{q[0].upper()}{q[1:]},” {who} said."
        elif r < 0.2:
            c = self.clause()
            s = f"{self.subject()} {self.pick(VERBS_THAT)} that “{c}.”"
        elif r < 0.45:
            s = f"{self.fill(self.pick(OPENERS))}, {self.clause()}."
        elif r < 0.6:
            s = f"{self.clause()}, {self.pick(VERBS_THAT)} {self.pick(SOURCES)}."
        elif r < 0.72:
            s = f"{self.clause()} after {self.np()} {self.pick(VERBS_I)}."
        elif r < 0.82:
            s = f"{self.clause()}, a move that {self.pick(VERBS_T)} {self.np()}."
        elif r < 0.9:
            s = (f"The {self.pick(NOUNS)} {self.pick(VERBS_I)} by {self.pct()} to {self.money()}, "
                 f"the {self.pick(['highest', 'lowest', 'largest', 'smallest'])} level since {self.fill('{year}')}.")
        else:
            s = f"{self.clause()}, and {self.clause()}."
        s = s.replace(",,", ",")
        if s[0] not in "“\x01\x02":
            s = s[0].upper() + s[1:]
        if self.chance(0.006):  # a glued token, as bad extraction leaves them
            i = s.find(" ", 10)
            if i > 0:
                s = s[:i] + s[i + 1:]
        return s

    def headline(self):
        r = self.rng.random()
        if r < 0.3:
            return f"\x01 {self.pick(VERBS_T)} {self.np(1)} as {self.pick(PLURALS)} {self.pick(VERBS_I)}"
        if r < 0.55:
            verb = self.pick(["cut", "expand", "sell", "review", "delay", "close", "buy", "launch"])
            return f"\x02 to {verb} {self.np(1)}"
        if r < 0.75:
            c = self.clause()
            return f"{self.pick(['WSJ', 'Reuters', 'Report', 'Analysis', 'Exclusive', 'Live'])}: {c[0].upper()}{c[1:]}"
        return f"{self.pick(PLURALS).capitalize()} in {self.pick(PLACES)} {self.pick(VERBS_I)} after {self.np(1)}"


def make_site(rng, g, index):
    name = f"{g.pick(SITE_WORDS_A)} {g.pick(SITE_WORDS_B)}"
    slug = name.lower().replace(" ", "")
    return {
        "dir": f"site-{index:03d}-{slug}",
        "name": name,
        "banner": g.pick(BANNERS) if g.chance(0.5) else None,
        "nav": g.pick(NAV_MENUS) if g.chance(0.3) else None,
        "share": g.pick(SHARES) if g.chance(0.6) else None,
        "byline": g.chance(0.6),
        "footer": int(rng.random() * len(FOOTERS)),
        "blank_paras": g.chance(0.75),  # paragraphs separated by a blank line
        "crlf": g.chance(0.15),
        "straight_quotes": g.chance(0.3),
        "trailing": rng.random() * 0.15,  # share of lines with trailing spaces
        "nbsp": rng.random() * 0.8,
        "caption_rate": rng.random() * 0.9,
        "promo_rate": rng.random() * 0.6,
        "weight": 1.0 / (index + 1) ** 0.8,
    }


STRAIGHT = str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"})


def make_document(rng, g, pool, site):
    ch = g.chance
    words = int(math.exp(math.log(900) + 0.75 * _normal(rng)))
    words = max(200, min(6000, words))
    n_sent = max(6, words // 17)
    key_person = g.person()
    key_org = g.org()
    lines = []
    if site["nav"] and ch(0.8):
        lines += site["nav"]
    if site["banner"] and ch(0.85):
        lines += [site["banner"], ""]
    title = g.headline()
    lines.append(title)
    if site["byline"]:
        lines.append(g.pick([f"By {g.person()}", f"By {g.person()} and {g.person()}",
                             g.fill(f"Published {{day}}, {{month}} {1 + int(rng.random() * 28)}, {{year}}"),
                             f"{g.person()} | {g.fill('{month}')} {1 + int(rng.random() * 28)}, 2025"]))
    if site["share"] and ch(0.9):
        lines += site["share"]
    lines += [""] * (1 + int(rng.random() * 3))
    if ch(site["caption_rate"]):
        lines += caption_block(rng, g)
    sep = [""] if site["blank_paras"] else []
    i = 0
    paras = 0
    idx = rng.random
    np_ = len(pool)
    while i < n_sent:
        k = 1 + int(idx() * 6)
        para = " ".join(pool[int(idx() * np_)] for _ in range(min(k, n_sent - i)))
        i += k
        paras += 1
        if ch(site["trailing"]):
            para += g.pick([" ", "  ", "\t", " \u00a0"])
        lines.append(para)
        lines += sep
        if paras % 7 == 0 and ch(site["promo_rate"]):
            lines += [f"{g.pick(PROMO_HEADS)}: {g.headline()}", ""]
        elif paras % 9 == 0 and ch(site["caption_rate"] * 0.5):
            lines += caption_block(rng, g)
        elif ch(0.03):
            lines += [f"- {g.sentence()}" for _ in range(2 + int(idx() * 3))] + sep
        elif ch(0.02):
            lines += [""] * (2 + int(idx() * 4))  # a run of blank lines
    if ch(site["promo_rate"]):
        lines.append(f"WATCH: {g.headline()}")
    footer = FOOTERS[site["footer"] if ch(0.85) else int(idx() * len(FOOTERS))]
    glued_footer = footer == ["Comments"]
    if not glued_footer:
        lines += [
            f.replace("{tags}", ", ".join(g.pick(NOUNS) for _ in range(4)))
            .replace("{h1}", g.headline()).replace("{h2}", g.headline()).replace("{h3}", g.headline())
            .replace("{year}", "2025").replace("{site}", site["name"])
            for f in footer
        ]
    text = "\n".join(lines)
    if glued_footer:
        text = text.rstrip("\n") + "Comments"
    elif ch(0.9):
        text += "\n"
    text = text.replace("\x01", key_person).replace("\x02", key_org)

    # Dirt.
    if site["straight_quotes"]:
        text = text.translate(STRAIGHT)
    if ch(site["nbsp"]):
        text = (text.replace(" billion", "\u00a0billion", 3).replace(" percent", "\u00a0percent", 2)
                .replace("Mr. ", "Mr.\u00a0").replace(". The", ".\u00a0The", 2))
    if ch(0.2):  # a few zero-width characters
        for _ in range(1 + int(idx() * 3)):
            at = int(idx() * len(text))
            text = text[:at] + g.pick(["\u200b", "\u200b", "\u2060", "\ufeff", "\u00ad"]) + text[at:]
    if ch(0.1):
        text = text.replace("é", "e\u0301").replace("ë", "e\u0308")  # decomposed accents
    if ch(0.005):
        at = int(idx() * len(text))
        text = text[:at] + g.pick(["\x0c", "\x07", "\x1b"]) + text[at:]
    if ch(0.02):
        text = "\ufeff" + text
    if site["crlf"] or ch(0.03):
        text = text.replace("\n", "\r\n")
    if ch(0.01):  # legacy-encoded page
        return text.replace("\ufeff", "").encode("cp1252", errors="ignore")
    return text.encode("utf-8")


def caption_block(rng, g):
    caption = (f"{g.person()} {g.pick(['speaks', 'arrives', 'gestures', 'waits', 'looks on'])} "
               f"{g.pick(['during', 'before', 'after'])} {g.np(1)} in {g.pick(PLACES)} on "
               f"{g.fill('{month}')} {1 + int(rng.random() * 28)}, {g.fill('{year}')}.")
    r = rng.random()
    if r < 0.6:
        credit = f"{g.person()} | {g.pick(AGENCIES)}"
    elif r < 0.85:
        credit = f"{g.pick(['Photo', 'Image', 'Photograph'])}: {g.person()}/{g.pick(['Reuters', 'AP', 'AFP', 'EPA'])}"
    else:
        credit = f"(Photo by {g.person()}/AFP via Getty Images)"
    return [caption, "", credit, ""] if rng.random() < 0.7 else [caption, credit, ""]


def _normal(rng):
    # Box-Muller from random() only (gauss() is not guaranteed stable across versions).
    u1 = rng.random() or 1e-12
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2 * math.pi * rng.random())


def main():
    args = parse_args()
    target = int(args.mb * MIB)
    out = args.out.rstrip("/")
    if os.path.exists(out):
        if not args.force:
            sys.exit(f"gen_corpus: {out} exists (use --force to replace it)")
        shutil.rmtree(out)
    partial = out + ".partial"
    if os.path.exists(partial):
        shutil.rmtree(partial)
    os.makedirs(partial)

    started = time.time()
    rng = random.Random(args.seed)
    g = Grammar(rng)
    pool = [g.sentence() for _ in range(60000)]
    sites = [make_site(rng, g, i) for i in range(args.sites)]
    cum, total_w = [], 0.0
    for s in sites:
        total_w += s["weight"]
        cum.append(total_w)
    made_dirs = set()
    written = 0
    docs = 0
    next_report = 64 * MIB
    while written < target:
        site = sites[min(bisect.bisect(cum, rng.random() * total_w), len(sites) - 1)]
        month = f"2025-{1 + int(rng.random() * 12):02d}"
        folder = os.path.join(partial, site["dir"], month)
        if folder not in made_dirs:
            os.makedirs(folder, exist_ok=True)
            made_dirs.add(folder)
        data = make_document(rng, g, pool, site)
        name = f"{docs:06d}_{rng.getrandbits(64):016x}.txt"
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        written += len(data)
        docs += 1
        if not args.quiet and written >= next_report:
            print(f"gen_corpus: {written / MIB:.0f} MiB, {docs} documents, "
                  f"{time.time() - started:.1f}s", file=sys.stderr)
            next_report += 64 * MIB
    os.rename(partial, out)
    if not args.quiet:
        print(f"gen_corpus: wrote {docs} documents, {written} bytes ({written / MIB:.1f} MiB) "
              f"in {len(made_dirs)} folders to {out} in {time.time() - started:.1f}s",
              file=sys.stderr)


if __name__ == "__main__":
    main()
