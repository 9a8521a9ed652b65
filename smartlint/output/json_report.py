"""`--format json`: one JSON document (schema_version 1; later versions add fields, never rename)."""

from __future__ import annotations

import json
from collections import Counter
from itertools import islice
from typing import Any, Iterator

from .. import __version__
from ..engine import Result
from ..export.costs import RoundedCosts, breakdown
from ..model import Finding

SCHEMA_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "path": loc.path,
        "line": loc.line or None,
        "column": loc.column or None,
        "pointer": loc.pointer,
        "list_id": finding.list_id,
        "list_name": finding.list_name,
        "filter": finding.filter,
        "fingerprint": finding.fingerprint,
    }


def summary(result: Result) -> dict[str, Any]:
    return {
        "files": len(result.documents),
        "lists": sum(len(d.lists) for d in result.documents),
        "findings": len(result.findings),
        "by_severity": dict(sorted(Counter(f.severity for f in result.findings).items())),
        "by_code": dict(sorted(Counter(f.code for f in result.findings).items())),
    }


def list_entries(result: Result) -> list[dict[str, Any]]:
    """Every list with its cost and per-filter breakdown."""
    return list(_list_entries(result))


def _list_entries(result: Result) -> Iterator[dict[str, Any]]:
    analysis = result.analysis
    if analysis is None:
        for document in result.documents:
            for smart_list in document.lists:
                yield {"path": document.path, "id": smart_list.id, "name": smart_list.name, "kind": smart_list.kind.value, "filters": len(smart_list.filters)}
        return
    costs, depth = analysis.costs, analysis.graph.depth
    rounded = RoundedCosts()  # for this output only: one entry per distinct cost
    index = 0
    for document in result.documents:
        for smart_list in document.lists:
            cost = costs[index]
            yield {
                "path": document.path,
                "id": smart_list.id,
                "name": smart_list.name,
                "kind": smart_list.kind.value,
                "filters": len(smart_list.filters),
                "cost": cost.total,
                "own_cost": cost.own,
                "depth": depth[index],
                "breakdown": breakdown(smart_list, rounded),
                "references": cost.references,
            }
            index += 1


def report(result: Result) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "smartlint", "version": __version__},
        "summary": summary(result),
        "findings": [finding_dict(f) for f in result.findings],
        "lists": list_entries(result),
    }


def dumps(document: Any) -> str:
    """Indented JSON; orjson when installed (json.dumps with indent runs in pure Python)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return _dumps(orjson, document) + "\n"


def _dumps(orjson: Any, value: Any) -> str:
    """orjson's indented JSON; json's for what orjson refuses (a lone surrogate, which the output
    stream writes as its `\\uXXXX` escape: see output/files.py), laid out the same."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:
        return json.dumps(value, indent=2, ensure_ascii=False)


def render(result: Result) -> str:
    return dumps(report(result))


CHUNK = 500  # items indented by one orjson call: ~20 % less time than one call an item


def write(result: Result, stream: Any) -> None:
    """`render(result)` written piece by piece: the same bytes, without holding the whole
    document (at 50,000 lists its dicts and text took more memory than the model)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover
        stream.write(render(result))
        return

    def nested(value: Any) -> str:  # an item of a top-level array: two levels deep
        return "    " + _dumps(orjson, value).replace("\n", "\n    ")

    def chunk_text(chunk: list) -> str:
        """The items of `chunk` as `nested` writes them, joined by `,\n`: one array dumped, its
        brackets dropped, every line indented two more."""
        try:
            text = orjson.dumps(chunk, option=orjson.OPT_INDENT_2).decode("utf-8")
        except TypeError:  # what orjson refuses: each item as _dumps writes it
            return ",\n".join(map(nested, chunk))
        return "  " + text[2:-2].replace("\n", "\n  ")  # without "[\n" and "\n]"

    head = {"schema_version": SCHEMA_VERSION, "tool": {"name": "smartlint", "version": __version__}, "summary": summary(result)}
    stream.write(_dumps(orjson, head)[:-2])  # without the closing "\n}"
    for key, items in (("findings", map(finding_dict, result.findings)), ("lists", _list_entries(result))):
        stream.write(f',\n  "{key}": [')
        first = True
        while chunk := list(islice(items, CHUNK)):
            stream.write("\n" if first else ",\n")
            stream.write(chunk_text(chunk))
            first = False
        stream.write("]" if first else "\n  ]")
    stream.write("\n}\n")
