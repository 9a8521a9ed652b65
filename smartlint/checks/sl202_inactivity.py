"""SL202 activity.inactivity: "Not …" inactivity filters and negated activity rules."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import filter_kind
from ..model import SmartList
from . import Problem
from ._common import in_trigger_campaign


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, SL501 covers inactivity filters there
    for item in smart_list.filters:
        kind = filter_kind(item)
        if kind == "inactivity" or (kind == "activity" and item.negative):
            yield Problem(
                f"{item.name} is an inactivity filter: Marketo must check every person for the absence of an "
                "activity, which takes much more processing; narrow the list with fast filters first, or "
                "keep a date field stamped by a trigger campaign when the activity happens (e.g. `Last Form "
                "Fill Date` set to {{system.dateTime}} on Fills Out Form) and filter on it with `in past "
                "before`, which also keeps the people with no date (a rolling count such as \"form fills in "
                "the last 30 days\" cannot be kept by flow steps)",
                item,
            )
