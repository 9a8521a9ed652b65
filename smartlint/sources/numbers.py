"""Ids and numbers as Marketo has them: whole numbers below 2^63, read without handing int() a
string long enough to be slow or refused. Shared by every loader and the advanced logic.

Ids and numbers are 64-bit integers everywhere smartlint writes them (JSON, SARIF and the report
are read by tools that hold no more): a larger one is not a Marketo id, and is an input error at
its place rather than a crash or a silent change when it is written out."""

from __future__ import annotations

ID_LIMIT = 2**63


def in_range(value: int) -> bool:
    return -ID_LIMIT <= value < ID_LIMIT


def out_of_range(what: str, digits: str) -> str:
    """The message for a number out of range; `digits` as written, shortened when long."""
    shown = digits if len(digits) <= 24 else f"{digits[:12]}…{digits[-4:]} ({len(digits.lstrip('-+'))} digits)"
    return f"{what} {shown} is out of range: Marketo ids and numbers are whole numbers below 2^63"


def whole_number(digits: str) -> int | None:
    """`digits` (an optional sign and digits) as an int, or None when out of range. The length is
    looked at first: int() refuses more than 4,300 digits, and takes quadratic time below that."""
    sign = "-" if digits.startswith("-") else ""
    significant = digits.lstrip("-+").lstrip("0") or "0"  # int() counts leading zeros too
    if len(significant) > 19:
        return None
    value = int(sign + significant)
    return value if in_range(value) else None
