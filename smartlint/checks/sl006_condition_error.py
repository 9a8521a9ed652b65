"""SL006 condition.error: Marketo itself marks a condition as invalid (`isError`)."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    for item in (*smart_list.triggers, *smart_list.filters):
        for condition in item.conditions:
            if condition.error is not None:
                detail = f": {condition.error}" if condition.error else ""
                yield Problem(
                    f"Marketo reports the `{condition.attribute}` constraint of {item.name} as invalid{detail}; "
                    "open the list in Marketo and fix or remove it (an invalid list qualifies no one)",
                    item,
                    condition.location,
                )
