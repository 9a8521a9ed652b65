"""The per-list checks: one small module per rule, each a pure function of (smart list, options)
that yields :class:`Problem` objects. Checks know nothing of output formats, configuration files
or severity overrides; the engine does."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Callable, Iterator, Mapping

from ..model import Filter, Location, SmartList

# code -> module; the module's docstring is the developer's note, the user docs live in rules/
MODULES = {
    "SL003": "sl003_unused_filter",
    "SL004": "sl004_catalog_unknown",
    "SL006": "sl006_condition_error",
    "SL101": "sl101_slow_operator",
    "SL102": "sl102_contains_over_limit",
    "SL103": "sl103_too_many_values",
    "SL104": "sl104_email_domain_without_at",
    "SL201": "sl201_activity_unbounded",
    "SL202": "sl202_inactivity",
    "SL203": "sl203_member_of_smart_list",
    "SL204": "sl204_member_of_list",
    "SL205": "sl205_random_sample",
    "SL206": "sl206_beyond_retention",
    "SL301": "sl301_heavy_first",
    "SL302": "sl302_too_many_filters",
    "SL303": "sl303_too_many_constraints",
    "SL304": "sl304_duplicate_filter",
    "SL305": "sl305_contradiction",
    "SL306": "sl306_any_heavy",
    "SL501": "sl501_trigger_heavy",
    "SL502": "sl502_trigger_broad",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check found. `filter` points at the offending filter (None: the whole list)."""

    message: str
    filter: Filter | None = None
    location: Location | None = None
    severity: str | None = None  # only for rules with two levels (SL302)


Check = Callable[[SmartList, Mapping[str, Any]], Iterator[Problem]]


@cache
def module(code: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{MODULES[code]}")


def check_for(code: str) -> Check:
    return module(code).check
