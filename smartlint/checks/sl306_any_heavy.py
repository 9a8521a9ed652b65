"""SL306 logic.any-heavy: two or more heavy filters joined by ANY / `or` with no fast filter
combined with `and` in front of them, so each runs over the whole database."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import And, Filter, Logic, MatchType, Not, Or, Ref, SmartList, format_logic
from . import Problem
from ._common import in_trigger_campaign, is_heavy


def _narrows(smart_list: SmartList, node: Logic, negated: bool) -> bool:
    """Whether every person passing `node` (negated when `negated`) must pass a fast filter, so a
    heavy filter combined with it by `and` searches fewer people than the whole database. A fast
    filter narrows whichever way it is written (`not 1` on `Country: is "Germany"` is `Country: is
    not "Germany"`); by De Morgan an `or` under `not` is an `and`."""
    if isinstance(node, Ref):
        found = smart_list.filter(node.number)
        return found is not None and not is_heavy(found)
    if isinstance(node, Not):
        return _narrows(smart_list, node.item, not negated)
    terms = (_narrows(smart_list, item, negated) for item in node.items)
    return any(terms) if isinstance(node, And) != negated else all(terms)


def _exposed(smart_list: SmartList, node: Logic, negated: bool, narrowed: bool) -> list[Filter]:
    """The heavy filters under `node` that no fast filter narrows (`narrowed`: one already does,
    from an enclosing `and`)."""
    if isinstance(node, Ref):
        found = smart_list.filter(node.number)
        return [found] if found is not None and not narrowed and is_heavy(found) else []
    if isinstance(node, Not):
        return _exposed(smart_list, node.item, not negated, narrowed)
    if isinstance(node, And) != negated:  # every term must hold: a fast term narrows the others
        narrowed = narrowed or any(_narrows(smart_list, item, negated) for item in node.items)
    out: list[Filter] = []
    for item in node.items:
        out.extend(_exposed(smart_list, item, negated, narrowed))
    return out


def _disjunctions(smart_list: SmartList, logic: Logic) -> Iterator[tuple[Logic, bool, list[Filter]]]:
    """The outermost `or` groups (after De Morgan) with their heavy filters that run unnarrowed."""
    stack: list[tuple[Logic, bool, bool]] = [(logic, False, False)]
    while stack:
        node, negated, narrowed = stack.pop()
        if isinstance(node, Ref):
            continue
        if isinstance(node, Not):
            stack.append((node.item, not negated, narrowed))
            continue
        if isinstance(node, And) != negated:
            narrowed = narrowed or any(_narrows(smart_list, item, negated) for item in node.items)
            stack.extend((item, negated, narrowed) for item in reversed(node.items))
        elif not narrowed:  # an `or` already narrowed by a fast filter in front is fine
            yield node, negated, _exposed(smart_list, node, negated, False)


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if in_trigger_campaign(smart_list):
        return  # evaluated for one person at a time, not a scan of the database
    new = max((f.number for f in smart_list.filters), default=0) + 1  # the fast filter to add
    if smart_list.match_type is MatchType.ANY:  # fast filters under ANY add people, they narrow nothing
        heavy = [f for f in smart_list.filters if is_heavy(f)]
        if len(heavy) >= 2:
            every = " or ".join(str(f.number) for f in smart_list.filters)
            yield _problem("ANY", heavy, f"use advanced filters `{new} and ({every})` with a new fast filter {new} (a field that selects few people, with `is`)")
    elif smart_list.match_type is MatchType.ADVANCED and smart_list.logic is not None:
        for node, negated, heavy in _disjunctions(smart_list, smart_list.logic):
            if len(heavy) >= 2:
                text = format_logic(node)
                group = f"not ({text})" if negated else f"({text})"
                yield _problem("`or`", heavy, f"put a fast filter with `and` in front of the group: `{new} and {group}`")


def _problem(how: str, heavy: list[Filter], advice: str) -> Problem:
    listed = ", ".join(f"{f.number} ({f.name})" for f in heavy)
    return Problem(
        f"{how} across heavy filters {listed} with no fast filter combined with `and` in front: "
        f"each is searched over the whole database; {advice}, or record these people in a Boolean "
        "field kept by a daily batch campaign",
        heavy[0],
    )
