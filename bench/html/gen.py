"""Generate HTML article pages of many site layouts, keeping each page's true article text.

Usage: python3 bench/html/gen.py [--out bench/.data/html] [--pages 400] [--seed 7]

Writes <out>/pages/NNNN.html and <out>/truth/NNNN.txt (the article body: paragraphs,
sub-headings, list items, table cells, block quotes — not the headline, byline, captions or
any site chrome). Prose is real text from Debian/Python packages (bench/glue/sources.py) for
English and the project's own sentences (bench/encoding/texts.py) for other languages.

Layouts vary what an extractor can lean on: semantic tags and content class names, or plain
<div> soup with meaningless class names; chrome named as such (class="comments"), or not
named at all; comments, related lists, newsletter boxes and ads inside the article; legacy
table layouts and <br><br> paragraphs; pages heavy with scripts, styles and JSON-LD like real
news pages.
"""

import argparse
import html
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "glue"))
sys.path.insert(0, os.path.join(HERE, "..", "encoding"))

import sources  # noqa: E402
import texts  # noqa: E402

E = html.escape


def rand_class(rng):
    return "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(rng.randint(2, 6))) + str(rng.randint(1, 99))


def english_streams():
    out = []
    for _name, stream in sources.all_streams():
        paras = [t for kind, t in stream if kind == "p" and len(t) > 60]
        heads = [t for kind, t in stream if kind == "h" and 8 < len(t) < 70]
        if len(paras) >= 3:
            out.append((paras, heads))
    return out


def other_language(rng, lang):
    sents = texts.SENTENCES[lang]
    paras = []
    for _ in range(rng.randint(4, 10)):
        k = rng.randint(2, min(5, len(sents)))
        paras.append(" ".join(rng.sample(sents, k)))
    heads = [s.rstrip(".!?。") [:50] for s in rng.sample(sents, min(3, len(sents)))]
    return paras, heads


WORDS = ("world politics business tech science health sport culture opinion video podcasts "
         "weather travel style food money markets climate education").split()


def link_list(rng, n, cls=None, tag="ul"):
    items = "".join(
        f'<li><a href="/{rng.choice(WORDS)}/{rng.randint(1000, 9999)}">{E(rng.choice(WORDS).title())} {E(rng.choice(WORDS))}</a></li>'
        for _ in range(n))
    c = f' class="{cls}"' if cls else ""
    return f"<{tag}{c}>{items}</{tag}>"


def teaser_titles(rng, streams, n):
    paras, heads = rng.choice(streams)
    pool = heads or [p[:60] for p in paras]
    return [rng.choice(pool) for _ in range(n)]


def script_blob(rng, kb):
    # Minified-looking JavaScript with comparisons and strings, as on real pages.
    parts = []
    size = 0
    while size < kb * 1024:
        v = rand_class(rng)
        s = (f"var {v}=function(a,b){{for(var i=0;i<a.length;i++){{if(a[i]<b&&a[i]>0)"
             f"{{b=a[i]}}}}return b+\"{rng.choice(WORDS)}\"}};window.{v}={v};")
        parts.append(s)
        size += len(s)
    return "<script>" + "".join(parts) + "</script>"


def style_blob(rng, kb):
    parts = []
    size = 0
    while size < kb * 1024:
        s = f".{rand_class(rng)} .{rand_class(rng)}{{margin:{rng.randint(0, 20)}px;color:#{rng.randint(0, 0xffffff):06x}}}"
        parts.append(s)
        size += len(s)
    return "<style>" + "".join(parts) + "</style>"


SVG = '<svg viewBox="0 0 24 24"><path d="M12 2L2 7l10 5 10-5-10-5z"/><text>icon</text></svg>'


