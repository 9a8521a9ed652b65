"""SL301 order.heavy-first: a heavy filter stands before a cheaper one under ALL / `and`."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..cost import filter_cost
from ..model import MatchType, SmartList
from . import Problem
from ._common import and_chain, in_trigger_campaign, is_heavy


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, filter order does not matter
    chain = and_chain(smart_list)
    if len(chain) < 2:
        return
    first_heavy = next((f for f in chain if is_heavy(f)), None)
    if first_heavy is None:
        return
    later_cheap = [f for f in chain[chain.index(first_heavy) + 1 :] if not is_heavy(f)]
    if not later_cheap:
        return
    ranked = [f for _, _, _, f in sorted((is_heavy(f), filter_cost(f), i, f) for i, f in enumerate(chain))]
    order = ", ".join(str(f.number) for f in ranked)
    where = "the advanced logic" if smart_list.match_type is MatchType.ADVANCED else "the filters"
    yield Problem(
        f"heavy filter {first_heavy.number} ({first_heavy.name}) comes before cheaper filter"
        f"{'s' if len(later_cheap) > 1 else ''} {', '.join(str(f.number) for f in later_cheap)}; "
        f"reorder {where} so the cheap, selective filters run first: {order}",
        first_heavy,
    )
