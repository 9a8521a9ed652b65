"""SL502's export half: the same high-volume trigger in many active trigger campaigns.

Each trigger of `checks.sl502_trigger_broad.BROAD` (Visits Web Page, Data Value Changes, Email is
Delivered…) is activated by every event of its kind before its constraints are looked at, so the
load grows with the number of active campaigns listening to it, narrowed or not. Campaign state
comes from the export (`Campaign.is_active`, REST `campaign.isActive`); when the export does not
give it, the campaign is counted apart and the finding says so rather than assume it is active."""

from __future__ import annotations

from typing import Iterator

from ..checks import Problem
from ..checks.sl502_trigger_broad import BROAD, trigger_key
from ..model import SmartList


def _shown(names: list[str]) -> str:
    quoted = [f'"{n}"' for n in names]
    return ", ".join(quoted) if len(quoted) <= 4 else f"{', '.join(quoted[:3])} … {quoted[-1]}"


def shared_trigger_problems(lists: list[SmartList], min_campaigns: int) -> Iterator[tuple[int, str, Problem]]:
    """(list index, "SL502", problem) for every campaign that shares a high-volume trigger with at
    least `min_campaigns - 1` other active campaigns (one pass over the triggers)."""
    listening: dict[str, list[tuple[int, bool | None]]] = {}
    for index, smart_list in enumerate(lists):
        state = smart_list.campaign.is_active if smart_list.campaign else None
        if state is False:
            continue
        seen = set()
        for trigger in smart_list.triggers:
            key = trigger_key(trigger.name)
            if key in BROAD and key not in seen:
                seen.add(key)
                listening.setdefault(key, []).append((index, state))
    for key, members in listening.items():
        active = [i for i, state in members if state]
        unknown = [i for i, state in members if state is None]
        if len(active) + len(unknown) < min_campaigns:
            continue
        event = BROAD[key][0]
        if len(active) >= min_campaigns:
            severity = None
            count = f"{len(active)} active trigger campaigns"
            if unknown:
                count += f" (and {len(unknown)} whose state the export does not give)"
        else:
            severity = "info"
            count = (
                f"{len(members)} trigger campaigns ({len(active)} active, {len(unknown)} whose state the export "
                "does not give: pull with `smartlint pull` to know)"
            )
        names = [lists[i].name for i in active + unknown]
        for index in active + unknown:
            trigger = next(t for t in lists[index].triggers if trigger_key(t.name) == key)
            yield index, "SL502", Problem(
                f"{count} listen to {trigger.name} ({_shown(names)}): {event} is checked against each of them, "
                "whatever their constraints; merge campaigns that do the same work into one (one trigger listing "
                "all their pages, links or emails, with flow-step choices where the actions differ), and move "
                "work that need not happen at once to a scheduled batch campaign",
                trigger,
                severity=severity,
            )
