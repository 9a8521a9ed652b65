"""SL101 operator.slow: contains, starts with and the negative operators."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..catalog import operator
from ..model import SmartList
from . import Problem
from ._common import norm
from .sl104_email_domain_without_at import DOMAIN as _DOMAIN

# the operators Adobe names as slow; membership's `not in` is SL204's
SLOW = frozenset({"contains", "starts with", "is not", "not contains", "not starts with"})


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    for item in smart_list.filters:
        for condition in item.conditions:
            op = norm(condition.operator)
            info = operator(op)
            if op not in SLOW or info is None:
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
