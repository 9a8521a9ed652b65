"""The Lark LALR parser for the text form and advanced filter logic, built once per process."""

from __future__ import annotations

from functools import cache

from lark import Lark, Token

from ..resources import data_dir


COMMENTS: list[Token] = []  # filled by the lexer while the text form is parsed


def _collect_comment(token: Token) -> Token:
    COMMENTS.append(token)
    return token


@cache
def parser() -> Lark:
    path = data_dir("grammar") / "smartlist.lark"
    return Lark(
        path.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        start=["start", "logic"],
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
        lexer_callbacks={"COMMENT": _collect_comment},
    )
