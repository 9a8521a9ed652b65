"""SL101 operator.slow: contains and the negative operators. `starts with` is Adobe's recommended
fast alternative to contains, not flagged; membership filters are SL204's (one finding per problem)."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import operator
from ..model import SmartList
from . import Problem
from ._common import in_trigger_campaign, norm
from .sl104_email_domain_without_at import DOMAIN as _DOMAIN

# the operators Adobe names as slow; membership's `not in` is SL204's. Not `starts with`: Adobe
# recommends it ("starts with" qualifiers yield much faster results than "contains").
SLOW = frozenset({"contains", "is not", "not contains", "not starts with"})


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, not a scan of the database
    for item in smart_list.filters:
        if item.kind in ("membership", "smart-list"):
            continue  # `Member of List/Program is not …`: SL204
        for condition in item.conditions:
            op = norm(condition.operator)
            if op not in SLOW:  # most conditions (`is`): no lookup
                continue
            info = operator(op)
            if info is None:
                continue
            if (
                op == "contains"
                and norm(condition.attribute) == "email address"
                and condition.values
                and all(v.startswith("@") or _DOMAIN.match(v.strip()) for v in condition.values)
            ):
                continue  # Adobe's documented form for domains, `contains "@domain"`; SL104 asks for the @
            why = "a negative operator searches the whole database" if info.negative else f"`{op}` is slower than `is`"
            yield Problem(
                f"`{condition.attribute} {op}`: {why}; use {info.faster}",
                item,
                condition.location,
            )
