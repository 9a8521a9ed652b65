"""The Marketo REST Asset API JSON form.

One pass gives both the data and the position of every smart list, filter and trigger: the
outer containers (envelope, `result`, the list, `rules`, `filters`, `triggers`) are walked here,
and everything inside a filter is parsed by the standard library's C scanner. Measured on a 10,000
list export: ~110 µs a file, against ~40 µs for `json.loads` and ~13 ms for json-source-map,
which computes every position. Positions inside a filter (its conditions) are found only when a
finding needs them, by walking from the filter to them with the same C scanner (`_locate`).
"""

from __future__ import annotations

import json
import re
from json.decoder import JSONDecoder, scanstring
from typing import Any, Container

from ..model import Document, InputError, Location
from .rest import load_rest

_WS = re.compile(r"[ \t\n\r]*")
# A member's key and its colon, with the whitespace around them, in one regular expression call
# instead of scanstring and four whitespace and punctuation steps (10,000 files: the walk 0.40 s
# -> 0.32 s of CPU). A key holding a backslash or a control character does not match: scanstring
# reads it, and rejects what JSON does not allow.
_KEY = re.compile(r'[ \t\n\r]*"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')
_AFTER = re.compile(r"[ \t\n\r]*([,}\]])")  # what follows a member or an element
_DESCEND = frozenset({"result", "rules", "filters", "triggers"})


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


_scan_once = JSONDecoder(parse_constant=_reject_constant).scan_once


class _Malformed(Exception):
    pass


class _DuplicateKey(Exception):
    def __init__(self, key: str, offset: int) -> None:
        super().__init__(key)
        self.key = key
        self.offset = offset


def _walk(text: str) -> tuple[Any, dict[str, tuple[int, int, int]]]:
    """(data, spans): spans maps the pointer of each list, filter and trigger to its (offset,
    line, column). Lines are counted on from one element to the next as the walk meets them, in
    the order of the file (a line counter called for each at load took ~0.04 s more a 10,000
    files)."""
    spans: dict[str, tuple[int, int, int]] = {}
    ws, key_of, after = _WS.match, _KEY.match, _AFTER.match
    line, line_start, counted = 1, 0, 0  # line ends are counted up to `counted`

    def members(idx: int, pointer: str) -> tuple[dict, int]:
        obj: dict[str, Any] = {}
        idx += 1
        while True:
            found = key_of(text, idx)
            if found is not None:
                key, key_at, idx = found.group(1), found.start(1) - 1, found.end()
            elif not obj and text.startswith("}", ws(text, idx).end()):
                return obj, ws(text, idx).end() + 1
            else:
                key, key_at, idx = _escaped_key(text, idx, obj)
            if key in obj:
                raise _DuplicateKey(key, key_at)
            if key in _DESCEND and text.startswith("{", idx):
                obj[key], idx = members(idx, f"{pointer}/{key}")
            elif key in _DESCEND and text.startswith("[", idx):
                obj[key], idx = elements(idx, f"{pointer}/{key}", key == "result")
            else:
                obj[key], idx = _scan_once(text, idx)
            found = after(text, idx)
            if found is None or found.group(1) == "]":
                raise _Malformed
            idx = found.end()
            if found.group(1) == "}":
                return obj, idx

    def elements(idx: int, pointer: str, lists: bool) -> tuple[list, int]:
        nonlocal line, line_start, counted
        items: list[Any] = []
        idx = ws(text, idx + 1).end()
        if text.startswith("]", idx):
            return items, idx + 1
        while True:
            child = f"{pointer}/{len(items)}"
            breaks = text.count("\n", counted, idx)
            if breaks:
                line += breaks
                line_start = text.rfind("\n", counted, idx) + 1
            counted = idx
            spans[child] = (idx, line, idx - line_start + 1)
            if lists and text.startswith("{", idx):
                item, idx = members(idx, child)
            else:
                item, idx = _scan_once(text, idx)
            items.append(item)
            found = after(text, idx)
            if found is None or found.group(1) == "}":
                raise _Malformed
            if found.group(1) == "]":
                return items, found.end()
            idx = ws(text, found.end()).end()

    try:
        start = ws(text, 0).end()
        if text.startswith("{", start):
            data, end = members(start, "")
        elif text.startswith("[", start):
            data, end = elements(start, "", True)
        else:
            data, end = _scan_once(text, start)
    finally:
        # the two closures refer to each other: break the cycle so that reference counting frees
        # them (and the text they hold) at once, without waiting for the cyclic collector
        members = elements = None  # type: ignore[assignment]  # noqa: F841
    spans[""] = (start, text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start))
    if ws(text, end).end() != len(text):
        raise _Malformed
    return data, spans


