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
        if name in ("numbers.json", "empty.json"):  # no smart-list shape, or nothing: skipped in a folder
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



@pytest.mark.parametrize("name", ["README.md", "notes.txt", "script.py", "export.JSON.bak"])
def test_a_named_file_smartlint_does_not_read_is_a_clear_sl001(cli, tmp_path, name):
    """`smartlint lint README.md` said "invalid JSON: Expecting value"; the other files are still linted."""
    other = write(tmp_path / name, "# Title\n\nSome words.\n")
    good = EXAMPLES / "export" / "yaml" / "partner-contacts.yaml"
    run = cli("lint", str(other), str(good))
    assert run.code == 2, run.out
    reads = "not a smart-list file: smartlint reads .json, .yaml, .yml and .smartlist"
    # lint can read it anyway, from standard input under another name; convert cannot
    assert f"{other}:1:1 SL001 [error] {reads} (or `-` with --stdin-filename NAME.json for another name)" in run.out
    assert "invalid JSON" not in run.out and "SL104" in run.out
    converted = cli("convert", str(other), "--to", "text")
    assert converted.code == 2 and converted.out == "" and "invalid JSON" not in converted.err
    assert converted.err.strip() == f"{other}:1:1 SL001 {reads}"
    # pre-commit (--force-exclude) names every changed file: such a file is skipped with a note
    run = cli("lint", "--force-exclude", str(other))
    assert run.code == 0 and f"note: skipped {other}: not a smart-list file" in run.err, run.err


def test_standard_input_and_a_file_without_suffix_are_still_read(cli, tmp_path):
    text = (EXAMPLES / "export" / "yaml" / "partner-contacts.yaml").read_text(encoding="utf-8")
    run = cli("lint", "-", "--stdin-filename", "contacts.yaml", input=text)
    assert run.code == 1 and "contacts.yaml" in run.out and "SL104" in run.out
    run = cli("lint", "-", "--stdin-filename", "notes.txt", input=text)  # the name is only a name here
    assert run.code == 1 and "SL104" in run.out
    # a file with no suffix at all (a pipe, `<(…)`): its form is read from its first characters
    bare = write(tmp_path / "contacts", text)
    run = cli("lint", str(bare))
    assert run.code == 1 and "SL104" in run.out, run.out


@pytest.mark.parametrize("name, content", [("empty.json", ""), ("empty.yaml", "\n"), ("empty.smartlist", "  \n\t\n"), ("bom.json", "\ufeff \n")])
def test_an_empty_file_found_in_a_folder_is_skipped_named_it_is_an_error(cli, tmp_path, name, content):
    empty = write(tmp_path / "export" / name, content)
    write(tmp_path / "export" / "good.yaml", (EXAMPLES / "export" / "yaml" / "partner-contacts.yaml").read_text(encoding="utf-8"))
    run = cli("lint", str(tmp_path / "export"))
    assert run.code == 1, run.out
    assert f"note: skipped {empty}: empty file, no smart list" in run.err and str(empty) not in run.out
    run = cli("lint", str(empty))
    assert run.code == 2 and f"{empty}:1:1 SL001 [error] file is empty" in run.out
