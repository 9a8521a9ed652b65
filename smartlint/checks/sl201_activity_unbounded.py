"""SL201 activity.unbounded: activity filters without a short Date of Activity window."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import filter_kind
from ..model import SmartList
from . import Problem
from ._common import date_of_activity, norm, window_days


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    limit = options["max-activity-days"]
    for item in smart_list.filters:
        if filter_kind(item) not in ("activity", "inactivity"):
            continue
        constraint = date_of_activity(item)
        if constraint is None:
            yield Problem(
                f"{item.name} has no Date of Activity constraint, so Marketo reads the whole activity history; "
                f'add `Date of Activity: in past "{limit} days"` or shorter',
                item,
            )
            continue
        days = window_days(constraint)
        written = f"{norm(constraint.operator)} {', '.join(constraint.values)}".strip()
        if days is None:
            if norm(constraint.operator) in ("before", "on or before", "in past before"):
                yield Problem(
                    f"{item.name}: Date of Activity `{written}` reaches back to the start of the activity log; "
                    f"bound it with `between` or `in past` (at most {limit} days)",
                    item,
                    constraint.location,
                )
            continue
        if days > limit:
            yield Problem(
                f"{item.name}: Date of Activity `{written}` covers about {round(days):,} days (limit {limit}); "
                "keep activity windows short, or record the fact in a field once and filter on that",
                item,
                constraint.location,
            )
