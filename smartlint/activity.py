"""Activity windows and activity retention.

How much history a `Date of Activity` constraint makes Marketo read (:func:`window_days`, the
cost model's unit), how far back it reaches (:func:`reach`, :func:`oldest_day`), and how much
history Marketo keeps for the activity a filter, inactivity filter or trigger reads
(:func:`activity_for`, :func:`retention_days`, from rules/retention.yaml, Marketo's Activities
Data Retention Policy). A window longer than the retention silently means "within the retention"
(SL206); the cost model caps activity windows at it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, Mapping

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
_LAST_N = re.compile(r"^\s*(?:last|past)\s+(\d+)\s*(day|week|month|quarter|year)s?\s*$", re.I)


def _amount_days(text: str) -> float | None:
    match = _AMOUNT.match(text)
    if match:
        return float(match.group(1)) * _UNITS[match.group(2).lower()]
    match = _LAST_N.match(text)
    if match:
        return float(match.group(1)) * _UNITS[match.group(2).lower()]
    return None


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_NAMED = re.compile(r"^\s*(?:([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})|(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4}))", re.I)


def _parse_date(text: str) -> date | None:
    """2026-01-31 (a time after it is ignored), 2026/01/31, 01/31/2026 (the US order Marketo's UI
    shows), Jan 31, 2026 and 31 Jan 2026."""
    match = re.match(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match_us = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})", text)
        named = None if match_us else _NAMED.match(text)
        if match_us:
            month, day, year = (int(g) for g in match_us.groups())
        elif named and (_MONTHS.get((named.group(1) or named.group(5) or "").lower())):
            month = _MONTHS[(named.group(1) or named.group(5)).lower()]
            day, year = (int(named.group(2)), int(named.group(3))) if named.group(1) else (int(named.group(4)), int(named.group(6)))
        else:
            return None
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
        preset = _preset(norm(values[0]), today)
        # a calendar preset at its longest, today included (This Year: 366), so that the cost of a
        # list does not change with the day it is linted
        return preset[2] + 1 if preset is not None else _amount_days(values[0])
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


# ---- retention: how far back Marketo keeps each activity (rules/retention.yaml) --------------

DAYS_PER_MONTH = _UNITS["month"]
RETENTION_SETTING = "activity-retention-months"


@dataclass(slots=True, unsafe_hash=True)  # not frozen, as in model.py: faster to import
class Activity:
    """One activity of Marketo's retention policy. `days` is the fixed retention of the 14- and
    90-day tiers; None with `kept` for New Lead (never deleted); None otherwise: the 25-month tier,
    whose length is a setting (37 months with the premium option)."""

    name: str
    days: int | None = None
    kept: bool = False


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Activity
class RetentionTable:
    """rules/retention.yaml as the rules read it."""

    by_name: dict[str, Activity]  # normalised filter or trigger name -> its activity
    activities: tuple[Activity, ...]
    default_months: int
    premium_months: int
    sources: tuple[dict[str, str], ...]


@cache
def retention_table() -> RetentionTable:
    """rules/retention.yaml, read once (and kept in the rules cache as plain data, which marshal
    reads without importing pickle)."""
    from .catalog import _cached

    fields, names, default_months, premium_months, sources = _cached("retention", _build_retention)
    activities = tuple(Activity(*f) for f in fields)
    return RetentionTable({name: activities[i] for name, i in names.items()}, activities, default_months, premium_months,
                          tuple(sources))


def _build_retention() -> tuple:
    """Activity fields, normalised name -> index of its activity, the two month settings, sources."""
    from .catalog import _read

    data = _read("retention.yaml")
    names: dict[str, int] = {}
    fields = []
    for item in data["activities"]:
        days = item.get("days")
        fields.append((item["activity"], days, "days" in item and days is None))
        for name in (*item.get("filters", ()), *item.get("triggers", ())):
            names.setdefault(norm(name), len(fields) - 1)
    return fields, names, int(data["default-months"]), int(data["premium-months"]), [dict(s) for s in data.get("sources", ())]


_OTHER = Activity("(any other activity)")


def _positive_name(name: str) -> str:
    """The activity filter an inactivity filter negates: `Not Visited Web Page` -> `Visited Web
    Page`, `Was Not Sent Email` -> `Was Sent Email`, `NOT Was Added to Opportunity` -> `Was Added
    to Opportunity`."""
    key = norm(name)
    if key.startswith("was not "):
        return "was " + key[len("was not "):]
    if key.startswith("not was "):
        return "was " + key[len("not was "):]
    if key.startswith("not "):
        return key[len("not "):]
    return key


@cache
def activity_for(filter_name: str) -> Activity | None:
    """The activity an activity filter, inactivity filter or trigger reads or fires on; None for
    anything else (fields, memberships, unknown names). Activity filters and triggers of the
    filter catalog that the retention table does not list are of the 25-month tier."""
    table = retention_table().by_name
    positive = _positive_name(filter_name)
    for key in (norm(filter_name), positive):
        for candidate in (key, key.replace("person", "lead"), key.replace("lead", "person")):
            if candidate in table:
                return table[candidate]
    from .catalog import lookup

    for key in (norm(filter_name), positive):
        entry = lookup(key)
        if entry is not None:
            return _OTHER if entry.kind in ("activity", "inactivity", "trigger") else None
    return None


def retention_months(settings: Mapping[str, Any] | None = None) -> int:
    """The 25-month tier's length: `activity-retention-months` from `settings` (37 with Marketo's
    premium data retention option), else 25."""
    value = (settings or {}).get(RETENTION_SETTING)
    return int(value) if value else retention_table().default_months


def retention_days(filter_name: str, settings: Mapping[str, Any] | None = None) -> int | None:
    """How many days of history an activity filter, inactivity filter or trigger can see, from
    Marketo's Activities Data Retention Policy (rules/retention.yaml): 14 for Delete Lead, 90 for
    the twelve high-volume activities (Visit Webpage, Send Email, Change Data Value…), 25 months for
    the others (`activity-retention-months` in `settings`, e.g. the options of SL206, makes it 37).
    Months count as 30.44 days, rounded up, the same unit :func:`reach` uses for `in past "6 months"`.

    None when nothing limits it: not an activity filter or trigger (a field, a membership, an
    unknown name), or New Lead (`Person was Created`), which Marketo keeps for good.

    >>> retention_days("Not Visited Web Page"), retention_days("Filled Out Form", {"activity-retention-months": 37})
    (90, 1127)
    """
    activity = activity_for(filter_name)
    if activity is None or activity.kept:
        return None
    if activity.days is not None:
        return activity.days
    return math.ceil(retention_months(settings) * DAYS_PER_MONTH)


# ---- how far back a Date of Activity condition reaches -----------------------------------------


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Activity
class Reach:
    """The part of the past a `Date of Activity` condition selects, seen from `today`.

    `oldest` is the oldest day it reaches back to (None: the start of the activity log, as with
    `before` and `in past before`), `newest` the most recent day. `days_back` is today minus
    `oldest` in days (None when unbounded); `most_days_back` is the furthest back it reaches on any
    day of the year: the same for fixed windows, more for calendar presets (`in time frame This
    Year` reaches back 0 to 365 days depending on the date)."""

    oldest: date | None
    newest: date
    days_back: float | None
    most_days_back: float | None

    @property
    def unbounded(self) -> bool:
        return self.oldest is None


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_before(day: date) -> date:
    """The first day of the month before `day`'s month."""
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def _preset(name: str, today: date) -> tuple[date, date, float] | None:
    """(oldest, newest, most days back over the calendar) of an `in time frame` preset. Weeks
    start on Sunday, as in the Marketo UI's calendar."""
    week_start = today - timedelta(days=(today.weekday() + 1) % 7)
    if name == "today":
        return today, today, 0
    if name == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1), 1
    if name == "this week":
        return week_start, today, 6
    if name == "last week":
        return week_start - timedelta(days=7), week_start - timedelta(days=1), 13
    if name == "this month":
        return today.replace(day=1), today, 30
    if name == "last month":
        start = _month_before(today)
        return start, today.replace(day=1) - timedelta(days=1), 61
    if name == "this quarter":
        return _quarter_start(today), today, 91
    if name == "last quarter":
        this = _quarter_start(today)
        start = _quarter_start(this - timedelta(days=1))
        return start, this - timedelta(days=1), 183
    if name == "this year":
        return date(today.year, 1, 1), today, 365
    if name == "last year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), 730
    return None


