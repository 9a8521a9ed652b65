"""SL203 membership.smart-list: Member of Smart List evaluates every referenced list too."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem
from ._common import in_trigger_campaign


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, SL501 covers membership filters there
    for item in smart_list.filters:
        if item.kind != "smart-list":
            continue
        names = [v for c in item.conditions for v in c.values]
        shown = ", ".join(f'"{n}"' for n in names[:3]) + (" …" if len(names) > 3 else "")
        yield Problem(
            f"Member of Smart List {shown}: each referenced smart list is evaluated again every time this one runs; "
            "reference a static list kept up to date by a batch campaign (Member of List) or a Boolean field set by "
            "that campaign instead of the smart list, or a segmentation where the referenced list uses only person "
            "fields without relative dates (segments support neither `in past` nor `in time frame`)",
            item,
        )
