"""The cost model per list (weights in rules/costs.yaml): each filter's cost combined through the
list's logic — `and` adds, `or` adds with a penalty because nothing narrows — plus the cost of
every smart list it references, memoised over the graph with cycles cut. A trigger campaign's
filters are checked per person (a small fraction of a database scan) and its triggers are priced
by their activity's volume, their breadth and how many active trigger campaigns listen on the same
activity. A heuristic for ranking."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import costs
from ..cost import activity_volume, filter_cost, trigger_activity, trigger_breadth, trigger_cost
from ..model import Logic, MatchType, Not, Or, Ref, SmartList
from .graph import Graph


@dataclass(slots=True)
class ListCost:
    own: float
    total: float
    references: list[dict] = field(default_factory=list)  # referenced lists and what they add


def _scale(smart_list: SmartList) -> float:
    """What a filter of this list costs relative to a batch run. A trigger campaign checks its
    filters for the one person who fired it, once per firing: a small part of a database scan,
    growing with how often its triggers fire (their activity's volume and breadth), never more than
    a batch run; nothing when the campaign is inactive."""
    if smart_list.campaign_type != "trigger":
        return 1.0
    if not listening(smart_list):
        return 0.0
    firing = sum(activity_volume(t.name) * trigger_breadth(t) for t in smart_list.triggers)
    return min(costs()["trigger_filter_factor"] * firing, 1.0)


class RoundedCosts(dict):
    """A cost rounded as reports show it, computed once per distinct cost: most lists are priced
    at scale 1, where `round` ran for each of their filters (73,000 at 10,000 lists) on ~10,000
    distinct costs. Only positive costs are kept: 0.0 and -0.0 are equal keys that round apart."""

    def __missing__(self, cost: float) -> float:
        value = round(cost, 3)
        if cost > 0:
            self[cost] = value
        return value


def breakdown(smart_list: SmartList, rounded: RoundedCosts | None = None) -> list[dict]:
    """Each filter's cost, for reports (made when written, not kept: 364,000 dicts at 50k lists).
    A report passes one `rounded` for all its lists."""
    scale = _scale(smart_list)
    cost = filter_cost
    if scale == 1.0:
        rounded = RoundedCosts() if rounded is None else rounded
        return [{"filter": f.number, "name": f.name, "kind": f.kind, "cost": rounded[cost(f)]} for f in smart_list.filters]
    return [{"filter": f.number, "name": f.name, "kind": f.kind, "cost": round(cost(f) * scale, 3)} for f in smart_list.filters]


def listening(smart_list: SmartList) -> bool:
    """A trigger campaign that listens: active, or of unknown state (a text-form campaign)."""
    return bool(smart_list.triggers) and smart_list.campaign_type == "trigger" and not (
        smart_list.campaign is not None and smart_list.campaign.is_active is False
    )


def listeners(lists: list[SmartList]) -> dict[str, int]:
    """How many listening trigger campaigns have a trigger on each activity."""
    count: dict[str, int] = {}
    for smart_list in lists:
        if listening(smart_list):
            for activity in {trigger_activity(t) for t in smart_list.triggers}:
                count[activity] = count.get(activity, 0) + 1
    return count


def _combine(logic: Logic, cost_of: dict[int, float], penalty: float) -> float:
    if isinstance(logic, Ref):
        return cost_of.get(logic.number, 0.0)
    if isinstance(logic, Not):
        return _combine(logic.item, cost_of, penalty) * 1.5
    total = sum(_combine(item, cost_of, penalty) for item in logic.items)
    return total * penalty if isinstance(logic, Or) else total


def own_cost(smart_list: SmartList, listening_on: dict[str, int] | None = None) -> float:
    weights = costs()
    scale = _scale(smart_list)
    cost = filter_cost
    cost_of = {item.number: cost(item) * scale for item in smart_list.filters}
    penalty = weights["any_penalty"]
    if smart_list.match_type is MatchType.ANY and len(cost_of) > 1:
        total = sum(cost_of.values()) * penalty
    elif smart_list.match_type is MatchType.ADVANCED and smart_list.logic is not None:
        total = _combine(smart_list.logic, cost_of, penalty)
    else:
        total = sum(cost_of.values())
    if listening(smart_list):  # an inactive campaign's triggers listen to nothing
        shared = listening_on or {}
        total += sum(trigger_cost(t, shared.get(trigger_activity(t), 1)) for t in smart_list.triggers)
    return round(total, 3)


def list_costs(lists: list[SmartList], graph: Graph) -> list[ListCost]:
    own = []
    out = []
    shared = listeners(lists)
    for smart_list in lists:
        value = own_cost(smart_list, shared)
        own.append(value)
        out.append(ListCost(value, value))
    # totals: post-order over the reference graph, iteratively; a list on the current path adds 0
    total: dict[int, float] = {}
    edges = graph.edges
    for start in range(len(lists)):
        if start in total:
            continue
        if not edges[start]:  # most lists reference none: their total is their own cost
            total[start] = own[start]
            out[start].total = round(own[start], 3)
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