def load_json(text: str, document: Document, positions: bool = False) -> None:
    """Load a REST JSON file. Lists, filters and triggers always get their positions; with
    `positions`, everything else (conditions, bad values) gets them at once too."""
    document.text = text
    try:
        data, spans = _walk(text)
    except _DuplicateKey as exc:
        line, column = _LineCounter(text)(exc.offset)
        document.errors.append(
            InputError(f"duplicate key `{exc.key}`: JSON readers keep only one of them; remove the other", Location(document.path, line, column))
        )
        return
    except (_Malformed, ValueError, StopIteration, RecursionError, IndexError):
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (json.JSONDecodeError, ValueError, RecursionError):
            _syntax_error(text, document)
            return
        spans = {}  # valid JSON the walker did not follow: load it without positions
    document.positions = {"spans": spans, "resolved": {}, "lines": _LineCounter(text)}

    def locate(pointer: str) -> tuple[int, int]:
        span = spans.get(pointer)
        return (span[1], span[2]) if span else (0, 0)

    if positions:
        load_rest(data, document, lambda pointer: position(document, pointer))
    else:  # conditions are never in `spans`: their positions are found when a finding needs them
        load_rest(data, document, locate, conditions_located=False)


class _LineCounter:
    """(line, column) of offsets in one text, looking for line ends only between an offset and the
    one asked for before it. Positions are asked for in about the order of the file, so a file
    costs one pass however many positions it has. (Searching from the start each time was
    quadratic: a 2.5 MB file of 600 lists spent 5.9 s counting line ends, and a one-line file
    as long searching back for the start of its line.)"""

    __slots__ = ("text", "offset", "line", "start")

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line, self.start = text, 0, 1, 0

    def __call__(self, offset: int) -> tuple[int, int]:
        text = self.text
        if offset >= self.offset:
            found = text.count("\n", self.offset, offset)
            if found:
                self.line += found
                self.start = text.rfind("\n", self.offset, offset) + 1
        else:
            found = text.count("\n", offset, self.offset)
            if found:
                self.line -= found
                self.start = text.rfind("\n", 0, offset) + 1
        self.offset = offset
        return self.line, offset - self.start + 1


def _syntax_error(text: str, document: Document) -> None:
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        message = exc.msg
        if exc.pos >= len(text.rstrip()):
            message += " (the file ends too early: is it truncated?)"
        document.errors.append(InputError(f"invalid JSON: {message}", Location(document.path, exc.lineno, exc.colno)))
        return
    except (ValueError, RecursionError) as exc:
        from .rest import long_number

        document.errors.append(long_number(text, document.path) or InputError(f"invalid JSON: {exc}", Location(document.path, 1, 1)))
        return
    document.errors.append(InputError("invalid JSON", Location(document.path, 1, 1)))  # pragma: no cover


def _escaped_key(text: str, idx: int, seen: Container[str] = ()) -> tuple[str, int, int]:
    """(key, offset of its quote, offset of its value) of the member at `idx` whose key _KEY
    does not match: one with an escape, or bad JSON (_Malformed). A key already in `seen` is
    reported as a duplicate even if what follows it is broken."""
    idx = _WS.match(text, idx).end()
    if not text.startswith('"', idx):
        raise _Malformed
    key, end = scanstring(text, idx + 1)
    if key in seen:
        raise _DuplicateKey(key, idx)
    end = _WS.match(text, end).end()
    if not text.startswith(":", end):
        raise _Malformed
    return key, idx, _WS.match(text, end + 1).end()


