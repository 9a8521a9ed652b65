"""SL305 filters.contradiction: filters combined with `and` that no person can pass together."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import Filter, SmartList
from . import Problem
from ._common import and_chain, norm


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    by_field: dict[str, list[Filter]] = {}
    for item in and_chain(smart_list):
        if item.kind not in ("attribute", "boolean") or len(item.conditions) != 1 or item.negative:
            continue
        by_field.setdefault(norm(item.conditions[0].attribute), []).append(item)
    for items in by_field.values():
        if len(items) < 2:  # most fields are filtered once: nothing to compare
            continue
        uses = [(item, norm(item.conditions[0].operator), frozenset(v.casefold() for v in item.conditions[0].values)) for item in items]
        found = _contradiction(uses)
        if found:
            first, second, why = found
            yield Problem(
                f"filters {first.number} and {second.number} ({first.name}) cannot both be true: {why}; "
                "the list can never match anyone: fix the operator or the values, or use ANY / `or`",
                second,
            )


def _first_per_values(uses: list[tuple[Filter, str, frozenset[str]]]) -> list[tuple[Filter, str, frozenset[str]]]:
    """The first filter of each set of values: the pairs below are compared once per set, not once
    per filter (a list of thousands of `Country is "France"` filters made this quadratic)."""
    first: dict[frozenset[str], tuple[Filter, str, frozenset[str]]] = {}
    for use in uses:
        first.setdefault(use[2], use)
    return list(first.values())


def _is_zero(value: str) -> bool:
    """0 (which an integer field's `is` matches together with empty) or false (a Boolean field
    that was never set reads as false)."""
    if value.strip().lower() == "false":
        return True
    try:
        return float(value) == 0
    except ValueError:
        return False


def _contradiction(uses: list[tuple[Filter, str, frozenset[str]]]):
    """The first pair that no person can pass together, by the operator glossary's semantics:
    `is empty` and `is not empty`; `is empty` and `is` a value, except `is 0`, which on an integer
    field "will return both leads with 0 and NULL"; `is` value sets with nothing in common (`is` is
    exact and not case sensitive); `is` and `is not` on the same values, except on 0, where the
    glossary does not say whether `is not 0` keeps the empty ones."""
    empty = [u for u in uses if u[1] == "is empty"]
    not_empty = [u for u in uses if u[1] == "is not empty"]
    positives = _first_per_values([u for u in uses if u[1] == "is" and u[2]])
    negatives = _first_per_values([u for u in uses if u[1] == "is not" and u[2] and not any(_is_zero(v) for v in u[2])])
    if empty and not_empty:
        return empty[0][0], not_empty[0][0], "`is empty` and `is not empty`"
    for positive in positives:
        if empty and not any(_is_zero(v) for v in positive[2]):
            return empty[0][0], positive[0], "`is empty` and `is` a value"
    for i, (a, _, a_values) in enumerate(positives):
        for b, _, b_values in positives[i + 1 :]:
            if not a_values & b_values:
                shown = "true and false" if a_values | b_values == {"true", "false"} else "no value in common"
                return a, b, f"`is` with {shown}"
    for a, _, a_values in positives:
        for b, _, b_values in negatives:
            if a_values <= b_values:
                return (a, b, "`is` and `is not` on the same values") if a.number < b.number else (b, a, "`is not` and `is` on the same values")
    return None
