"""SL303 constraints.too-many: an activity filter with many constraints."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    limit = options["max-constraints"]
    for item in smart_list.filters:
        if item.kind not in ("activity", "inactivity"):
            continue
        primary = item.primary
        constraints = [c for c in item.conditions if c is not primary]
        if len(constraints) > limit:
            yield Problem(
                f"{item.name} has {len(constraints)} constraints (limit {limit}): each one slows the search; "
                "keep the ones that narrow the most (Date of Activity first)",
                item,
            )
