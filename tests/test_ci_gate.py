"""The CI gate: SARIF, GitHub annotations, JUnit, baselines, parallel runs, pre-commit."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import DATA, EXAMPLES, ROOT, write

SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
SLOW = (
    'smart list "Slow" [id 2]\n  use ALL filters\n  filters:\n'
    '    1. Job Title: contains "marketing"\n'
    '    2. Filled Out Form\n         Form: is "Demo Request"\n'
)


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="shared SARIF schema not present")
def test_sarif_for_the_examples_validates_against_the_schema(cli):
    run = cli("lint", "--format", "sarif", "examples")
    assert run.code == 1
    sarif = run.json()
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    [sarif_run] = sarif["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"SL101", "SL401"}
    sl102 = next(r for r in rules if r["id"] == "SL102")
    assert sl102["name"] == "values.contains-over-limit" and sl102["defaultConfiguration"]["level"] == "error"
    assert "Bad:" in sl102["help"]["text"] and "## Use instead" in sl102["help"]["markdown"]
    result = next(r for r in sarif_run["results"] if r["ruleId"] == "SL206")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "examples/export/rest/webinar-invitees-q4.json", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 133, "startColumn": 11}
    assert len(result["partialFingerprints"]["smartlint/v2"]) == 16
    assert rules[result["ruleIndex"]]["id"] == "SL206"


def test_sarif_fingerprints_survive_reindenting_and_moving_the_list(cli, tmp_path):
    write(tmp_path / "l.smartlist", SLOW)
    before = cli("lint", "--format", "sarif", "l.smartlist", cwd=tmp_path).json()
    moved = 'smart list "Other" [id 9]\n  filters:\n    1. Country: is "FR"\n\n' + "\n".join("  " + l for l in SLOW.splitlines()) + "\n"
    write(tmp_path / "l.smartlist", moved)
    after = cli("lint", "--format", "sarif", "l.smartlist", cwd=tmp_path).json()
    prints = lambda s: sorted((r["ruleId"], r["partialFingerprints"]["smartlint/v2"]) for r in s["runs"][0]["results"])
    assert prints(before) == prints(after)
    lines = lambda s: [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in s["runs"][0]["results"]]
    assert lines(before) != lines(after)


def test_github_annotations_are_chosen_under_github_actions(cli, tmp_path):
    path = write(tmp_path / "s.smartlist", SLOW)
    run = cli("lint", str(path), env={"GITHUB_ACTIONS": "true"})
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0].startswith(f"::warning file={path},line=4,col=5,title=SL101 operator.slow::SL101 ")
    assert all(line.startswith("::") for line in lines)
    assert cli("lint", "--format", "text", str(path), env={"GITHUB_ACTIONS": "true"}).out.startswith(str(path))


def test_junit_report_has_a_failure_per_finding(cli, tmp_path):
    write(tmp_path / "s.smartlist", SLOW)
    write(tmp_path / "clean.smartlist", 'smart list "C"\n  filters:\n    1. Country: is "FR"\n')
    run = cli("lint", "--format", "junit", str(tmp_path))
    root = ET.fromstring(run.out)
    assert root.get("tests") == "3" and root.get("failures") == "2"
    suites = {s.get("name").rsplit("/", 1)[-1]: s for s in root}
    assert len(suites["s.smartlist"].findall("testcase/failure")) == 2
    assert suites["clean.smartlist"].find("testcase/failure") is None


def test_baseline_round_trip(cli, tmp_path):
    export = tmp_path / "export"
    write(export / "old.smartlist", SLOW)
    write(export / "fixed.smartlist", SLOW.replace('"Slow" [id 2]', '"Soon fixed" [id 3]'))
    baseline = tmp_path / "baseline.json"
    run = cli("lint", "--write-baseline", str(baseline), str(export))
    assert run.code == 0 and "wrote 4 findings" in run.err
    entries = json.loads(baseline.read_text())["findings"]
    assert entries == sorted(entries, key=lambda e: (e["path"], str(e["list_name"]), e["code"], e["fingerprint"]))
    assert cli("lint", "--baseline", str(baseline), str(export)).code == 0
    # reformatting a file does not disturb the baseline
    write(export / "old.smartlist", "\n\n" + "\n".join("    " + l for l in SLOW.splitlines()) + "\n")
    assert cli("lint", "--baseline", str(baseline), str(export)).code == 0
    # a new bad list fails, with only the new finding; a fixed list is reported as fixed
    write(export / "new.smartlist", 'smart list "New" [id 4]\n  filters:\n    1. Email Address: contains "gmail.com"\n')
    write(export / "fixed.smartlist", 'smart list "Soon fixed" [id 3]\n  filters:\n    1. Country: is "FR"\n')
    run = cli("lint", "--format", "json", "--baseline", str(baseline), str(export))
    assert run.code == 1
    assert [(f["code"], f["list_name"]) for f in run.json()["findings"]] == [("SL104", "New")]
    assert run.err.count("fixed since the baseline") == 2 and "Soon fixed" in run.err


def test_exit_zero_and_statistics(cli, tmp_path):
    path = write(tmp_path / "s.smartlist", SLOW)
    assert cli("lint", "--exit-zero", str(path)).code == 0
    run = cli("lint", "--statistics", str(path))
    assert run.code == 1
    assert "1  SL101  operator.slow" in run.out and "2  findings in total" in run.out


def test_parallel_output_is_identical(cli, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # undone after the test: bench/run.py is no module for the others
    from generate import generate

    generate(str(tmp_path / "export"), 2000, seed=3)
    # a broken file early (a worker's) and one late (the main process's share)
    (tmp_path / "export" / "000" / "broken.json").write_text('{"result": [{"name": "x", "rules": {"filters": [}}]}')
    (tmp_path / "export" / "zzz.json").write_text('{"result": [{"name": "y", "rules": "none"}]}')
    one = cli("lint", "-j", "1", "--format", "json", str(tmp_path / "export"))
    two = cli("lint", "-j", "2", "--format", "json", str(tmp_path / "export"))
    three = cli("lint", "-j", "3", "--format", "json", str(tmp_path / "export"))
    assert one.code == two.code == three.code == 2  # the broken files are input errors
    assert one.out == two.out == three.out
    report = one.json()
    assert report["summary"]["lists"] == 2000
    broken = [f for f in report["findings"] if f["code"] == "SL001"]
    assert {Path(f["path"]).name for f in broken} == {"broken.json", "zzz.json"}
    assert all(f["line"] == 1 and f["column"] > 1 for f in broken)


CLEAN = 'smart list "Clean" [id 7]\n  filters:\n    1. Country: is "FR"\n'


def _git_repo(work: Path) -> None:
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "add", "."], check=True)


def _try_repo(work: Path, *args: str) -> subprocess.CompletedProcess:
    pre_commit = shutil.which("pre-commit") or str(ROOT / ".venv" / "bin" / "pre-commit")
    return subprocess.run([pre_commit, "try-repo", str(ROOT), *args, "--all-files"], cwd=work, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(shutil.which("pre-commit") is None and not (ROOT / ".venv" / "bin" / "pre-commit").exists(), reason="pre-commit not installed")
def test_pre_commit_try_repo_in_a_real_repository(tmp_path):
    """Both hooks in a repository as users have them: an export beside a .pre-commit-config.yaml,
    a package.json, renovate.json, a GitHub workflow and smartlint's baseline. Clean lists pass
    (none of the other files is an SL001); a slow list fails."""
    work = tmp_path / "work"
    write(work / "marketo-export" / "clean.smartlist", CLEAN)
    write(work / "marketo-export" / "clean.json", json.dumps({"result": [{"id": 8, "name": "J", "rules": {"filters": []}}]}))
    write(work / ".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks: []\n")
    write(work / "package.json", json.dumps({"name": "site", "version": "1.0.0", "scripts": {"build": "x"}}))
    write(work / "renovate.json", json.dumps({"extends": ["config:recommended"]}))
    write(work / ".github" / "workflows" / "ci.yml", "name: ci\non: [push]\njobs: {}\n")
    write(work / "config" / "settings.yaml", "retries: 3\n")  # no smart-list shape: skipped
    write(work / "smartlint-baseline.json", json.dumps({"version": 1, "tool": "smartlint", "findings": []}))
    _git_repo(work)
    run = _try_repo(work)  # every hook of the repository: smartlint and smartlint-export
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("Passed") == 2, run.stdout

    write(work / "marketo-export" / "slow.smartlist", SLOW)
    subprocess.run(["git", "-C", str(work), "add", "."], check=True)
    run = _try_repo(work, "smartlint")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "SL101" in run.stdout and "slow.smartlist" in run.stdout
    assert "SL001" not in run.stdout  # package.json, the workflow, the baseline: not smart lists


def test_folder_discovery_skips_the_files_of_an_ordinary_repository(cli, tmp_path):
    write(tmp_path / "export" / "slow.smartlist", SLOW)
    write(tmp_path / "package.json", json.dumps({"name": "site", "version": "1.0.0"}))
    write(tmp_path / "workflow.yml", "name: ci\non: [push]\njobs: {}\n")  # valid, no smart-list shape
    write(tmp_path / "node_modules" / "x" / "list.json", "{broken")  # excluded by default
    write(tmp_path / "build" / "list.smartlist", "not a list")
    run = cli("lint", ".", cwd=tmp_path)
    assert run.code == 1, run.err
    assert "SL001" not in run.out and "export/slow.smartlist:4:5 SL101" in run.out
    assert "note: skipped workflow.yml: valid YAML but not a smart-list export" in run.err
    assert "package.json" not in run.err  # excluded by default, without a note
    # named explicitly, the same files are input errors
    run = cli("lint", "workflow.yml", "package.json", cwd=tmp_path)
    assert run.code == 2 and run.out.count("SL001") == 2 and "not a smart list" in run.out
    # pre-commit names them: --force-exclude treats them as found in a folder
    run = cli("lint", "--force-exclude", "workflow.yml", "package.json", "node_modules/x/list.json", "export/slow.smartlist", cwd=tmp_path)
    assert run.code == 1 and "SL001" not in run.out and "SL101" in run.out


def test_exclude_and_extend_exclude_from_config_and_command_line(cli, tmp_path):
    write(tmp_path / "export" / "slow.smartlist", SLOW)
    write(tmp_path / "export" / "legacy" / "old.smartlist", SLOW)
    write(tmp_path / "drafts" / "draft.smartlist", SLOW)
    write(tmp_path / "node_modules" / "vendored.smartlist", SLOW)
    listed = lambda run: sorted({line.split(":")[0] for line in run.out.splitlines() if " SL" in line})
    write(tmp_path / "pyproject.toml", '[tool.smartlint]\nextend-exclude = ["export/legacy", "draft*"]\n')
    assert listed(cli("lint", ".", cwd=tmp_path)) == ["export/slow.smartlist"]
    # from a sub-folder, the patterns stay relative to the configuration's folder
    assert listed(cli("lint", ".", cwd=tmp_path / "export")) == ["slow.smartlist"]
    # `exclude` replaces the defaults: node_modules is linted again
    (tmp_path / "pyproject.toml").unlink()
    write(tmp_path / ".smartlint.yaml", "exclude: [drafts]\n")
    assert listed(cli("lint", ".", cwd=tmp_path)) == ["export/legacy/old.smartlist", "export/slow.smartlist", "node_modules/vendored.smartlist"]
    # on the command line, relative to the working directory; named files are linted anyway
    assert listed(cli("lint", "--extend-exclude", "export/*", ".", cwd=tmp_path)) == ["node_modules/vendored.smartlist"]
    assert listed(cli("lint", "--exclude", "slow.smartlist", "export/slow.smartlist", cwd=tmp_path)) == ["export/slow.smartlist"]
    assert cli("lint", "--exclude", "slow.smartlist", "--force-exclude", "export/slow.smartlist", cwd=tmp_path).code == 0
    assert cli("config", ".", cwd=tmp_path).json()["exclude"] == ["drafts"]


def test_a_folder_without_smart_lists_warns(cli, tmp_path):
    write(tmp_path / "package.json", json.dumps({"name": "site"}))
    write(tmp_path / "data.json", json.dumps([1, 2, 3]))
    run = cli("lint", str(tmp_path))
    assert run.code == 0  # as ruff: a pre-commit run whose changed files are all excluded passes
    assert "warning: No smart lists found" in run.err
    assert "warning" not in cli("lint", "-q", str(tmp_path)).err


def test_baseline_matches_however_the_export_is_named(cli, tmp_path):
    export = tmp_path / "repo" / "export"
    write(export / "a" / "slow.smartlist", SLOW)
    write(export / "b" / "slow.smartlist", SLOW)  # the same list in another file: its own entries
    baseline = tmp_path / "repo" / "b.json"
    assert cli("lint", "--write-baseline", "b.json", "export", cwd=tmp_path / "repo").code == 0
    entries = json.loads(baseline.read_text())["findings"]
    assert sorted({e["path"] for e in entries}) == ["export/a/slow.smartlist", "export/b/slow.smartlist"]
    for args, cwd in (
        ((str(export),), tmp_path),  # absolute path
        ((".",), export),  # from inside the export
        (("a",), export),  # a sub-folder
        (("export/b/slow.smartlist",), tmp_path / "repo"),  # one file
    ):
        run = cli("lint", "--baseline", str(baseline), *args, cwd=cwd)
        assert run.code == 0, (args, run.out, run.err)
        assert "fixed since the baseline" not in run.err, args  # files not linted are not "fixed"
    # one file's finding fixed: only that one is reported fixed; the same finding elsewhere is new
    write(export / "a" / "slow.smartlist", SLOW.replace('contains "marketing"', 'is "marketing"'))
    write(export / "c" / "slow.smartlist", SLOW)
    run = cli("lint", "--format", "json", "--baseline", "../b.json", ".", cwd=export)
    assert run.code == 1
    assert [(f["code"], f["path"]) for f in run.json()["findings"]] == [("SL101", "c/slow.smartlist"), ("SL201", "c/slow.smartlist")]
    assert run.err.count("fixed since the baseline") == 1 and "export/a/slow.smartlist SL101" in run.err


def test_a_version_1_baseline_is_still_read(cli, tmp_path):
    path = write(tmp_path / "slow.smartlist", SLOW)
    run = cli("lint", "--format", "json", "slow.smartlist", cwd=tmp_path)
    old = [{"fingerprint": "0" * 16, "code": f["code"], "path": f["path"], "list_id": f["list_id"], "list_name": f["list_name"],
            "filter": f["filter"], "message": f["message"]} for f in run.json()["findings"]]
    write(tmp_path / "old.json", json.dumps({"version": 1, "tool": "smartlint", "findings": old}))
    assert cli("lint", "--baseline", "old.json", "slow.smartlist", cwd=tmp_path).code == 0
    assert cli("lint", "--baseline", "old.json", str(path), cwd=tmp_path).code == 1  # v1 kept paths as typed


def test_a_baseline_written_before_blocklisted_was_one_field_still_holds(cli, tmp_path):
    # tests/data/baseline-0.1-blocklisted/baseline-written-by-3267e86.txt was written by smartlint at 3267e86, before
    # Blocklisted and Black Listed became one field in the signatures: its fingerprints must still
    # match, or every CI gate holding a finding on a Blocklisted filter fails once for nothing
    # (kept as .txt in tests/data: the round-trip tests read every .json file there as a smart list)
    shutil.copy(DATA / "baseline-0.1-blocklisted" / "blocklisted.json", tmp_path / "blocklisted.json")
    shutil.copy(DATA / "baseline-0.1-blocklisted" / "baseline-written-by-3267e86.txt", tmp_path / "baseline.json")
    run = cli("lint", "--baseline", "baseline.json", "blocklisted.json", cwd=tmp_path)
    assert run.code == 0 and "fixed since the baseline" not in run.err, (run.out, run.err)
    # the findings are still there without the baseline: it is the baseline that holds them
    assert [f["code"] for f in cli("lint", "--format", "json", "blocklisted.json", cwd=tmp_path).json()["findings"]] == ["SL401"] * 3


def test_github_annotation_paths_are_relative_to_the_repository_root(cli, tmp_path):
    write(tmp_path / "export" / "s.smartlist", SLOW.replace('"Slow"', '"Slow, 50%: a\\nb"'))
    run = cli("lint", "--format", "github", ".", cwd=tmp_path / "export")
    assert run.out.startswith("::warning file=s.smartlist,line=4,col=5,"), run.out
    # under Actions: relative to the checkout ($GITHUB_WORKSPACE), whatever the working directory
    run = cli("lint", "--format", "github", "./s.smartlist", cwd=tmp_path / "export", env={"GITHUB_WORKSPACE": str(tmp_path)})
    lines = run.out.splitlines()
    assert all(line.startswith("::warning file=export/s.smartlist,line=") for line in lines), run.out
    # the message is escaped as workflow commands want: %, CR and LF; in properties : and , too
    assert lines[0].endswith("(Slow, 50%25: a%0Ab)") and "title=SL101 operator.slow::" in lines[0]


def _sarif_validator():
    return jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text()))


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="shared SARIF schema not present")
def test_sarif_locations_inside_and_outside_the_working_directory(cli, tmp_path):
    inside = write(tmp_path / "repo" / "my lists" / "s.smartlist", SLOW)
    outside = write(tmp_path / "elsewhere" / "o.smartlist", SLOW)
    sarif = cli("lint", "--format", "sarif", str(inside), str(outside), cwd=tmp_path / "repo").json()
    _sarif_validator().validate(sarif)
    [run] = sarif["runs"]
    artifacts = {json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"], sort_keys=True) for r in run["results"]}
    assert artifacts == {
        json.dumps({"uri": "my%20lists/s.smartlist", "uriBaseId": "%SRCROOT%"}, sort_keys=True),
        json.dumps({"uri": outside.as_uri()}, sort_keys=True),  # absolute: no base
    }
    # the same list in two files: one alert each (code scanning's identity: file, rule, fingerprint)
    identities = {(json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"]), r["ruleId"], r["partialFingerprints"]["smartlint/v2"])
                  for r in run["results"]}
    assert len(identities) == len(run["results"]) == 4
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["helpUri"].endswith(f"/rules/{rule['id']}.yaml") and rule["helpUri"].startswith("https://")
        assert (ROOT / "rules" / f"{rule['id']}.yaml").is_file()


def test_sarif_keeps_the_most_severe_results_within_githubs_limits(tmp_path, capsys):
    from smartlint.config import Overrides
    from smartlint.engine import lint_paths
    from smartlint.output import sarif

    write(tmp_path / "s.smartlist", SLOW + '    3. Email Address: contains "gmail.com", "a"\n')
    result = lint_paths([str(tmp_path)], Overrides(select=("ALL",)))
    severities = sorted(f.severity for f in result.findings)
    assert len(severities) >= 4 and "info" in severities and "warning" in severities
    document = json.loads(sarif.render(result, str(tmp_path), max_results=2))
    kept = [r["level"] for r in document["runs"][0]["results"]]
    assert len(kept) == 2 and all(level in ("error", "warning") for level in kept)
    assert f"holds the 2 most severe of {len(severities)} results; {len(severities) - 2} dropped" in capsys.readouterr().err
    # the compressed size: a tiny limit keeps fewer results, still a valid document
    small = json.loads(sarif.render(result, str(tmp_path), max_gzip_bytes=2500))
    assert len(small["runs"][0]["results"]) < len(severities) and "dropped" in capsys.readouterr().err
    # within the limits: everything, and no warning
    assert len(json.loads(sarif.render(result, str(tmp_path)))["runs"][0]["results"]) == len(severities)
    assert capsys.readouterr().err == ""


JUNIT_XSD = Path(__file__).resolve().parent / "data" / "junit-10.xsd"


def test_junit_is_valid_against_the_jenkins_xsd(cli, tmp_path):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(JUNIT_XSD))
    # a list name with control characters; two identical filters (the same rule twice on one list)
    name = "Bell\x07 tab\t form\x0c esc\x1b"
    write(tmp_path / "ctl.json", json.dumps({"id": 1, "name": name, "rules": {"filters": [
        {"name": "Job Title", "ruleType": "Attribute", "conditions": [{"attributeName": "Job Title", "operator": "contains", "values": ["cmo"]}]},
        {"name": "Job Title", "ruleType": "Attribute", "conditions": [{"attributeName": "Job Title", "operator": "contains", "values": ["cmo"]}]},
    ]}}))
    write(tmp_path / "s.smartlist", SLOW)
    write(tmp_path / "broken.json", "{")
    run = cli("lint", "--format", "junit", str(tmp_path))
    assert run.code == 2
    schema.validate(run.out)  # raises on an ill-formed or invalid document
    root = ET.fromstring(run.out)
    suites = {s.get("name").rsplit("/", 1)[-1]: s for s in root}
    assert suites["broken.json"].get("errors") == "1" and suites["broken.json"].find("testcase/error") is not None
    assert root.get("errors") == "1"
    for suite in root:
        names = [case.get("name") for case in suite.iter("testcase")]
        assert len(names) == len(set(names)), names
    assert "Bell\\x07 tab\t form\\x0c esc\\x1b" in ET.tostring(suites["ctl.json"], encoding="unicode").replace("&#09;", "\t")


def test_junit_failures_follow_fail_on(cli, tmp_path):
    write(tmp_path / "s.smartlist", SLOW.replace('"marketing"', '"marketing"  # smartlint: disable=SL103'))  # SL005: info
    warning = ET.fromstring(cli("lint", "--format", "junit", "--fail-on", "info", str(tmp_path)).out)
    error = ET.fromstring(cli("lint", "--format", "junit", "--fail-on", "error", str(tmp_path)).out)
    cases = len(list(warning.iter("testcase")))
    assert len(list(error.iter("testcase"))) == cases and cases >= 3
    assert warning.get("failures") == str(cases)
    assert error.get("failures") == "0" and len(list(error.iter("system-out"))) == cases  # shown, not failed


def test_standard_input_with_stdin_filename(cli, tmp_path):
    write(tmp_path / ".smartlint.yaml", "ignore: [SL201]\n")
    run = cli("lint", "--stdin-filename", "lists/slow.smartlist", "-", cwd=tmp_path, input=SLOW)
    assert run.code == 1, run.err
    # the name is the path reported, and its folder's configuration applies (SL201 ignored)
    assert run.out.startswith("lists/slow.smartlist:4:5 SL101") and "SL201" not in run.out
    # the form comes from the name; without a name it is guessed, and `-` is the path
    rest = json.dumps({"result": [{"id": 3, "name": "J", "rules": {"filters": [
        {"name": "Email Address", "ruleType": "Attribute", "conditions": [{"attributeName": "Email Address", "operator": "contains", "values": ["gmail.com"]}]}]}}]})
    run = cli("lint", "--format", "json", "-", cwd=tmp_path, input=rest)
    assert run.code == 1 and {(f["path"], f["code"]) for f in run.json()["findings"]} >= {("-", "SL104")}
    assert cli("lint", "-", input=SLOW).out.startswith("-:4:5 SL101")
    run = cli("lint", "--stdin-filename", "x.json", "-", cwd=tmp_path, input="{broken")
    assert run.code == 2 and run.out.startswith("x.json:1:2 SL001")
    assert cli("lint", "--stdin-filename", "x.json", str(tmp_path)).code == 2  # without `-`: a usage error


def test_output_file_alias_and_quiet(cli, tmp_path):
    path = write(tmp_path / "s.smartlist", SLOW)
    run = cli("lint", "--output-file", str(tmp_path / "out.txt"), "-q", str(path))
    assert run.code == 1 and run.out == "" and run.err == ""
    text = (tmp_path / "out.txt").read_text()
    assert "SL101" in text and "Found" not in text  # the findings, no summary
    clean = write(tmp_path / "clean" / "c.smartlist", CLEAN)
    run = cli("lint", "--quiet", str(clean))
    assert run.code == 0 and run.out == "" and run.err == ""
    assert "All checks passed" in cli("lint", str(clean)).out


def test_progress_counts_every_file_once_with_workers(tmp_path):
    """The bar hears of the workers' files as their chunks finish (not all at the end, which made
    the time remaining about twice too long with -j 2), and counts each file once."""
    from smartlint.config import Overrides
    from smartlint.engine import lint_paths

    for i in range(60):
        write(tmp_path / f"l{i:02}.smartlist", CLEAN.replace("[id 7]", f"[id {i + 1}]"))

    class Recorder:
        def start(self, total):
            self.total, self.steps = total, []

        def advance(self, count):
            self.steps.append(count)

        def stop(self):
            pass

    recorder = Recorder()
    result = lint_paths([str(tmp_path)], Overrides(), jobs=2, progress=recorder)
    assert len(result.documents) == recorder.total == sum(recorder.steps) == 60


def test_convert_keeps_suppressions_through_every_form(cli, tmp_path):
    source = write(tmp_path / "l.smartlist", (
        'smart list "Hot" [id 5]\n'
        '  # smartlint: disable=SL2\n'
        '  filters:\n'
        '    1. Job Title: contains "marketing"   # smartlint: disable=SL101\n'
        '    2. Visited Web Page\n'
        '         Web Page: is "Pricing"\n'
    ))
    assert cli("lint", str(source)).code == 0  # both findings suppressed
    previous = source
    for form, suffix in (("json", ".json"), ("yaml", ".yaml"), ("text", ".smartlist"), ("json", "2.json")):
        target = tmp_path / f"out{suffix}"
        assert cli("convert", str(previous), "--to", form, "-o", str(target)).code == 0
        run = cli("lint", str(target))
        assert run.code == 0, (form, run.out)  # still suppressed, and no suppression is unused
        previous = target
    assert "# smartlint: disable=SL101" in (tmp_path / "out.smartlist").read_text()
    assert json.loads((tmp_path / "out2.json").read_text())[0]["suppressions"] == [{"codes": ["SL2"]}, {"codes": ["SL101"], "filter": 1}]


def test_one_finding_has_one_fingerprint_in_json_sarif_and_the_baseline(cli, tmp_path):
    """`--format json` gave one fingerprint and SARIF's partialFingerprints another."""
    shutil.copytree(EXAMPLES / "export", tmp_path / "export")
    found = cli("lint", "--format", "json", "export", cwd=tmp_path).json()["findings"]
    sarif = cli("lint", "--format", "sarif", "export", cwd=tmp_path).json()["runs"][0]["results"]
    cli("lint", "--write-baseline", "baseline.json", "export", cwd=tmp_path)
    baseline = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    by_json = sorted((f["path"], f["code"], f["fingerprint"]) for f in found)
    by_sarif = sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"], r["partialFingerprints"]["smartlint/v2"]) for r in sarif)
    by_baseline = sorted((e["path"], e["code"], e["fingerprint"]) for e in baseline)
    assert len(by_json) > 10 and by_json == by_sarif == by_baseline
