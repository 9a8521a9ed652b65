"""The Marketo REST Asset API JSON form.

Parsing takes the fast path (orjson when installed); lines and columns are not computed while
loading but looked up by JSON pointer afterwards, only for the files that have something to report.
"""

from __future__ import annotations

import json

from ..model import Document, InputError, Location
from .rest import load_rest

try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a dependency, but stay usable without it
    _loads = json.loads


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def load_json(text: str, document: Document, positions: bool = False) -> None:
    document.text = text
    try:
        data = _loads(text)
    except (json.JSONDecodeError, ValueError):
        _syntax_error(text, document)
        return
    locate = (lambda pointer: position(document, pointer)) if positions else (lambda pointer: (0, 0))
    load_rest(data, document, locate)


def _syntax_error(text: str, document: Document) -> None:
    try:  # the standard library's messages and positions read better than orjson's
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        message = exc.msg
        if exc.pos >= len(text.rstrip()):
            message += " (the file ends too early: is it truncated?)"
        document.errors.append(InputError(f"invalid JSON: {message}", Location(document.path, exc.lineno, exc.colno)))
        return
    except (ValueError, RecursionError) as exc:
        document.errors.append(InputError(f"invalid JSON: {exc}", Location(document.path, 1, 1)))
        return
    document.errors.append(InputError("invalid JSON", Location(document.path, 1, 1)))


def position(document: Document, pointer: str) -> tuple[int, int]:
    """1-based (line, column) of the value at `pointer`, (0, 0) when it cannot be found."""
    if document.positions is None:
        try:
            from json_source_map import calculate

            document.positions = calculate(document.text or "")
        except Exception:  # a position is a nicety; never fail a run over it
            document.positions = {}
    entry = document.positions.get(pointer)
    if entry is None:
        return (0, 0)
    start = entry.key_start or entry.value_start  # point at `"name": …` rather than its value
    return (start.line + 1, start.column + 1)
