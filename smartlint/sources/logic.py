"""Advanced filter logic (`1 and (2 or 3)`), parsed by the same Lark grammar in every form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import And, Logic, Not, Or, Ref
from .numbers import whole_number

if TYPE_CHECKING:
    from lark import Token, Tree
    from lark.exceptions import UnexpectedInput

# Lark (~35 ms to import) is imported when a list has advanced logic, not before: most lists
# have none, and a pre-commit run on a few files should not pay for it.

MAX_DEPTH = 100  # Marketo's own editor has a small limit; deeper than this is a mistake


@dataclass(frozen=True, slots=True)
class LogicError(Exception):
    message: str
    offset: int  # 0-based character offset in the logic text


def parse_logic(text: str, filter_count: int) -> Logic:
    """Parse advanced logic; raise :class:`LogicError` for syntax errors, mixed `and`/`or` without
    parentheses and numbers that name no filter."""
    result = _parse_cached(text, filter_count)
    if isinstance(result, tuple):
        raise LogicError(*result)  # a new one each time: a raised exception keeps its frames
    return result


@lru_cache(maxsize=4096)
def _parse_cached(text: str, filter_count: int) -> Logic | tuple[str, int]:
    """Exports repeat a few shapes of logic (`1 and 2 and (3 or 4)`) over thousands of lists, and a
    Lark parse costs ~100 µs: parse each once. The trees are immutable, so sharing them is safe."""
    try:
        return _parse(text, filter_count)
    except LogicError as exc:
        return (exc.message, exc.offset)


def _parse(text: str, filter_count: int) -> Logic:
    if not text.strip():
        raise LogicError("advanced filter logic is empty; write it like `1 and (2 or 3)`", 0)
    parentheses, depth = _depths(text)
    if parentheses > MAX_DEPTH:
        raise LogicError(f"advanced filter logic nests {parentheses} parentheses deep (at most {MAX_DEPTH})", 0)
    if depth > MAX_DEPTH:
        raise LogicError(f"advanced filter logic nests {depth} deep, counting each `not` (at most {MAX_DEPTH}); remove the double negations", 0)
    from lark.exceptions import UnexpectedInput

    from .grammar import parser

    try:
        tree = parser().parse(text, start="logic")
    except UnexpectedInput as exc:
        raise LogicError(_syntax_message(exc, text), _offset(exc, text)) from None
    return _build(tree.children[0], filter_count)


_LOGIC_TOKEN = re.compile(r"\(|\)|(?i:not)\b|\d+")


def _depths(text: str) -> tuple[int, int]:
    """(parentheses, levels): how deep the parentheses nest, and how deep the tree of the
    expression would be, each `not` a level (`not not … 1`). Measured before parsing, so that no
    expression too deep to build, compare or send between processes is ever built."""
    parentheses = depth = deepest = pending = 0
    outer: list[int] = []  # the depth outside each open parenthesis
    for match in _LOGIC_TOKEN.finditer(text):
        token = match.group()
        if token == "(":
            outer.append(depth)
            depth += pending + 1
            pending = 0
            parentheses = max(parentheses, len(outer))
        elif token == ")":
            depth = outer.pop() if outer else 0
            pending = 0
        elif token[0].isdigit():
            pending = 0
        else:
            pending += 1
        deepest = max(deepest, depth + pending)
    return parentheses, deepest


def _offset(exc: UnexpectedInput, text: str) -> int:
    from lark.exceptions import UnexpectedEOF, UnexpectedToken

    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, UnexpectedToken) and exc.token is not None and exc.token.start_pos is not None:
        pos = exc.token.start_pos
    if isinstance(exc, UnexpectedEOF) or pos is None:
        pos = len(text)
    return pos


def _syntax_message(exc: UnexpectedInput, text: str) -> str:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        return f"advanced filter logic: unexpected {text[exc.pos_in_stream]!r}; use filter numbers, `and`, `or`, `not` and parentheses"
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return "advanced filter logic ends too early: a filter number or `)` is missing"
    token = exc.token  # type: ignore[attr-defined]
    word = (token.value.split() or [token.value])[0]
    return f"advanced filter logic: unexpected {word!r}; expected a filter number, `and`, `or`, `not` or parentheses"


def _build(node: Tree | Token, filter_count: int) -> Logic:
    from lark import Token

    if isinstance(node, Token):  # FILTER_REF
        number = whole_number(node.value) or 0  # beyond 2^63 (or 4,300 digits) names no filter either
        if not 1 <= number <= filter_count:
            shown = node.value if len(node.value) <= 24 else f"{node.value[:12]}… ({len(node.value)} digits)"
            raise LogicError(
                f"advanced filter logic names filter {shown}, but the list has "
                f"{filter_count} filter{'s' if filter_count != 1 else ''}",
                node.start_pos or 0,
            )
        return Ref(number)
    if node.data == "negation":
        return Not(_build(node.children[1], filter_count))
    # chain: term (OP term)*
    children = node.children
    if len(children) == 1:
        return _build(children[0], filter_count)
    ops = {c.value.lower() for c in children[1::2]}
    if len(ops) > 1:
        second = next(c for c in children[1::2] if c.value.lower() != children[1].value.lower())
        raise LogicError(
            "advanced filter logic mixes `and` and `or` without parentheses; "
            "group them, e.g. `1 and (2 or 3)`",
            second.start_pos or 0,
        )
    items = tuple(_build(c, filter_count) for c in children[0::2])
    return And(items) if ops == {"and"} else Or(items)
