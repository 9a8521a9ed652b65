"""SL004 catalog.unknown: a filter or operator smartlint's catalog does not know."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import operator
from ..model import SmartList
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    for item in smart_list.filters:
        if item.kind == "unknown":
            yield Problem(
                f"filter `{item.name}` is not in smartlint's catalog, so its cost is unknown; "
                "check the spelling, or add it to rules/filters.yaml",
                item,
            )
        for condition in item.conditions:
            if condition.operator and operator(condition.operator) is None:
                yield Problem(
                    f"operator `{condition.operator}` ({condition.attribute}) is not one smartlint knows; "
                    "check the spelling, or add it to rules/operators.yaml",
                    item,
                    condition.location,
                )
