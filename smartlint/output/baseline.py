"""Baselines: record today's findings, then fail only on new ones. An entry is the finding's path,
relative to the baseline file's folder with `/` separators, and its fingerprint (list, rule and
filter signature, never line numbers or the path as typed). So the same finding matches whether
the export is linted by an absolute path, from inside it (`cd export && smartlint lint --baseline
../b.json .`) or a sub-folder at a time, and reformatting a file or moving a list keeps it. The
file is sorted and diff-friendly. Baselines of version 1 (paths as typed, fingerprints that
included them) are still read, matched by path, list, rule and message."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ..engine import Result
from ..model import Finding

VERSION = 2


class BaselineError(Exception):
    pass


def _relative(path: str, folder: str) -> str:
    """`path` relative to `folder`, with `/` separators (absolute where there is no relative path,
    such as another drive on Windows)."""
    absolute = os.path.abspath(path)
    try:
        return os.path.relpath(absolute, folder).replace(os.sep, "/")
    except ValueError:
        return absolute.replace(os.sep, "/")


def _folder(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def write(result: Result, path: str | os.PathLike[str]) -> int:
    folder = _folder(path)
    relative = cache(lambda p: _relative(p, folder))  # once per file, not once per finding
    entries = sorted(
        (
            {"fingerprint": f.fingerprint, "code": f.code, "path": relative(f.location.path),
             "list_id": f.list_id, "list_name": f.list_name, "filter": f.filter, "message": f.message}
            for f in result.findings
        ),
        key=lambda e: (e["path"], str(e["list_name"]), e["code"], e["fingerprint"]),
    )
    document = {"version": VERSION, "tool": "smartlint", "paths": "relative to this file's folder", "findings": entries}
    from .files import output_file

    with output_file(path) as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    return len(entries)


@dataclass
class Comparison:
    new: list[Finding]
    fixed: list[dict]  # baseline entries of linted files that no longer occur


def compare(result: Result, path: str) -> Comparison:
    from .files import read_input

    try:
        data = json.loads(read_input(path).decode("utf-8"))
        entries = data["findings"]
        version = data.get("version", 1)
        keys = [(e["path"], e["fingerprint"]) if version >= 2 else (e["path"], e["code"], e["list_id"], e["list_name"], e["message"]) for e in entries]
        set(keys)  # every key can be compared: no list or object where a value belongs
        if isinstance(version, bool) or not isinstance(version, int):
            raise TypeError(f"`version` must be a number, not {str(version)[:40]!r}")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise BaselineError(f"{path}: not a smartlint baseline ({type(exc).__name__}: {str(exc)[:200]})") from None
    if version >= 2:
        folder = _folder(path)
        relative = cache(lambda p: _relative(p, folder))  # once per file, not once per finding
        key = lambda f: (relative(f.location.path), f.fingerprint)  # noqa: E731
        linted = {relative(d.path) for d in result.documents}
    else:  # version 1: paths as they were typed
        key = lambda f: (f.location.path.replace("\\", "/"), f.code, f.list_id, f.list_name, f.message)  # noqa: E731
        linted = {d.path.replace("\\", "/") for d in result.documents}
    remaining = Counter(keys)
    new = []
    for finding in result.findings:
        k = key(finding)
        if remaining[k] > 0:
            remaining[k] -= 1
        else:
            new.append(finding)
    fixed = []
    for entry, k in zip(entries, keys):
        if remaining[k] > 0:
            remaining[k] -= 1
            if entry["path"] in linted:  # a file not linted this time is not fixed
                fixed.append(entry)
    return Comparison(new, fixed)
