"""SL502 trigger.broad: a trigger that listens to a high-volume event with nothing narrowing it.

The per-list half; the export half (the same trigger in many active campaigns) is
smartlint/export/triggers.py. Which triggers and which constraints narrow them: BROAD below."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..model import Condition, Filter, SmartList
from . import Problem
from ._common import norm

# trigger (normalised, Lead spelled Person) -> (the event it listens to, what narrows it: attribute
# names, or prefixes ending with `*`). Visit Webpage, Click Link on Webpage, Change Data Value,
# Email Delivered and Send Email are high-volume activities in Marketo's retention policy; "Before
# You Pull the Trigger on Triggers" shows Data Value Changes and Email is Delivered being processed
# for every such event before their constraints are even looked at.
BROAD: dict[str, tuple[str, str, frozenset[str]]] = {
    "visits web page": ("every web page visit", "web page", frozenset({"web page", "querystring", "referrer"})),
    "clicks link on web page": ("every click on a web page link", "web page or link", frozenset({"web page", "link", "querystring", "referrer"})),
    "clicks link": ("every click on a web page link", "web page or link", frozenset({"web page", "link", "querystring", "referrer"})),
    "data value changes": ("every change of any field", "attribute", frozenset({"attribute", "attribute name"})),
    "email is delivered": ("every delivered email", "email", frozenset({"email", "email name"})),
    "is sent email": ("every sent email", "email", frozenset({"email", "email name"})),
    "email is sent": ("every sent email", "email", frozenset({"email", "email name"})),
    "person is created": ("every new person", "source", frozenset({"source", "source type", "source info", "form name", "form", "list name", "list"})),
}
for _alias, _name in (("visits webpage", "visits web page"), ("clicks link on webpage", "clicks link on web page")):
    BROAD[_alias] = BROAD[_name]
_NEGATIVE = frozenset({"is not", "not in", "not contains", "not starts with", "is empty"})


def trigger_key(name: str) -> str:
    """A trigger's name as BROAD spells it (`Lead is Created` -> `person is created`)."""
    return norm(name).replace("lead ", "person ", 1) if norm(name).startswith("lead ") else norm(name)


def _names_something(condition: Condition) -> bool:
    """Whether the condition names a value: `any` or an empty value names nothing (and no value)."""
    return not all(norm(v) in ("any", "") for v in condition.values)


def _narrows(condition: Condition) -> bool:
    op = norm(condition.operator)
    return op != "is any" and op not in _NEGATIVE and _names_something(condition)


def _negative(trigger: Filter, narrowing: frozenset[str]) -> Condition | None:
    """The trigger's negative constraint with values (`Web Page: is not "Careers"`), if any."""
    for condition in trigger.conditions:
        if (
            norm(condition.attribute) in narrowing
            and norm(condition.operator) in _NEGATIVE
            and _names_something(condition)  # `is not ""` excludes nobody
        ):
            return condition
    return None


_NARROW = "narrow it with a constraint (the page, link, field, email or source you care about)"
_NARROW_POSITIVELY = "narrow it with a positive constraint instead (`is` the pages, links, fields, emails or sources it is for)"


def broadness(trigger: Filter, frequent_fields: frozenset[str]) -> tuple[str, str] | None:
    """Why a trigger is broad (its event and what it lacks) and how to narrow it, or None when it
    is narrowed."""
    spec = BROAD.get(trigger_key(trigger.name))
    if spec is None:
        return None
    event, what, narrowing = spec
    narrowed = [c for c in trigger.conditions if norm(c.attribute) in narrowing and _narrows(c)]
    if not narrowed:
        negative = _negative(trigger, narrowing)
        if negative is not None:  # a constraint, but one that excludes a few and keeps the rest
            from ..sources.dump import _quote  # as the filter is shown beneath the finding

            values = ", ".join(_quote(v) for v in negative.values)
            why = f"its {what} constraint is negative (`{negative.attribute}: {negative.operator} {values}`): it still fires on {event} but the few it excludes"
            return why, _NARROW_POSITIVELY
        return f"it fires on {event}, with no {what} constraint", _NARROW
    if "attribute" in narrowing:
        fields = {norm(v) for c in narrowed for v in c.values}
        busy = sorted(f for f in fields if f in frequent_fields)
        if busy and len(busy) == len(fields):
            return f"it listens to {', '.join(busy)}, a field written very often (`frequent-fields`)", _NARROW
    return None


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    if not smart_list.triggers:
        return
    frequent = frozenset(norm(f) for f in options.get("frequent-fields", ()))
    state = smart_list.campaign.is_active if smart_list.campaign else None
    for trigger in smart_list.triggers:
        broad = broadness(trigger, frequent)
        if broad is None:
            continue
        why, narrow = broad
        later = " (the campaign is inactive now: this applies once it is activated)" if state is False else ""
        yield Problem(
            f"trigger {trigger.name}: {why}; every such event is checked against this campaign{later}; "
            f"{narrow}, or "
            "replace it with a more specific trigger (Fills Out Form, Clicks Link in Email, a Campaign is "
            "Requested from one place)",
            trigger,
        )
