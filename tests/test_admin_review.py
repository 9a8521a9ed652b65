"""Findings of a Marketo administrator's review (lists written with their expectations before
running smartlint; copies in tests/data/admin): each test is what the administrator expected."""

from __future__ import annotations

import pytest

from conftest import DATA

from smartlint.catalog import lookup

ADMIN = DATA / "admin"


def _sl401(report: dict) -> dict[str, str]:
    return {f["list_name"]: f["message"] for f in report["findings"] if f["code"] == "SL401"}


# ---- Black Listed / Blocklisted: one field, two names ----------------------------------------


def test_black_listed_and_blocklisted_are_one_field_of_the_blocking_set(cli):
    # two lists say "Black Listed", the third "Blocklisted" (Marketo's newer name for the field):
    # the three share all three exclusions, so nothing is "added", and the recipe uses the new name
    report = cli("report", str(ADMIN / "mixed-blocklisted.smartlist")).json()
    [family] = report["repeated_sets"]
    assert family["field"] == "Emailable" and family["filter_count"] == 3, family
    recipe = family["recipe"]
    added = [entry["filter"] for entry in recipe["added"]]
    assert added == ["Email Address: is not empty", "Marketing Suspended: is false"], added
    assert "5. Blocklisted: is false" in recipe["set_true"]["smart_list"]
    assert "5. Blocklisted: is true" in recipe["set_false"]["smart_list"]
    text = "\n".join([*(s["text"] for s in recipe["steps"]), *recipe["notes"]])
    assert "Black Listed: is" not in text.replace("`Black Listed` in", "")  # the old name only as the other name
    assert text.count("Black Listed") == 1, text  # said once, in parentheses, where the lists are edited
    assert "(`Black Listed` in" in text


def test_lists_that_all_say_black_listed_keep_their_name_in_the_recipe(cli, tmp_path):
    text = (ADMIN / "mixed-blocklisted.smartlist").read_text().replace("Blocklisted", "Black Listed")
    path = tmp_path / "old.smartlist"
    path.write_text(text)
    recipe = cli("report", str(path)).json()["repeated_sets"][0]["recipe"]
    assert "5. Black Listed: is false" in recipe["set_true"]["smart_list"]
    assert "Blocklisted" not in str(recipe["steps"]) + str(recipe["notes"])


def test_the_classic_five_in_either_spelling_make_one_set_with_one_finding_per_list(cli):
    # S1-S3 say Black Listed, S4-S5 Blocklisted, in different orders; S12 is a trigger campaign
    run = cli("lint", "--select", "SL401", "--format", "json", str(ADMIN / "sets.smartlist"))
    messages = {f["list_name"]: f["message"] for f in run.json()["findings"]}
    assert sorted(messages) == [f"S{i} Newsletter {c}" for i, c in enumerate(["France", "Germany", "Spain", "Italy", "Japan"], 1)]
    assert all("repeated in 4 other lists" in m and "`Emailable`" in m for m in messages.values()), messages
    [family] = cli("report", str(ADMIN / "sets.smartlist")).json()["repeated_sets"]
    recipe = family["recipe"]
    # only S1 checks Email Address; every list names Black Listed in one spelling or the other
    assert [entry["filter"] for entry in recipe["added"]] == ["Email Address: is not empty"]
    assert "5. Blocklisted: is false" in recipe["set_true"]["smart_list"]


def test_blocklisted_is_the_catalog_filter_black_listed():
    # a Boolean email exclusion under either name (the SL401 field name, the cost model)
    assert lookup("Blocklisted") is lookup("Black Listed") is not None
    assert lookup("Blocklisted").boolean and lookup("Blocklisted").family == "email-exclusion"


