"""SL102 values.contains-over-limit: a contains list over the limit Marketo practitioners give."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem
from ._common import CONTAINS, in_trigger_campaign, norm


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, not a scan of the database
    limit = options["max-contains-values"]
    for item in smart_list.filters:
        for condition in item.conditions:
            op = norm(condition.operator)
            if op in CONTAINS and len(condition.values) > limit:
                yield Problem(
                    f"`{condition.attribute} {op}` has {len(condition.values)} values (keep contains lists under 100: "
                    f"at most {limit}); "
                    "split it into filters of fewer values, use `starts with` or `is` with exact values, "
                    "or keep the matching people in a static list or a Boolean field",
                    item,
                    condition.location,
                )
