"""SL301 order.heavy-first: a heavy filter stands before a cheaper one under ALL / `and`."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import heavy_kinds
from ..cost import filter_cost
from ..model import MatchType, SmartList
from . import Problem
from ._common import and_chain, in_trigger_campaign


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, filter order does not matter
    chain = and_chain(smart_list)
    if len(chain) < 2:
        return
    heavy = heavy_kinds()
    for position, first_heavy in enumerate(chain):
        if first_heavy.kind in heavy:
            break
    else:
        return
    later_cheap = [f for f in chain[position + 1 :] if f.kind not in heavy]
    if not later_cheap:
        return
    ranked = [f for _, _, _, f in sorted((f.kind in heavy, filter_cost(f), i, f) for i, f in enumerate(chain))]
    order = ", ".join(str(f.number) for f in ranked)
    where = "the advanced logic" if smart_list.match_type is MatchType.ADVANCED else "the filters"
    yield Problem(
        f"heavy filter {first_heavy.number} ({first_heavy.name}) comes before cheaper filter"
        f"{'s' if len(later_cheap) > 1 else ''} {', '.join(str(f.number) for f in later_cheap)}; "
        f"reorder {where} so the cheap, selective filters run first: {order}",
        first_heavy,
    )
