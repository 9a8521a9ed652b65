"""The cost model's per-filter estimate (weights in `rules/costs.yaml`). A heuristic for ranking,
not a measurement."""

from __future__ import annotations

from functools import cache

from .activity import activity_for, date_of_activity, norm, retention_days, window_days
from .catalog import costs, operator
from .model import Filter

_CONTAINS = frozenset({"contains", "not contains"})


@cache
def activity_volume(name: str) -> float:
    """How many rows the activity behind a filter, inactivity filter or trigger logs, relative to
    form fills (`activity_volume` in rules/costs.yaml, by the activity names of rules/retention.yaml)."""
    weights = costs()["activity_volume"]
    activity = activity_for(name)
    if activity is None:
        return float(weights["default"])
    return float(weights.get(activity.name, weights["default"]))


@cache
def _window_limit(name: str) -> float:
    """The most days an activity filter can read: the activity's retention (a window beyond it reads
    only what is kept), or `unbounded_days` for what Marketo keeps for good."""
    days = retention_days(name)
    return float(days) if days is not None else float(costs()["unbounded_days"])


def filter_cost(item: Filter) -> float:
    """SL301 ranks by it, and the export's cost model sums it: computed once for all the filters
    of the same content (model.Filter._derived)."""
    shared = item._derived
    if shared[2] is None:
        shared[2] = _filter_cost(item)
    return shared[2]


def _filter_cost(item: Filter) -> float:
    weights = costs()
    kind = item.kind
    base = weights["base"]
    cost = float(base.get(kind, base["unknown"]))
    # plain loops: this runs for every filter of an export (2.0 -> 1.5 µs a filter)
    factor = 1.0
    contains_values = 0
    values = 1 if not item.conditions else 0
    constraint = date_of_activity(item) if kind in ("activity", "inactivity") else None
    for condition in item.conditions:
        if condition is constraint:
            continue  # the window is priced below, by the days it reads, not by its operator
        info = operator(condition.operator)
        if info is not None and info.factor > factor:
            factor = info.factor
        count = len(condition.values)
        if count > values:
            values = count
        if count > contains_values and norm(condition.operator) in _CONTAINS:
            contains_values = count
    cost *= factor
    if contains_values:
        # each value of a contains list is another substring scan of every row
        cost *= min(1.0 + weights["contains_value_slope"] * (contains_values - 1), weights["contains_values_cap"])
        if contains_values > weights["contains_limit"]:
            cost *= weights["contains_over_limit"]
    else:
        cost *= min(1.0 + weights["values_slope"] * max(values - 1, 0), weights["values_cap"])
    if kind in ("activity", "inactivity"):
        cost *= activity_volume(item.name)
        days = window_days(constraint) if constraint is not None else None
        limit = _window_limit(item.name)
        days = limit if days is None else min(days, limit)  # Marketo reads no further than it keeps
        cost *= min(max(days / weights["window_days_unit"], 1.0), weights["window_cap"])
        # the Date of Activity is priced by the window above, not again as an extra constraint: adding
        # the window SL201 asks for must never make a filter look dearer than leaving it out
        extra = max(len(item.conditions) - 1 - (constraint is not None), 0)
        cost *= 1.0 + weights["constraint_slope"] * extra
    if item.negative:
        cost *= 1.5
    return round(cost, 3)


def trigger_breadth(item: Filter) -> float:
    """How much of its activity a trigger fires on: every one with no constraint or `is any`, a small
    part with `is` and a few values (`trigger_breadth` in rules/costs.yaml)."""
    weights = costs()["trigger_breadth"]
    primary = item.primary
    if primary is None or not primary.values:
        return float(weights["any"])
    op = norm(primary.operator)
    if op != "is" or any(norm(v) in ("any", "is any") for v in primary.values):
        return float(weights["any"])  # `is not`, `contains`…: most of the activity still fires it
    return min(float(weights["narrow"]) + float(weights["per_value"]) * (len(primary.values) - 1), float(weights["any"]))


def trigger_cost(item: Filter, listeners: int = 1) -> float:
    """A trigger's cost: its activity's volume, how much of it fires the trigger, and how many active
    trigger campaigns listen on the same activity (`listeners`, this one included)."""
    weights = costs()
    shared = min(1.0 + weights["listener_slope"] * max(listeners - 1, 0), weights["listener_cap"])
    return round(weights["trigger_cost"] * activity_volume(item.name) * trigger_breadth(item) * shared, 3)


def trigger_activity(item: Filter) -> str:
    """What a trigger listens on, to count the campaigns that share it: the activity of rules/
    retention.yaml, or the trigger's own name."""
    activity = activity_for(item.name)
    return activity.name if activity is not None and activity.name != "(any other activity)" else norm(item.name)
