"""`smartlint report`: the whole-export report for dashboards (a superset of `lint --format json`)
and its self-contained HTML page."""

from __future__ import annotations

import json
import os
import re
import statistics
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from ..catalog import SEVERITIES
from ..engine import Result
from ..sources.dump import rule_lines
from .. import __version__
from .json_report import dumps, finding_dict, list_entries, summary as lint_summary

SCHEMA_VERSION = 2
HISTORY_LIMIT = 520  # ten years of weekly reports; older points are dropped first


class PreviousReportError(Exception):
    """PREVIOUS.json of `report --compare` cannot be read or is not a smartlint report."""


def build(result: Result, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    analysis = result.analysis
    lists = list_entries(result)
    entries = result.lists
    per_list = _findings_per_list(result)
    for index, (entry, (_, smart_list)) in enumerate(zip(lists, entries)):
        entry["url"] = smart_list.url
        entry["folder"] = folder_label(smart_list)
        entry["findings"] = per_list.get(index, {s: 0 for s in SEVERITIES})
    ranked = sorted(lists, key=lambda e: (-e.get("cost", 0), e["path"], e["name"]))
    costs = [e["cost"] for e in lists]
    summary = lint_summary(result)
    summary["filters"] = sum(e["filters"] for e in lists)
    summary["cost"] = {
        "total": round(sum(costs), 3),
        "median": round(statistics.median(costs), 3) if costs else 0.0,
        "note": "relative estimate from rules/costs.yaml, for ranking; not a measurement",
    }
    repeated = []
    for item in analysis.repeated if analysis is not None else ():  # None: no file had a list
        users = [entries[i] for i in item.lists]
        repeated.append(
            {
                "field": item.field_name,
                "filters": [line for f in item.filters for line in rule_lines(f, ids=False)],
                "filter_count": len(item.signatures),
                "list_count": len(item.lists),
                "score": item.score,
                "lists": [{"path": d.path, "id": s.id, "name": s.name} for d, s in users],
                "recipe": item.recipe,
            }
        )
    graph = analysis.graph if analysis is not None else None
    edges = []
    unresolved = []
    involved: set[int] = set()
    for source, uses in enumerate(graph.uses if graph is not None else ()):
        for _, name, target in uses:
            involved.add(source)
            if target is None:
                unresolved.append({"from": source, "name": name})
            else:
                involved.add(target)
                edges.append({"from": source, "to": target})
    findings = [finding_dict(f) for f in result.findings]
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "smartlint", "version": __version__},
        "generated_at": _now(),
        "summary": summary,
        "rules": _rules(result),
        "lists": ranked,
        "repeated_sets": repeated,
        "graph": {
            "nodes": [
                {"index": i, "path": entries[i][0].path, "id": entries[i][1].id, "name": entries[i][1].name, "depth": graph.depth[i]}
                for i in sorted(involved)
            ],
            "edges": edges,
            "cycles": [[entries[i][1].name for i in cycle] for cycle in graph.cycles] if graph is not None else [],
            "unresolved": unresolved,
            "max_depth": max(graph.depth, default=0) if graph is not None else 0,
        },
        "findings": findings,
    }
    history = list(previous.get("history") or [_point(previous)]) if previous is not None else []
    document["history"] = (history + [_point(document)])[-HISTORY_LIMIT:]
    if previous is not None:
        document["trend"] = compare(previous, document)
    return document


def render_json(result: Result) -> str:
    return dumps(build(result))


# ---- lists, folders, rules -------------------------------------------------------------------


def folder_label(smart_list: Any) -> str | None:
    """What the Marketo tree shows for the list's folder or program: its name, else `Program 1041`."""
    folder = smart_list.folder
    if folder is not None:
        if folder.name:
            return folder.name
        if folder.id is not None:
            return f"{folder.type or 'Folder'} {folder.id}"
    program = smart_list.program
    if program is not None and (program.name or program.id is not None):
        return program.name or f"Program {program.id}"
    return None


def _list_key(path: str, list_id: int | None, name: str | None) -> tuple[str, Any]:
    return (path, list_id if list_id is not None else name)


