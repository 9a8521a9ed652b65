"""Every documented payload that holds a smart list loads into the model; both schema versions."""

from __future__ import annotations

import pytest

from conftest import CORPUS, DATA
from smartlint.model import And, ListKind, MatchType, Not, Or, Ref
from smartlint.sources import load

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")


@needs_corpus
def test_documented_include_rules_payload_loads_with_filters_and_constraints():
    document = load(str(CORPUS / "get-smart-list-by-id-include-rules.json"), positions=True)
    assert document.errors == []
    [smart_list] = document.lists
    assert (smart_list.id, smart_list.name, smart_list.workspace) == (4363, "Smart List Test 01", "Default")
    assert smart_list.match_type is MatchType.ALL
    assert smart_list.folder.type == "Program" and smart_list.folder.id == 1041
    [visited] = smart_list.filters
    assert (visited.number, visited.name, visited.rule_type, visited.rule_type_id, visited.operator) == (
        1, "Visited Web Page", "Activity", 1, "occurs")
    assert [(c.attribute, c.operator, c.values, c.attribute_id, c.primary) for c in visited.conditions] == [
        ("Web Page", "is", ("Program Test.Landing Page Test 01",), 1, True),
        ("Browser", "is", ("Chrome",), 6, False),
        ("Date of Activity", "in past", ("30 days",), -101, False),
    ]
    # positions: the filter object starts on line 22 of the documented payload
    assert visited.location.pointer == "/result/0/rules/filters/0"
    assert (visited.location.line, visited.location.column) == (22, 21)


@needs_corpus
@pytest.mark.parametrize(
    "name",
    [
        "get-smart-list-by-smart-campaign-id.json",
        "get-smart-list-by-program-id.json",
        "get-smart-list-by-name.json",
        "get-smart-lists-browse.json",
        "clone-smart-list.json",
    ],
)
def test_payloads_without_rules_say_to_export_with_include_rules(name):
    document = load(str(CORPUS / name), positions=True)
    assert document.lists == []
    assert document.errors, name
    for error in document.errors:
        assert error.code == "SL001"
        assert "includeRules=true" in error.message
        assert error.location.line > 0 and error.location.column > 0


def test_newer_schema_custom_logic_triggers_as_objects_and_attribute_ids():
    document = load(str(DATA / "newer-schema" / "campaign-custom-logic.json"))
    assert [e.code for e in document.errors] == []
    [smart_list] = document.lists
    assert smart_list.kind is ListKind.CAMPAIGN and smart_list.campaign_type == "trigger"
    assert smart_list.match_type is MatchType.ADVANCED
    assert smart_list.logic_text == "1 AND (2 OR NOT 3)"
    assert smart_list.logic == And((Ref(1), Or((Ref(2), Not(Ref(3))))))
    [trigger] = smart_list.triggers
    assert trigger.name == "Fills Out Form" and trigger.conditions[0].values == ("Start Trial",)
    status, country, member = smart_list.filters
    assert (status.conditions[0].attribute, status.conditions[0].attribute_id) == ("Lead Status", 43)
    assert country.conditions[0].error is None
    assert member.conditions[0].error == "List not found"


def test_older_schema_match_type_and_string_triggers():
    document = load(str(DATA / "newer-schema" / "older-schema-any.json"))
    assert document.errors == []
    [smart_list] = document.lists
    assert smart_list.match_type is MatchType.ANY
    assert [t.name for t in smart_list.triggers] == ["Visits Web Page", "Fills Out Form"]
    assert smart_list.kind is ListKind.CAMPAIGN
    assert smart_list.filters[0].conditions[0].values == ("50",)


def test_yaml_form_gives_line_numbers_from_the_yaml_nodes(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text(
        "id: 9\nname: Newsletter\nrules:\n  filterMatchType: all\n  filters:\n"
        "    - name: Unsubscribed\n      conditions:\n        - attributeName: Unsubscribed\n"
        "          operator: is\n          values: ['false']\n",
        encoding="utf-8",
    )
    document = load(str(path))
    assert document.errors == []
    [item] = document.lists[0].filters
    assert (item.location.line, item.location.column) == (6, 7)
    assert item.conditions[0].location.line == 8


def test_yaml_file_of_several_documents_holds_one_smart_list_in_each(cli, tmp_path):
    """`---` between lists, as YAML tools write them (yaml.safe_dump_all): each document is a list,
    with its own line numbers; a trailing `---` is no list; an API response needs a file of its own."""
    newsletter = (
        "id: {id}\nname: {name}\nrules:\n  filterMatchType: all\n  filters:\n"
        "    - name: Email Address\n      conditions:\n        - attributeName: Email Address\n"
        "          operator: contains\n          values: [gmail.com]\n"
    )
    path = tmp_path / "lists.yaml"
    path.write_text("# two lists\n---\n" + newsletter.format(id=1, name="A") + "---\n" + newsletter.format(id=2, name="B") + "---\n", encoding="utf-8")
    run = cli("lint", "--format", "json", "--select", "SL104", str(path))
    assert run.code == 1, run.err
    assert [(f["list_name"], f["line"], f["pointer"]) for f in run.json()["findings"]] == [
        ("A", 10, "/0/rules/filters/0/conditions/0"), ("B", 21, "/1/rules/filters/0/conditions/0")]
    assert run.json()["summary"]["lists"] == 2

    response = tmp_path / "response.yaml"
    response.write_text(newsletter.format(id=1, name="A") + "---\nsuccess: true\nresult: []\n", encoding="utf-8")
    run = cli("lint", str(response))
    assert run.code == 2 and f"{response}:12:1 SL001" in run.out and "a file of its own" in run.out


def test_text_form_reads_like_the_marketo_ui(tmp_path):
    path = tmp_path / "list.smartlist"
    path.write_text(
        '# a comment\nsmart list "Webinar" [id 12]\n  description: "Q4 \\"launch\\""\n'
        "  use advanced filters: 1 or 2\n  filters:\n"
        '    1. Visited Web Page [type Activity 1, operator "occurs"]\n'
        '         Web Page: is "LP"\n         Date of Activity: in past "30 days"\n'
        "    2. Lead Score: between 10, 50\n",
        encoding="utf-8",
    )
    document = load(str(path))
    assert document.errors == []
    [smart_list] = document.lists
    assert smart_list.description == 'Q4 "launch"'
    assert smart_list.logic == Or((Ref(1), Ref(2)))
    visited, score = smart_list.filters
    assert visited.rule_type == "Activity" and visited.operator == "occurs"
    assert [c.attribute for c in visited.conditions] == ["Web Page", "Date of Activity"]
    assert score.conditions[0].values == ("10", "50")
    assert (score.location.line, score.location.column) == (9, 5)
