"""The paths taken for speed give the same results as the full ones: the whole-export analysis
skipped when it cannot find anything, `report` and `lint` in several processes."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES, write

EXCLUSIONS = "    2. Unsubscribed: is false\n    3. Email Invalid: is false\n    4. Black Listed: is false\n"


def _list(name: str, number: int, first: str) -> str:
    return f'smart list "{name}" [id {number}]\n  use ALL filters\n  filters:\n    1. {first}\n' + EXCLUSIONS + "\n"


CASES = {
    # a reference to a list that is not in the export: SL404 from a single list
    "missing-reference": _list("A", 1, 'Member of Smart List: in "Archived"'),
    # two lists that reference each other: SL403
    "cycle": _list("A", 1, 'Member of Smart List: in "B"') + _list("B", 2, 'Member of Smart List: in "A"'),
    # the same three filters in two lists, with min-lists lowered to 2: SL401
    "repeated-set-of-two": _list("A", 1, 'Country: is "France"') + _list("B", 2, 'Country: is "Spain"'),
    # nothing the analysis could find
    "alone": _list("A", 1, 'Country: is "France"'),
    # one active trigger campaign on a high-volume trigger, with min-campaigns lowered to 1: SL502
    "shared-trigger": 'campaign smart list "Stamp web visit" [id 67]\n  campaign: trigger, active\n  use ALL filters\n'
    '  triggers:\n    1. Visits Web Page\n         Web Page: is "Pricing"\n',
}


def _codes_by_line(text: str) -> list[tuple[str, str]]:
    """(line, code) of each `--format github` annotation."""
    return sorted(re.findall(r"line=(\d+).*?title=(SL\d+)", text))


@pytest.mark.parametrize("case", sorted(CASES))
def test_outputs_without_the_export_costs_report_every_whole_export_finding(cli, tmp_path, case):
    path = write(tmp_path / "lists.smartlist", CASES[case])
    write(tmp_path / ".smartlint.yaml", "rules:\n  SL401:\n    min-lists: 2\n  SL502:\n    min-campaigns: 1\n")
    full = cli("lint", "--format", "json", str(path)).json()  # the JSON report always runs the analysis
    github = cli("lint", "--format", "github", str(path))
    assert github.code in (0, 1), github.err
    assert _codes_by_line(github.out) == sorted((str(f["line"]), f["code"]) for f in full["findings"])
    expected = {"missing-reference": "SL404", "cycle": "SL403", "repeated-set-of-two": "SL401", "shared-trigger": "SL502"}.get(case)
    codes = {f["code"] for f in full["findings"]}
    assert expected in codes if expected else not codes & {"SL401", "SL402", "SL403", "SL404"}
    statistics = cli("lint", "--statistics", str(path)).out
    for code in codes:
        assert re.search(rf"\b{code}\b", statistics)


@pytest.mark.parametrize("form", ["json", "html"])
def test_report_is_the_same_in_one_process_and_in_two(cli, tmp_path, form):
    one = tmp_path / f"one.{form}"
    two = tmp_path / f"two.{form}"
    fixed = {"SOURCE_DATE_EPOCH": "1790000000"}  # the report's generated_at, else the second may tick
    first = cli("report", "--format", form, "-j", "1", "-o", str(one), str(EXAMPLES), env=fixed)
    second = cli("report", "--format", form, "-j", "2", "-o", str(two), str(EXAMPLES), env=fixed)
    assert (first.code, second.code) == (0, 0), first.err + second.err
    assert one.read_bytes() == two.read_bytes()
    assert "Webinar invitees" in one.read_text(encoding="utf-8")  # a list of the export is in it


def test_lint_is_the_same_in_one_process_and_in_two(cli):
    one = cli("lint", "--format", "json", "-j", "1", str(EXAMPLES))
    two = cli("lint", "--format", "json", "-j", "2", str(EXAMPLES))
    assert one.code == two.code == 1
    assert one.out == two.out


def test_processes_by_default_only_with_many_files_and_three_cpus_or_more():
    from smartlint.engine import default_jobs, usable_cpus

    assert default_jobs(5000, cpus=2) == 1  # on 2 CPUs -j2 bought no time and cost 26 % more CPU
    assert default_jobs(5000, cpus=1) == 1
    assert default_jobs(999, cpus=16) == 1
    assert default_jobs(5000, cpus=4) == 4
    assert default_jobs(5000, cpus=64) == 8
    assert default_jobs(5000) == default_jobs(5000, cpus=usable_cpus())
