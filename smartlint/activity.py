"""Activity windows: how much history a `Date of Activity` constraint makes Marketo read."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from .model import Condition, Filter


@cache
def norm(text: str) -> str:
    """Lower case, single spaces: how operators and names are compared."""
    return " ".join(text.lower().split())


def date_of_activity(item: Filter) -> Condition | None:
    for condition in item.conditions:
        if norm(condition.attribute) == "date of activity":
            return condition
    return None


_UNITS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.44, "quarter": 91.3, "year": 365.25}
_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(minute|hour|day|week|month|quarter|year)s?\s*$", re.I)
_PRESETS = {
    "today": 1, "yesterday": 2, "this week": 7, "last week": 14, "this month": 31, "last month": 62,
    "this quarter": 92, "last quarter": 184, "this year": 366, "last year": 731,
}
_LAST_N = re.compile(r"^\s*(?:last|past)\s+(\d+)\s*(day|week|month|quarter|year)s?\s*$", re.I)


def _amount_days(text: str) -> float | None:
    match = _AMOUNT.match(text)
    if match:
        return float(match.group(1)) * _UNITS[match.group(2).lower()]
    match = _LAST_N.match(text)
    if match:
        return float(match.group(1)) * _UNITS[match.group(2).lower()]
    return None


def _parse_date(text: str) -> date | None:
    match = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        match_us = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if not match_us:
            return None
        month, day, year = (int(g) for g in match_us.groups())
    else:
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def window_days(condition: Condition, today: date | None = None) -> float | None:
    """How many days of activity history a `Date of Activity` constraint makes Marketo read;
    None when it reads all of it (`before`, `in past before`) or the value cannot be understood."""
    operator = norm(condition.operator)
    values = condition.values
    today = today or date.today()
    if operator in ("in past", "in future") and values:
        return _amount_days(values[0])
    if operator == "in time frame" and values:
        preset = norm(values[0])
        return _PRESETS.get(preset) or _amount_days(values[0])
    if operator in ("between",) and len(values) >= 2:
        start, end = _parse_date(values[0]), _parse_date(values[1])
        if start and end:
            return abs((end - start).days) + 1
        return None
    if operator in ("after", "on or after") and values:
        start = _parse_date(values[0])
        return max((today - start).days, 1) if start else None
    if operator == "is" and values:
        return 1 if _parse_date(values[0]) else None
    return None
