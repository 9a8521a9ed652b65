"""SL302 filters.too-many: 100 or more rules (filters and triggers) in one list, Adobe's number."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    limit = options["error-filters"]
    count = len(smart_list.filters) + len(smart_list.triggers)
    if count >= limit:
        yield Problem(
            f"{count} rules: Adobe warns that {limit}+ independent rules take a long time to process; "
            "split the list, or move repeated filter sets into a Boolean field kept by a batch campaign "
            "or a segmentation",
        )
