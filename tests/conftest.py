from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "marketo-docs"

# The same examples on every run, so that a red run is a bug and a green one stays green: derandomized,
# without a database of past failures to replay. `HYPOTHESIS_PROFILE=explore` hunts with new examples
# (and a long run: SMARTLINT_CLI_EXAMPLES=500, test_robustness.py).
settings.register_profile("smartlint", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "smartlint"))

# smartlint keeps what it reads from rules/ in the user's cache folder (catalog._cached): the suite
# keeps its own, so that no cache left by another checkout or an older build decides a result. Set
# here, before the test modules are collected: some read the rules when they are imported.
_CACHE = tempfile.mkdtemp(prefix="smartlint-test-cache-")
atexit.register(shutil.rmtree, _CACHE, True)
os.environ["XDG_CACHE_HOME"] = _CACHE

# What a CI runner or a developer's shell may set that changes smartlint's output: GitHub Actions
# makes `--format github` the default and paths relative to its workspace; colours, widths, the
# terminal (rich, typer); tracebacks; a Marketo instance to pull from. The tests run smartlint as
# in a plain terminal and set these themselves where they test them.
OUTSIDE = (
    "GITHUB_ACTIONS", "GITHUB_WORKSPACE", "FORCE_COLOR", "PY_COLORS", "CLICOLOR_FORCE", "TERMINAL_WIDTH", "LINES",
    "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "JUPYTER_LINES", "_TYPER_FORCE_DISABLE_TERMINAL",
    "TYPER_USE_RICH", "_TYPER_STANDARD_TRACEBACK", "TYPER_STANDARD_TRACEBACK", "SMARTLINT_DEBUG", "SOURCE_DATE_EPOCH",
    "MARKETO_BASE_URL", "MARKETO_CLIENT_ID", "MARKETO_CLIENT_SECRET",
)
PLAIN = {"NO_COLOR": "1", "COLUMNS": "200"}


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch):
    """Every test, and every command it runs, sees the plain terminal above (restored after)."""
    for name in OUTSIDE:
        monkeypatch.delenv(name, raising=False)
    for name, value in PLAIN.items():
        monkeypatch.setenv(name, value)


class Run:
    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)


def smartlint(*args: str, cwd: Path | str | None = None, env: dict | None = None, input: str | None = None) -> Run:
    """Run the real command line, as a user would (`input`: its standard input)."""
    environment = {**os.environ, **PLAIN, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "smartlint", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=environment,
        timeout=120,
        input=input,
    )
    return Run(proc)


@pytest.fixture
def cli():
    return smartlint


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
