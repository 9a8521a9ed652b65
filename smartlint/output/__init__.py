"""Reporters: each turns a lint result into one output format. They only read the result."""

from __future__ import annotations

import os


# Names and values come from the export, which a hostile server may have written: a control
# character (an ANSI escape, a bell, a carriage return) is shown as its escape, never sent to a
# terminal or a CI log, where it could recolour, retitle or overwrite what the user reads.
_CONTROLS = {c: f"\\u{c:04x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def escape_controls(text: str) -> str:
    """`text` with every C0/C1 control character written as its `\\uXXXX` escape."""
    # a control character is never printable: most text is, and is checked in C without the
    # per-character lookups of translate (text output of 10,000 lists: 88,000 calls)
    return text if text.isprintable() else text.translate(_CONTROLS)


def relative_inside(path: str, base: str) -> str | None:
    """`path` relative to the folder `base` (OS separators), or None when it lies outside it (or on
    another drive, on Windows): where GitHub and SARIF want a path under the repository root."""
    absolute = os.path.abspath(path)
    start = os.path.abspath(base)
    if absolute.startswith(start) and absolute[len(start) : len(start) + 1] == os.sep and not start.endswith(os.sep):
        # inside: what relpath returns, without its walk over both paths' parts (SARIF and GitHub
        # ask for every file: 9,000 relpath calls took ~0.1 s at 10,000 lists)
        return absolute[len(start) + 1 :]
    try:
        relative = os.path.relpath(absolute, base)
    except ValueError:  # another drive on Windows
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative
