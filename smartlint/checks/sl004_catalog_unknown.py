"""SL004 catalog.unknown: a filter or operator smartlint's catalog does not know."""

from __future__ import annotations

from difflib import get_close_matches
from functools import cache
from typing import Any, Iterator, Mapping

from ..catalog import filter_catalog, operator, operators
from ..model import SmartList
from . import Problem

# how alike a name must be to be offered as "did you mean": 0.85 takes `Visited Webpage` →
# `Visited Web Page` and `gretaer than` → `greater than`, not a different filter of similar words
_CONFIDENT = 0.85

_IF_RIGHT = (
    "If the name is right (a custom field, or a filter newer than smartlint's catalog), disable SL004 "
    "for it with `# smartlint: disable=SL004` on the filter, or `ignore = [\"SL004\"]` in your configuration."
)


@cache
def _filter_like(name: str) -> tuple[str, str] | None:
    """(catalog name, kind) of the one catalog filter `name` is confidently a misspelling of."""
    catalog = filter_catalog()
    found = get_close_matches(name.casefold().strip(), catalog.keys(), n=1, cutoff=_CONFIDENT)
    return (catalog[found[0]].name, catalog[found[0]].kind) if found else None


@cache
def _operator_like(name: str) -> str | None:
    found = get_close_matches(name.casefold().strip(), operators().keys(), n=1, cutoff=_CONFIDENT)
    return found[0] if found else None


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    for item in smart_list.filters:
        if item.kind == "unknown":
            like = _filter_like(item.name)
            if like is not None:
                name, kind = like
                skipped = (
                    " Until it is spelt as in Marketo, the activity rules (SL201, SL202, SL206) do not check it."
                    if kind in ("activity", "inactivity")
                    else ""
                )
                advice = f"did you mean `{name}`?{skipped} {_IF_RIGHT}"
            else:
                advice = f"the rules that depend on a filter's kind (activity, membership) do not check it. Check the spelling against the Marketo UI. {_IF_RIGHT}"
            yield Problem(f"filter `{item.name}` is not in smartlint's catalog, so its cost is unknown: {advice}", item)
        for condition in item.conditions:
            if condition.operator and operator(condition.operator) is None:
                like = _operator_like(condition.operator)
                guess = f"did you mean `{like}`? " if like is not None else "check the spelling against the Marketo UI. "
                yield Problem(
                    f"operator `{condition.operator}` ({condition.attribute}) is not one smartlint knows, so the rules "
                    f"that read operators (SL101, and SL201/SL206 for a Date of Activity) cannot judge it: {guess}"
                    "If it is right, disable SL004 for it with `# smartlint: disable=SL004` on the filter.",
                    item,
                    condition.location,
                )