def _findings_per_list(result: Result) -> dict[int, dict[str, int]]:
    index = {}
    for i, (document, smart_list) in enumerate(result.lists):
        index.setdefault(_list_key(document.path, smart_list.id, smart_list.name), i)
    out: dict[int, dict[str, int]] = {}
    for finding in result.findings:
        i = index.get(_list_key(finding.location.path, finding.list_id, finding.list_name))
        if i is None:
            continue
        counts = out.get(i)
        if counts is None:
            counts = out[i] = {s: 0 for s in SEVERITIES}
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return out


def _rules(result: Result) -> list[dict[str, Any]]:
    """Findings by rule, most findings first: name, severities and every list the rule hits."""
    by_code: dict[str, dict[str, Any]] = {}
    for finding in result.findings:
        rule = by_code.get(finding.code)
        if rule is None:
            rule = by_code[finding.code] = {"code": finding.code, "name": finding.name, "severity": finding.severity,
                                            "findings": 0, "by_severity": Counter(), "lists": {}}
        rule["findings"] += 1
        rule["by_severity"][finding.severity] += 1
        if finding.list_id is not None or finding.list_name is not None:
            key = _list_key(finding.location.path, finding.list_id, finding.list_name)
            if key not in rule["lists"]:
                rule["lists"][key] = {"path": finding.location.path, "id": finding.list_id, "name": finding.list_name}
    out = []
    for rule in by_code.values():
        severities = rule["by_severity"]
        rule["severity"] = next(s for s in SEVERITIES + tuple(severities) if severities.get(s))
        rule["by_severity"] = {s: severities[s] for s in SEVERITIES if severities.get(s)}
        rule["lists"] = list(rule["lists"].values())
        rule["list_count"] = len(rule["lists"])
        out.append(rule)
    out.sort(key=lambda r: (SEVERITIES.index(r["severity"]) if r["severity"] in SEVERITIES else 3, -r["findings"], r["code"]))
    return out


def _now() -> str:
    """UTC time of the report; SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---- trend -----------------------------------------------------------------------------------


def _point(document: dict[str, Any]) -> dict[str, Any]:
    summary = document["summary"]
    return {
        "generated_at": document.get("generated_at"),
        "lists": summary["lists"],
        "findings": summary["findings"],
        "by_severity": dict(summary.get("by_severity") or {}),
        "cost": summary["cost"]["total"],
    }


def load_previous(path: str) -> dict[str, Any]:
    """Read PREVIOUS.json for `--compare`; PreviousReportError says what is wrong with it."""
    from .files import read_input

    try:
        document = json.loads(read_input(path))
    except OSError as exc:
        raise PreviousReportError(f"--compare: cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise PreviousReportError(f"--compare: {path} is not JSON ({exc})") from None
    problem = _incompatible(document)
    if problem:
        raise PreviousReportError(f"--compare: {path} is not a smartlint report this version can compare with: {problem}")
    return document


def _incompatible(document: Any) -> str | None:
    if not isinstance(document, dict):
        return "the top level is not an object"
    if not isinstance(document.get("tool"), dict) or document["tool"].get("name") != "smartlint":
        return "no `tool.name: smartlint` (write it with `smartlint report`)"
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        return "no integer `schema_version`"
    if version > SCHEMA_VERSION:
        return f"schema_version {version} is newer than this smartlint's {SCHEMA_VERSION}; upgrade smartlint"
    summary = document.get("summary")
    if not isinstance(summary, dict) or not isinstance(summary.get("cost"), dict) or not _number(summary["cost"].get("total")):
        return "no `summary.cost.total` (a `lint --format json` document is not a report: use `smartlint report`)"
    for key in ("lists", "findings"):
        if not _number(summary.get(key)):
            return f"no number `summary.{key}`"
        if not isinstance(document.get(key), list) or not all(isinstance(item, dict) for item in document[key]):
            return f"`{key}` is not an array of objects"
    for entry in document["lists"]:
        if not isinstance(entry.get("name"), str) or not _number(entry.get("cost")):
            return "a list without a `name` and a number `cost`"
    for entry in document["findings"]:
        if not all(isinstance(entry.get(k), str) for k in ("code", "severity", "message")):
            return "a finding without `code`, `severity` and `message`"
    history = document.get("history")
    if history is not None:
        if not isinstance(history, list):
            return "`history` is not an array"
        for point in history:
            if not isinstance(point, dict) or not _number(point.get("cost")) or not _number(point.get("findings")):
                return "a `history` point without a number `cost` and `findings`"
    return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _identity(entry: dict[str, Any]) -> tuple[Any, ...]:
    """A list across two reports: its kind and Marketo id, else its name (paths change when the
    export is pulled to another folder)."""
    list_id = entry.get("id")
    return (entry.get("kind"), "id", list_id) if list_id is not None else (entry.get("kind"), "name", entry.get("name"))


_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _finding_identity(entry: dict[str, Any]) -> tuple[Any, ...]:
    owner = entry.get("list_id")
    owner = ("id", owner) if owner is not None else ("name", entry.get("list_name")) if entry.get("list_name") is not None else ("path", entry.get("path"))
    # numbers in a message are counts that move week to week ("120 values", "in 4 other lists"):
    # the same problem with another count is not a new finding
    return (*owner, entry.get("code"), _DIGITS.sub("#", str(entry.get("message"))))


def _unmatched(findings: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings that `others` does not match, one for one: of three identical findings against
    two, the third."""
    left = Counter(map(_finding_identity, others))
    unmatched = []
    for finding in findings:
        key = _finding_identity(finding)
        if left[key]:
            left[key] -= 1
        else:
            unmatched.append(finding)
    return unmatched


