"""The cost model's per-filter estimate (weights in `rules/costs.yaml`). A heuristic for ranking,
not a measurement."""

from __future__ import annotations

from .activity import date_of_activity, window_days
from .catalog import costs, filter_kind, operator
from .model import Filter, cached_on_filter


@cached_on_filter("_cost")
def filter_cost(item: Filter) -> float:
    """Computed once per filter: SL301 ranks by it, and the export's cost model sums it."""
    weights = costs()
    kind = filter_kind(item)
    cost = float(weights["base"].get(kind, weights["base"]["unknown"]))
    factor = 1.0
    for condition in item.conditions:
        info = operator(condition.operator)
        if info is not None:
            factor = max(factor, info.factor)
    cost *= factor
    values = max((len(c.values) for c in item.conditions), default=1)
    cost *= min(1.0 + weights["values_slope"] * max(values - 1, 0), weights["values_cap"])
    if kind in ("activity", "inactivity"):
        constraint = date_of_activity(item)
        days = window_days(constraint) if constraint is not None else None
        if days is None:
            days = weights["unbounded_days"]
        cost *= min(max(days / weights["window_days_unit"], 1.0), weights["window_cap"])
        extra = max(len(item.conditions) - 1, 0)
        cost *= 1.0 + weights["constraint_slope"] * extra
    if item.negative:
        cost *= 1.5
    return round(cost, 3)