def reach(condition: Condition, today: date | None = None) -> Reach | None:
    """How far back a `Date of Activity` condition reaches: `in past "N days|weeks|months|years"`,
    `in time frame` presets (This Year, Last Quarter…) and `last N days`, `in past before`,
    `before` / `on or before`, `after` / `on or after`, `between`, `is` a date and `is not` a date
    (which reaches the whole log). None where it cannot be determined (a value smartlint cannot
    read, `in future`).

    >>> reach(Condition("Date of Activity", "in time frame", ("This Year",)), date(2026, 12, 2))
    Reach(oldest=datetime.date(2026, 1, 1), newest=datetime.date(2026, 12, 2), days_back=335.0, most_days_back=365.0)
    """
    operator = norm(condition.operator)
    values = condition.values
    today = today or date.today()
    if not values:
        return None
    if operator == "in past":
        days = _amount_days(values[0])
        return None if days is None else Reach(today - timedelta(days=round(days)), today, days, days)
    if operator == "in time frame":
        preset = _preset(norm(values[0]), today)
        if preset is not None:
            oldest, newest, most = preset
            return Reach(oldest, newest, float((today - oldest).days), float(most))
        days = _amount_days(values[0])
        return None if days is None else Reach(today - timedelta(days=round(days)), today, days, days)
    if operator == "in past before":
        days = _amount_days(values[0])
        return None if days is None else Reach(None, today - timedelta(days=round(days)), None, None)
    first = _parse_date(values[0])
    if first is None:
        return None
    if operator in ("before", "on or before"):
        return Reach(None, first - timedelta(days=1) if operator == "before" else first, None, None)
    if operator in ("after", "on or after"):
        oldest = first + timedelta(days=1) if operator == "after" else first
        back = float(max((today - oldest).days, 0))
        return Reach(oldest, today, back, back)
    if operator == "between" and len(values) >= 2:
        second = _parse_date(values[1])
        if second is None:
            return None
        oldest, newest = min(first, second), max(first, second)
        back = float((today - oldest).days)
        return Reach(oldest, newest, back, back)
    if operator == "is":
        back = float((today - first).days)
        return Reach(first, first, back, back)
    if operator == "is not":
        return Reach(None, today, None, None)
    return None


def oldest_day(condition: Condition, today: date | None = None) -> date | None:
    """The oldest day a `Date of Activity` condition reaches back to, where that is determinable
    and bounded (None for `before`, `in past before`, `is not` and what cannot be read)."""
    found = reach(condition, today)
    return found.oldest if found is not None else None
