"""SL202 activity.inactivity: "Not …" inactivity filters and negated activity rules."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import filter_kind
from ..model import SmartList
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    for item in smart_list.filters:
        kind = filter_kind(item)
        if kind == "inactivity" or (kind == "activity" and item.negative):
            yield Problem(
                f"{item.name} is an inactivity filter: Marketo must check every person for the absence of an "
                "activity, which takes much more processing; narrow the list with fast filters first, "
                "or keep a field updated when the activity happens and filter on that",
                item,
            )
