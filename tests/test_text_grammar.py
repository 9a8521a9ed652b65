"""The text form's two readers agree: the line expressions the loader reads each line with (built
from the grammar's terminals) accept exactly the lines the grammar's line rules accept, and read
the same parts. A line the expressions refuse is explained by the grammar, with its column."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from smartlint.model import Document, Form
from smartlint.sources.grammar import parser
from smartlint.sources.text_form import _lines, load_text

PIECES = [
    "1.", "12.", " ", "  ", "\t", "Email", "Address", "is", "not", "in past", "true", "False", '"a"', '"b c"',
    '"x\\"y"', '"\\q"', ",", ":", "[id 5]", "[type Activity 1, operator \"occurs\"]", "[", "]", "#c", "-3", "2.5",
    "007", "5x", '"', "\\", "x", "é", "@", "\f", "and", " and ", "between",
]
lines = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


def _grammar(line: str, start: str) -> Tree | None:
    try:
        return parser().parse(line, start=start)
    except UnexpectedInput:
        return None


def _tokens(tree: Tree) -> dict[str, str]:
    out: dict[str, str] = {}
    for token in tree.scan_values(lambda v: isinstance(v, Token)):
        out.setdefault(token.type, token.value)
    return out


@settings(max_examples=3000, deadline=None)
@given(lines)
def test_the_line_expression_reads_what_the_grammar_reads(line):
    if "\n" in line or "\r" in line:
        return
    match = _lines().section_line.match(line + "\n")
    numbered = re.match(r"[\t \f]*\d+\.", line) is not None
    if numbered:
        tree = _grammar(line, "rule_line")
        assert (tree is not None) == (match is not None and match["number"] is not None), line
        if tree is not None:
            tokens = _tokens(tree)
            assert match["number"] == tokens["RULE_NUMBER"]
            assert (match["name"] or match["qname"]) == tokens.get("BARE_NAME", tokens.get("STRING"))
            assert match["values"] == tokens.get("VALUES")
            assert match["meta"] == tokens.get("META")
    else:
        tree = _grammar(line, "condition_line")
        blank = re.fullmatch(r"[\t \f]*(#.*)?", line) is not None
        assert (tree is not None) == (match is not None and not blank), line
        if tree is not None:
            tokens = _tokens(tree)
            assert (match["cname"] or match["cqname"]) == tokens.get("BARE_NAME", tokens.get("STRING"))
            assert (match["cop"] or match["cqop"]) == tokens.get("OPERATOR", None) or match["cqop"] is not None
            assert match["cvalues"] == tokens.get("VALUES")
            assert match["cmeta"] == tokens.get("META")


ONE = '    1. Country: is "FR"\n'


@pytest.mark.parametrize(
    "before, line, column, words",
    [
        ("", '    1. Country is "France"', 19, "expected `:`"),
        (ONE, "    2. Email: contains 5x", 24, "unexpected '5x'"),
        (ONE, "    2. Web Page [id 5", 17, "unexpected '[id 5'"),
        (ONE, "    3. Web Page", 5, "found 3. where 2. was expected"),
        (ONE, '         Form: is "a" [colour 5]', 10, "unknown condition attribute `colour`"),
        (ONE, '    2. Score: at least 80 [id 4, flavour "x"]', 5, "unknown filter attribute `flavour`"),
        (ONE, '    2. Score: is "a\x01b"', 18, "control character U+0001"),
    ],
)
def test_a_bad_line_is_explained_at_its_column(before, line, column, words):
    text = f'smart list "L"\n  filters:\n{before}{line}\n'
    document = Document("l.smartlist", Form.TEXT)
    load_text(text, document)
    [error] = document.errors
    assert error.location.line == text.count("\n")
    assert error.location.column == column, error.message
    assert words in error.message
    assert document.lists == []


@pytest.mark.parametrize(
    "text, position, words",
    [
        ('smart list "L"\n  filters:\n      Country: is "FR"\n', (3, 7), "numbered filter"),
        ('smart list "L"\n  use ALL filters\n  workspace: "Default"\n', (3, 3), "before the filter logic"),
        ('smart list "L"\n  use ALL filters\n  use ANY filters\n', (3, 3), "given twice"),
        ('smart list "L"\n  colour: "red"\n', (2, 3), "unexpected 'colour'"),
    ],
)
def test_lines_out_of_place_are_refused(text, position, words):
    document = Document("l.smartlist", Form.TEXT)
    load_text(text, document)
    [error] = document.errors
    assert (error.location.line, error.location.column) == position
    assert words in error.message


@pytest.mark.parametrize(
    "meta, expected",
    [
        ("[id 0]", (0, None, None, None)),
        ("[id 7, type Activity 2, operator \"occurs\"]", (7, "Activity", 2, "occurs")),
        ("[type Activity 2]", (None, "Activity", 2, None)),
        ("[operator \"a, b\", id 3]", (3, None, None, "a, b")),
        ("[id 7, id 8]", (8, None, None, None)),
    ],
)
def test_the_brackets_of_a_filter(meta, expected):
    document = Document("l.smartlist", Form.TEXT)
    load_text(f'smart list "L"\n  filters:\n    1. Filled Out Form {meta}\n         Form: is "A" [id 5]\n', document)
    assert document.errors == []
    [item] = document.lists[0].filters
    assert (item.id, item.rule_type, item.rule_type_id, item.operator) == expected
    assert item.conditions[0].attribute_id == 5


@pytest.mark.parametrize("line, values", [
    ("    1. Lead Score: between 50 and 100", ("50", "100")),  # as the Marketo UI shows it
    ("    1. Lead Score: between 50, 100", ("50", "100")),
    ("    1. Lead Score: not between -5 AND 2.5", ("-5", "2.5")),
    ('    1. Created At: between "Jan 1, 2026" and "Mar 31, 2026"', ("Jan 1, 2026", "Mar 31, 2026")),
    ('    1. Visited Web Page\n         Date of Activity: between "2026-01-01" and "2026-03-31"', ("2026-01-01", "2026-03-31")),
    ('    1. City: is "Stoke and Trent", "and"', ("Stoke and Trent", "and")),
])
def test_between_reads_the_ui_wording(line, values):
    document = Document("l.smartlist", Form.TEXT)
    load_text(f'smart list "L"\n  filters:\n{line}\n', document)
    assert document.errors == []
    [item] = document.lists[0].filters
    assert item.conditions[-1].values == values


@pytest.mark.parametrize("line, column, words", [
    ("    1. Lead Score: is 5 and 6", 25, "`and` joins the two values of `between`; separate values with commas: is 5, 6"),
    ("    1. Lead Score: between 1 and 2 and 3", 28, "`between` takes two values: between 1 and 2 (found 3)"),
    ("    1. Lead Score: between 1, 2 and 3", 28, "`between` takes two values: between 1 and 2 (found 3)"),
])
def test_and_elsewhere_is_explained(line, column, words):
    document = Document("l.smartlist", Form.TEXT)
    load_text(f'smart list "L"\n  filters:\n{line}\n', document)
    [error] = document.errors
    assert words in error.message and (error.location.line, error.location.column) == (3, column), error
