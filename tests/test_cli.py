"""The command line as users meet it: exit codes, formats, configuration, selection, suppression."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import CORPUS, EXAMPLES, write

CLEAN = 'smart list "Clean" [id 1]\n  use ALL filters\n  filters:\n    1. Country: is "France"\n    2. Unsubscribed: is false\n'
SLOW = (
    'smart list "Slow" [id 2]\n  use ALL filters\n  filters:\n'
    '    1. Job Title: contains "marketing"\n'
    '    2. Filled Out Form\n         Form: is "Demo Request"\n'
)


def test_clean_list_exits_0(cli, tmp_path):
    run = cli("lint", str(write(tmp_path / "clean.smartlist", CLEAN)))
    assert run.code == 0, run.out
    assert "All checks passed" in run.out


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_adobe_documented_list_is_clean(cli):
    # one Visited Web Page filter with `is` constraints and a 30-day window: nothing to improve
    run = cli("lint", str(CORPUS / "get-smart-list-by-id-include-rules.json"))
    assert run.code == 0, run.out


def test_findings_exit_1_and_show_the_filter_beneath(cli, tmp_path):
    path = write(tmp_path / "slow.smartlist", SLOW)
    run = cli("lint", str(path))
    assert run.code == 1
    assert f"{path}:4:5 SL101 [warning]" in run.out
    assert '│ 1. Job Title: contains "marketing"' in run.out
    assert "SL201" in run.out
    assert "Found 2 findings (2 warnings)" in run.out


def test_json_format_has_the_documented_fields(cli, tmp_path):
    path = write(tmp_path / "slow.smartlist", SLOW)
    report = cli("lint", "--format", "json", str(path)).json()
    assert report["schema_version"] == 1
    assert report["tool"]["name"] == "smartlint"
    assert report["summary"] == {
        "files": 1, "lists": 1, "findings": 2,
        "by_severity": {"warning": 2}, "by_code": {"SL101": 1, "SL201": 1},
    }
    finding = report["findings"][0]
    assert set(finding) == {"code", "name", "severity", "message", "path", "line", "column", "pointer",
                            "list_id", "list_name", "filter", "fingerprint"}
    assert (finding["code"], finding["name"], finding["filter"], finding["list_id"]) == ("SL101", "operator.slow", 1, 2)
    assert finding["pointer"] == "/0/rules/filters/0/conditions/0"
    [entry] = report["lists"]
    assert {k: entry[k] for k in ("path", "id", "name", "kind", "filters")} == {
        "path": str(path), "id": 2, "name": "Slow", "kind": "smart list", "filters": 2}
    assert entry["cost"] > 0 and [b["kind"] for b in entry["breakdown"]] == ["attribute", "activity"]


def test_json_positions_are_resolved_for_json_files(cli):
    report = cli("lint", "--format", "json", str(EXAMPLES / "export" / "rest" / "webinar-invitees-q4.json")).json()
    sl201 = next(f for f in report["findings"] if f["code"] == "SL206")
    assert sl201["pointer"] == "/result/0/rules/filters/6"
    assert (sl201["line"], sl201["column"]) == (133, 11)


def test_fingerprint_survives_reindenting_and_moving_the_list(cli, tmp_path):
    first = cli("lint", "--format", "json", str(write(tmp_path / "a" / "l.smartlist", SLOW))).json()
    reindented = "\n".join("  " + line if line.strip() else line for line in SLOW.splitlines()) + "\n"
    moved = CLEAN + "\n\n# moved below another list\n" + reindented
    second = cli("lint", "--format", "json", str(write(tmp_path / "a" / "l.smartlist", moved))).json()
    key = lambda r: sorted((f["code"], f["fingerprint"]) for f in r["findings"])
    assert key(first) == key(second) and len(key(first)) == 2
    assert [f["line"] for f in first["findings"]] != [f["line"] for f in second["findings"]]


@pytest.mark.parametrize(
    "flags, expected",
    [
        (["--select", "SL1"], {"SL101"}),
        (["--select", "activity"], {"SL201"}),
        (["--select", "operator.slow"], {"SL101"}),
        (["--select", "performance", "--ignore", "SL201"], {"SL101"}),
        (["--ignore", "SL2", "--select", "ALL"], {"SL101"}),
        (["--select", "SL201,SL101", "--ignore", "SL1"], {"SL101", "SL201"}),  # the more specific wins
        (["--select", "SL2", "--extend-select", "SL101"], {"SL101", "SL201"}),
        (["--ignore", "performance", "--extend-select", "SL101"], {"SL101"}),
    ],
)
def test_selection_by_code_prefix_name_and_group(cli, tmp_path, flags, expected):
    path = write(tmp_path / "slow.smartlist", SLOW)
    report = cli("lint", "--format", "json", *flags, str(path)).json()
    assert {f["code"] for f in report["findings"]} == expected


def test_unknown_selector_is_a_usage_error(cli, tmp_path):
    run = cli("lint", "--select", "SL9", str(write(tmp_path / "c.smartlist", CLEAN)))
    assert run.code == 2 and "unknown rule selector `SL9`" in run.err


def test_fail_on_sets_which_severities_fail(cli, tmp_path):
    path = write(tmp_path / "slow.smartlist", SLOW)
    assert cli("lint", "--fail-on", "error", str(path)).code == 0
    assert cli("lint", "--fail-on", "warning", str(path)).code == 1
    assert cli("lint", "--fail-on", "bogus", str(path)).code == 2


def test_closest_config_wins_and_options_apply(cli, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.smartlint]\nignore = ["SL101"]\n[tool.smartlint.rules.SL102]\nmax-contains-values = 30\n')
    write(tmp_path / "team" / ".smartlint.yaml", "select: [SL101]\n")
    write(tmp_path / "top.smartlist", SLOW)
    write(tmp_path / "team" / "inner.smartlist", SLOW)
    report = cli("lint", "--format", "json", str(tmp_path)).json()
    codes = {(f["path"].rsplit("/", 1)[-1], f["code"]) for f in report["findings"]}
    assert codes == {("top.smartlist", "SL201"), ("inner.smartlist", "SL101")}
    shown = cli("config", str(tmp_path / "team")).json()
    assert shown["source"].endswith(".smartlint.yaml") and shown["select"] == ["SL101"]
    top = cli("config", str(tmp_path)).json()
    assert top["source"].endswith("pyproject.toml")
    assert top["rules"]["SL102"]["max-contains-values"] == 30


def test_rule_options_and_severity_overrides_from_config(cli, tmp_path):
    write(tmp_path / ".smartlint.yaml", "rules:\n  SL201:\n    severity: error\n  operator.slow:\n    severity: info\n")
    path = write(tmp_path / "slow.smartlist", SLOW)
    report = cli("lint", "--format", "json", str(path)).json()
    assert {(f["code"], f["severity"]) for f in report["findings"]} == {("SL101", "info"), ("SL201", "error")}


@pytest.mark.parametrize(
    "config, words",
    [
        ("selct: [SL1]\n", "unknown key `selct`"),
        ("rules:\n  SL102:\n    max-contains: 5\n", "unknown option `max-contains` for SL102"),
        ("rules:\n  SL102:\n    max-contains-values: many\n", "`rules.SL102.max-contains-values` must be a whole number, at least 0, like 99, not 'many'"),
        ("rules:\n  SL102:\n    max-contains-values: -5\n", "must be a whole number, at least 0, like 99, not -5"),
        ("rules:\n  SL102:\n    max-contains-values: 2.5\n", "must be a whole number, at least 0, like 99, not 2.5"),
        ("rules:\n  SL401:\n    min-set-size: 0\n", "`rules.SL401.min-set-size` must be a whole number, at least 2, like 2, not 0"),
        ("rules:\n  SL401:\n    min-lists: 1\n", "must be a whole number, at least 2, like 3, not 1"),
        ("rules:\n  SL302:\n    error-filters: 0\n", "must be a whole number, at least 1, like 100, not 0"),
        ("rules:\n  SL502:\n    frequent-fields: [1]\n", "`rules.SL502.frequent-fields` must be a list of field names like"),
        ("rules:\n  SL999: {}\n", "unknown rule `SL999`"),
        ("fail-on: sometimes\n", "`fail-on` must be one of"),
        ("select: [nonsense]\n", "unknown rule selector `nonsense`"),
    ],
)
def test_bad_config_is_a_usage_error_naming_the_key(cli, tmp_path, config, words):
    write(tmp_path / ".smartlint.yaml", config)
    run = cli("lint", str(write(tmp_path / "c.smartlist", CLEAN)))
    assert run.code == 2
    assert words in run.err
    assert ".smartlint.yaml" in run.err


def test_per_file_ignores(cli, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.smartlint.per-file-ignores]\n"legacy/*" = ["SL1", "activity"]\n')
    write(tmp_path / "legacy" / "old.smartlist", SLOW)
    write(tmp_path / "new.smartlist", SLOW)
    report = cli("lint", "--format", "json", str(tmp_path)).json()
    assert {f["path"].rsplit("/", 1)[-1] for f in report["findings"]} == {"new.smartlist"}


def test_suppression_on_a_filter_and_unused_suppressions(cli, tmp_path):
    text = SLOW.replace('contains "marketing"', 'contains "marketing"  # smartlint: disable=SL101,SL203')
    report = cli("lint", "--format", "json", str(write(tmp_path / "s.smartlist", text))).json()
    found = {(f["code"], f["filter"]) for f in report["findings"]}
    assert ("SL101", 1) not in found
    assert ("SL201", 2) in found  # a filter-level suppression does not reach other filters
    [unused] = [f for f in report["findings"] if f["code"] == "SL005"]
    assert "`SL203`" in unused["message"] and unused["line"] == 4


def test_list_level_suppression_in_text_and_in_description(cli, tmp_path):
    text = SLOW.replace("  use ALL filters\n", "  # smartlint: disable=operator.slow, SL201\n  use ALL filters\n")
    assert cli("lint", str(write(tmp_path / "s.smartlist", text))).code == 0
    json_list = (
        '{"name": "Slow", "description": "Legacy list. smartlint: disable=SL101", "rules": {"filterMatchType": "all", "filters": ['
        '{"name": "Job Title", "conditions": [{"attributeName": "Job Title", "operator": "contains", "values": ["x"]}]}]}}'
    )
    assert cli("lint", str(write(tmp_path / "d.json", json_list))).code == 0


YAML_OPENED = (
    "    - name: Opened Email{comment}\n      conditions:\n        - activityAttributeName: Email\n"
    "          operator: is\n          values: [any]\n"
)


def test_yaml_comments_suppress_like_the_text_forms(cli, tmp_path):
    """A ruff user writes `# smartlint: disable=…` in YAML first: on a filter's line or on the line
    above it, it is that filter's; above the first filter, the whole list's; a `#` in a quoted or
    block value is no comment. Suppressions then survive `convert`."""
    text = (
        "# smartlint: disable=SL304\nid: 1\nname: 'Newsletter # smartlint: disable=SL201'\nrules:\n  filters:\n"
        + YAML_OPENED.format(comment="   # smartlint: disable=SL201")
        + "    # smartlint: disable=SL201\n" + YAML_OPENED.format(comment="")
        + YAML_OPENED.format(comment="").replace("      conditions:", "      description: |\n        # smartlint: disable=SL201\n      conditions:")
    )
    path = write(tmp_path / "l.yaml", text)
    findings = cli("lint", "--format", "json", "--select", "SL201,SL005,SL304", str(path)).json()["findings"]  # SL005 judges only checked rules
    assert [(f["code"], f["filter"], f["line"]) for f in findings] == [
        # SL304 on the whole list (line 1) suppresses the three copies of one filter: no SL304, no SL005
        ("SL201", 3, 17),  # the `#` inside the block value suppresses nothing
    ]
    text_form = cli("convert", str(path), "--to", "text").out
    comments = re.findall(r"(?m)(?:^|  )(# smartlint: disable=\S+)$", text_form)  # not the one in the quoted name
    assert sorted(comments) == ["# smartlint: disable=SL201"] * 2 + ["# smartlint: disable=SL304"]


def test_convert_writes_every_form_and_refuses_to_overwrite_input(cli, tmp_path):
    source = EXAMPLES / "export" / "text" / "hot-leads.smartlist"
    for form, suffix in (("json", "json"), ("yaml", "yaml"), ("text", "smartlist")):
        out = tmp_path / f"out.{suffix}"
        run = cli("convert", str(source), "--to", form, "-o", str(out))
        assert run.code == 0, run.err
        assert cli("lint", str(out)).code == 0
    copy = write(tmp_path / "in.smartlist", source.read_text())
    run = cli("convert", str(copy), "--to", "text", "-o", str(copy))
    assert run.code == 2 and copy.read_text() == source.read_text()


def test_version_and_help(cli):
    assert cli("--version").out.startswith("smartlint ")
    assert cli("lint", "--help").code == 0
    assert cli("lint", "--bogus").code == 2


def test_lint_without_a_path_lints_the_current_folder_as_ruff_does(cli, tmp_path):
    empty = cli("lint", cwd=tmp_path)
    assert empty.code == 0 and "No smart lists found" in empty.err
    shutil.copytree(EXAMPLES / "export", tmp_path / "export")
    here = cli("lint", "--format", "json", cwd=tmp_path)
    named = cli("lint", "--format", "json", ".", cwd=tmp_path)
    assert here.code == named.code == 1 and here.out == named.out and here.json()["summary"]["lists"] == 14
    # --stdin-filename without a path reads standard input (ruff's convention), not the folder
    text = (EXAMPLES / "export" / "text" / "hot-leads.smartlist").read_text()
    piped = cli("lint", "--format", "json", "--stdin-filename", "mine.smartlist", cwd=tmp_path, input=text)
    assert {f["path"] for f in piped.json()["findings"]} <= {"mine.smartlist"} and piped.json()["summary"]["files"] == 1


def test_json_written_piece_by_piece_is_the_whole_document(tmp_path):
    """`lint --format json` writes its report as it goes (memory); the bytes are those of the
    whole document dumped at once."""
    import io

    from smartlint.config import Overrides
    from smartlint.engine import lint_paths
    from smartlint.output.json_report import render, write as write_json

    clean = write(tmp_path / "clean.smartlist", CLEAN)  # no findings: an empty array
    for target in (EXAMPLES, clean):
        result = lint_paths([str(target)], Overrides())
        stream = io.StringIO()
        write_json(result, stream)
        assert stream.getvalue() == render(result)
        assert json.loads(stream.getvalue())["summary"]["findings"] == len(result.findings)


@pytest.mark.parametrize("columns", ["80", "200"])
def test_help_screens_read_well(cli, columns):
    """Defaults in brackets survive (rich markup used to eat them), usage names arguments in
    capitals, and the command summaries are whole sentences at any width."""
    top = cli("--help", env={"COLUMNS": columns})
    assert top.code == 0
    commands = top.out[top.out.index("Commands:"):]
    assert "..." not in commands and "…" not in commands
    names = ["lint", "report", "convert", "pull", "rules", "explain", "config"]
    for name in names:
        assert f"\n  {name} " in commands
    screens = {name: cli(name, "--help", env={"COLUMNS": columns}).out for name in names}
    assert "[default: warning]" in screens["lint"] and "[default: text, or github" in screens["lint"]
    assert "[default: from the -o file's suffix" in " ".join(screens["report"].split()) and "[default: 10; 1<=x<=10]" in screens["pull"]
    assert "Usage: smartlint lint [OPTIONS] [PATHS...]" in screens["lint"]
    assert "Usage: smartlint config [OPTIONS] [PATH]" in screens["config"]
    for name, text in screens.items():
        assert "{" not in text.splitlines()[0], name
        assert "<str>" not in text and "<int" not in text, name  # FILE, RULES, N: what to give
        assert max(len(line) for line in text.splitlines()) <= max(80, int(columns)), name


def test_explain_keeps_placeholders_in_the_rule_prose(cli):
    # `<field>` outside a code span was read as an HTML tag and vanished ("Set  true")
    run = cli("explain", "SL401")
    assert run.code == 0
    assert 'Set <field> true' in run.out and "Set  true" not in run.out


def test_rules_piped_gives_one_whole_line_per_rule(cli):
    """`smartlint rules | grep contains` must find whole summaries: no table wrapping when piped."""
    listed = cli("rules").out.splitlines()
    every = cli("rules", "--format", "json").json()
    assert len(listed) == len(every)
    for line, meta in zip(listed, every):
        assert line.split()[:3] == [meta["code"], meta["name"], meta["severity"]] and line.endswith(meta["summary"])