def test_a_blocking_set_without_the_field_adds_it_under_the_new_name_and_says_the_old_one(cli, tmp_path):
    lists = "".join(
        f'smart list "N{i}" [id {i}]\n  use ALL filters\n  filters:\n    1. Country: is "C{i}"\n'
        "    2. Unsubscribed: is false\n    3. Email Invalid: is false\n    4. Marketing Suspended: is false\n\n"
        for i in range(3)
    )
    path = tmp_path / "none.smartlist"
    path.write_text(lists)
    recipe = cli("report", str(path)).json()["repeated_sets"][0]["recipe"]
    assert "5. Blocklisted: is false" in recipe["set_true"]["smart_list"]
    notes = [n for n in recipe["notes"] if "Black Listed" in n]
    assert notes == ["Added to match what Marketo itself blocks on: `Blocklisted: is false` (`Black Listed` where the UI still shows the old name)."]


def test_black_listed_and_blocklisted_in_one_list_are_a_duplicate(cli, tmp_path):
    path = tmp_path / "dup.smartlist"
    path.write_text('smart list "D" [id 1]\n  use ALL filters\n  filters:\n    1. Black Listed: is false\n    2. Blocklisted: is false\n')
    run = cli("lint", "--select", "SL304", str(path))
    assert run.code == 1 and "filter 2 repeats filter 1" in run.out, run.out


# ---- SL401 on a set with a rolling activity window -------------------------------------------


def test_a_repeated_set_with_a_rolling_window_is_info_that_says_the_field_lags_a_day(cli):
    # S13-S15 share `Filled Out Form (Demo Request) in past 30 days` and `Lead Score at least 50`:
    # a field kept by a daily batch is a day stale for a rolling window; not worth failing CI over
    path = str(ADMIN / "activity-window-set.smartlist")
    run = cli("lint", "--format", "json", path)
    assert run.code == 0, run.out  # info only: below the default --fail-on warning
    findings = [f for f in run.json()["findings"] if f["code"] == "SL401"]
    assert len(findings) == 3 and {f["severity"] for f in findings} == {"info"}
    message = findings[0]["message"]
    assert 'Filled Out Form in past "30 days" is a rolling window' in message and "a day" in message, message
    assert "keep them in one Boolean field" not in message  # no flat advice to replace them
    recipe = cli("report", path).json()["repeated_sets"][0]["recipe"]
    assert any("rolling window" in note and "Not Filled Out Form" in note for note in recipe["notes"]), recipe["notes"]
    # every filter the recipe asks for is one the Marketo UI has (or the new field itself)
    field = recipe["field"]["name"]
    for campaign in recipe["campaigns"]:
        for line in campaign["smart_list"][1:]:
            if line[:1].isdigit():
                name = line.split(". ", 1)[1].split(":")[0]
                assert name == field or lookup(name) is not None, line


def test_a_repeated_set_without_a_rolling_window_stays_a_warning(cli, tmp_path):
    text = (ADMIN / "activity-window-set.smartlist").read_text().replace('Date of Activity: in past "30 days"', 'Date of Activity: after "2026-06-01"')
    path = tmp_path / "fixed.smartlist"
    path.write_text(text)
    run = cli("lint", "--select", "SL401", "--format", "json", str(path))
    assert run.code == 1 and {f["severity"] for f in run.json()["findings"]} == {"warning"}


# ---- the report's count of lists agrees with the recipe ---------------------------------------


def test_the_report_counts_the_lists_the_recipe_covers_not_the_trigger_campaign_it_leaves_out(cli, tmp_path):
    path = str(ADMIN / "sets.smartlist")
    [family] = cli("report", path).json()["repeated_sets"]
    recipe = family["recipe"]
    covered = recipe["steps"][-1]["lines"]  # "in each of these N lists and batch campaigns replace…"
    assert recipe["trigger_campaigns"]["lists"] == ["S12 Welcome trigger"]
    assert family["list_count"] == len(covered) == 5
    assert [entry["name"] for entry in family["lists"]] == covered
    html = cli("report", "--format", "html", path).out
    assert f'{family["filter_count"]} filters in 5 lists' in html and "in 6 lists" not in html


# ---- SL502: a negative constraint is a constraint, still broad --------------------------------


