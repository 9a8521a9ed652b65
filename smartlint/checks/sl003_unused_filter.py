"""SL003 logic.unused-filter: advanced logic that leaves a filter out."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import MatchType, SmartList, logic_refs
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if smart_list.match_type is not MatchType.ADVANCED or smart_list.logic is None:
        return
    used = {ref.number for ref in logic_refs(smart_list.logic)}
    for item in smart_list.filters:
        if item.number not in used:
            yield Problem(
                f"filter {item.number} ({item.name}) is not in the advanced logic "
                f"`{smart_list.logic_text}`: add it to the logic or delete the filter",
                item,
            )
