"""Whole-export analysis: repeated sets, the Member of Smart List graph, costs, the report."""

from __future__ import annotations

import json
import random
from html.parser import HTMLParser

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, write

EXCLUSIONS = ["Unsubscribed", "Email Invalid", "Marketing Suspended", "Black Listed", "Email Suspended"]


def _list(name: str, list_id: int, filters: list[str], match: str = "use ALL filters") -> str:
    body = "".join(f"    {n}. {f}\n" for n, f in enumerate(filters, 1))
    return f'smart list "{name}" [id {list_id}]\n  {match}\n  filters:\n{body}\n'


def _exclusion_export(tmp_path):
    rng = random.Random(7)
    text = []
    for i in range(6):  # six lists with all five exclusions, in different orders and numbers
        filters = [f"{e}: is false" for e in EXCLUSIONS] + [f'Country: is "C{i}"', f"Lead Score: at least {i * 10}"]
        rng.shuffle(filters)
        text.append(_list(f"Full {i}", 100 + i, filters))
    for i in range(2):  # two more with only three of them
        filters = [f"{e}: is false" for e in EXCLUSIONS[:3]] + [f'City: is "Town {i}"']
        rng.shuffle(filters)
        text.append(_list(f"Partial {i}", 200 + i, filters))
    text.append(_list("Any list", 300, [f"{e}: is false" for e in EXCLUSIONS], "use ANY filters"))  # not `and`: does not count
    return write(tmp_path / "export.smartlist", "".join(text))


def test_exactly_the_maximal_sets_are_reported(cli, tmp_path):
    path = _exclusion_export(tmp_path)
    report = cli("report", str(path)).json()
    sets = {(s["filter_count"], s["list_count"]): s for s in report["repeated_sets"]}
    assert set(sets) == {(5, 6), (3, 8)}
    five, three = sets[(5, 6)], sets[(3, 8)]
    assert five["field"] == "Emailable" and three["field"] == "Emailable"
    assert sorted(l["name"] for l in five["lists"]) == [f"Full {i}" for i in range(6)]
    assert sorted(l["name"] for l in three["lists"]) == sorted([f"Full {i}" for i in range(6)] + ["Partial 0", "Partial 1"])
    assert report["repeated_sets"][0] is not None and report["repeated_sets"][0]["filter_count"] == 5  # 30 > 24
    recipe = five["recipe"]
    assert recipe["replacement"] == "Emailable: is true"
    assert recipe["set_true"]["flow"] == "Change Data Value: Emailable = true"
    assert "Unsubscribed: is true" in "\n".join(recipe["set_false"]["smart_list"])
    assert recipe["estimated_saving"] > 0
    # one SL401 per list, for the largest set it uses
    sl401 = [f for f in report["findings"] if f["code"] == "SL401"]
    assert sorted(f["list_name"] for f in sl401) == sorted([f"Full {i}" for i in range(6)] + ["Partial 0", "Partial 1"])
    assert all("repeated in 5 other lists" in f["message"] for f in sl401 if f["list_name"].startswith("Full"))
    assert all("repeated in 7 other lists" in f["message"] for f in sl401 if f["list_name"].startswith("Partial"))


def test_sets_below_the_thresholds_are_not_reported(cli, tmp_path):
    path = _exclusion_export(tmp_path)
    write(tmp_path / ".smartlint.yaml", "rules:\n  SL401:\n    min-lists: 7\n    min-set-size: 4\n")
    report = cli("report", str(path)).json()
    assert report["repeated_sets"] == []


CHAIN = (
    _list("A", 1, ['Member of Smart List: in "B"', 'Country: is "FR"'])
    + _list("B", 2, ['Member of Smart List: in "C"'])
    + _list("C", 3, ['Member of Smart List: in "D"'])
    + _list("D", 4, ['Country: is "FR"'])
    + _list("X", 5, ['Member of Smart List: in "Y"'])
    + _list("Y", 6, ['Member of Smart List: in "Z"'])
    + _list("Z", 7, ['Member of Smart List: in "x"'])  # names match case-insensitively
    + _list("U1", 8, ['Member of Smart List: in "Ghost"'])
    + _list("U2", 9, ['Member of Smart List: in "Ghost"'])
    + _list("Sampler", 10, ['Random Sample: is "10"'])
    + _list("Uses sample", 11, ['Member of Smart List: in "Sampler"'])
)


def test_chains_cycles_and_unresolved_references(cli, tmp_path):
    path = write(tmp_path / "graph.smartlist", CHAIN)
    report = cli("lint", "--format", "json", "--select", "SL402,SL403,SL404,SL205", str(path)).json()
    by_code: dict[str, list] = {}
    for finding in report["findings"]:
        by_code.setdefault(finding["code"], []).append(finding)
    [deep] = by_code["SL402"]
    assert deep["list_name"] == "A" and '"A" → "B" → "C" → "D"' in deep["message"] and "3 levels" in deep["message"]
    cycles = sorted(by_code["SL403"], key=lambda f: f["list_name"])
    assert [f["list_name"] for f in cycles] == ["X", "Y", "Z"]
    assert '"X" → "Y" → "Z" → "X"' in cycles[0]["message"]
    [ghost] = by_code["SL404"]
    assert '"Ghost"' in ghost["message"] and ghost["list_name"] == "U1"
    [sample] = by_code["SL205"]
    assert sample["list_name"] == "Uses sample" and "Random Sample" in sample["message"]


