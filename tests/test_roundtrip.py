"""form → model → other form → model is the identity, for everything the model holds."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, write
from smartlint.model import Campaign, Condition, Filter, Folder, Form, ListKind, MatchType, Program, SmartList
from smartlint.sources import load
from smartlint.sources.dump import to_json, to_text, to_yaml

WRITERS = {Form.JSON: (to_json, ".json"), Form.YAML: (to_yaml, ".yaml"), Form.TEXT: (to_text, ".smartlist")}

# names as users write them: letters, digits, punctuation Marketo allows, quotes, unicode
text = st.text(alphabet=string.ascii_letters + string.digits + " .-_/()[]#:,\"'\\é&@\n\t\u00a0\x01", min_size=0, max_size=20)
name = text.filter(lambda s: s.strip() != "" or s == "")
operators = st.sampled_from(["is", "is not", "contains", "not contains", "starts with", "is empty", "in past", "between", "greater than", "occurs", "in time frame"])
ids = st.one_of(st.none(), st.integers(min_value=-1000, max_value=10**9))


@st.composite
def conditions(draw, first: bool):
    return Condition(
        attribute=draw(name),
        operator=draw(operators),
        values=tuple(draw(st.lists(st.one_of(text, st.sampled_from(["true", "false", "42", "-1.5", "30 days"])), max_size=4))),
        attribute_id=draw(ids),
        primary=draw(st.booleans()),
        error=draw(st.one_of(st.none(), text)),
        key=draw(st.sampled_from([None, "attribute", "activityAttribute"])),
    )


@st.composite
def filters(draw, number: int):
    conds = draw(st.lists(conditions(first=True), max_size=3))
    filter_name = draw(name)
    if conds and draw(st.booleans()):  # a field filter: the condition is on the filter's own name
        conds[0] = Condition(filter_name, conds[0].operator, conds[0].values, conds[0].attribute_id, conds[0].primary, conds[0].error, key=conds[0].key)
    return Filter(
        number=number,
        name=filter_name,
        conditions=tuple(conds),
        id=draw(ids),
        rule_type=draw(st.sampled_from([None, "Activity", "Attribute"])),
        rule_type_id=draw(st.one_of(st.none(), st.integers(0, 500))),
        operator=draw(st.one_of(st.none(), operators)),
        negative=draw(st.booleans()),
    )


@st.composite
def smart_lists(draw):
    count = draw(st.integers(0, 4))
    items = tuple(draw(filters(n + 1)) for n in range(count))
    trigger_count = draw(st.integers(0, 2))
    triggers = tuple(draw(filters(n + 1)) for n in range(trigger_count))
    match = draw(st.sampled_from(list(MatchType)))
    logic = None
    if match is MatchType.ADVANCED and count:
        logic = " and ".join(str(n + 1) for n in range(count))
    return SmartList(
        name=draw(name),
        id=draw(ids),
        kind=draw(st.sampled_from(list(ListKind))),
        match_type=match,
        logic_text=logic,
        filters=items,
        triggers=triggers,
        description=draw(st.one_of(st.none(), text)),
        workspace=draw(st.one_of(st.none(), text)),
        folder=draw(st.one_of(st.none(), st.builds(Folder, ids, st.sampled_from([None, "Folder", "Program"]), st.one_of(st.none(), text)).filter(lambda f: f != Folder()))),
        campaign=draw(st.one_of(st.none(), st.builds(Campaign, ids, st.one_of(st.none(), text), st.sampled_from([None, "batch", "trigger"]), st.sampled_from([None, True, False])).filter(lambda c: c != Campaign()))),
        program=draw(st.one_of(st.none(), st.builds(Program, ids, st.one_of(st.none(), text)).filter(lambda p: p != Program()))),
        url=draw(st.one_of(st.none(), text)),
        created_at=draw(st.one_of(st.none(), text)),
        updated_at=draw(st.one_of(st.none(), text)),
        schema=draw(st.sampled_from([None, "older"])),
    )


def _reload(lists, form: Form, tmp: Path):
    writer, suffix = WRITERS[form]
    path = tmp / f"out{suffix}"
    path.write_text(writer(lists), encoding="utf-8")
    document = load(str(path))
    assert [e for e in document.errors if e.code == "SL001"] == [], writer(lists)
    return document.lists


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(smart_lists(), min_size=1, max_size=3))
@pytest.mark.parametrize("form", list(Form))
def test_model_survives_every_form(tmp_path, form, lists):
    again = _reload(lists, form, tmp_path)
    assert again == lists
    # and the JSON written is the same, key for key: the keys a condition was read with and the
    # schema a list was read in are no part of the model's equality
    assert to_json(again) == to_json(lists)


@pytest.mark.parametrize("example", sorted(p for p in (EXAMPLES / "export").rglob("*") if p.is_file()), ids=lambda p: p.name)
@pytest.mark.parametrize("form", list(Form))
def test_examples_convert_to_every_form_and_back(tmp_path, example, form):
    original = load(str(example)).lists
    assert original
    assert _reload(original, form, tmp_path) == original


def _rest_lists(path: Path) -> list:
    """The smart-list objects of a JSON or YAML file as written: the API envelope's `result`, an
    array, a bare object, or one per YAML document."""
    import json

    import yaml

    raw = path.read_text(encoding="utf-8")
    documents = list(yaml.safe_load_all(raw)) if path.suffix in (".yaml", ".yml") else [json.loads(raw)]
    out: list = []
    for document in documents:
        if isinstance(document, dict) and "result" in document:
            document = document["result"]
        if document is not None:
            out.extend(document if isinstance(document, list) else [document])
    return out


def _said_nothing(structure):
    """`isError: false` says what its absence says; convert does not write it back."""
    if isinstance(structure, dict):
        return {k: _said_nothing(v) for k, v in structure.items() if not (k == "isError" and v is False)}
    if isinstance(structure, list):
        return [_said_nothing(v) for v in structure]
    return structure


_REST_FILES = sorted(
    p for root in (EXAMPLES, ROOT / "tests" / "data") for p in root.rglob("*")
    if p.suffix in (".json", ".yaml", ".yml") and not {"bad", "report"} & set(p.parts) and p.name != "expectations.yaml"
)


@pytest.mark.parametrize("source", _REST_FILES, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("via", ["text", "yaml"])
def test_json_through_another_form_gives_back_the_same_keys_and_values(tmp_path, source, via):
    """JSON (or YAML) → text or YAML → JSON (what `convert` writes) gives back the structure the user
    wrote, key for key: attributeName stays attributeName on a Member of Smart List condition,
    the older schema's `Any` and triggers-as-names stay."""
    import json

    writer, suffix = {"text": (to_text, ".smartlist"), "yaml": (to_yaml, ".yaml")}[via]
    document = load(str(source))
    assert document.lists and not [e for e in document.errors if e.code == "SL001"]
    middle = tmp_path / f"middle{suffix}"
    middle.write_text(writer(document.lists), encoding="utf-8")
    assert json.loads(to_json(load(str(middle)).lists)) == _said_nothing(_rest_lists(source))