def body_blocks(rng, paras, heads, lang):
    """The article body as (html, truth) pairs."""
    out = []
    n = rng.randint(3, min(14, len(paras)))
    start = rng.randint(0, len(paras) - n)
    chosen = paras[start:start + n]
    for i, p in enumerate(chosen):
        if i > 0 and heads and rng.random() < 0.15:
            h = rng.choice(heads)
            tag = rng.choice(["h2", "h3", "h2 class=\"subhead\"", "strong"])
            close = tag.split()[0]
            if close == "strong":
                out.append((f"<p><strong>{E(h)}</strong></p>", h))
            else:
                out.append((f"<{tag}>{E(h)}</{close}>", h))
        words = p.split(" ")
        if len(words) > 8 and rng.random() < 0.5:
            # An inline link or emphasis inside the paragraph.
            a = rng.randint(1, len(words) - 3)
            b = a + rng.randint(1, 3)
            tag = rng.choice(["a href=\"/x\"", "em", "b", "a href=\"https://example.org/\""])
            close = tag.split()[0]
            inner = " ".join(words[a:b])
            markup = " ".join(E(w) for w in words[:a]) + f" <{tag}>{E(inner)}</{close}> " + " ".join(E(w) for w in words[b:])
        else:
            markup = E(p)
        out.append((f"<p>{markup}</p>", p))
        r = rng.random()
        if r < 0.06:
            items = [s.strip() for s in p.split(".") if len(s.strip()) > 10][:4] or [p[:40]]
            lis = "".join(f"<li>{E(x)}</li>" for x in items)
            out.append((f"<ul>{lis}</ul>", "\n".join(items)))
        elif r < 0.09:
            rows = [(rng.choice(WORDS).title(), str(rng.randint(1, 999))) for _ in range(rng.randint(2, 5))]
            trs = "".join(f"<tr><td>{E(a)}</td><td>{b}</td></tr>" for a, b in rows)
            out.append((f"<table><tbody><tr><th>Item</th><th>Value</th></tr>{trs}</tbody></table>",
                        "Item Value\n" + "\n".join(f"{a} {b}" for a, b in rows)))
        elif r < 0.11:
            q = rng.choice(paras)
            out.append((f"<blockquote><p>{E(q)}</p></blockquote>", q))
    return out


CHROME_TEXT = {
    "newsletter": "Sign up for our daily newsletter and get the best stories in your inbox every morning.",
    "cookie": "We use cookies to improve your experience on our site. By continuing you agree to our use of cookies.",
    "ad": "Advertisement",
    "paywall": "Subscribe now for unlimited access. Already a subscriber? Log in.",
}


def comments(rng, streams, named):
    paras, _ = rng.choice(streams)
    n = rng.randint(2, 8)
    items = []
    item_cls = rand_class(rng)  # one class for every comment, as sites do
    for i in range(n):
        who = rng.choice(["jsmith", "Maria K.", "anon", "TruthTeller", "Bob"])
        text = rng.choice(paras)
        if named:
            items.append(f'<li class="comment"><div class="comment-author">{E(who)} says:</div>'
                         f'<div class="comment-body"><p>{E(text)}</p></div><a class="reply" href="#">Reply</a></li>')
        else:
            items.append(f'<div class="{item_cls}"><b>{E(who)}</b> <span>2 hours ago</span>'
                         f'<p>{E(text)}</p><a href="#r{i}">Reply</a></div>')
    if named:
        return f'<section id="comments" class="comments-area"><h3>{n} Comments</h3><ol class="comment-list">{"".join(items)}</ol></section>'
    return f'<div class="{rand_class(rng)}"><h3>{n} responses</h3>{"".join(items)}</div>'


