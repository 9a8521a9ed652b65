"""A filter's identity regardless of its number, the order of its values or its conditions."""

from __future__ import annotations

from ..model import Filter, cached_on_filter
from ._common import norm

# Marketo's `is` and most string operators ignore case
_CASELESS = frozenset({"is", "is not", "contains", "not contains", "starts with", "not starts with"})


@cached_on_filter("_signature")
def filter_signature(item: Filter) -> tuple:
    conditions = []
    for condition in item.conditions:
        op = norm(condition.operator)
        values = condition.values
        if op in _CASELESS:
            values = tuple(v.casefold() for v in values)
        conditions.append((norm(condition.attribute), op, tuple(sorted(set(values)))))
    # the rule-level operator repeats the condition's for field filters and is `occurs` for activity
    # filters; only a different one (such as `not occurs`) changes what the filter means
    rule_operator = norm(item.operator or "")
    if rule_operator in ("", "occurs") or any(rule_operator == c[1] for c in conditions):
        rule_operator = ""
    return (norm(item.name), rule_operator, item.negative, tuple(sorted(conditions)))
