"""SL206 activity.beyond-retention: an activity window longer than Marketo keeps the activity.

Marketo deletes activities after their retention (rules/retention.yaml): a Date of Activity
window does not extend it, so the list silently selects a different audience than it says.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterator, Mapping

from ..activity import activity_for, reach, retention_days
from ..model import SmartList
from . import Problem
from ._common import date_of_activity, is_inactivity, norm

# `in past "3 months"` (91.3 days) on a 90-day activity is within a day or two of the retention:
# the audience barely differs, so no error. Adobe's own example, 100 days on 90, is well past it.
GRACE_DAYS = 3


def _a(activity: str) -> str:
    """The activity with its article: "an Email Delivered", "a Visit Webpage"."""
    return ("an " if activity[:1].upper() in "AEIOU" else "a ") + activity


def _span(days: int) -> str:
    return f"{round(days / 30.44)} months" if days > 400 else f"{days} days"


# what an admin can do in the Marketo UI to keep the fact beyond the retention
HOW = (
    "to select the people you meant, record the fact when it happens (a date field stamped by a "
    "trigger campaign, a program status or an interesting moment) and filter on that"
)


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    today = date.today()
    for item in smart_list.filters:
        if item.kind not in ("activity", "inactivity"):
            continue
        days = retention_days(item.name, options)
        if days is None:
            continue
        activity = activity_for(item.name).name
        if activity.startswith("("):  # the 25-month tier's unlisted activities: name the filter
            activity = f"`{item.name}`"
        kept = f"Marketo keeps {activity} activities for {_span(days)} only"
        negative = is_inactivity(item)
        constraint = date_of_activity(item)
        if constraint is None:
            if days > 90:
                continue  # a missing window on a 25-month activity is SL201's (cost), not a change of meaning
            really = (
                f"everyone with no {activity} in the last {_span(days)}, including people who did it before"
                if negative
                else f"only people with {_a(activity)} in the last {_span(days)}, not ever"
            )
            yield Problem(f"{item.name} has no Date of Activity, but {kept}: it selects {really}; {HOW}", item)
            continue
        found = reach(constraint, today)
        if found is None:
            continue
        written = f"{norm(constraint.operator)} {', '.join(constraint.values)}".strip()
        if found.newest <= today - timedelta(days=days):  # nothing of the window is kept
            really = (
                f"it matches everyone (no {activity} that old is kept), whatever they did"
                if negative
                else "it can never match anyone"
            )
            yield Problem(
                f"{item.name}: Date of Activity `{written}` lies wholly beyond the retention ({kept}): "
                f"{really}; {HOW}",
                item,
                constraint.location,
            )
        elif found.unbounded or (found.most_days_back or 0) > days + GRACE_DAYS:
            if found.unbounded:
                reaches = "reaches back to the start of the activity log"
                end = "today" if found.newest >= today else f"{found.newest.isoformat()}"
                window = f"between {_span(days)} ago and {end}"
            else:
                up_to = "up to " if found.most_days_back != found.days_back else ""
                reaches = f"reaches back {up_to}{round(found.most_days_back):,} days"
                window = f"in the last {_span(days)}"
            really = (
                f"it really selects people with no {activity} {window}"
                if negative
                else f"it really selects people with {_a(activity)} {window} only"
            )
            yield Problem(
                f"{item.name}: Date of Activity `{written}` {reaches}, but {kept}: {really}; {HOW}",
                item,
                constraint.location,
            )
