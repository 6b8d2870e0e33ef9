"""Shared helpers for the encoding-stage benchmarks (Python standard library only)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / ".data"
VENV = ROOT / "bench" / ".venv"
FTFY_VERSION = "6.3.1"
CHARSET_NORMALIZER_VERSION = "3.4.2"


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def binary():
    """The unscrape binary to test: $UNSCRAPE_BIN, or the release build (built if missing)."""
    env = os.environ.get("UNSCRAPE_BIN")
    if env:
        return Path(env)
    if os.environ.get("UNSCRAPE_NO_BUILD") != "1":
        log("building the release binary")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "target" / "release" / "unscrape"


def venv_python():
    """bench/.venv's python with pinned ftfy and charset-normalizer (created if missing)."""
    python = VENV / "bin" / "python"
    if not python.exists():
        log("creating", VENV)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    check = subprocess.run(
        [str(python), "-c", f"import ftfy, charset_normalizer; assert ftfy.__version__ == '{FTFY_VERSION}'"],
        capture_output=True,
    )
    if check.returncode != 0:
        log(f"installing ftfy=={FTFY_VERSION} charset-normalizer=={CHARSET_NORMALIZER_VERSION}")
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet",
             f"ftfy=={FTFY_VERSION}", f"charset-normalizer=={CHARSET_NORMALIZER_VERSION}"],
            check=True,
        )
    return python


def run_unscrape(inp, out, jobs=None):
    """Cleans folder `inp` into `out` with only the encoding stage."""
    cmd = [str(binary()), "clean", str(inp), "--out", str(out), "--only", "encoding", "-q"]
    if jobs:
        cmd += ["-j", str(jobs)]
    subprocess.run(cmd, check=False)
