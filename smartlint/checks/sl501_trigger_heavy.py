"""SL501 campaign.trigger-heavy: heavy filters in a trigger campaign's smart list."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem
from ._common import date_of_activity, is_inactivity, window_days


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if smart_list.campaign_type != "trigger":
        return
    limit = options["max-activity-days"]
    for item in smart_list.filters:
        kind = item.kind
        if kind == "smart-list":
            why = "a Member of Smart List filter"
            advice = ("reference a static list kept by a batch campaign (Member of List, a per-person lookup) "
                      "or check the fields behind the smart list directly")
        elif kind in ("activity", "inactivity"):
            noun = "an inactivity filter" if is_inactivity(item) else "an activity filter"
            constraint = date_of_activity(item)
            days = window_days(constraint) if constraint else None
            short = constraint is not None and days is not None and days <= limit
            why = noun if short else f"{noun} with a long or open window"
            advice = ("keep its Date of Activity window as short as the purpose allows, or check a date field "
                      "stamped by a trigger when the activity happens; a Boolean field kept by a nightly batch "
                      "would be stale for people who just arrived")
        else:
            continue  # fields and Member of List (static list membership) are per-person lookups
        yield Problem(
            f"{item.name} is {why} in a trigger campaign: it reads this person's history each time the "
            f"trigger fires; {advice}",
            item,
        )
