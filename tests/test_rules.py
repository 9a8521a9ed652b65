"""Every rule's documented bad example produces exactly that rule's finding; its good example
produces nothing at all. Docs, `rules` and `explain` cover every rule."""

from __future__ import annotations

import pytest

from conftest import write
from smartlint.catalog import rules
from smartlint.checks import MODULES
from smartlint.config import Overrides
from smartlint.docs import expand_example
from smartlint.engine import Result, lint_paths
from smartlint.export import EXPORT_CODES

CODES = sorted(rules())


def lint_text(tmp_path, text: str, select=("ALL",)) -> Result:
    path = write(tmp_path / "example.smartlist", expand_example(text))
    return lint_paths([str(path)], Overrides(select=tuple(select)))


def test_every_check_has_a_rule_document_and_every_rule_a_check():
    checked = set(MODULES) | set(EXPORT_CODES)
    documented = {code for code, meta in rules().items() if not meta.input_error}
    assert checked | {"SL002", "SL005"} == documented


@pytest.mark.parametrize("code", CODES)
def test_bad_example_produces_exactly_this_rules_finding(tmp_path, code):
    # SL005 judges a suppression only when the rule it names is checked too
    result = lint_text(tmp_path, rules()[code].bad, select=(code,) if code != "SL005" else ("ALL",))
    codes = [f.code for f in result.findings]
    if code in ("SL401", "SL403"):  # one finding on each list that shares the set / is in the cycle
        assert set(codes) == {code} and len(codes) >= 2
    else:
        assert codes == [code], [f.message for f in result.findings]


@pytest.mark.parametrize("code", CODES)
def test_good_example_is_clean_under_every_rule(tmp_path, code):
    result = lint_text(tmp_path, rules()[code].good)
    assert [(f.code, f.message) for f in result.findings] == []


@pytest.mark.parametrize("code", CODES)
def test_rule_documents_are_complete(code):
    meta = rules()[code]
    assert meta.name.count(".") == 1 and meta.name == meta.name.lower()
    assert meta.severity in ("error", "warning", "info")
    assert meta.summary and meta.what and meta.why and meta.use_instead
    assert "all" in meta.groups


@pytest.mark.parametrize("code", CODES)
def test_explain_prints_every_section(cli, code):
    run = cli("explain", code)
    assert run.code == 0, run.err
    for heading in ("What it does", "Why is this bad", "Example", "Use instead"):
        assert heading in run.out
    assert code in run.out


def test_explain_accepts_the_dotted_name_and_rejects_unknown_rules(cli):
    assert "SL102" in cli("explain", "values.contains-over-limit").out
    run = cli("explain", "SL999")
    assert run.code == 2 and "unknown rule" in run.err


def test_rules_lists_every_rule_in_json(cli):
    run = cli("rules", "--format", "json")
    assert run.code == 0
    assert [r["code"] for r in run.json()] == CODES
    table = cli("rules")
    assert all(code in table.out for code in CODES)


def test_names_are_unique():
    names = [meta.name for meta in rules().values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("code", CODES)
def test_every_rule_names_its_sources_and_explain_prints_them(cli, code):
    meta = rules()[code]
    assert meta.sources, f"{code} has no `sources:` in rules/{code}.yaml"
    assert any(url.startswith("https://") for _, url in meta.sources), code
    for title, url in meta.sources:
        assert title.strip() and (url == "" or url.startswith("https://")), (code, title, url)
    run = cli("explain", code)
    assert "Sources" in run.out
    shown = "".join(run.out.split())
    assert all("".join(url.split()) in shown for _, url in meta.sources if url)
