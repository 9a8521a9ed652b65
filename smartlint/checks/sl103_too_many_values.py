"""SL103 values.too-many: a condition with many values (contains lists have SL102)."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem
from ._common import CONTAINS, in_trigger_campaign, norm


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, not a scan of the database
    limit = options["max-values"]
    for item in smart_list.filters:
        for condition in item.conditions:
            if norm(condition.operator) in CONTAINS:
                continue
            if len(condition.values) > limit:
                yield Problem(
                    f"`{condition.attribute} {condition.operator}` has {len(condition.values):,} values, more than the "
                    f"\"dozens or possibly hundreds\" Adobe designed multi-select for (limit {limit:,}); keep these "
                    "people in a static list or a Boolean field kept by a batch campaign and filter on that",
                    item,
                    condition.location,
                )
