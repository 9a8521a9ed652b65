"""Rules judged as a Marketo administrator would: no false alarm on a well-built list, advice
that can be followed in the Marketo UI (findings of a new-user trial)."""

from __future__ import annotations

import json

import pytest

from conftest import write
from smartlint.config import Overrides
from smartlint.engine import lint_paths

# filters for the advanced-logic shapes: F fast, H heavy (activity), M membership
_FILTERS = {
    "F": '{n}. Country: is "Germany"',
    "G": '{n}. Lead Status: is "MQL"',
    "H": '{n}. Filled Out Form\n         Form: is "Contact Us"\n         Date of Activity: in past "14 days"',
    "I": '{n}. Clicked Link in Email\n         Email: is "Newsletter"\n         Date of Activity: in past "14 days"',
    "J": '{n}. Opened Email\n         Email: is "Newsletter"\n         Date of Activity: in past "14 days"',
}


def _list(kinds: str, logic: str) -> str:
    body = "\n".join("    " + _FILTERS[k].format(n=i) for i, k in enumerate(kinds, 1))
    match = f"use advanced filters: {logic}" if logic not in ("ALL", "ANY") else f"use {logic} filters"
    return f'smart list "L" [id 1]\n  {match}\n  filters:\n{body}\n'


def _codes(tmp_path, text: str, select: str = "SL306") -> list[tuple[str, int | None, str]]:
    path = write(tmp_path / "l.smartlist", text)
    return [(f.code, f.filter, f.message) for f in lint_paths([str(path)], Overrides(select=(select,))).findings]


# ---- SL306: heavy filters joined by `or` with nothing fast in front --------------------------

SL306_FIRES = [
    ("HI", "ANY"),
    ("FHI", "ANY"),  # a fast filter under ANY adds people, it narrows nothing
    ("HI", "1 or 2"),
    ("FHI", "1 or (2 or 3)"),  # the fast filter is one more alternative
    ("FHI", "1 or 2 or 3"),
    ("HIJ", "1 and (2 or 3)"),  # a heavy filter in front is no fast filter
    ("HI", "not (1 and 2)"),  # = not 1 or not 2
    ("FHI", "not 1 or (2 or 3)"),
    ("FHIJ", "(1 and 2) or 3 or 4"),  # 3 and 4 run on everyone
]

SL306_SILENT = [
    ("FHI", "1 and (2 or 3)"),  # the new-user trial's list
    ("FHI", "(2 or 3) and 1"),
    ("FGHI", "1 and 2 and (3 or 4)"),
    ("FHI", "not 1 and (2 or 3)"),  # Country is not Germany still narrows
    ("FGHI", "(1 or 2) and (3 or 4)"),  # a group of fast filters narrows too
    ("FHIJ", "1 and ((2 or 3) or 4)"),
    ("FHIJ", "1 and (2 or (3 and 4))"),
    ("FHI", "(1 and 2) or (1 and 3)"),
    ("FHI", "1 and not (2 and 3)"),
    ("FGHI", "(1 and 3) or (2 and 4)"),  # each heavy filter has its own fast filter
    ("HI", "not (1 or 2)"),  # = not 1 and not 2: an `and`, as under ALL
    ("FHIJ", "(1 and 2) or 3"),  # one heavy filter alone on everyone is not this rule's case
    ("FHI", "(1 or 2) and (1 or 3)"),  # = 1 or (2 and 3): one heavy filter in each `or`
    ("HI", "ALL"),
    ("FH", "ANY"),
]


@pytest.mark.parametrize(("kinds", "logic"), SL306_FIRES)
def test_sl306_fires_when_heavy_filters_run_on_everyone(tmp_path, kinds, logic):
    found = _codes(tmp_path, _list(kinds, logic))
    assert len(found) == 1, found
    new = len(kinds) + 1
    assert f"`{new} and (" in found[0][2] or f"`{new} and not (" in found[0][2]


@pytest.mark.parametrize(("kinds", "logic"), SL306_SILENT)
def test_sl306_is_silent_when_a_fast_filter_narrows_the_heavy_ones(tmp_path, kinds, logic):
    assert _codes(tmp_path, _list(kinds, logic)) == []


def test_sl306_advanced_logic_with_a_fast_filter_in_front_is_clean_in_every_form(cli, tmp_path):
    text = write(tmp_path / "adv.smartlist", _list("FHI", "1 and (2 or 3)"))
    converted = tmp_path / "adv.json"
    assert cli("convert", str(text), "--to", "json", "-o", str(converted)).code == 0
    assert json.loads(converted.read_text())  # written
    assert '"custom"' in converted.read_text()
    for path in (text, converted):
        run = cli("lint", str(path))
        assert run.code == 0 and "SL306" not in run.out, run.out
    # the same heavy filters with ANY: the finding's advice names this list's own numbers
    run = cli("lint", "--select", "SL306", str(write(tmp_path / "any.smartlist", _list("HI", "ANY"))))
    assert "SL306" in run.out and "`3 and (1 or 2)`" in run.out, run.out


