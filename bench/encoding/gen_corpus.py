#!/usr/bin/env python3
"""Deterministic multilingual corpora for the encoding stage (Python standard library only).

    python3 bench/encoding/gen_corpus.py eval  [--out DIR] [--seed N]
    python3 bench/encoding/gen_corpus.py speed [--out DIR] [--seed N] [--mb 64]

`eval` writes an evaluation corpus: DIR/input/<name> (the bytes a scraper saved),
DIR/expected/<name> (what the encoding stage must give back: the text as it was written,
UTF-8, a byte-order mark kept as U+FEFF) and DIR/manifest.json (name → category, kind,
language). Categories:

  legacy    text saved in a legacy encoding (windows-1252, iso-8859-2, windows-1250,
            windows-1251, koi8-r, iso-8859-7, Shift_JIS, EUC-JP, GB18030, Big5, EUC-KR) or
            UTF-16 / UTF-8 with a byte-order mark
  mojibake  UTF-8 decoded with the wrong charset and saved again as UTF-8: Windows-1252,
            sloppy Windows-1252 (undefined bytes as C1 controls), Latin-1, Windows-1250,
            Windows-1251 (and Cyrillic through Windows-1250), twice broken, broken in some
            lines only, broken in the title only
  entities  HTML character references left in the text (&amp;, &#8217;, &eacute;, &nbsp;…)
  control   clean UTF-8 text that must come out byte-identical: curly quotes, full-width
            punctuation, "JOÃO", math and currency, emoji, every language above

`speed` writes DIR/input/clean/ and DIR/input/broken/: at least --mb MiB of documents, half
clean UTF-8, half broken (mostly mojibake, some legacy-encoded), for the throughput
comparison with ftfy.
"""

import argparse
import html
import html.entities
import json
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from texts import CONTROL_LINES, NBSP, SENTENCES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

LATIN = ["en", "fr", "de", "es", "pt"]
CENTRAL = ["pl", "cs"]
CYRILLIC = ["ru", "uk"]
ALL_LANGS = list(SENTENCES)

# ASCII stand-ins for punctuation a legacy charset lacks.
PLAIN = {
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2014": "-", "\u2013": "-", "\u2026": "...", NBSP: " ",
}

LEGACY = [
    # (encoding (Python codec), languages)
    ("cp1252", LATIN),
    ("iso8859_2", CENTRAL),
    ("cp1250", CENTRAL),
    ("cp1251", CYRILLIC),
    ("koi8_r", ["ru"]),
    ("iso8859_7", ["el"]),
    ("shift_jis", ["ja"]),
    ("euc_jp", ["ja"]),
    ("gb18030", ["zh"]),
    ("big5", ["zh_hant"]),
    ("euc_kr", ["ko"]),
]


def sloppy_decode(data: bytes, codec: str) -> str:
    """Decodes like a browser: bytes a Windows code page leaves undefined become the C1
    control with the same number instead of an error."""
    out = []
    for b in data:
        if b < 0x80:
            out.append(chr(b))
            continue
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def misread(text: str, codec: str) -> str:
    """UTF-8 bytes of `text` decoded with a single-byte charset: mojibake."""
    if codec == "latin-1":
        return text.encode("utf-8").decode("latin-1")
    return sloppy_decode(text.encode("utf-8"), codec)


def paragraph(rng: random.Random, lang: str, sentences: int) -> str:
    pool = SENTENCES[lang]
    return " ".join(rng.choice(pool) for _ in range(sentences))


def document(rng: random.Random, lang: str, lines: int = None) -> str:
    lines = lines or rng.randint(3, 8)
    return "\n".join(paragraph(rng, lang, rng.randint(1, 4)) for _ in range(lines)) + "\n"


def encodable(text: str, codec: str) -> str:
    """`text` with punctuation `codec` lacks replaced by ASCII."""
    out = []
    for c in text:
        try:
            c.encode(codec)
            out.append(c)
        except UnicodeEncodeError:
            out.append(PLAIN.get(c, "?"))
    return "".join(out)


