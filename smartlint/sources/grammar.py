"""The Lark LALR parser for the text form and advanced filter logic, built once per process."""

from __future__ import annotations

import re
from functools import cache

from lark import Lark, Token

from ..resources import data_dir

COMMENTS: list[Token] = []  # whole-line comments, filled by the lexer while a text form is parsed

STARTS = ["start", "logic", "header_line", "head_line", "property_line", "match_line", "section_line", "rule_line", "condition_line"]


def _collect_comment(token: Token) -> Token:
    COMMENTS.append(token)
    return token


@cache
def parser() -> Lark:
    """One LALR parser for every start symbol: `start` (a text-form file), `logic` (advanced
    filter logic) and the line rules the text-form loader uses to explain a line it cannot read.
    Lark caches the built tables on disk (`cache=True`)."""
    path = data_dir("grammar") / "smartlist.lark"
    return Lark(
        path.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        start=STARTS,
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
        lexer_callbacks={"COMMENT": _collect_comment},
    )


@cache
def terminal(name: str) -> str:
    """The regular expression of a terminal of the grammar, for the loader's line expressions."""
    return parser().get_terminal(name).pattern.to_regexp()  # flags included, as `(?i:…)`


def compile_line(template: str) -> re.Pattern[str]:
    """`template` with `{NAME}` for each terminal of the grammar it uses, compiled."""
    return re.compile(re.sub(r"\{([A-Z_]+)\}", lambda m: terminal(m.group(1)), template))