# ---- SL401: which repeated sets are worth a maintained field ---------------------------------

def _plain(name: str, list_id: int, filters: list[str]) -> str:
    body = "".join(f"    {n}. {f}\n" for n, f in enumerate(filters, 1))
    return f'smart list "{name}" [id {list_id}]\n  use ALL filters\n  filters:\n{body}\n'


def test_sl401_two_cheap_is_filters_repeated_are_no_finding(cli, tmp_path):
    # the trial's lists: `Emailable` (the field the recipe would make) and a country, in three lists
    common = ["Emailable: is true", 'Country: is "United States"']
    text = _plain("Emailable US", 1, common) + _plain("Emailable US MQL", 2, [*common, 'Lead Status: is "MQL"'])
    text += _plain("Emailable US SQL", 3, [*common, 'Lead Status: is "SQL"'])
    run = cli("lint", str(write(tmp_path / "lists.smartlist", text)))
    assert run.code == 0 and "SL401" not in run.out, run.out
    report = cli("report", str(tmp_path / "lists.smartlist")).json()
    assert report["repeated_sets"] == []
    # cheap fields without the Boolean field: still no field per combination of `is` filters
    text = "".join(_plain(f"US {i}", 10 + i, ['Country: is "United States"', 'Lead Status: is "MQL"', "Lead Score: at least 50", f'City: is "C{i}"']) for i in range(4))
    run = cli("lint", "--select", "SL401", str(write(tmp_path / "cheap.smartlist", text)))
    assert run.code == 0 and "SL401" not in run.out, run.out


def test_sl401_a_repeated_heavy_set_is_flagged_with_a_name_made_of_words(cli, tmp_path):
    demo = 'Filled Out Form\n         Form: is "Demo Request"\n         Date of Activity: in past "30 days"'
    text = "".join(_plain(f"Demo {i}", 20 + i, ["Customer: is false", "Do Not Call: is true", demo, f'City: is "C{i}"']) for i in range(3))
    run = cli("lint", "--select", "SL401", "--format", "json", str(write(tmp_path / "demo.smartlist", text)))
    assert run.code == 0 and run.json()["findings"]  # info: the form's window is a rolling one (test_admin_review)
    [field] = {f["message"].split("`")[1] for f in run.json()["findings"]}
    # names from the Boolean fields and the form, never from `true` / `false`
    assert field == "Matches Not Customer, Do Not Call, Demo Request", field
    for value in ("true", "false", "30 days"):
        assert value not in field.lower()


def test_sl401_a_set_that_already_uses_the_field_is_not_flagged(cli, tmp_path):
    # the lists already use `Emailable`: the recipe would make the field they have
    text = "".join(_plain(f"N {i}", 30 + i, ["Emailable: is true", "Unsubscribed: is false", "Email Invalid: is false", f'City: is "C{i}"']) for i in range(3))
    run = cli("lint", "--select", "SL401", str(write(tmp_path / "n.smartlist", text)))
    assert run.code == 0 and "SL401" not in run.out, run.out


def test_sl401_saving_is_measured_against_the_lists_own_cost(cli, tmp_path):
    exclusions = ["Unsubscribed: is false", "Email Invalid: is false", "Marketing Suspended: is false", "Black Listed: is false", "Email Suspended: is false"]
    text = "".join(_plain(f"Newsletter {i}", 40 + i, [f'Country: is "K{i}"', *exclusions]) for i in range(4))
    path = write(tmp_path / "mail.smartlist", text)
    run = cli("lint", "--select", "SL401", str(path))
    assert run.code == 1 and "`Emailable`" in run.out  # the classic case stays flagged
    report = cli("report", str(path)).json()
    [item] = report["repeated_sets"]
    recipe = item["recipe"]
    costs = {entry["name"]: entry["cost"] for entry in report["lists"]}
    assert recipe["lists_cost"] == pytest.approx(sum(costs.values()), abs=0.01)  # the report's own list costs
    assert 0 < recipe["estimated_saving"] < recipe["lists_cost"]
    share = recipe["estimated_saving"] / recipe["lists_cost"]
    note = next(n for n in recipe["notes"] if n.startswith("Estimated saving"))
    assert f"({share:.0%} of their cost)" in note and "one definition" in note, note
    assert f"Estimated saving: {recipe['estimated_saving']:g} per run of these 4 lists" in run.out


# ---- SL403/SL404: a list name that several lists have ----------------------------------------

