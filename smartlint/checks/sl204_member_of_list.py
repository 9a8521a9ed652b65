"""SL204 membership.list: Member of List / Program negated or with many lists."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import operator
from ..model import SmartList
from . import Problem
from ._common import in_trigger_campaign, negated_by_logic, negated_everywhere, norm

_NAMES = {"member of list", "member of program"}


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, SL501 covers membership filters there
    limit = options["max-lists"]
    for item in smart_list.filters:
        if norm(item.name) not in _NAMES:
            continue
        primary = item.primary
        info = operator(primary.operator) if primary else None
        written = item.negative or (info is not None and info.negative)
        # `not` on `not in` is `in` again, but only where the logic negates it in every place it
        # names it: `(1 and not 2) or 2` still uses filter 2 as written
        if written:
            excluded = smart_list.logic is None or item.number not in negated_everywhere(smart_list)
        else:
            excluded = smart_list.logic is not None and item.number in negated_by_logic(smart_list)
        if excluded:
            how = "negated" if written else f"negated by the advanced logic (filter {item.number})"
            yield Problem(
                f"{item.name} is {how}: excluding members makes Marketo check everyone else; "
                "where you can, select the people you want with a positive filter",
                item,
            )
        elif primary is not None and len(primary.values) > limit:
            yield Problem(
                f"{item.name} names {len(primary.values)} lists or programs (limit {limit}); "
                "each one is searched: collect these people in one static list",
                item,
            )