def test_a_membership_condition_keeps_attribute_name_through_the_text_form(cli, tmp_path):
    import json

    source = write(tmp_path / "msl.json", json.dumps({"success": True, "result": [{
        "id": 1, "name": "Level 1", "rules": {"filterMatchType": "all", "triggers": [], "filters": [
            {"id": 5, "name": "Member of Smart List", "ruleTypeId": 5, "ruleType": "Membership", "operator": "in",
             "conditions": [{"attributeId": 1, "attributeName": "Member of Smart List", "operator": "in", "values": ["Level 2"], "isPrimary": True}]},
            {"id": 6, "name": "Visited Web Page", "ruleType": "Activity", "operator": "occurs",
             "conditions": [{"attributeId": 2, "attributeName": "Web Page", "operator": "is", "values": ["LP"], "isPrimary": True}]},
        ]}}]}))
    text = cli("convert", str(source), "--to", "text")
    assert "key attribute" in text.out  # the text form says which keys, where they are not the usual ones
    middle = write(tmp_path / "msl.smartlist", text.out)
    back = cli("convert", str(middle), "--to", "json").json()
    conditions = [f["conditions"][0] for f in back[0]["rules"]["filters"]]
    assert [sorted(c) for c in conditions] == [["attributeId", "attributeName", "isPrimary", "operator", "values"]] * 2
    # the linter reads it alike either way
    codes = [sorted(f["code"] for f in cli("lint", "--format", "json", str(p)).json()["findings"]) for p in (source, middle)]
    assert codes[0] == codes[1]


def test_between_is_written_as_the_ui_shows_it_and_read_back(cli, tmp_path):
    import json

    source = write(tmp_path / "score.json", json.dumps([{"id": 1, "name": "Mid scores", "rules": {"filterMatchType": "all", "triggers": [], "filters": [
        {"id": 2, "name": "Lead Score", "ruleType": "Attribute", "operator": "between",
         "conditions": [{"attributeName": "Lead Score", "operator": "between", "values": ["50", "100"], "isPrimary": True}]}]}}]))
    text = cli("convert", str(source), "--to", "text")
    assert "1. Lead Score: between 50 and 100 [" in text.out
    middle = write(tmp_path / "score.smartlist", text.out)
    assert cli("convert", str(middle), "--to", "json").json() == json.loads(source.read_text())
    # and as a user types it from the UI
    typed = write(tmp_path / "typed.smartlist", 'smart list "Mid scores"\n  filters:\n    1. Lead Score: between 50 and 100\n')
    assert cli("lint", str(typed)).code == 0