_CYCLE = """id: 1
name: A
rules:
  filterMatchType: all
  filters:
  - name: Member of Smart List
    conditions: [{attributeName: Member of Smart List, operator: in, values: [B]}]
---
id: 2
name: B
rules:
  filterMatchType: all
  filters:
  - name: Member of Smart List
    conditions: [{attributeName: Member of Smart List, operator: in, values: [A]}]
"""


def test_a_cycle_through_a_name_two_lists_have_is_still_reported(cli, tmp_path):
    write(tmp_path / "multi.yaml", _CYCLE)
    run = cli("lint", "--select", "SL4,SL0", str(tmp_path))
    assert run.code == 1 and run.out.count("SL403") == 2 and "possible" not in run.out, run.out
    # another program's list named "A": the name is ambiguous, the cycle stays (as possible)
    write(tmp_path / "other.smartlist", 'smart list "A" [id 10]\n  use ALL filters\n  filters:\n    1. Country: is "Italy"\n')
    run = cli("lint", "--select", "SL4,SL0", "--format", "json", str(tmp_path))
    assert run.code == 1, run.out
    found = run.json()["findings"]
    cycles = [f for f in found if f["code"] == "SL403"]
    assert {f["list_id"] for f in cycles} == {1, 2} and all(f["message"].startswith("possible") for f in cycles)
    # a guess is a warning, a certain cycle an error: `--fail-on error` does not fail on the guess
    assert {f["severity"] for f in cycles} == {"warning"}
    assert [f["severity"] for f in run.json()["findings"] if f["code"] == "SL403"] == ["warning", "warning"]
    assert cli("lint", "--select", "SL403", "--fail-on", "error", str(tmp_path)).code == 0
    [ambiguous] = [f for f in found if f["code"] == "SL404"]
    assert ambiguous["list_id"] == 2
    for words in ('"A"', "2 lists", "[id 1] in", "multi.yaml", "[id 10] in", "other.smartlist"):
        assert words in ambiguous["message"], ambiguous["message"]


# ---- SL005: a suppression of a rule this run does not check -----------------------------------

_SUPPRESSED = """smart list "Pricing visitors" [id 70]
  use ALL filters
  filters:
    1. Country: is "France"
    2. Visited Web Page  # smartlint: disable=SL206
         Web Page: is "Pricing"
    3. Lead Status: is "MQL"  # smartlint: disable=SL101
"""


def test_sl005_is_silent_on_a_suppression_of_a_rule_not_checked_in_this_run(cli, tmp_path):
    path = write(tmp_path / "sup.smartlist", _SUPPRESSED)
    default = cli("lint", "--format", "json", str(path)).json()["findings"]
    # the SL206 suppression is used; the SL101 one on an `is` filter suppresses nothing
    assert [(f["code"], f["filter"]) for f in default if f["code"] in ("SL005", "SL206")] == [("SL005", 3)]
    for args in (("--ignore", "SL206"), ("--select", "SL0,SL1"), ("--ignore", "SL2")):
        found = cli("lint", "--format", "json", *args, str(path)).json()["findings"]
        assert [(f["code"], f["filter"]) for f in found if f["code"] == "SL005"] == [("SL005", 3)], (args, found)


# ---- SL004: did you mean, and what a pip user can do ------------------------------------------

def test_sl004_suggests_the_catalog_name_and_advice_a_pip_user_can_follow(cli, tmp_path):
    text = (
        'smart list "T" [id 1]\n  use ALL filters\n  filters:\n'
        '    1. Visited Webpage\n         Web Page: is "Pricing"\n'
        "    2. Lead Score: gretaer than 50\n"
        '    3. Zorblax Frobnicate\n         Thing: is "x"\n'
    )
    found = cli("lint", "--select", "SL004", "--format", "json", str(write(tmp_path / "t.smartlist", text))).json()["findings"]
    by_filter = {f["filter"]: f["message"] for f in found}
    assert "did you mean `Visited Web Page`?" in by_filter[1]
    assert "activity rules (SL201, SL202, SL206) do not check it" in by_filter[1]
    assert "did you mean `greater than`?" in by_filter[2]
    assert "did you mean" not in by_filter[3]  # nothing confidently alike: no guess
    for message in by_filter.values():
        assert "rules/" not in message and "smartlint: disable=SL004" in message
    # following the advice: the corrected names are known, and the activity rules see the filter
    fixed = text.replace("Visited Webpage", "Visited Web Page").replace("gretaer", "greater")
    found = cli("lint", "--format", "json", str(write(tmp_path / "f.smartlist", fixed))).json()["findings"]
    assert {(f["code"], f["filter"]) for f in found if f["code"] in ("SL004", "SL206")} == {("SL004", 3), ("SL206", 1)}