def _locate(text: str, start: int, segments: list[str]) -> int:
    """The offset of what `segments` (of a JSON pointer) name inside the JSON value at `start`: a
    member's key, an element's first character; -1 when it is not there. Values on the way are
    skipped by the C scanner, so finding a condition costs a few calls, not a pass over every
    character of its filter."""
    ws, key_of, after = _WS.match, _KEY.match, _AFTER.match
    idx = start
    try:
        last = len(segments) - 1
        for position, segment in enumerate(segments):
            idx = ws(text, idx).end()
            if text.startswith("{", idx):
                wanted = segment.replace("~1", "/").replace("~0", "~")
                idx += 1
                while True:
                    found = key_of(text, idx)
                    if found is not None:
                        key, key_at, idx = found.group(1), found.start(1) - 1, found.end()
                    else:
                        key, key_at, idx = _escaped_key(text, idx)
                    if key == wanted:
                        break
                    found = after(text, _scan_once(text, idx)[1])
                    if found is None or found.group(1) != ",":
                        return -1
                    idx = found.end()
                if position == last:
                    return key_at
            elif text.startswith("[", idx) and segment.isascii() and segment.isdigit():
                idx = ws(text, idx + 1).end()
                for _ in range(int(segment)):
                    found = after(text, _scan_once(text, idx)[1])
                    if found is None or found.group(1) != ",":
                        return -1
                    idx = ws(text, found.end()).end()
                if text.startswith("]", idx):
                    return -1
            else:
                return -1
    except (_Malformed, StopIteration, ValueError, RecursionError):
        return -1
    return idx


_CONDITIONS_KEY = re.compile(r'"conditions"[ \t\n\r]*:[ \t\n\r]*(?=\[)')
_BRACKET = re.compile(r"[\[\]{}]")


def _conditions_at(text: str, start: int) -> int:
    """The offset of the `[` of the conditions of the filter object at `start`, found by one
    search instead of walking the members before it (~10 µs a finding: 8,700 at 10,000 lists);
    -1 when the search cannot be sure, and the walk decides. It is sure when the key is followed
    by the first bracket after the filter's `{`: the members before it are then scalars, so the
    key is the filter's own. The search stops at that bracket, so a filter that writes the key
    otherwise (`"\\u0063onditions"`) costs the distance to it, not the rest of the file. A key's
    quote is never escaped: `\\"conditions"` is the end of a longer key, and is left to the walk."""
    if not text.startswith("{", start):
        return -1
    bracket = _BRACKET.search(text, start + 1)
    if bracket is None or bracket.group() != "[":
        return -1
    found = _CONDITIONS_KEY.search(text, start + 1, bracket.start() + 1)
    if found is None or found.end() != bracket.start() or text[found.start() - 1] == "\\":
        return -1
    return found.end()


def position(document: Document, pointer: str) -> tuple[int, int]:
    """1-based (line, column) of what `pointer` names, (0, 0) when it cannot be found."""
    text = document.text or ""
    state = document.positions or {"spans": {}, "resolved": {}, "lines": _LineCounter(text)}
    document.positions = state
    spans, resolved, lines = state["spans"], state["resolved"], state["lines"]
    if pointer in spans:
        return spans[pointer][1:]
    if pointer not in resolved:
        base = pointer
        while base and base not in spans:
            base = base.rsplit("/", 1)[0]
        start = spans[base][0] if base in spans else 0
        segments = pointer[len(base) :].split("/")[1:]
        offset = -1
        if base and len(segments) >= 2 and segments[0] == "conditions":  # nearly every finding inside a filter
            offset = _conditions_at(text, start)
            if offset >= 0:
                offset = _locate(text, offset, segments[1:])
        resolved[pointer] = offset if offset >= 0 else _locate(text, start, segments)
    offset = resolved[pointer]
    return lines(offset) if offset >= 0 else (0, 0)