def entity_escape(rng: random.Random, text: str) -> str:
    """HTML-escapes `text` the ways scraped text shows it: &amp;, &quot;, named references for
    accented letters and typography, decimal and hex numeric references."""
    out = []
    for c in text:
        code = ord(c)
        if c == "&":
            out.append("&amp;")
        elif c == '"':
            out.append("&quot;")
        elif c == NBSP:
            out.append("&nbsp;")
        elif code > 127 and rng.random() < 0.7:
            name = html.entities.codepoint2name.get(code)
            style = rng.random()
            if name and style < 0.5:
                out.append(f"&{name};")
            elif style < 0.8:
                out.append(f"&#{code};")
            else:
                out.append(f"&#x{code:x};")
        else:
            out.append(c)
    return "".join(out)


def eval_corpus(out: Path, seed: int) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "input").mkdir(parents=True)
    (out / "expected").mkdir(parents=True)
    manifest = {}
    counter = [0]

    def emit(category: str, kind: str, lang: str, data: bytes, expected: str) -> None:
        counter[0] += 1
        name = f"{counter[0]:04}_{category}_{kind}_{lang}.txt"
        (out / "input" / name).write_bytes(data)
        (out / "expected" / name).write_bytes(expected.encode("utf-8"))
        manifest[name] = {"category": category, "kind": kind, "lang": lang}

    # Legacy encodings.
    for codec, langs in LEGACY:
        for _ in range(12):
            lang = rng.choice(langs)
            text = encodable(document(rng, lang), codec)
            emit("legacy", codec, lang, text.encode(codec), text)
    for _ in range(8):
        lang = rng.choice(ALL_LANGS)
        text = document(rng, lang)
        emit("legacy", "utf-16le-bom", lang, b"\xff\xfe" + text.encode("utf-16-le"), "\ufeff" + text)
        emit("legacy", "utf-16be-bom", lang, b"\xfe\xff" + text.encode("utf-16-be"), "\ufeff" + text)
        emit("legacy", "utf-8-bom", lang, b"\xef\xbb\xbf" + text.encode("utf-8"), "\ufeff" + text)

    # Mojibake of each kind.
    kinds = [
        ("cp1252", "cp1252", LATIN + CENTRAL + CYRILLIC + ["el", "ja", "zh", "ko"]),
        ("sloppy-cp1252", "cp1252", ["es", "pt", "fr", "ru", "uk"]),
        ("latin-1", "latin-1", LATIN + ["pl", "ru", "el"]),
        ("cp1250", "cp1250", CENTRAL + CYRILLIC),
        ("cp1251", "cp1251", CYRILLIC + ["en", "fr"]),
    ]
    for kind, codec, langs in kinds:
        for _ in range(30):
            lang = rng.choice(langs)
            text = document(rng, lang)
            if kind == "sloppy-cp1252":
                # Make sure a byte Windows-1252 leaves undefined shows up.
                text = {"es": "ÍNDICE: ", "pt": "ÍNDICE: ", "fr": "Ý ", "ru": "Привет: ", "uk": "Привіт: "}[lang] + text
            emit("mojibake", kind, lang, misread(text, codec).encode("utf-8"), text)
    for _ in range(25):
        lang = rng.choice(LATIN + CENTRAL + CYRILLIC)
        text = document(rng, lang)
        emit("mojibake", "twice-cp1252", lang, misread(misread(text, "cp1252"), "cp1252").encode("utf-8"), text)
    for _ in range(10):
        lang = rng.choice(CYRILLIC)
        text = document(rng, lang)
        emit("mojibake", "cp1251-then-cp1252", lang,
             misread(misread(text, "cp1251"), "cp1252").encode("utf-8"), text)
    for _ in range(30):
        lang = rng.choice(LATIN + CENTRAL + CYRILLIC + ["el"])
        codec = {"pl": "cp1250", "cs": "cp1250", "ru": "cp1251", "uk": "cp1251"}.get(lang, "cp1252")
        lines = document(rng, lang, rng.randint(4, 9)).splitlines()
        broken = [misread(line, codec) if i % 2 == 0 else line for i, line in enumerate(lines)]
        emit("mojibake", "mixed-lines", lang, ("\n".join(broken) + "\n").encode("utf-8"),
             "\n".join(lines) + "\n")
    for _ in range(20):
        lang = rng.choice(LATIN + CYRILLIC)
        codec = "cp1251" if lang in CYRILLIC and rng.random() < 0.5 else "cp1252"
        title = paragraph(rng, lang, 1)
        body = document(rng, lang)
        emit("mojibake", "title-only", lang, (misread(title, codec) + "\n\n" + body).encode("utf-8"),
             title + "\n\n" + body)

    # HTML entities.
    for _ in range(40):
        lang = rng.choice(LATIN + CENTRAL + ["ru", "el"])
        text = document(rng, lang)
        if rng.random() < 0.5:
            text = text.replace(" and ", " & ").replace(" et ", " & ")
        emit("entities", "html", lang, entity_escape(rng, text).encode("utf-8"), text)

    # Controls.
    for lang in ALL_LANGS:
        for _ in range(4):
            text = document(rng, lang)
            emit("control", "clean", lang, text.encode("utf-8"), text)
    for i in range(60):
        lines = rng.sample(CONTROL_LINES, rng.randint(1, 5))
        if rng.random() < 0.5:
            lines.insert(rng.randint(0, len(lines)), paragraph(rng, rng.choice(ALL_LANGS), 2))
        text = "\n".join(lines) + "\n"
        emit("control", "tricky", "mixed", text.encode("utf-8"), text)

    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    print(f"wrote {len(manifest)} documents to {out}", file=sys.stderr)


