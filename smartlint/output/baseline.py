"""Baselines: record today's findings, then fail only on new ones. Entries are keyed by the
finding's fingerprint (path, list, rule and filter signature, never line numbers), so reformatting
the file or moving the list within it keeps them. The file is sorted and diff-friendly."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from ..engine import Result
from ..model import Finding

VERSION = 1


class BaselineError(Exception):
    pass


def write(result: Result, path: str) -> int:
    entries = sorted(
        (
            {"fingerprint": f.fingerprint, "code": f.code, "path": f.location.path.replace("\\", "/"),
             "list_id": f.list_id, "list_name": f.list_name, "filter": f.filter, "message": f.message}
            for f in result.findings
        ),
        key=lambda e: (e["path"], str(e["list_name"]), e["code"], e["fingerprint"]),
    )
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": VERSION, "tool": "smartlint", "findings": entries}, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    return len(entries)


@dataclass
class Comparison:
    new: list[Finding]
    fixed: list[dict]  # baseline entries that no longer occur


def compare(result: Result, path: str) -> Comparison:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        entries = data["findings"]
        known = Counter(e["fingerprint"] for e in entries)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a smartlint baseline ({exc})") from None
    remaining = Counter(known)
    new = []
    for finding in result.findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
        else:
            new.append(finding)
    fixed = []
    for entry in entries:
        if remaining[entry["fingerprint"]] > 0:
            remaining[entry["fingerprint"]] -= 1
            fixed.append(entry)
    return Comparison(new, fixed)
