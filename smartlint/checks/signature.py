"""A filter's identity regardless of its number, the order of its values or its conditions."""

from __future__ import annotations

from ..model import Filter
from ._common import norm

# Marketo's `is` and most string operators ignore case
_CASELESS = frozenset({"is", "is not", "contains", "not contains", "starts with", "not starts with"})


def filter_signature(item: Filter) -> tuple:
    conditions = []
    for condition in item.conditions:
        op = norm(condition.operator)
        values = condition.values
        if op in _CASELESS:
            values = tuple(v.casefold() for v in values)
        conditions.append((norm(condition.attribute), op, tuple(sorted(set(values)))))
    return (norm(item.name), norm(item.operator or ""), item.negative, tuple(sorted(conditions)))
