"""The Lark LALR parser for the text form and advanced filter logic, built once per process."""

from __future__ import annotations

from functools import cache

from lark import Lark, Token

from ..resources import data_dir


COMMENTS: list[Token] = []  # filled by the lexer while the text form is parsed


def _collect_comment(token: Token) -> Token:
    COMMENTS.append(token)
    return token


def _collect_line_comments(token: Token) -> Token:
    """Whole-line comments are part of the line-end token; pick them out with their positions."""
    if "#" in token.value:
        line = token.line
        for text in token.value.split("\n")[1:]:
            line += 1
            hash_at = text.find("#")
            if hash_at >= 0:
                COMMENTS.append(Token("COMMENT", text[hash_at:].rstrip("\r"), line=line, column=hash_at + 1))
    return token


def build(start: str | list[str], transformer=None) -> Lark:
    """A LALR parser for the grammar; with a transformer, it builds the result while parsing."""
    path = data_dir("grammar") / "smartlist.lark"
    return Lark(
        path.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        start=start,
        propagate_positions=False,
        maybe_placeholders=False,
        cache=True,
        transformer=transformer,
        lexer_callbacks={"COMMENT": _collect_comment, "_NL": _collect_line_comments},
    )


@cache
def parser() -> Lark:
    """The parser for advanced filter logic, giving parse trees."""
    return build("logic")
