"""Bad input never produces a traceback: SL001 with file, line and column, exit 2, and every other
file in the run is still linted and reported."""

from __future__ import annotations

import pytest

from conftest import DATA, EXAMPLES, write
from smartlint.sources import load

CASES = {
    # file: (line, column, words the message must contain)
    "malformed.json": (5, 24, "Expecting ',' delimiter"),
    "truncated.json": (5, 1, "truncated"),
    "malformed.yaml": (4, 1, "invalid YAML"),
    "malformed.smartlist": (4, 19, "unexpected"),
    "empty.json": (1, 1, "empty"),
    "latin1.json": (1, 23, "not UTF-8"),
    "wrong-shape.json": (1, 70, "`filters` must be an array"),
    "numbers.json": (1, 2, "a smart list must be an object"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_sl001_at_the_right_place(name):
    line, column, words = CASES[name]
    document = load(str(DATA / "bad" / name), positions=True)
    errors = [e for e in document.errors if e.code == "SL001"]
    assert errors, name
    error = errors[0]
    assert words.lower() in error.message.lower()
    assert (error.location.line, error.location.column) == (line, column)


def test_bad_files_exit_2_and_the_good_ones_are_still_reported(cli, tmp_path):
    run = cli("lint", "--format", "json", str(DATA / "bad"), str(EXAMPLES / "export" / "yaml" / "partner-contacts.yaml"))
    assert run.code == 2
    assert "Traceback" not in run.err
    report = run.json()
    by_path = {}
    for finding in report["findings"]:
        by_path.setdefault(finding["path"].rsplit("/", 1)[-1], set()).add(finding["code"])
    for name in CASES:
        if name == "numbers.json":  # valid JSON with no smart-list shape: skipped in a folder
            assert name not in by_path and f"note: skipped {DATA / 'bad' / name}" in run.err
            continue
        assert by_path.get(name) == {"SL001"}, name
    assert "SL104" in by_path["partner-contacts.yaml"]


def test_text_output_names_file_line_and_column(cli):
    run = cli("lint", str(DATA / "bad" / "malformed.smartlist"))
    assert run.code == 2
    assert "malformed.smartlist:4:19 SL001" in run.out
    assert "Traceback" not in run.out + run.err


def test_missing_file_is_an_input_error(cli, tmp_path):
    run = cli("lint", str(tmp_path / "nope.json"))
    assert run.code == 2
    assert "no such file" in run.out


def test_logic_errors_are_sl002_findings_not_input_errors(cli, tmp_path):
    path = write(
        tmp_path / "logic.smartlist",
        'smart list "L" [id 1]\n  use advanced filters: 1 and 2 or 3\n  filters:\n'
        '    1. Country: is "France"\n    2. City: is "Paris"\n    3. State: is "IDF"\n',
    )
    run = cli("lint", "--format", "json", str(path))
    assert run.code == 1
    [finding] = run.json()["findings"]
    assert finding["code"] == "SL002"
    assert "parentheses" in finding["message"]
    assert (finding["line"], finding["column"]) == (2, 33)  # at the `or`


@pytest.mark.parametrize(
    "logic, words",
    [
        ("1 and (2 or 4)", "names filter 4"),
        ("1 and (2 or", "ends too early"),
        ("1 & 2", "unexpected '&'"),
        ("", "empty"),
        ("(" * 200 + "1" + ")" * 200, "nests 200"),
    ],
)
def test_advanced_logic_errors(tmp_path, logic, words):
    path = write(
        tmp_path / "logic.json",
        '{"name": "L", "rules": {"filterMatchType": "Advanced", "filterCustomRuleLogic": "%s", "filters": ['
        '{"name": "Country", "conditions": [{"attributeName": "Country", "operator": "is", "values": ["FR"]}]},'
        '{"name": "City", "conditions": [{"attributeName": "City", "operator": "is", "values": ["Paris"]}]},'
        '{"name": "State", "conditions": [{"attributeName": "State", "operator": "is", "values": ["IDF"]}]}]}}' % logic,
    )
    document = load(str(path), positions=True)
    [error] = document.errors
    assert error.code == "SL002" and words in error.message
    assert error.location.line == 1
    assert document.lists and document.lists[0].logic is None