def test_a_trigger_with_only_a_negative_constraint_is_broad_but_not_unconstrained(cli):
    run = cli("lint", "--select", "SL502", "--format", "json", str(ADMIN / "triggers.smartlist"))
    messages = {f["list_name"]: f["message"] for f in run.json()["findings"]}
    careers = messages["T6 Visits not careers"]
    assert "no web page constraint" not in careers, careers
    assert 'negative (`Web Page: is not "Careers"`)' in careers and "every web page visit" in careers, careers
    assert "positive constraint" in careers  # what to do instead: name the pages it is for
    assert "no web page constraint" in messages["T3 Inactive any visit"]  # `is any` is no constraint at all



@pytest.mark.parametrize(("constraint", "wording"), [
    ('is not "any"', "no web page constraint"),  # excludes nobody: no constraint at all (review)
    ('is not "Say \\"hi\\""', 'negative (`Web Page: is not "Say \\"hi\\""`)'),  # quoted as the text form writes it
])
def test_a_negative_trigger_constraint_is_judged_and_quoted_as_written(cli, tmp_path, constraint, wording):
    text = (ADMIN / "triggers.smartlist").read_text().replace('Web Page: is not "Careers"', f"Web Page: {constraint}")
    path = tmp_path / "t.smartlist"
    path.write_text(text)
    run = cli("lint", "--select", "SL502", "--format", "json", str(path))
    message = next(f["message"] for f in run.json()["findings"] if f["list_name"] == "T6 Visits not careers")
    assert wording in message, message

# ---- filters negated by the advanced logic ------------------------------------------------------


def test_a_filter_negated_by_the_logic_is_an_exclusion_for_the_rules_on_negatives(cli):
    run = cli("lint", "--select", "SL202,SL204", "--format", "json", str(ADMIN / "logic.smartlist"))
    found = {(f["list_name"], f["code"], f["filter"]): f["message"] for f in run.json()["findings"]}
    # L3 `1 and 2 and not 3`, 3 = Filled Out Form in past 30 days: the people without the activity
    assert "negated by the advanced logic" in found[("L3 NA open - not form fillers", "SL202", 3)]
    # L6 `not 1 and 2`, 1 = Member of List "Do Not Email": excluding members
    assert "negated by the advanced logic" in found[("L6 Not on do-not-email", "SL204", 1)]
    # the activity filters the logic does not negate (L1, L2, L4, L5) are no inactivity
    assert set(found) == {("L3 NA open - not form fillers", "SL202", 3), ("L6 Not on do-not-email", "SL204", 1)}


def test_negation_by_logic_counts_nots_as_the_logic_does(cli, tmp_path):
    form = 'Filled Out Form\n         Form: is "Demo"\n         Date of Activity: in past "30 days"'
    lists = [
        ("double not", "not (not 1) and 2", [form, 'Country: is "France"'], set()),
        ("de morgan", "not (1 or 2)", [form, 'Country: is "France"'], {("SL202", 1)}),
        ("not on not in", "not 1 and 2", ['Member of List: not in "Do Not Email"', 'Country: is "France"'], set()),
        ("not in, plain", "1 and 2", ['Member of List: not in "Do Not Email"', 'Country: is "France"'], {("SL204", 1)}),
        # negated in one place, as written in another: still an exclusion there (review)
        ("not in, both ways", "(1 and not 2) or 2", ['Country: is "France"', 'Member of List: not in "Do Not Email"'], {("SL204", 2)}),
        # `not` on an inactivity filter selects the people who did it: no inactivity (review)
        ("not on not visited", "1 and not 2", ['Country: is "France"', 'Not Visited Web Page\n         Web Page: is "Pricing"\n         Date of Activity: in past "30 days"'], set()),
        ("not visited, both ways", "(1 and not 2) or 2", ['Country: is "France"', 'Not Visited Web Page\n         Web Page: is "Pricing"\n         Date of Activity: in past "30 days"'], {("SL202", 2)}),
    ]
    text = ""
    for i, (name, logic, filters, _) in enumerate(lists):
        body = "".join(f"    {n}. {f}\n" for n, f in enumerate(filters, 1))
        text += f'smart list "{name}" [id {i + 1}]\n  use advanced filters: {logic}\n  filters:\n{body}\n'
    path = tmp_path / "not.smartlist"
    path.write_text(text)
    findings = cli("lint", "--select", "SL202,SL204", "--format", "json", str(path)).json()["findings"]
    for name, _, _, expected in lists:
        assert {(f["code"], f["filter"]) for f in findings if f["list_name"] == name} == expected, name