def page(rng, streams, idx):
    lang = "en" if rng.random() < 0.75 else rng.choice([k for k in texts.SENTENCES if k != "en"])
    if lang == "en":
        paras, heads = rng.choice(streams)
    else:
        paras, heads = other_language(rng, lang)
    title = (heads[0] if heads else paras[0][:60]).rstrip(".")
    named = rng.random() < 0.6          # chrome carries telling class names
    semantic = rng.random() < 0.6       # <article>/<main>/content classes present
    layout = rng.choice(["modern", "modern", "blog", "soup", "table", "brbr", "split"])
    heavy = rng.random() < 0.7

    body = body_blocks(rng, paras, heads, lang)
    truth = "\n".join(t for _, t in body)
    C = (lambda name: name) if named else (lambda name: rand_class(rng))

    head = [f'<meta charset="utf-8"><title>{E(title)} | The {E(rng.choice(WORDS).title())} Times</title>']
    if rng.random() < 0.7:
        head.append(f'<meta property="og:title" content="{E(title)}">')
        head.append(f'<link rel="canonical" href="https://news.example/{idx}">')
    if rng.random() < 0.6:
        head.append('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-0%dT08:00:00Z","author":{"@type":"Person","name":"Sam Writer"}}</script>' % rng.randint(1, 9))
    if heavy:
        head.append(style_blob(rng, rng.randint(5, 40)))
        head.append(script_blob(rng, rng.randint(10, 120)))

    nav = (f'<nav class="{C("main-nav")}">{link_list(rng, rng.randint(5, 25))}</nav>' if semantic
           else f'<div class="{C("menu")}">{link_list(rng, rng.randint(5, 25))}</div>')
    header = (f'<header class="{C("site-header")}"><a href="/">{SVG}The Times</a>{nav}</header>' if semantic
              else f'<div class="{C("header")}"><a href="/">The Times</a>{nav}</div>')
    cookie = f'<div id="{C("cookie-consent")}"><p>{CHROME_TEXT["cookie"]}</p><button>Accept</button></div>' if rng.random() < 0.5 else ""
    headline = f"<h1>{E(title)}</h1>"
    byline = rng.choice([
        f'<div class="{C("byline")}">By <a href="/a/sam">Sam Writer</a>, <time datetime="2024-03-01">March 1, 2024</time></div>',
        f'<p class="{C("author")}">Sam Writer | Staff reporter</p><p class="{C("date")}">Published 1 March 2024</p>',
        '<p><span>By Sam Writer</span> · 5 min read</p>',
    ])
    figure = ""
    if rng.random() < 0.6:
        cap = rng.choice(paras)[:90].rsplit(" ", 1)[0] + ". Photo: Agency"
        figure = rng.choice([
            f'<figure><img src="/i.jpg" alt="x"><figcaption>{E(cap)}</figcaption></figure>',
            f'<div class="{C("wp-caption")}"><img src="/i.jpg"><p class="{C("wp-caption-text")}">{E(cap)}</p></div>',
        ])
    share = f'<div class="{C("share-tools")}"><a href="#">Facebook</a><a href="#">Twitter</a><a href="#">Email</a></div>'
    newsletter = f'<div class="{C("newsletter-signup")}"><p>{CHROME_TEXT["newsletter"]}</p><form><input type="email"><button>Sign up</button></form></div>'
    ad = f'<div class="{C("ad-slot")}"><span>{CHROME_TEXT["ad"]}</span></div>'
    related_titles = teaser_titles(rng, streams, rng.randint(3, 6))
    related = (f'<div class="{C("related-stories")}"><h3>Related</h3><ul>'
               + "".join(f'<li><a href="/s/{i}">{E(t)}</a></li>' for i, t in enumerate(related_titles)) + "</ul></div>")
    readmore = f'<p><strong>Read more:</strong> <a href="/more">{E(related_titles[0])}</a></p>'
    tags = f'<div class="{C("tags")}">Tags: <a href="/t/1">{rng.choice(WORDS)}</a>, <a href="/t/2">{rng.choice(WORDS)}</a></div>'
    side_teasers = teaser_titles(rng, streams, rng.randint(3, 8))
    sidebar_inner = "<h3>Most read</h3>" + "".join(
        f'<div><a href="/p/{i}">{E(t)}</a><p>{E(rng.choice(paras)[:120])}</p></div>' if rng.random() < 0.3 else f'<div><a href="/p/{i}">{E(t)}</a></div>'
        for i, t in enumerate(side_teasers))
    sidebar = f'<aside class="{C("sidebar")}">{sidebar_inner}</aside>' if semantic else f'<div class="{C("sidebar")}">{sidebar_inner}</div>'
    footer_inner = link_list(rng, rng.randint(4, 12)) + "<p>© 2024 The Times Company. All rights reserved. Terms of use and privacy policy apply.</p>"
    footer = f'<footer class="{C("site-footer")}">{footer_inner}</footer>' if semantic else f'<div class="{C("footer")}">{footer_inner}</div>'
    comm = comments(rng, streams, named) if rng.random() < 0.45 else ""

    # The body, with in-article chrome between paragraphs.
    pieces = [h for h, _ in body]
    for extra in [ad, newsletter, readmore, ad]:
        if rng.random() < 0.35 and len(pieces) > 2:
            pieces.insert(rng.randint(1, len(pieces) - 1), extra)
    if layout == "brbr":
        # Old sites: paragraphs separated by <br><br> inside one div.
        inner = "<br><br>\n".join(h[3:-4] if h.startswith("<p>") else h for h in pieces)
    else:
        inner = "\n".join(pieces)
    body_cls = C("article-body") if semantic else rand_class(rng)
    if layout == "split" and len(pieces) > 4:
        half = len(pieces) // 2
        content = (f'<div class="{body_cls}">' + "\n".join(pieces[:half]) + "</div>" + ad
                   + f'<div class="{body_cls}">' + "\n".join(pieces[half:]) + "</div>")
    elif semantic and rng.random() < 0.25:
        content = f'<div itemprop="articleBody">{inner}</div>'
    else:
        content = f'<div class="{body_cls}">{inner}</div>'
    after = "".join(x for x in [share if rng.random() < 0.6 else "", tags if rng.random() < 0.5 else "",
                                related if rng.random() < 0.6 else ""])
    top = headline + byline + figure
    if semantic:
        art = f'<article class="post type-post category-{rng.choice(WORDS)}"><header>{top}</header>{content}{after}</article>'
        main = f'<main id="main">{art}{comm}</main>'
    else:
        main = f'<div class="{rand_class(rng)}">{top}{content}{after}{comm}</div>'

    if layout == "table":
        page_body = (f'{header}<table width="100%"><tr><td class="{rand_class(rng)}" valign="top">{main}</td>'
                     f'<td width="300" valign="top">{sidebar}</td></tr></table>{footer}')
    else:
        page_body = f'{header}{cookie}<div class="{rand_class(rng)}">{main}{sidebar}</div>{footer}'
    tail = script_blob(rng, rng.randint(5, 60)) if heavy else ""
    doc = (f'<!DOCTYPE html><html lang="{lang}"><head>{"".join(head)}</head>'
           f'<body class="single-post has-sidebar comments-open">{page_body}{tail}</body></html>')
    return doc, truth, {"lang": lang, "layout": layout, "named": named, "semantic": semantic}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", ".data", "html"))
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    streams = english_streams()
    os.makedirs(os.path.join(args.out, "pages"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "truth"), exist_ok=True)
    with open(os.path.join(args.out, "layouts.tsv"), "w") as meta:
        for i in range(args.pages):
            doc, truth, info = page(rng, streams, i)
            name = f"{i:04d}"
            with open(os.path.join(args.out, "pages", name + ".html"), "w") as f:
                f.write(doc)
            with open(os.path.join(args.out, "truth", name + ".txt"), "w") as f:
                f.write(truth + "\n")
            meta.write(f"{name}\t{info['lang']}\t{info['layout']}\t{int(info['named'])}\t{int(info['semantic'])}\n")
    print(f"{args.pages} pages in {args.out}")


if __name__ == "__main__":
    main()
