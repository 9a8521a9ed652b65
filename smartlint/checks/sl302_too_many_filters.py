"""SL302 filters.too-many: more filters than `max-filters`; an error from `error-filters`."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    count = len(smart_list.filters) + len(smart_list.triggers)
    if count >= options["error-filters"]:
        yield Problem(
            f"{count} rules: Marketo takes a long time with {options['error-filters']} or more; "
            "split the list, or move repeated filter sets into a Boolean field or a segmentation",
            severity="error",
        )
    elif len(smart_list.filters) > options["max-filters"]:
        yield Problem(
            f"{len(smart_list.filters)} filters (limit {options['max-filters']}): fewer filters run faster; "
            "move repeated filter sets into a Boolean field kept by a batch campaign, or a segmentation",
        )