def compare(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """What changed since PREVIOUS: new and fixed findings, lists added, removed, dearer, cheaper."""
    new = _unmatched(current["findings"], previous["findings"])
    fixed = [{k: finding.get(k) for k in ("code", "name", "severity", "message", "path", "list_id", "list_name")}
             for finding in _unmatched(previous["findings"], current["findings"])]
    old_lists = {}
    for entry in previous["lists"]:
        old_lists.setdefault(_identity(entry), entry)
    rose, fell, added = [], [], []
    matched = set()
    for entry in current["lists"]:
        key = _identity(entry)
        old = old_lists.get(key)
        if old is None:
            added.append(_list_ref(entry))
            continue
        matched.add(key)
        change = round(entry["cost"] - old["cost"], 3)
        if change:
            item = {**_list_ref(entry), "previous": old["cost"], "current": entry["cost"], "change": change}
            (rose if change > 0 else fell).append(item)
    removed = [_list_ref(e) for k, e in old_lists.items() if k not in matched]
    rose.sort(key=lambda e: (-e["change"], e["name"]))
    fell.sort(key=lambda e: (e["change"], e["name"]))
    cost_before = previous["summary"]["cost"]["total"]
    cost_now = current["summary"]["cost"]["total"]
    return {
        "previous": {"generated_at": previous.get("generated_at"), "lists": previous["summary"]["lists"],
                     "findings": previous["summary"]["findings"], "cost": cost_before},
        "cost": {"previous": cost_before, "current": cost_now, "change": round(cost_now - cost_before, 3)},
        "findings": {"new": new, "fixed": fixed},
        "lists": {"added": added, "removed": removed, "cost_rose": rose, "cost_fell": fell},
    }


def _list_ref(entry: dict[str, Any]) -> dict[str, Any]:
    return {"path": entry.get("path"), "id": entry.get("id"), "name": entry.get("name"), "kind": entry.get("kind"), "url": entry.get("url")}


# ---- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = ("id", "name", "kind", "folder", "cost", "own_cost", "filters", "errors", "warnings", "infos", "url", "path")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """OWASP's advice against CSV injection: a text cell that a spreadsheet would read as a
    formula gets a leading apostrophe (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def render_csv(document: dict[str, Any]) -> str:
    """The list table, most expensive first, RFC 4180 (CRLF line ends, quotes doubled)."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in document["lists"]:
        counts = entry.get("findings") or {}
        row = {**entry, "errors": counts.get("error", 0), "warnings": counts.get("warning", 0), "infos": counts.get("info", 0)}
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue()
