"""SL304 filters.duplicate: the same filter twice in one list."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    seen: dict[tuple, int] = {}
    for item in smart_list.filters:
        signature = item.signature
        if signature in seen:
            yield Problem(
                f"filter {item.number} repeats filter {seen[signature]} ({item.name}); delete one of them"
                + (" and renumber the advanced logic" if smart_list.logic_text else ""),
                item,
            )
        else:
            seen[signature] = item.number
