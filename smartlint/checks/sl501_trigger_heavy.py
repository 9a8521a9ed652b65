"""SL501 campaign.trigger-heavy: heavy filters in a trigger campaign's smart list."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import filter_kind
from ..model import SmartList
from . import Problem
from ._common import date_of_activity, window_days


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if smart_list.campaign_type != "trigger":
        return
    limit = options["max-activity-days"]
    for item in smart_list.filters:
        kind = filter_kind(item)
        if kind in ("membership", "smart-list"):
            why = "a membership filter"
        elif kind in ("activity", "inactivity"):
            constraint = date_of_activity(item)
            days = window_days(constraint) if constraint else None
            if constraint is not None and days is not None and days <= limit:
                why = "an activity filter"
            else:
                why = "an activity filter with a long or open window"
        else:
            continue
        yield Problem(
            f"{item.name} is {why} in a trigger campaign: it is evaluated for every person who triggers it; "
            "keep trigger campaign filters to fast field checks, or move this check to a batch campaign "
            "that maintains a Boolean field",
            item,
        )
