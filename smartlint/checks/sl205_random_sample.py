"""SL205 random-sample.not-alone: Random Sample mixed with other filters."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem
from ._common import norm


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if len(smart_list.filters) < 2:
        return
    for item in smart_list.filters:
        if norm(item.name) == "random sample":
            yield Problem(
                "Random Sample is combined with other filters; use it alone in a batch campaign that adds the "
                "sample to static lists, then use Member of List where you need the sample",
                item,
            )
