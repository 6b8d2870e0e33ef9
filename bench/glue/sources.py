"""Real English prose that nobody on this project wrote, from Debian and Python packages.

Each source yields *streams*: lists of blocks ``(kind, text)`` in reading order, where kind is
``"h"`` (a heading or byline: a short line without final punctuation) or ``"p"`` (a prose
paragraph, its lines joined). Code, tables, lists of symbols and markup-heavy paragraphs are
left out, so what remains reads like the body of an article.

Packages (Debian): fortunes, jargon-text, perl-doc, python3-doc; base-files for
/usr/share/common-licenses.
"""

import gzip
import os
import re
import subprocess

FORTUNES = "/usr/share/games/fortunes"
# English, prose-bearing fortune files (ascii-art, translate-me and the like left out).
FORTUNE_FILES = [
    "news", "people", "politics", "literature", "humorists", "education", "law",
    "medicine", "science", "sports", "work", "wisdom", "fortunes", "miscellaneous",
    "computers", "food", "kids", "love", "men-women", "pets", "platitudes", "art",
    "magic", "riddles", "linux", "linuxcookie", "cookie", "definitions", "drugs",
    "ethnic", "goedel", "paradoxum", "pratchett", "startrek", "tao", "zippy", "perl",
    "debian", "knghtbrd", "songs-poems",
]
JARGON = "/usr/share/doc/jargon-text/jargon.txt.gz"
PYDOC = "/usr/share/doc/python3.11/html/_sources"
PYDOC_DIRS = ["whatsnew", "howto", "tutorial", "faq"]
PERLPOD = "/usr/share/perl/5.36.0/pod"
LICENSES = "/usr/share/common-licenses"
LICENSE_FILES = ["GPL-3", "LGPL-3", "Apache-2.0", "MPL-2.0", "GFDL-1.3", "Artistic", "CC0-1.0"]

WORDLIKE = re.compile(r"""^[(\[“‘"']*[A-Za-z][A-Za-z'’.-]*[.,;:!?)\]”’"']*$""")
CODEY = re.compile(r"[{}$@\\<>|=#_~^*`]|://|\.\w+\(|\w\(\)")


def clean_ws(text):
    return re.sub(r"\s+", " ", text).strip()


def is_prose(text, min_words=8):
    words = text.split()
    if len(words) < min_words or CODEY.search(text):
        return False
    wordlike = sum(1 for w in words if WORDLIKE.match(w))
    return wordlike / len(words) >= 0.85 and re.search(r"[.!?][”’\"')]*$", text) is not None


def is_heading(text):
    words = text.split()
    return (
        1 <= len(words) <= 12
        and not CODEY.search(text)
        and all(WORDLIKE.match(w) or re.match(r"^[\d.:-]+$", w) for w in words)
        and text[-1].isalpha()
        and text[0].isupper()
    )


def block(kind, text):
    text = clean_ws(text)
    if kind == "p" and is_prose(text):
        return ("p", text)
    if kind == "h" and is_heading(text):
        return ("h", text)
    return None


