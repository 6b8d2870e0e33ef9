"""Shared fixtures: the repository root and the `unscrape` binary the Python output is compared
with (UNSCRAPE_BIN, else target/release/unscrape, else target/debug/unscrape)."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def find_binary():
    explicit = os.environ.get("UNSCRAPE_BIN")
    if explicit:
        return pathlib.Path(explicit)
    for profile in ("release", "debug"):
        candidate = ROOT / "target" / profile / "unscrape"
        if candidate.exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI; returns its stdout as text. Fails (not skips) without a binary: the
    comparison with the CLI is the point of these tests."""
    binary = find_binary()
    if binary is None:
        pytest.fail("no unscrape binary: run `cargo build` first or set UNSCRAPE_BIN")

    def run(args, stdin=None):
        done = subprocess.run(
            [str(binary), *args],
            input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        return done.stdout.decode("utf-8")

    return run
