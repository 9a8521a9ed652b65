"""SL104 email.domain-without-at: `Email Address contains example.com` without the @."""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from ..model import SmartList
from . import Problem
from ._common import CONTAINS, norm

DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def check(smart_list: SmartList, options: Mapping[str, Any]) -> Iterator[Problem]:
    for item in smart_list.filters:
        for condition in item.conditions:
            if norm(condition.attribute) != "email address" or norm(condition.operator) not in CONTAINS:
                continue
            bare = [v for v in condition.values if DOMAIN.match(v.strip())]
            if bare:
                shown = ", ".join(f'"{v}"' for v in bare[:3]) + (" …" if len(bare) > 3 else "")
                yield Problem(
                    f"`Email Address {norm(condition.operator)}` domain values without the @ ({shown}); "
                    f'write them as "@{bare[0].strip()}": with several values all must start with @ for the faster query',
                    item,
                    condition.location,
                )
