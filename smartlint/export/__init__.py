"""Whole-export analysis: what is visible only across all the lists of an instance — repeated
filter sets (SL401), the Member of Smart List graph (SL402–SL404, SL205's cross-list half) and
the cost of each list. Works on the merged model of every file, in near-linear time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..checks import Problem
from ..model import Document, SmartList
from .costs import ListCost, list_costs
from .graph import Graph, build_graph, graph_problems
from .repeated import RepeatedSet, families, find_repeated_sets, repeated_problems

EXPORT_CODES = ("SL401", "SL402", "SL403", "SL404", "SL205", "SL502")


@dataclass
class Analysis:
    entries: list[tuple[Document, SmartList]]
    graph: Graph
    costs: list[ListCost]
    repeated: list[RepeatedSet] = field(default_factory=list)
    problems: dict[int, list[tuple[str, Problem]]] = field(default_factory=dict)  # list index -> problems


def analyse(entries: list[tuple[Document, SmartList]], options: dict[str, dict[str, Any]], enabled: frozenset[str]) -> Analysis:
    """`options` maps rule code to its options; `enabled` says which export rules to report."""
    lists = [s for _, s in entries]
    graph = build_graph(lists)
    analysis = Analysis(entries, graph, list_costs(lists, graph))
    # the sets feed the report even when SL401 itself is not selected
    opts = options.get("SL401", {})
    min_lists = opts.get("min-lists", 3)
    analysis.repeated = families(lists, find_repeated_sets(lists, opts.get("min-set-size", 2), min_lists, analysis.costs), min_lists, analysis.costs)
    found: list[tuple[int, str, Problem]] = []
    if "SL401" in enabled:
        found.extend(repeated_problems(lists, analysis.repeated))
    found.extend((i, code, p) for i, code, p in graph_problems(lists, graph, options.get("SL402", {}).get("max-depth", 2), [d.path for d, _ in entries]) if code in enabled)
    if "SL502" in enabled:
        from .triggers import shared_trigger_problems

        found.extend(shared_trigger_problems(lists, options.get("SL502", {}).get("min-campaigns", 10)))
    for index, code, problem in found:
        analysis.problems.setdefault(index, []).append((code, problem))
    return analysis
