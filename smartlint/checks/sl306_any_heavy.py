"""SL306 logic.any-heavy: ANY / `or` across two or more heavy filters."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import And, MatchType, Not, Or, Ref, SmartList
from . import Problem
from ._common import in_trigger_campaign, is_heavy


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, not a scan of the database
    groups: list[list[int]] = []
    if smart_list.match_type is MatchType.ANY:
        groups.append([f.number for f in smart_list.filters])
    elif smart_list.match_type is MatchType.ADVANCED and smart_list.logic is not None:
        stack = [smart_list.logic]
        while stack:
            node = stack.pop()
            if isinstance(node, Not):
                stack.append(node.item)
            elif isinstance(node, (And, Or)):
                if isinstance(node, Or):
                    groups.append([i.number for i in node.items if isinstance(i, Ref)])
                stack.extend(node.items)
    for numbers in groups:
        heavy = [f for f in (smart_list.filter(n) for n in numbers) if f is not None and is_heavy(f)]
        if len(heavy) >= 2:
            listed = ", ".join(f"{f.number} ({f.name})" for f in heavy)
            how = "ANY" if smart_list.match_type is MatchType.ANY else "`or`"
            yield Problem(
                f"{how} across heavy filters {listed}: each one is searched over the whole database "
                "because no other filter narrows it first; add a fast filter with `and` in front "
                "(e.g. `1 and (2 or 3)`), or record these people in a Boolean field",
                heavy[0],
            )
