"""Runs ftfy (with charset-normalizer to turn bytes into text) over a folder; executed with
bench/.venv's python by evaluate.py and speed.py.

    python ftfy_runner.py fix_text|fix_encoding INPUT_DIR OUTPUT_DIR
    python ftfy_runner.py time INPUT_DIR        # CPU seconds decoding, in ftfy.fix_text
"""

import sys
import time
from pathlib import Path

import ftfy
from charset_normalizer import from_bytes


def to_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", errors="replace")


def main() -> None:
    mode, inp = sys.argv[1], Path(sys.argv[2])
    files = sorted(p for p in inp.rglob("*") if p.is_file())
    if mode == "time":
        # CPU time of this process (user + sys), not wall time: the machine may be shared.
        # Printed: seconds decoding (UTF-8, else charset-normalizer), seconds in fix_text,
        # bytes of the documents as UTF-8.
        raw = [p.read_bytes() for p in files]
        start = time.process_time()
        texts = [to_text(data) for data in raw]
        decoding = time.process_time() - start
        size = sum(len(t.encode("utf-8")) for t in texts)
        start = time.process_time()
        for text in texts:
            ftfy.fix_text(text)
        fixing = time.process_time() - start
        print(f"{decoding:.3f} {fixing:.3f} {size}")
        return
    out = Path(sys.argv[3])
    fix = ftfy.fix_text if mode == "fix_text" else ftfy.fix_encoding
    for path in files:
        target = out / path.relative_to(inp)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fix(to_text(path.read_bytes())).encode("utf-8"))


if __name__ == "__main__":
    main()