def speed_corpus(out: Path, seed: int, megabytes: int) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "input" / "clean").mkdir(parents=True)
    (out / "input" / "broken").mkdir(parents=True)
    target = megabytes * 1024 * 1024
    written = [0, 0]  # clean, broken
    n = 0
    while sum(written) < target:
        lang = rng.choice(ALL_LANGS)
        text = document(rng, lang, rng.randint(20, 60))
        broken = written[1] < written[0]
        if broken:
            roll = rng.random()
            if roll < 0.85:
                codec = {"pl": "cp1250", "cs": "cp1250", "ru": "cp1251", "uk": "cp1251"}.get(lang, "cp1252")
                if rng.random() < 0.3:
                    codec = "cp1252"
                lines = text.splitlines()
                if rng.random() < 0.2:
                    data = "\n".join(misread(l, codec) if i % 2 == 0 else l for i, l in enumerate(lines))
                else:
                    data = misread(text, codec)
                data = data.encode("utf-8")
            else:
                codec = {"ja": "shift_jis", "zh": "gb18030", "zh_hant": "big5", "ko": "euc_kr",
                         "ru": "cp1251", "uk": "cp1251", "el": "iso8859_7", "pl": "iso8859_2",
                         "cs": "cp1250"}.get(lang, "cp1252")
                data = encodable(text, codec).encode(codec)
        else:
            data = text.encode("utf-8")
        n += 1
        (out / "input" / ("broken" if broken else "clean") / f"{n:06}.txt").write_bytes(data)
        written[int(broken)] += len(data)
    print(f"wrote {n} documents, {written[0] / 2**20:.1f} MiB clean + {written[1] / 2**20:.1f} MiB "
          f"broken, to {out}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["eval", "speed"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mb", type=int, default=64)
    args = parser.parse_args()
    data = ROOT / "bench" / ".data"
    if args.what == "eval":
        eval_corpus(args.out or data / f"encoding-eval-seed{args.seed}", args.seed)
    else:
        speed_corpus(args.out or data / f"encoding-speed-{args.mb}mb-seed{args.seed}", args.seed, args.mb)


if __name__ == "__main__":
    main()
