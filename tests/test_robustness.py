"""Bad input of every kind gives findings or SL001 with a position — never a traceback, never a
hang — and the other files in the run still report. Plus property tests: any bytes into any
loader give smart lists or input errors, never another exception."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, write
from smartlint.model import Form
from smartlint.sources import load

GOOD = 'smart list "Good" [id 1]\n  filters:\n    1. Job Title: contains "x"\n'


def _run_with_good(cli, tmp_path, name: str, content: bytes | str, *args: str):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    write(tmp_path / "good.smartlist", GOOD)
    run = cli("lint", "--format", "json", *args, str(tmp_path))
    assert "Traceback" not in run.err, run.err
    report = run.json()
    assert any(f["path"].endswith("good.smartlist") and f["code"] == "SL101" for f in report["findings"])
    return run, [f for f in report["findings"] if f["path"].endswith(name)]


def _list_json(filters: list, logic: str | None = None) -> str:
    rules = {"filterMatchType": "custom" if logic else "all", "filters": filters}
    if logic:
        rules["filterCustomRuleLogic"] = logic
    return json.dumps({"name": "L", "rules": rules})


def _field(name: str, op: str, values) -> dict:
    return {"name": name, "conditions": [{"attributeName": name, "operator": op, "values": values}]}


def test_logic_nested_10000_levels(cli, tmp_path):
    logic = "(" * 10000 + "1" + ")" * 10000
    run, found = _run_with_good(cli, tmp_path, "deep.json", _list_json([_field("Country", "is", ["FR"])], logic))
    assert [f["code"] for f in found] == ["SL002"] and "nests 10000" in found[0]["message"]
    assert found[0]["line"] == 1


def test_json_nested_10000_levels(cli, tmp_path):
    run, found = _run_with_good(cli, tmp_path, "deep.json", "[" * 10000 + "]" * 10000)
    assert run.code == 2 and [f["code"] for f in found] == ["SL001"]


def test_yaml_nested_deeply(cli, tmp_path):
    run, found = _run_with_good(cli, tmp_path, "deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert run.code == 2 and [f["code"] for f in found] == ["SL001"]


def test_100000_values(cli, tmp_path):
    values = [f"v{i}" for i in range(100_000)]
    run, found = _run_with_good(cli, tmp_path, "big.json", _list_json([_field("Company Name", "contains", values)]))
    assert {f["code"] for f in found} == {"SL101", "SL102"}
    assert "100,000" in next(f for f in found if f["code"] == "SL102")["message"] or "100000" in next(f for f in found if f["code"] == "SL102")["message"]


BLANKS = " " * 200_000
HOSTILE_LINES = {  # each once took time growing with the cube of the blanks (seconds at 20,000)
    "condition-name.smartlist": 'smart list "L"\n  filters:\n    1. X: is "a"\n         a' + BLANKS + "b\n",
    "filter-name.smartlist": 'smart list "L"\n  filters:\n    1. a' + BLANKS + '"\n',
    "operator.smartlist": 'smart list "L"\n  filters:\n    1. a: is' + BLANKS + "[\n",
    "brackets.smartlist": 'smart list "L"\n  filters:\n    1. a [id' + BLANKS + "x" + BLANKS + "-" + BLANKS + "]\n",
    "property.smartlist": 'smart list "L"\n  folder: Program' + BLANKS + "x" + BLANKS + "%\n",
}


def test_lines_of_blanks_are_read_in_linear_time(cli, tmp_path):
    for name, text in HOSTILE_LINES.items():
        write(tmp_path / name, text)
    write(tmp_path / "good.smartlist", GOOD)
    run = cli("lint", "--format", "json", str(tmp_path))  # the helper gives up after 120 s
    found = {f["path"].rsplit("/", 1)[-1]: f for f in run.json()["findings"]}
    assert run.code == 2
    for name in HOSTILE_LINES:
        assert found[name]["code"] == "SL001" and found[name]["line"] >= 2, found[name]
    assert found["good.smartlist"]["code"] == "SL101"


@pytest.mark.slow
def test_comments_of_many_lists_each_suppress_in_their_own_list(cli, tmp_path):
    # comments were matched to lists by comparing each with every list: 8,000 commented lists
    # took 17 s, these 30,000 would take minutes (the helper gives up after 120 s)
    lists = []
    for i in range(30_000):
        disable = "  # smartlint: disable=SL101" if i % 2 == 0 else ""
        lists.append(f'smart list "L{i}" [id {i}]\n  # list {i}\n  use ALL filters\n  filters:\n    1. Job Title: contains "x"{disable}\n\n')
    write(tmp_path / "many.smartlist", "".join(lists))
    run = cli("lint", "--select", "SL101", "--format", "json", str(tmp_path / "many.smartlist"))
    found = {f["list_id"] for f in run.json()["findings"]}
    assert run.code == 1
    assert found == set(range(1, 30_000, 2))


@pytest.mark.slow
@pytest.mark.parametrize("indent", [2, None], ids=["indented", "one-line"])
def test_one_json_file_of_12000_lists_is_read_in_linear_time(cli, tmp_path, indent):
    # each position was counted from the start of the file, and its column from the start of its
    # line: quadratic in the size of the file, or of the line (600 lists in one 2.5 MB file took
    # 6 s; these 12,000 would take minutes, and the helper gives up at 120 s)
    job_title = {"id": 1, "name": "Job Title", "conditions": [{"attributeName": "Job Title", "operator": "contains", "values": ["x"]}]}
    country = {"id": 2, "name": "Country", "conditions": [{"attributeName": "Country", "operator": "is", "values": ["France"]}]}
    lists = [{"id": i, "name": f"L{i}", "rules": {"filterMatchType": "all", "filters": [country, job_title]}} for i in range(12_000)]
    text = json.dumps(lists, indent=indent)
    write(tmp_path / "export.json", text)
    run = cli("lint", "--select", "SL101", "--format", "json", str(tmp_path / "export.json"))
    findings = run.json()["findings"]
    assert run.code == 1 and len(findings) == 12_000
    line_starts = [0]
    for line in text.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    for finding in findings:  # each at the `{` of the slow condition, in its own list
        offset = line_starts[finding["line"] - 1] + finding["column"] - 1
        assert re.match(r'\{\s*"attributeName": "Job Title"', text[offset : offset + 100]), finding
        assert text[text.rfind('"name": "L', 0, offset) :].startswith(f'"name": "L{finding["list_id"]}"'), finding


def test_file_over_the_size_limit_is_refused_before_it_is_read(cli, tmp_path):
    write(tmp_path / ".smartlint.yaml", "max-file-bytes: 1000\n")
    run, found = _run_with_good(cli, tmp_path, "large.json", _list_json([_field("City", "is", ["x" * 2000])]))
    assert run.code == 2 and [f["code"] for f in found] == ["SL001"]
    assert "over the limit of 1,000 bytes" in found[0]["message"]


def test_yaml_alias_bomb(cli, tmp_path):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for name, prev in zip("bcdefghij", "abcdefghi"):
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    bomb += "name: bomb\nrules:\n  filters:\n    - name: Country\n      conditions:\n        - attributeName: Country\n          operator: is\n          values: *j\n"
    run, found = _run_with_good(cli, tmp_path, "bomb.yaml", bomb)
    assert run.code == 2 and [f["code"] for f in found] == ["SL001"]
    assert found[0]["line"]


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("control.json", '{"name": "L\u0001", "rules": {"filters": []}}', "SL001"),  # raw control character in a string
        ("control.smartlist", 'smart list "A\u0001B"\n  filters:\n    1. Country: is "FR"\n', "SL001"),
        ("nan.json", '{"name": "L", "rules": {"filters": [{"name": "Score", "conditions": [{"attributeName": "Score", "operator": "is", "values": [NaN]}]}]}}', "SL001"),
        ("inf.json", '{"name": "L", "id": Infinity, "rules": {"filters": []}}', "SL001"),
        ("dupe.json", '{"name": "L", "name": "M", "rules": {"filters": []}}', "SL001"),
        ("dupe.yaml", "name: L\nname: M\nrules:\n  filters: []\n", "SL001"),
        ("invalid-utf8.smartlist", b'smart list "\xff\xfe"\n', "SL001"),
        # found by atheris: a line of a vertical tab, which str.split() takes for a blank
        ("vertical-tab.smartlist", 'smart list "L"\n  filters:\n\x0b\n', "SL001"),
    ],
)
def test_bad_bytes_give_sl001_with_a_position(cli, tmp_path, name, content, code):
    run, found = _run_with_good(cli, tmp_path, name, content)
    assert run.code == 2
    assert [f["code"] for f in found] == [code]
    assert found[0]["line"] and found[0]["column"]


@pytest.mark.parametrize("name", ["bom.json", "bom.yaml", "bom.smartlist"])
def test_bom_and_crlf_are_read(tmp_path, name):
    text = {
        "bom.json": '{"name": "L", "rules": {"filters": [{"name": "Country", "conditions": [{"attributeName": "Country", "operator": "is", "values": ["FR"]}]}]}}',
        "bom.yaml": "name: L\nrules:\n  filters:\n    - name: Country\n      conditions:\n        - attributeName: Country\n          operator: is\n          values: [FR]\n",
        "bom.smartlist": 'smart list "L"\n  filters:\n    1. Country: is "FR"\n',
    }[name]
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    document = load(str(path), positions=True)
    assert document.errors == []
    [smart_list] = document.lists
    assert smart_list.filters[0].conditions[0].values == ("FR",)
    assert smart_list.filters[0].location.line >= 1


def test_fuzz_regression_impossible_yaml_timestamp_is_kept_as_text(tmp_path):
    # found by fuzz/fuzz_loaders.py yaml: PyYAML raised ValueError on `2025-03-04T10:82:00`
    document = load(str(DATA / "bad" / "fuzz-yaml-bad-timestamp.yaml"))
    assert all(e.code == "SL001" for e in document.errors) and document.errors
    path = write(tmp_path / "t.yaml", "name: L\ncreatedAt: 2025-03-04T10:82:00\nupdatedAt: 2025-03-04\nrules:\n  filters: []\n")
    [smart_list] = load(str(path)).lists
    assert (smart_list.created_at, smart_list.updated_at) == ("2025-03-04T10:82:00", "2025-03-04")


def test_numbers_where_strings_belong_are_read_as_text(tmp_path):
    path = write(tmp_path / "n.json", '{"name": 42, "id": "7", "rules": {"filters": [{"name": "Score", "conditions": [{"attributeName": "Score", "operator": "is", "values": [5, 6.5, true]}]}]}}')
    document = load(str(path))
    assert document.errors == []
    [smart_list] = document.lists
    assert (smart_list.name, smart_list.id) == ("42", 7)
    assert smart_list.filters[0].conditions[0].values == ("5", "6.5", "true")


def test_objects_where_strings_belong_are_sl001(tmp_path):
    path = write(tmp_path / "o.json", '{"name": "L", "rules": {"filters": [{"name": {"x": 1}, "conditions": []}]}}')
    document = load(str(path), positions=True)
    [error] = document.errors
    assert error.code == "SL001" and "`name` must be a string" in error.message
    assert error.location.pointer == "/rules/filters/0/name" and error.location.line == 1


# ---- property tests: no input makes a loader raise ----------------------------------------

SMARTLIST_WORDS = ['smart list "A"', "campaign smart list", "use ALL filters", "use advanced filters: 1 and (2 or 3)", "filters:",
                   "triggers:", "1.", "2.", "Country", ":", "is", '"France"', ",", "[id 3]", "# smartlint: disable=SL101", "\n", "  ", "not", "(", ")"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=400), st.lists(st.sampled_from(SMARTLIST_WORDS), max_size=40).map(lambda w: " ".join(w).encode())))
@pytest.mark.parametrize("form", list(Form))
def test_any_bytes_give_lists_or_input_errors(tmp_path, form, data):
    path = tmp_path / {"json": "x.json", "yaml": "x.yaml", "text": "x.smartlist"}[form.value]
    path.write_bytes(data)
    document = load(str(path), form)
    for error in document.errors:
        assert error.code in ("SL001", "SL002") and error.message
    assert document.lists or document.errors


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.sampled_from(
        ["name", "id", "rules", "filters", "triggers", "conditions", "values", "operator", "attributeName", "filterMatchType",
         "filterCustomRuleLogic", "result", "success", "folder", "campaign", "isPrimary", "isError"]), children, max_size=5)),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values)
def test_any_json_shape_gives_lists_or_input_errors(tmp_path, value):
    path = tmp_path / "x.json"
    path.write_text(json.dumps(value))
    document = load(str(path), positions=True)
    assert all(e.code in ("SL001", "SL002") for e in document.errors)
    assert document.lists or document.errors


def _offset(text: str, line: int, column: int) -> int:
    return sum(len(each) + 1 for each in text.split("\n")[: line - 1]) + column - 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    indent=st.sampled_from([None, 0, 2, "\t", " \r\n "]),
    separators=st.sampled_from([None, (",", ":"), (" , ", " : ")]),
    escape=st.sets(st.sampled_from(["name", "rules", "filters", "triggers", "result", "conditions"])),
    names=st.lists(st.text(alphabet='ab"\\é\n', max_size=4), min_size=1, max_size=3),
)
def test_json_positions_point_at_their_own_list_filter_and_condition(tmp_path, indent, separators, escape, names):
    # the JSON walk reads plain keys with one pattern and escaped ones the careful way: in every
    # layout each list, filter, trigger and condition is placed at its own `{`
    lists = [{"id": i, "name": f"L{i}", "description": name, "rules": {"filterMatchType": "all",
              "triggers": [{"name": f"T{i}", "conditions": [{"attributeName": "Web Page", "operator": "is", "values": [name]}]}],
              "filters": [_field(f"F{i}.{j}", "is", [name]) for j in range(2)]}} for i, name in enumerate(names)]
    text = json.dumps({"success": True, "result": lists}, indent=indent, separators=separators, ensure_ascii=False)
    for key in escape:  # `"n\u0061me"` is `"name"` to a JSON reader
        text = text.replace(f'"{key}"', '"' + key[0] + "".join(f"\\u{ord(c):04x}" for c in key[1:]) + '"')
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    document = load(str(path), positions=True)
    assert document.errors == []
    decoder = json.JSONDecoder()
    for i, smart_list in enumerate(document.lists):
        assert decoder.raw_decode(text, _offset(text, smart_list.location.line, smart_list.location.column))[0] == lists[i]
        for item, raw in zip(smart_list.triggers + smart_list.filters, lists[i]["rules"]["triggers"] + lists[i]["rules"]["filters"]):
            assert decoder.raw_decode(text, _offset(text, item.location.line, item.location.column))[0] == raw
            condition = item.conditions[0]
            assert decoder.raw_decode(text, _offset(text, condition.location.line, condition.location.column))[0] == raw["conditions"][0]


@pytest.mark.parametrize(
    "before",
    [
        '"name": "Country"',  # the usual shape: scalars, then conditions
        '"name": "Country [EU]"',  # a bracket inside a string
        '"extra": {"conditions": [{"x": 1}]}, "name": "Country"',  # a deeper `conditions` first
        '"my\\"conditions": [1], "name": "Country"',  # a key that ends in an escaped quote and `conditions`
        '"name": "Country", "tags": ["a", {"b": "]"}]',  # containers before the key
    ],
)
def test_a_condition_is_located_in_its_own_filter_whatever_comes_before(tmp_path, before):
    conditions = [{"attributeName": "Country", "operator": "is", "values": ["France"]},
                  {"attributeName": "Country", "operator": "is", "values": ["Spain", "Italy"]}]
    text = ('{"result": [{"name": "L", "rules": {"filterMatchType": "all", "filters": [\n'
            '  {"id": 1, ' + before + ', "operator": "is",\n   "conditions": ' + json.dumps(conditions, indent=1) + '}]}}]}')
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    document = load(str(path), positions=True)
    assert document.errors == []
    decoder = json.JSONDecoder()
    for condition, raw in zip(document.lists[0].filters[0].conditions, conditions, strict=True):
        assert decoder.raw_decode(text, _offset(text, condition.location.line, condition.location.column))[0] == raw


def test_a_duplicate_key_written_with_an_escape_is_found_where_it_stands(cli, tmp_path):
    text = '{"name": "L",\n "rules": {"filters": []},\n  "n\\u0061me": "M"}'
    run, found = _run_with_good(cli, tmp_path, "dupe.json", text)
    assert run.code == 2 and [f["code"] for f in found] == ["SL001"]
    assert "duplicate key `name`" in found[0]["message"] and (found[0]["line"], found[0]["column"]) == (3, 3)


# ---- crashes are exit 2, never 1, and never lose the report ---------------------------------

ALL_FORMATS = ("text", "json", "sarif", "github", "junit")


def _by_name(run) -> dict[str, list[dict]]:
    """The findings of a JSON run by file name."""
    out: dict[str, list[dict]] = {}
    for finding in run.json()["findings"]:
        out.setdefault(finding["path"].rsplit("/", 1)[-1], []).append(finding)
    return out


def _lint_every_format(cli, folder, *args):
    """Each lint format and both report formats over `folder`: (format, run) for each, after
    checking none printed a traceback or an internal error."""
    runs = [(fmt, cli("lint", "--format", fmt, *args, str(folder))) for fmt in ALL_FORMATS]
    runs += [(f"report-{fmt}", cli("report", "--format", fmt, *args, str(folder))) for fmt in ("json", "html")]
    for fmt, run in runs:
        assert "Traceback" not in run.err and "internal error" not in run.err, (fmt, run.err)
    return runs


BIG = "123456789012345678901234567890"
HUGE = "9" * 5000  # over Python's 4,300-digit limit for int()
COUNTRY = {"name": "Country", "conditions": [{"attributeName": "Country", "operator": "contains", "values": ["FR"]}]}


NUMBER_CASES = [
    ("list-id.json", '{"name": "L", "id": %s, "rules": {"filters": []}}' % BIG, "`id` 123456789012…7890 (30 digits) is out of range"),
    ("list-id-2-64.json", '{"name": "L", "id": %d, "rules": {"filters": []}}' % 2**64, "out of range"),
    ("float-id.json", '{"name": "L", "id": 1e300, "rules": {"filters": []}}', "out of range"),
    ("string-id.json", '{"name": "L", "id": "%s", "rules": {"filters": []}}' % HUGE, "(5000 digits) is out of range"),
    ("filter-id.json", '{"name": "L", "rules": {"filters": [{"id": %s, "name": "Country", "conditions": []}]}}' % BIG, "out of range"),
    ("attribute-id.json", '{"name": "L", "rules": {"filters": [{"name": "C", "conditions": [{"attributeId": %s, "attributeName": "C", "operator": "is", "values": []}]}]}}' % BIG, "out of range"),
    ("folder-id.yaml", "name: L\nfolder: {id: %s, type: Folder}\nrules:\n  filters: []\n" % BIG, "out of range"),
    ("campaign-id.yaml", "name: L\ncampaign: {id: %s}\nrules:\n  filters: []\n" % BIG, "out of range"),
    ("list-id.smartlist", 'smart list "L" [id %s]\n  filters:\n    1. Country: is "FR"\n' % BIG, "out of range"),
    ("huge-id.smartlist", 'smart list "L" [id %s]\n  filters:\n    1. Country: is "FR"\n' % HUGE, "(5000 digits) is out of range"),
    ("huge-id-more.smartlist", 'smart list "L" [id %s, x 1]\n  filters:\n    1. Country: is "FR"\n' % HUGE, "out of range"),
    ("filter-id.smartlist", 'smart list "L"\n  filters:\n    1. Country: is "FR" [id %s]\n' % HUGE, "out of range"),
    ("folder.smartlist", 'smart list "L"\n  folder: Program %s\n  filters:\n    1. Country: is "FR"\n' % HUGE, "out of range"),
    ("filter-number.smartlist", 'smart list "L"\n  filters:\n    %s. Country: is "FR"\n' % HUGE, "filter numbers must run 1, 2, 3"),
    ("long-number.json", '{"name": "L", "id": %s, "rules": {"filters": []}}' % HUGE, "a number of 5,000 digits: numbers of more than 4,300"),
    ("long-number.yaml", "name: L\nrules:\n  filters: []\nid: %s\n" % HUGE, "a number of 5,000 digits"),
]


def test_numbers_too_big_for_64_bits_are_sl001_at_their_place(cli, tmp_path):
    # ids above 64 bits crashed --format json, sarif and report (orjson holds 64 bits), and
    # numbers over 4,300 digits crashed int(): an id is a whole number below 2^63, or an input
    # error where it is written; the list next to it is still linted, in every format
    for name, content, _ in NUMBER_CASES:
        write(tmp_path / name, content)
    write(tmp_path / "leading-zeros.smartlist", 'smart list "L" [id %s1]\n  filters:\n    1. Job Title: contains "FR"\n' % ("0" * 5000))
    write(tmp_path / "good.smartlist", GOOD)
    runs = dict(_lint_every_format(cli, tmp_path))
    for fmt, run in runs.items():
        assert run.code == 2, (fmt, run.code)
    report = runs["json"].json()
    found = _by_name(runs["json"])
    for name, _, words in NUMBER_CASES:
        assert [f["code"] for f in found[name]] == ["SL001"] and words in found[name][0]["message"], found[name]
        assert found[name][0]["line"] and found[name][0]["column"] and len(found[name][0]["message"]) < 300
    assert found["good.smartlist"][0]["code"] == "SL101" and found["leading-zeros.smartlist"][0]["code"] == "SL101"
    assert [e["id"] for e in report["lists"] if e["path"].endswith("leading-zeros.smartlist")] == [1]


def test_logic_numbers_over_4300_digits_are_sl002(tmp_path):
    path = write(tmp_path / "logic.json", _list_json([COUNTRY], f"1 and {HUGE}"))
    document = load(str(path), positions=True)
    [error] = document.errors
    assert error.code == "SL002" and "names filter 999999999999… (5000 digits)" in error.message


def test_lone_surrogates_are_written_as_escapes_in_every_format(cli, tmp_path):
    # a lone surrogate (JSON "\ud800") crashed every format and convert; it is written as its
    # \uXXXX escape: readable text, and in JSON the same string back
    write(tmp_path / "s.json", json.dumps({"name": "L\ud800", "rules": {"filters": [COUNTRY]}}))
    write(tmp_path / "s.smartlist", 'smart list "T\\udfff" [id 3]\n  filters:\n    1. Job Title: contains "x\\ud800"\n')
    for fmt, run in _lint_every_format(cli, tmp_path):
        assert run.code in (0, 1), (fmt, run.code, run.err)
        assert "\\ud800" in run.out or fmt == "report-html" and "\\ud800" in run.out.replace("&#92;", "\\"), fmt
        if fmt in ("json", "sarif", "report-json"):
            json.loads(run.out)
    names = {f["list_name"] for f in cli("lint", "--format", "json", str(tmp_path)).json()["findings"]}
    assert names == {"L\ud800", "T\udfff"}
    for source in ("s.json", "s.smartlist"):
        for to, suffix in (("text", ".smartlist"), ("json", ".json")):  # the escape reads back the same
            out = tmp_path / "converted" / f"{source}{suffix}"
            run = cli("convert", str(tmp_path / source), "--to", to, "-o", str(out))
            assert run.code == 0 and "Traceback" not in run.err, run.err
            again = cli("convert", str(out), "--to", "json")
            assert again.code == 0, again.err
            assert json.loads(again.out)[0]["name"] in ("L\ud800", "T\udfff")
        # YAML has no way to write one: a clear refusal, and no file
        run = cli("convert", str(tmp_path / source), "--to", "yaml", "-o", str(tmp_path / "out.yaml"))
        assert run.code == 2 and "lone surrogate \\ud" in run.err and "YAML cannot hold" in run.err, run.err
        assert not (tmp_path / "out.yaml").exists()


def test_not_nested_400_deep_is_sl002_and_the_same_for_any_jobs(cli, tmp_path):
    # `not not … 1` 400 deep built a tree that the -j workers could not send back (pickle's
    # recursion limit), and -j is the default from 1,000 files: the depth is an SL002 now
    write(tmp_path / "deep.json", _list_json([COUNTRY], "not " * 400 + "1"))
    for i in range(3):
        write(tmp_path / f"good{i}.smartlist", GOOD)
    one = cli("lint", "--format", "json", "-j", "1", str(tmp_path))
    two = cli("lint", "--format", "json", "-j", "2", str(tmp_path))
    assert one.code == two.code == 1 and one.out == two.out
    [found] = [f for f in one.json()["findings"] if f["path"].endswith("deep.json") and f["code"] == "SL002"]
    assert "nests 400 deep, counting each `not`" in found["message"]


# ---- the guards: one per file in the engine, one at the top of the command line --------------


def _run_in_process(capsys, *args: str) -> tuple[int, str, str]:
    from smartlint.cli import run

    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _export(tmp_path, count: int = 4):
    for i in range(count):
        write(tmp_path / f"good{i}.smartlist", GOOD)
    write(tmp_path / "boom.json", _list_json([COUNTRY]))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crash_on_one_file_is_sl001_for_it_exit_2_and_the_others_are_reported(monkeypatch, capsys, tmp_path, jobs):
    import smartlint.sources.json_form as json_form

    def explode(text, document, positions=False):
        raise RuntimeError("boom")

    monkeypatch.setattr(json_form, "load_json", explode)  # the -j 2 workers are forked: they see it too
    _export(tmp_path)
    for extra in ((), ("--exit-zero",)):  # --exit-zero never hides a crash
        code, out, err = _run_in_process(capsys, "lint", "--format", "json", "-j", jobs, *extra, str(tmp_path))
        assert code == 2 and "Traceback" not in err
        assert "internal error on" in err and "boom.json: RuntimeError: boom" in err
        report = json.loads(out)
        assert sorted(f["path"].rsplit("/", 1)[-1] for f in report["findings"] if f["code"] == "SL101") == [f"good{i}.smartlist" for i in range(4)]
        [failed] = [f for f in report["findings"] if f["path"].endswith("boom.json")]
        assert failed["code"] == "SL001" and "smartlint failed on this file (RuntimeError: boom)" in failed["message"]


def test_a_worker_that_fails_is_replaced_by_the_main_process(monkeypatch, capsys, tmp_path):
    import smartlint.engine as engine

    _export(tmp_path, 6)
    expected = _run_in_process(capsys, "lint", "--format", "json", "-j", "1", str(tmp_path))

    def lost(chunk, overrides):
        raise EOFError("the worker's result could not be read")

    monkeypatch.setattr(engine, "_check_chunk", lost)
    assert _run_in_process(capsys, "lint", "--format", "json", "-j", "2", str(tmp_path)) == expected


@pytest.mark.parametrize("format", ["text", "sarif"])
def test_a_crash_outside_any_file_is_one_clear_line_and_exit_2(monkeypatch, capsys, tmp_path, format):
    import smartlint.output.sarif as sarif
    import smartlint.output.text as text

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(text, "render", explode)
    monkeypatch.setattr(sarif, "build", explode)
    _export(tmp_path, 1)
    code, out, err = _run_in_process(capsys, "lint", "--exit-zero", "--format", format, str(tmp_path))
    assert code == 2
    assert err.strip().splitlines()[-1] == "smartlint: internal error: RecursionError: maximum recursion depth exceeded; please report it (SMARTLINT_DEBUG=1 shows where)"
    assert "Traceback" not in err


# ---- the file system: special files, unreadable places, the same file twice, outputs ----------

import os
import shutil
import socket
import stat
import subprocess
import sys
import threading

from conftest import ROOT


def _without_root_powers(cli, *args: str):
    """The command as a user without root's power to read anything (root keeps its uid but loses
    CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH), so that permissions mean what they say."""
    if os.geteuid() != 0:
        return cli(*args)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    proc = subprocess.run(
        [setpriv, "--bounding-set", "-dac_override,-dac_read_search", sys.executable, "-m", "smartlint", *args],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"}, timeout=120,
    )
    from conftest import Run

    return Run(proc)


def test_special_files_in_a_folder_are_sl001_and_never_block(cli, tmp_path, monkeypatch):
    # a FIFO found in a folder made the run wait for ever for a writer
    write(tmp_path / "good.smartlist", GOOD)
    os.mkfifo(tmp_path / "pipe.json")
    server = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(tmp_path)  # a socket's path has room for 107 bytes: a long TMPDIR would not fit
    server.bind("socket.yaml")
    os.symlink("loop.smartlist", tmp_path / "loop.smartlist")
    os.symlink(tmp_path / "good.smartlist", tmp_path / "link.smartlist")  # the same file: once
    try:
        run = cli("lint", "--format", "json", str(tmp_path))
    finally:
        server.close()
    assert run.code == 2 and "Traceback" not in run.err
    found = _by_name(run)
    assert found["pipe.json"][0]["code"] == "SL001" and "not a regular file (a named pipe)" in found["pipe.json"][0]["message"]
    assert "not a regular file (a socket)" in found["socket.yaml"][0]["message"]
    assert found["loop.smartlist"][0]["code"] == "SL001" and "symbolic links" in found["loop.smartlist"][0]["message"]
    assert found["loop.smartlist"][0]["path"] == str(tmp_path / "loop.smartlist")
    assert [f["code"] for f in found.get("good.smartlist", []) + found.get("link.smartlist", [])] == ["SL101"]


def test_a_pipe_named_on_the_command_line_is_read_and_one_without_writer_does_not_block(cli, tmp_path):
    pipe = tmp_path / "named.smartlist"
    os.mkfifo(pipe)
    run = cli("lint", "--format", "json", str(pipe))  # nobody writes: read as empty, at once
    assert run.code == 2 and "empty" in run.json()["findings"][0]["message"]

    def writer():
        with open(pipe, "w") as handle:  # waits for the reader
            handle.write(GOOD)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    run = cli("lint", "--format", "json", str(pipe))
    thread.join(10)
    assert run.code == 1 and [f["code"] for f in run.json()["findings"]] == ["SL101"]


def test_unreadable_folders_and_files_are_sl001_with_their_path(cli, tmp_path):
    # an unreadable sub-folder was skipped silently: the run passed without linting it
    write(tmp_path / "good.smartlist", GOOD)
    write(tmp_path / "locked" / "hidden.smartlist", GOOD)
    write(tmp_path / "open" / "secret.json", _list_json([COUNTRY]))
    (tmp_path / "locked").chmod(0)
    (tmp_path / "open" / "secret.json").chmod(0)
    try:
        run = _without_root_powers(cli, "lint", "--format", "json", str(tmp_path))
        named = _without_root_powers(cli, "lint", "--format", "json", str(tmp_path / "locked" / "hidden.smartlist"), str(tmp_path / "good.smartlist"))
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert run.code == 2 and "Traceback" not in run.err, run.err
    found = _by_name(run)
    assert found["locked"] == [dict(found["locked"][0], code="SL001", path=str(tmp_path / "locked"), message="cannot read folder: Permission denied")]
    assert found["secret.json"][0]["message"] == "cannot read file: Permission denied"
    assert found["good.smartlist"][0]["code"] == "SL101"
    assert named.code == 2
    assert _by_name(named)["hidden.smartlist"][0]["message"] == "cannot read file: Permission denied"  # not "no such file"


def test_the_same_file_named_many_ways_is_linted_once(tmp_path):
    from conftest import smartlint

    path = write(tmp_path / "x.smartlist", GOOD)
    run = smartlint("lint", "--format", "json", "x.smartlist", "./x.smartlist", str(path), ".", str(tmp_path), cwd=tmp_path)
    assert run.code == 1
    report = run.json()
    assert report["summary"]["files"] == 1 and [f["path"] for f in report["findings"]] == ["x.smartlist"]


def test_a_folder_reached_through_a_link_and_a_linked_file_are_linted_once(tmp_path):
    # files found in a folder are known by their folder's real path plus their name, and only
    # a link is followed to its own real path
    from conftest import smartlint

    write(tmp_path / "export" / "x.smartlist", GOOD)
    os.symlink("export", tmp_path / "alias")
    write(tmp_path / "export" / "sub" / "y.smartlist", GOOD.replace('"Good" [id 1]', '"Other" [id 2]'))
    os.symlink("../x.smartlist", tmp_path / "export" / "sub" / "link.smartlist")
    run = smartlint("lint", "--format", "json", "alias", "export", "export/sub", cwd=tmp_path)
    assert run.code == 1
    assert sorted(f["path"] for f in run.json()["findings"]) == ["alias/sub/link.smartlist", "alias/sub/y.smartlist"]


OUTPUTS = {
    "lint -o": lambda target, source: ("lint", "--format", "json", "-o", target, source),
    "report -o": lambda target, source: ("report", "-o", target, source),
    "convert -o": lambda target, source: ("convert", source, "--to", "json", "-o", target),
    "--write-baseline": lambda target, source: ("lint", "--write-baseline", target, source),
}


@pytest.mark.parametrize("command", list(OUTPUTS))
def test_outputs_that_cannot_be_written_are_exit_2_with_the_place_and_nothing_is_lost(cli, tmp_path, command):
    source = str(write(tmp_path / "in.smartlist", GOOD))
    previous = write(tmp_path / "ro" / "previous.json", "the previous output\n")
    args = OUTPUTS[command]
    cases = {
        str(tmp_path): "it is a folder",
        str(previous / "under-a-file.json"): "Not a directory",
        "/dev/full": "No space left on device",
    }
    for target, words in cases.items():
        run = cli(*args(target, source))
        assert run.code == 2 and f"smartlint: error: cannot write {target}: {words}" in run.err, (target, run.err)
        assert "Traceback" not in run.err
    (tmp_path / "ro").chmod(0o555)
    try:
        run = _without_root_powers(cli, *args(str(previous), source))
    finally:
        (tmp_path / "ro").chmod(0o755)
    assert run.code == 2 and "Permission denied" in run.err
    assert previous.read_text() == "the previous output\n" and os.listdir(tmp_path / "ro") == ["previous.json"]
    # nothing the user gave is rewritten: the file being read is never the output
    run = cli(*args(source, source))
    assert run.code == 2 and "refusing to overwrite" in run.err and open(source).read() == GOOD, run.err
    # a missing parent folder is made
    target = tmp_path / "new" / "deeper" / "out.json"
    run = cli(*args(str(target), source))
    assert run.code in (0, 1) and json.loads(target.read_text()), run.err
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044  # as a file made by open(), not 0600


def test_a_failure_while_writing_leaves_the_previous_output_whole(monkeypatch, capsys, tmp_path):
    import smartlint.output.json_report as json_report

    write(tmp_path / "in.smartlist", GOOD)
    previous = write(tmp_path / "out" / "report.json", "the previous output\n")

    def half(result):
        yield {"path": "x"}
        raise MemoryError

    monkeypatch.setattr(json_report, "_list_entries", half)
    code, out, err = _run_in_process(capsys, "lint", "--format", "json", "-o", str(previous), str(tmp_path / "in.smartlist"))
    assert code == 2 and "internal error: MemoryError" in err
    assert previous.read_text() == "the previous output\n" and os.listdir(previous.parent) == ["report.json"]


@pytest.mark.parametrize("args", [("lint", "examples"), ("rules",), ("explain", "SL101"), ("config",), ("report", "examples")])
def test_standard_output_that_cannot_be_written_is_exit_2(args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "smartlint", *args], stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "cannot write standard output: No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_closed_pipe_is_exit_2_not_1():
    # the reading end is closed before smartlint starts: the report (26 KB) fits in the pipe's
    # buffer, so a reader closed only after Popen returned could lose the race to a quick run
    reader, writer = os.pipe()
    os.close(reader)
    try:
        proc = subprocess.run([sys.executable, "-m", "smartlint", "lint", "--format", "json", "examples"], stdout=writer,
                              stderr=subprocess.PIPE, cwd=ROOT, timeout=60)
    finally:
        os.close(writer)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err


# ---- hostile configuration: one clear line naming the file, exit 2 ----------------------------

HOSTILE_CONFIGS = [
    ("pyproject.toml", "tool = 1\n", "`tool` must be a table"),
    ("pyproject.toml", "[tool]\nsmartlint = 1\n", "must be a table / mapping, not 1"),
    ("pyproject.toml", "[tool.smartlint]\nmax-file-bytes = %d\n" % 10**30, "`max-file-bytes` must be a whole number from 1 to 4294967296"),
    ("pyproject.toml", "[tool.smartlint]\nmax-file-bytes = 1e30\n", "`max-file-bytes` must be a whole number"),
    ("pyproject.toml", "[tool.smartlint.rules.SL102]\nmax-contains-values = %d\n" % 10**30, "`rules.SL102.max-contains-values` must be"),
    ("pyproject.toml", "[tool.smartlint\n", "invalid TOML: Expected ']'"),
    ("pyproject.toml", b"[tool.smartlint]\nselect = ['\xff']\n", "pyproject.toml:2: not UTF-8"),
    (".smartlint.yaml", "fail-on: 2024-13-45\n", "`fail-on` must be one of error, warning, info, not '2024-13-45'"),
    (".smartlint.yaml", "select: [ALL]\n1: x\n", "settings are named by words, not 1"),
    (".smartlint.yaml", "? [a, b]\n: 1\n", ".smartlint.yaml:1:3: invalid YAML: found unhashable key"),
    (".smartlint.yaml", "a: &a [*a]\nfail-on: *a\n", "unknown key `a`"),
    (".smartlint.yaml", "fail-on: &a [*a, *a]\n", "`fail-on` must be one of error, warning, info, not [[[...], [...]], [[...], [...]]]"),
    (".smartlint.yaml", "rules: {SL102: {max-contains-values: .inf}}\n", "must be a whole number, at least 0, like 99, not inf"),
    (".smartlint.yaml", "rules: {SL102: {severity: {a: 1}}}\n", "`rules.SL102.severity` must be one of"),
    (".smartlint.yaml", "per-file-ignores: {'*': 1}\n", "must be a list of rule selectors"),
    (".smartlint.yaml", "select: !!python/object:os.system x\n", "could not determine a constructor"),
    (".smartlint.yaml", "max-file-bytes: %s\n" % ("9" * 5000), "invalid YAML: Exceeds the limit (4300 digits)"),
    (".smartlint.yaml", "select: ['%s']\n" % ("x" * 10_000), "unknown rule selector `xxxxxxxx"),
    (".smartlint.yaml", "- 1\n", "must be a table / mapping, not [1]"),
]


@pytest.mark.parametrize("name, content, words", HOSTILE_CONFIGS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(HOSTILE_CONFIGS)])
def test_hostile_configuration_is_one_clear_line_and_exit_2(cli, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    write(tmp_path / "good.smartlist", GOOD)
    for command in (("lint",), ("report",), ("config",)) if name == "pyproject.toml" else (("lint",),):
        run = cli(*command, str(tmp_path))
        assert run.code == 2 and "Traceback" not in run.err, (command, run.err)
        [line] = run.err.strip().splitlines()
        assert line.startswith(f"smartlint: error: {path}") and words in line and len(line) < 400, line


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "folder", "missing"])
def test_a_config_that_is_no_file_is_one_clear_line_and_exit_2(cli, tmp_path, target):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    given = target if target.startswith("/") else str(tmp_path / target)
    run = cli("lint", "--config", given, str(write(tmp_path / "good.smartlist", GOOD)))  # a FIFO once waited for ever
    assert run.code == 2 and run.err.startswith(f"smartlint: error: {given}: cannot read: "), run.err


def test_a_bad_field_reached_through_a_yaml_alias_has_a_position(cli, tmp_path):
    # the alias's node was marked only where the anchor is: an error under it had no line
    anchor = "    name: Country\n    conditions:\n      - attributeName: Country\n        operator: {x: 1}\n        values: [FR]\n"
    write(tmp_path / "alias-after.yaml", "defs:\n  - &f\n" + anchor + "name: L\nrules:\n  filters:\n    - *f\n")
    write(tmp_path / "alias-twice.yaml", "name: L\nrules:\n  filters:\n    - &f\n  " + anchor.replace("\n    ", "\n      ") + "    - *f\n")
    run = cli("lint", "--format", "json", str(tmp_path))
    found = _by_name(run)
    for name in ("alias-after.yaml", "alias-twice.yaml"):
        [error] = found[name]
        assert error["code"] == "SL001" and "`operator` must be a string" in error["message"]
        assert error["line"] and error["column"], error


# ---- the whole command on generated and mutated files: no traceback, exit 0/1/2, any -j -------

def _seeds() -> list[tuple[str, bytes]]:
    """(suffix, content) of every file in fuzz/corpus and examples/: the three forms."""
    suffix_of = {"json": ".json", "yaml": ".yaml", "text": ".smartlist"}
    seeds = [(suffix_of[p.parent.name], p.read_bytes()) for p in sorted((ROOT / "fuzz" / "corpus").glob("*/*")) if p.parent.name in suffix_of]
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.suffix in (".json", ".yaml", ".yml", ".smartlist"):
            seeds.append((path.suffix, path.read_bytes()))
    return seeds


SEEDS = _seeds()
# what the attack runs put into files: huge and signed numbers, escapes of lone surrogates, deep
# logic, blanks, control characters, YAML anchors, undecodable bytes, other structure
PAYLOADS = [b"9" * 5000, b"123456789012345678901234567890", b"-1", b"1e400", b"\\ud800", b'"\\udfff"', b"not " * 300 + b"1",
            b"(" * 150, b"\x00", b"\x0b", b"\r", b"\t" * 50, b"\xff\xfe", b"&a", b"*a", b"!!binary", b"~", b"null", b"[]", b"{}",
            b"[id ", b"use advanced filters: ", b" and ", b" or ", b"\n    1. ", b"smart list ", b"triggers:", b'"', b"\\", b"#",
            b'"id": ', b'"name": ', b'"rules": {"filters": [', b"]", b"}", b",", b"\n", b"  ", b"- ", b": ", "\u2028".encode()]


@st.composite
def mutated_file(draw) -> tuple[str, bytes]:
    suffix, data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        payload = draw(st.one_of(st.sampled_from(PAYLOADS), st.binary(max_size=8)))
        if kind == "insert":
            data = data[:at] + payload + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "replace":
            data = data[:at] + payload + data[at + len(payload) :]
        else:
            data = data[:at] + data[at : at + draw(st.integers(1, 60))] * draw(st.integers(2, 50)) + data[at:]
    return suffix, data


# 8 examples (two runs each) keep the suite quick; SMARTLINT_CLI_EXAMPLES=500 hunts for longer
@settings(max_examples=int(os.environ.get("SMARTLINT_CLI_EXAMPLES", 8)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.lists(mutated_file(), min_size=2, max_size=14), fmt=st.sampled_from(["json", "text"]))
def test_any_mutated_export_through_the_real_command_same_output_for_any_jobs(cli, tmp_path_factory, files, fmt):
    folder = tmp_path_factory.mktemp("export")
    for index, (suffix, data) in enumerate(files):
        (folder / f"f{index:02d}{suffix}").write_bytes(data)
    runs = [cli("lint", "--format", fmt, "-j", jobs, str(folder)) for jobs in ("1", "2")]
    for run in runs:
        assert run.code in (0, 1, 2), run.err
        assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert runs[0].out == runs[1].out and runs[0].code == runs[1].code
    if fmt == "json":
        assert runs[0].json()["summary"]["files"] == len(files)


def test_file_names_that_are_not_utf8_are_linted_and_shown_safely(cli, tmp_path):
    # a file name with the byte 0xE9 (Latin-1 é) crashed every output: it is linted, shown with
    # the byte's escape, and in JSON as the escape Python's os.fsencode turns back into the name
    name = b"caf\xe9.smartlist"
    with open(os.path.join(os.fsencode(tmp_path), name), "w") as handle:
        handle.write(GOOD)
    for fmt, run in _lint_every_format(cli, tmp_path):
        assert run.code in (0, 1), (fmt, run.err)
        assert "caf\\udce9.smartlist" in run.out or "caf%E9.smartlist" in run.out, fmt
    [finding] = cli("lint", "--format", "json", str(tmp_path)).json()["findings"]
    assert finding["code"] == "SL101" and os.fsencode(finding["path"]).endswith(name)


def test_a_huge_jobs_number_forks_no_more_than_the_files_need(cli, tmp_path):
    # -j 100000 started 99,999 worker processes; the output is the same for any -j
    for i in range(3):
        write(tmp_path / f"good{i}.smartlist", GOOD)
    one, many = (cli("lint", "--format", "json", "-j", jobs, str(tmp_path)) for jobs in ("1", "100000"))
    assert many.code == one.code == 1 and many.out == one.out


def test_every_fuzz_corpus_input_through_the_real_command(cli, tmp_path):
    # fuzz/corpus keeps each input that once crashed (regression-*: ids over 64 bits, a lone
    # surrogate, `not` 400 deep, 5,000-digit numbers, an alias with a bad field) beside the seeds
    for index, (suffix, data) in enumerate(SEEDS):
        (tmp_path / f"seed{index:03d}{suffix}").write_bytes(data)
    runs = [cli("lint", "--format", "json", "-j", jobs, str(tmp_path)) for jobs in ("1", "2")]
    for run in runs:
        assert run.code == 2 and "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert runs[0].out == runs[1].out and runs[0].json()["summary"]["files"] == len(SEEDS)


@pytest.mark.parametrize("option", ["--baseline", "--compare"])
def test_a_baseline_or_previous_report_that_is_no_file_or_no_baseline_is_one_line_and_exit_2(cli, tmp_path, option):
    # a pipe given as --baseline waited for ever; /dev/zero never ended; deep or odd JSON crashed
    os.mkfifo(tmp_path / "fifo")
    source = str(write(tmp_path / "in.smartlist", GOOD))
    bad = [str(tmp_path / "fifo"), "/dev/zero", str(write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000))]
    if option == "--baseline":
        bad += [str(write(tmp_path / f"b{i}.json", text)) for i, text in enumerate(
            ['{"findings": [{"path": [1], "fingerprint": "x"}], "version": 2}', '{"findings": [], "version": "2"}', "[]"])]
    for path in bad:
        run = cli("report" if option == "--compare" else "lint", option, path, source)
        assert run.code == 2 and "Traceback" not in run.err and "internal error" not in run.err, run.err
        assert len(run.err.strip().splitlines()) == 1 and path in run.err, run.err


def test_when_no_worker_can_be_started_the_main_process_checks_everything(monkeypatch, capsys, tmp_path):
    import concurrent.futures

    _export(tmp_path, 6)
    expected = _run_in_process(capsys, "lint", "--format", "json", "-j", "1", str(tmp_path))

    def refused(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")  # fork refused

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)
    assert _run_in_process(capsys, "lint", "--format", "json", "-j", "2", str(tmp_path)) == expected


def test_control_characters_from_the_export_never_reach_the_terminal(cli, tmp_path):
    # a hostile name (an ANSI escape that recolours and retitles the terminal, a bell) is shown escaped
    body = ('{"id": 9, "name": "Bad \\u001b[31mred\\u001b]0;pwned\\u0007 name", "rules": {"filterMatchType": "all", '
            '"triggers": [], "filters": [{"id": 1, "name": "Job Title", "conditions": [{"activityAttributeName": '
            '"Job Title", "operator": "contains", "values": ["x\\u001b[2J"], "isPrimary": true}]}]}}')
    path = write(tmp_path / "esc.json", body)
    for args, env in (((), {}), ((), {"NO_COLOR": "", "FORCE_COLOR": "1"}), (("--format", "github"), {})):
        run = cli("lint", *args, str(path), env=env)
        assert run.code == 1 and "SL101" in run.out
        assert "\x07" not in run.out and "\x1b]0;" not in run.out and "\x1b[31mred" not in run.out and "\x1b[2J" not in run.out
        assert "Bad \\u001b[31mred" in run.out
