"""The cost model per list (weights in rules/costs.yaml): each filter's cost combined through the
list's logic — `and` adds, `or` adds with a penalty because nothing narrows — plus the cost of
every smart list it references, memoised over the graph with cycles cut. A heuristic for ranking."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import costs, filter_kind
from ..cost import filter_cost
from ..model import Logic, MatchType, Not, Or, Ref, SmartList
from .graph import Graph


@dataclass(slots=True)
class ListCost:
    own: float
    total: float
    references: list[dict] = field(default_factory=list)  # referenced lists and what they add


def breakdown(smart_list: SmartList) -> list[dict]:
    """Each filter's cost, for reports (made when written, not kept: 364,000 dicts at 50k lists)."""
    return [{"filter": f.number, "name": f.name, "kind": filter_kind(f), "cost": filter_cost(f)} for f in smart_list.filters]


def _combine(logic: Logic, cost_of: dict[int, float], penalty: float) -> float:
    if isinstance(logic, Ref):
        return cost_of.get(logic.number, 0.0)
    if isinstance(logic, Not):
        return _combine(logic.item, cost_of, penalty) * 1.5
    total = sum(_combine(item, cost_of, penalty) for item in logic.items)
    return total * penalty if isinstance(logic, Or) else total


def own_cost(smart_list: SmartList) -> float:
    weights = costs()
    cost_of: dict[int, float] = {}
    for item in smart_list.filters:
        cost_of[item.number] = filter_cost(item)
    penalty = weights["any_penalty"]
    if smart_list.match_type is MatchType.ANY and len(cost_of) > 1:
        total = sum(cost_of.values()) * penalty
    elif smart_list.match_type is MatchType.ADVANCED and smart_list.logic is not None:
        total = _combine(smart_list.logic, cost_of, penalty)
    else:
        total = sum(cost_of.values())
    total += weights["trigger_cost"] * len(smart_list.triggers)
    return round(total, 3)


def list_costs(lists: list[SmartList], graph: Graph) -> list[ListCost]:
    own = []
    out = []
    for smart_list in lists:
        value = own_cost(smart_list)
        own.append(value)
        out.append(ListCost(value, value))
    # totals: post-order over the reference graph, iteratively; a list on the current path adds 0
    total: dict[int, float] = {}
    for start in range(len(lists)):
        if start in total:
            continue
        stack = [(start, 0)]
        on_path = {start}
        while stack:
            node, child_index = stack[-1]
            children = graph.edges[node]
            if child_index < len(children):
                stack[-1] = (node, child_index + 1)
                child = children[child_index]
                if child not in total and child not in on_path:
                    on_path.add(child)
                    stack.append((child, 0))
                continue
            stack.pop()
            on_path.discard(node)
            refs = []
            value = own[node]
            for child in dict.fromkeys(graph.edges[node]):
                added = total.get(child, 0.0)  # 0 when the child is on the path: a cycle is cut
                value += added
                refs.append({"list": lists[child].name, "id": lists[child].id, "cost": round(added, 3)})
            total[node] = value
            out[node].total = round(value, 3)
            out[node].references = refs
    return out
