"""SL202 activity.inactivity: "Not …" inactivity filters and negated activity rules."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..activity import activity_for
from ..model import SmartList
from . import Problem
from ._common import in_trigger_campaign, is_inactivity, negated_by_logic, negated_everywhere


# The date field to stamp, and the trigger that stamps it, for the common activities; a trigger on a
# high-volume activity should be constrained to what matters (SL502), so the example says so.
_STAMPS = {
    "Fill Out Form": ("Last Form Fill Date", "Fills Out Form"),
    "Visit Webpage": ("Last Key Page Visit Date", "Visits Web Page on the pages that matter (not any page: SL502)"),
    "Click Link on Webpage": ("Last Key Link Click Date", "Clicks Link on Web Page on the links that matter (not any link: SL502)"),
    "Open Email": ("Last Email Open Date", "Opens Email"),
    "Click Email": ("Last Email Click Date", "Clicks Link in Email"),
    "Send Email": ("Last Email Sent Date", "the Send Email flow step's campaign (a Change Data Value step after it)"),
    "Email Delivered": ("Last Email Delivered Date", "the sending campaign (a Change Data Value step after Send Email)"),
}


def _stamp_example(name: str) -> str:
    activity = activity_for(name)
    field, trigger = _STAMPS.get(activity.name if activity else "", _STAMPS["Fill Out Form"])
    return f"`{field}` set to {{{{system.dateTime}}}} on {trigger}"


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, SL501 covers inactivity filters there
    for item in smart_list.filters:
        if is_inactivity(item):
            if smart_list.logic is not None and item.number in negated_everywhere(smart_list):
                continue  # `not` on an inactivity filter: the people who did it, a positive activity filter
            what = f"{item.name} is an inactivity filter"
        elif item.kind == "activity" and smart_list.logic is not None and item.number in negated_by_logic(smart_list):
            # `1 and not 3`: the people without the activity, as `Not Filled Out Form` selects them
            what = f"filter {item.number} ({item.name}) is negated by the advanced logic, so it selects the people without the activity, as an inactivity filter does"
        else:
            continue
        yield Problem(
            f"{what}: Marketo must check every person for the absence of an "
            "activity, which takes much more processing; narrow the list with fast filters first, or "
            f"keep a date field stamped by a trigger campaign when the activity happens (e.g. "
            f"{_stamp_example(item.name)}) and filter on it with `in past "
            "before`, which also keeps the people with no date (a rolling count such as \"form fills in "
            "the last 30 days\" cannot be kept by flow steps)",
            item,
        )
