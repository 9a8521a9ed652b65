"""SL201 activity.unbounded: an activity filter with no Date of Activity at all.

Only the missing window is this rule's: a window longer than the activity's retention is SL206's
(it changes the audience), and a bounded window within the retention is fine. On a 90-day activity
the missing window is SL206's too (the list means "in the last 90 days", not "ever")."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..activity import retention_days
from ..model import SmartList
from . import Problem
from ._common import date_of_activity, in_trigger_campaign


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time: SL501 covers activity filters there
    for item in smart_list.filters:
        if item.kind not in ("activity", "inactivity") or date_of_activity(item) is not None:
            continue
        days = retention_days(item.name, options)
        if days is not None and days <= 90:
            continue  # SL206: it covers the retention only, which changes the audience
        history = f"up to {round(days / 30.44)} months of" if days else "the whole"
        yield Problem(
            f"{item.name} has no Date of Activity constraint, so Marketo searches {history} activity history "
            "for every person; if only recent activity matters, add a `Date of Activity` window (as short as "
            "the purpose allows); if you mean \"ever\", record the fact in a field or a program status when it "
            "happens and filter on that",
            item,
        )
