"""Helpers shared by several checks: which filters are combined with `and`, activity windows."""

from __future__ import annotations

from ..activity import date_of_activity, norm, window_days  # noqa: F401 - shared by the checks
from ..catalog import heavy_kinds
from ..model import And, Filter, Logic, MatchType, Not, Ref, SmartList

CONTAINS = frozenset({"contains", "not contains"})


def and_chain(smart_list: SmartList) -> list[Filter]:
    """The filters every person must pass, in evaluation order: all of them under ALL, the
    top-level `and` terms (or the single filter) of advanced logic."""
    if smart_list.match_type is MatchType.ALL:
        return list(smart_list.filters)
    logic = smart_list.logic
    if smart_list.match_type is MatchType.ADVANCED and logic is not None:
        if isinstance(logic, Ref):
            found = smart_list.filter(logic.number)
            return [found] if found else []
        if isinstance(logic, And):
            out = []
            for item in logic.items:
                if isinstance(item, Ref):
                    found = smart_list.filter(item.number)
                    if found:
                        out.append(found)
            return out
    if smart_list.match_type is MatchType.ANY and len(smart_list.filters) == 1:
        return list(smart_list.filters)
    return []


def is_heavy(item: Filter) -> bool:
    return item.kind in heavy_kinds()


def in_trigger_campaign(smart_list: SmartList) -> bool:
    """A trigger campaign's filters are evaluated only for the person who fired the trigger, one
    at a time (Adobe: "A Trigger Campaign affects one person at a time"): rules whose reasoning is
    a scan of the whole database (filter order, negative operators, inactivity…) stay silent there;
    SL501 covers heavy filters in trigger campaigns."""
    return smart_list.campaign_type == "trigger"


def is_inactivity(item: Filter) -> bool:
    """An inactivity filter (`Not Visited Web Page`, `Was Not Sent Email`) or a negated activity rule."""
    kind = item.kind
    return kind == "inactivity" or (kind == "activity" and item.negative)


_NONE: frozenset[int] = frozenset()
# logic tree -> the numbers it negates. The trees are shared (sources.logic parses each text once),
# so a list's answer is one dict lookup; the tree is kept with its answer so that its id stays its own
_NEGATED: dict[int, tuple[Logic, tuple[frozenset[int], frozenset[int]]]] = {}


def negated_by_logic(smart_list: SmartList) -> frozenset[int]:
    """The numbers of the filters that the advanced logic negates (`1 and not 3`, `not (1 or 2)`):
    under an odd number of `not`s in at least one place. Such a filter excludes the people it
    selects there, as a negative operator does. Empty for ALL / ANY lists: one check of the match
    type."""
    return _negations(smart_list)[0]


def negated_everywhere(smart_list: SmartList) -> frozenset[int]:
    """The filters the logic negates in every place it names them: only there does a `not` turn a
    negative filter (`Not Visited Web Page`, `not in`) back into a positive one; `(1 and not 2) or
    2` still uses filter 2 as written."""
    return _negations(smart_list)[1]


def _negations(smart_list: SmartList) -> tuple[frozenset[int], frozenset[int]]:
    logic = smart_list.logic
    if logic is None or smart_list.match_type is not MatchType.ADVANCED:
        return _NONE, _NONE
    found = _NEGATED.get(id(logic))
    if found is not None and found[0] is logic:
        return found[1]
    negated: set[int] = set()
    plain: set[int] = set()
    stack: list[tuple[Logic, bool]] = [(logic, False)]
    while stack:  # no recursion: logic nests up to sources.logic.MAX_DEPTH
        node, negative = stack.pop()
        if isinstance(node, Ref):
            (negated if negative else plain).add(node.number)
        elif isinstance(node, Not):
            stack.append((node.item, not negative))
        else:
            stack.extend((item, negative) for item in node.items)
    if len(_NEGATED) >= 4096:  # as many shapes as the parse cache keeps
        _NEGATED.clear()
    answer = (frozenset(negated) if negated else _NONE, frozenset(negated - plain) if negated - plain else _NONE)
    _NEGATED[id(logic)] = (logic, answer)
    return answer