def fortunes():
    """One stream per fortune file; an attribution line ("-- Name") becomes a heading block."""
    for name in FORTUNE_FILES:
        path = os.path.join(FORTUNES, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        stream = []
        for fortune in raw.split("\n%\n"):
            lines = fortune.split("\n")
            if sum(1 for ln in lines if re.search(r"[|/\\_]{3,}", ln)) > 0:
                continue  # ASCII art
            paras, current = [], []
            for line in lines:
                stripped = line.strip()
                m = re.match(r"^--+\s*(.+)$", stripped)
                if m:
                    if current:
                        paras.append(("p", " ".join(current)))
                        current = []
                    paras.append(("h", m.group(1)))
                elif not stripped:
                    if current:
                        paras.append(("p", " ".join(current)))
                        current = []
                else:
                    current.append(stripped)
            if current:
                paras.append(("p", " ".join(current)))
            blocks = [b for b in (block(k, t) for k, t in paras) if b]
            if blocks and any(k == "p" for k, _ in blocks):
                stream.extend(blocks)
        if stream:
            yield f"fortunes/{name}", stream


def jargon():
    """The Jargon File: entries become a heading (the headword) and paragraphs."""
    with gzip.open(JARGON, "rt", encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    stream, current = [], []

    def flush():
        if current:
            text = " ".join(current)
            text = re.sub(r"[{}]", "", text)
            b = block("p", text)
            if b:
                stream.append(b)
            current.clear()

    started = False
    for line in lines:
        stripped = line.strip()
        m = re.match(r"^:([^:]+):", stripped)
        if m:
            started = True
            flush()
            b = block("h", m.group(1))
            if b:
                stream.append(b)
            rest = stripped[m.end():].strip()
            if rest and not rest.startswith("/") and len(rest.split()) > 3:
                current.append(rest)
            continue
        if not started:
            continue
        if not stripped:
            flush()
        elif line.startswith("      "):
            flush()  # indented example
        else:
            current.append(stripped)
    flush()
    # Split into smaller streams so documents stay within one stretch of the alphabet.
    size = 400
    for i in range(0, len(stream), size):
        yield f"jargon/{i // size:03d}", stream[i:i + size]


INLINE = [
    (re.compile(r":pep:`(\d+)`"), r"PEP \1"),
    (re.compile(r":(?:issue|gh):`(\d+)`"), r"issue \1"),
    (re.compile(r":[a-z:]+:`~?!?([^`<]*?)\s*(?:<[^>]*>)?`"), r"\1"),
    (re.compile(r"``([^`]*)``"), r"\1"),
    (re.compile(r"`([^`<]*?)\s*<[^>]*>`__?"), r"\1"),
    (re.compile(r"`([^`]*)`_*"), r"\1"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"\1"),
    (re.compile(r"\*([^*\s][^*]*)\*"), r"\1"),
    (re.compile(r"\|[^|\s]+\|"), ""),
]


def rst_inline(text):
    for pattern, repl in INLINE:
        text = pattern.sub(repl, text)
    return text


def python_docs():
    """reStructuredText sources of the Python documentation (what's new, how-tos, tutorial,
    FAQ): section titles and prose paragraphs; code, directives and tables left out."""
    for sub in PYDOC_DIRS:
        folder = os.path.join(PYDOC, sub)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".rst.txt"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                lines = f.read().split("\n")
            stream = []
            para = []
            skip_indented = False
            i = 0

            def flush():
                if para:
                    text = " ".join(para)
                    literal = text.rstrip().endswith("::")
                    text = re.sub(r"\s*::$", ":", text)
                    b = block("p", rst_inline(text))
                    if b:
                        stream.append(b)
                    para.clear()
                    return literal
                return False

            while i < len(lines):
                line = lines[i]
                nxt = lines[i + 1] if i + 1 < len(lines) else ""
                stripped = line.strip()
                if skip_indented:
                    if stripped and not line.startswith((" ", "\t")):
                        skip_indented = False
                    else:
                        i += 1
                        continue
                if (
                    stripped
                    and re.match(r"^([=\-~^*#\"'+`])\1{2,}$", nxt.strip() or "x")
                    and len(nxt.strip()) >= len(stripped)
                ):
                    flush()
                    b = block("h", rst_inline(stripped))
                    if b:
                        stream.append(b)
                    i += 2
                    continue
                if re.match(r"^([=\-~^*#\"'+`])\1{2,}$", stripped):
                    flush()
                    i += 1
                    continue
                if stripped.startswith(".."):
                    flush()
                    skip_indented = True
                    i += 1
                    continue
                if not stripped:
                    if flush():
                        skip_indented = True
                    i += 1
                    continue
                if line.startswith((" ", "\t")) and not para:
                    i += 1  # block quote or list continuation: left out
                    continue
                if re.match(r"^([*+-]|#\.|\d+\.)\s", stripped):
                    flush()
                    stripped = re.sub(r"^([*+-]|#\.|\d+\.)\s+", "", stripped)
                para.append(stripped)
                i += 1
            flush()
            if stream:
                yield f"python/{sub}/{name[:-8]}", stream


def perl_pods():
    """Perl's documentation through pod2text: headings and prose paragraphs (indented four
    spaces); verbatim code (indented more) left out."""
    for name in sorted(os.listdir(PERLPOD)):
        if not name.endswith(".pod") or name in ("perltoc.pod", "perlapi.pod", "perldiag.pod"):
            continue
        text = subprocess.run(
            ["pod2text", "-w", "1000", os.path.join(PERLPOD, name)],
            capture_output=True, text=True, errors="replace", check=False,
        ).stdout
        stream = []
        for chunk in re.split(r"\n\s*\n", text):
            lines = chunk.split("\n")
            if not lines or not lines[0].strip():
                continue
            indent = len(lines[0]) - len(lines[0].lstrip())
            if indent == 0 or (indent == 2 and len(lines) == 1):
                title = lines[0].strip()
                b = block("h", title.title() if title.isupper() else title)
            elif indent == 4:
                body = " ".join(ln.strip() for ln in lines)
                body = re.sub(r"^(\*|\d+\.)\s+", "", body)
                b = block("p", body)
            else:
                b = None
            if b:
                stream.append(b)
        if stream:
            yield f"perl/{name[:-4]}", stream


def licenses():
    for name in LICENSE_FILES:
        path = os.path.join(LICENSES, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        stream = []
        for chunk in re.split(r"\n\s*\n", text):
            body = clean_ws(chunk)
            if not body:
                continue
            body = re.sub(r"^(\d+\.|\([a-z0-9]\)|[a-z]\))\s+", "", body)
            b = block("h", body.title() if body.isupper() else body) if len(body.split()) <= 8 else block("p", body)
            if b:
                stream.append(b)
        if stream:
            yield f"licenses/{name}", stream


def all_streams():
    for gen in (fortunes, jargon, python_docs, perl_pods, licenses):
        yield from gen()
