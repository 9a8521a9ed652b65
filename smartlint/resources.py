"""Where the data folders `grammar/` and `rules/` live: inside the installed wheel
(`smartlint/grammar`, `smartlint/rules`) or, in a source checkout, beside the package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"smartlint is installed without its {name}/ folder")
