"""`smartlint report`: the whole-export report for dashboards (a superset of `lint --format json`)
and its self-contained HTML page."""

from __future__ import annotations

import statistics
from typing import Any

from ..engine import Result
from ..sources.dump import rule_lines
from .. import __version__
from .json_report import dumps, finding_dict, list_entries, summary as lint_summary

SCHEMA_VERSION = 2


def build(result: Result) -> dict[str, Any]:
    analysis = result.analysis
    lists = list_entries(result)
    ranked = sorted(lists, key=lambda e: (-e.get("cost", 0), e["path"], e["name"]))
    costs = [e["cost"] for e in lists]
    entries = result.lists
    summary = lint_summary(result)
    summary["filters"] = sum(e["filters"] for e in lists)
    summary["cost"] = {
        "total": round(sum(costs), 3),
        "median": round(statistics.median(costs), 3) if costs else 0.0,
        "note": "relative estimate from rules/costs.yaml, for ranking; not a measurement",
    }
    repeated = []
    for item in analysis.repeated:
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
    graph = analysis.graph
    edges = []
    unresolved = []
    involved: set[int] = set()
    for source, uses in enumerate(graph.uses):
        for _, name, target in uses:
            involved.add(source)
            if target is None:
                unresolved.append({"from": source, "name": name})
            else:
                involved.add(target)
                edges.append({"from": source, "to": target})
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "smartlint", "version": __version__},
        "summary": summary,
        "lists": ranked,
        "repeated_sets": repeated,
        "graph": {
            "nodes": [
                {"index": i, "path": entries[i][0].path, "id": entries[i][1].id, "name": entries[i][1].name, "depth": graph.depth[i]}
                for i in sorted(involved)
            ],
            "edges": edges,
            "cycles": [[entries[i][1].name for i in cycle] for cycle in graph.cycles],
            "unresolved": unresolved,
            "max_depth": max(graph.depth, default=0),
        },
        "findings": [finding_dict(f) for f in result.findings],
    }


def render_json(result: Result) -> str:
    return dumps(build(result))