# ---- Member of Smart List cannot name a campaign's smart list ---------------------------------


def test_member_of_smart_list_does_not_resolve_to_a_campaign_smart_list_of_that_name(cli):
    # K1 is the smart list of the batch campaign "Engaged NA"; K2 references "Engaged NA"
    report = cli("report", str(ADMIN / "campaign-names.smartlist")).json()
    sl404 = {f["list_name"]: f["message"] for f in report["findings"] if f["code"] == "SL404"}
    message = sl404["K2 Uses campaign name"]
    assert 'references "Engaged NA", which is not in this export as a smart list' in message, message
    assert "campaign" in message and "[id 9101]" in message, message  # names the campaign's smart list
    names = {node["index"]: node["name"] for node in report["graph"]["nodes"]}
    assert "Engaged NA" not in {names[edge["to"]] for edge in report["graph"]["edges"]}  # no chain through the campaign
    assert [u["name"] for u in report["graph"]["unresolved"]] == ["Engaged NA"]
    # a smart list of that name is found as before
    assert "is the name of 2 lists" in sl404["K5 Uses Base"]


def test_member_of_smart_list_by_the_id_of_a_campaign_smart_list_is_told_so(cli, tmp_path):
    # review: `in "9101"`, the id of a campaign's smart list, said "not in this export; include it"
    text = (ADMIN / "campaign-names.smartlist").read_text().replace('Member of Smart List: in "Engaged NA"', 'Member of Smart List: in "9101"')
    assert 'in "9101"' in text
    path = tmp_path / "by-id.smartlist"
    path.write_text(text)
    findings = cli("lint", "--select", "SL404", "--format", "json", str(path)).json()["findings"]
    message = next(f["message"] for f in findings if f["list_name"] == "K2 Uses campaign name")
    assert "campaign's smart list" in message and "[id 9101]" in message, message


def test_an_incomplete_copy_of_a_set_with_a_rolling_window_is_info_too(cli, tmp_path):
    form = 'Filled Out Form\n         Form: is "Demo"\n         Date of Activity: in past "30 days"'
    full = [form, "Lead Score: at least 50", 'Member of List: in "Partners"']
    lists = [(f"Full {i}", [*full, f'City: is "C{i}"']) for i in range(3)] + [("Partial", [form, "Lead Score: at least 50", 'City: is "X"'])]
    text = "".join(
        f'smart list "{name}" [id {i + 1}]\n  use ALL filters\n  filters:\n' + "".join(f"    {n}. {f}\n" for n, f in enumerate(filters, 1)) + "\n"
        for i, (name, filters) in enumerate(lists)
    )
    path = tmp_path / "partial.smartlist"
    path.write_text(text)
    findings = {f["list_name"]: f for f in cli("lint", "--select", "SL401", "--format", "json", str(path)).json()["findings"]}
    assert set(findings) == {"Full 0", "Full 1", "Full 2", "Partial"}
    assert {f["severity"] for f in findings.values()} == {"info"}
    assert "incomplete copy" in findings["Partial"]["message"] and "day's lag" in findings["Partial"]["message"]


def test_a_rolling_window_is_quoted_as_the_text_form_writes_it():
    from smartlint.export.recipe import window_text
    from smartlint.model import Condition, Filter

    item = Filter(1, "Created At", (Condition("Created At", "in time frame", ('Say "hi"',)),))
    assert window_text(item) == 'Created At in time frame "Say \\"hi\\""'