def test_chain_depth_does_not_depend_on_the_order_of_the_filters(cli, tmp_path):
    # A references B and C, and C references B: A is 3 levels deep (A → C → B → D) whichever of
    # its filters comes first (it once counted a list queued but not yet measured as 0 deep)
    for order in (['Member of Smart List: in "B"', 'Member of Smart List: in "C"'], ['Member of Smart List: in "C"', 'Member of Smart List: in "B"']):
        text = _list("A", 1, order) + _list("C", 2, ['Member of Smart List: in "B"']) + _list("B", 3, ['Member of Smart List: in "D"']) + _list("D", 4, ['Country: is "France"'])
        path = write(tmp_path / "order.smartlist", text)
        report = cli("lint", "--format", "json", "--select", "SL402", str(path)).json()
        [deep] = report["findings"]
        assert deep["list_name"] == "A" and "3 levels" in deep["message"] and '"A" → "C" → "B" → "D"' in deep["message"], deep


@pytest.mark.slow
def test_a_chain_of_6000_lists_is_reported_in_linear_time_and_size(cli, tmp_path):
    # each list's message once held the whole chain below it: 8,000 lists gave a 460 MB report
    text = "".join(_list(f"L{i}", i + 1, [f'Member of Smart List: in "L{i + 1}"']) for i in range(6000))
    path = write(tmp_path / "chain.smartlist", text)
    run = cli("lint", "--format", "json", "--select", "SL402", str(path))
    deep = {f["list_name"]: f["message"] for f in run.json()["findings"]}
    assert len(deep) == 5997 and max(len(m) for m in deep.values()) < 400  # L5999 names a list not in the export
    assert 'nests 5999 levels deep ("L0" → "L1" →' in deep["L0"] and "… 5,990 more …" in deep["L0"]
    assert 'nests 3 levels deep ("L5996" → "L5997" → "L5998" → "L5999")' in deep["L5996"]


@pytest.mark.slow
def test_a_cycle_of_5000_lists_is_reported_in_linear_time_and_size(cli, tmp_path):
    # each member's message held the whole cycle, found by a search from each member: quadratic
    text = "".join(_list(f"L{i}", i + 1, [f'Member of Smart List: in "L{(i + 1) % 5000}"']) for i in range(5000))
    path = write(tmp_path / "ring.smartlist", text)
    run = cli("lint", "--format", "json", "--select", "SL403", str(path))
    cycles = {f["list_name"]: f["message"] for f in run.json()["findings"]}
    assert len(cycles) == 5000 and max(len(m) for m in cycles.values()) < 400
    assert 'cycle "L7" → "L8" →' in cycles["L7"] and '… 4,989 more … → "L6" → "L7":' in cycles["L7"]


def test_costs_add_referenced_lists_and_cut_cycles(cli, tmp_path):
    path = write(tmp_path / "graph.smartlist", CHAIN)
    report = cli("report", str(path)).json()
    lists = {l["name"]: l for l in report["lists"]}
    assert lists["D"]["cost"] == lists["D"]["own_cost"] > 0
    assert lists["C"]["cost"] == pytest.approx(lists["C"]["own_cost"] + lists["D"]["cost"])
    assert lists["A"]["cost"] > lists["B"]["cost"] > lists["C"]["cost"]
    assert all(l["cost"] < 10_000 for l in lists.values())  # the X → Y → Z → X cycle is cut
    assert [l["cost"] for l in report["lists"]] == sorted((l["cost"] for l in report["lists"]), reverse=True)
    assert report["graph"]["max_depth"] == 3
    assert report["graph"]["cycles"] == [["X", "Y", "Z"]]
    assert report["graph"]["unresolved"][0]["name"] == "Ghost"
    assert lists["A"]["breakdown"][0]["kind"] == "smart-list"


def _schema():
    return json.loads((ROOT / "schemas" / "report.schema.json").read_text())


def test_report_on_the_examples_validates_against_its_schema(cli):
    run = cli("report", str(EXAMPLES))
    assert run.code == 0
    jsonschema.Draft202012Validator(_schema()).validate(run.json())


def test_lint_json_lists_carry_cost_and_breakdown(cli):
    report = cli("lint", "--format", "json", str(EXAMPLES)).json()
    for entry in report["lists"]:
        assert entry["cost"] >= entry["own_cost"] > 0
        assert len(entry["breakdown"]) == entry["filters"]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and "://" in value:
                self.external.append(value)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_self_contained_and_lists_the_top_offenders(cli, tmp_path):
    out = tmp_path / "report.html"
    run = cli("report", "--format", "html", "-o", str(out), str(EXAMPLES))
    assert run.code == 0
    page = _Page()
    page.feed(out.read_text())
    text = " ".join(page.text)
    assert page.external == [] and "script" not in page.tags
    assert "Top offenders" in text and "Repeated filter sets" in text and "svg" in page.tags
    report = cli("report", str(EXAMPLES)).json()
    worst = report["lists"][0]["name"]
    assert text.index(worst) < text.index(report["lists"][-1]["name"])
    assert "Emailable" in text
