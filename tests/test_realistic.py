"""Realistic lists, written the way Marketo admins build them (tests/data/realistic/), each with
the findings an expert expects and the source each expectation rests on
(tests/data/realistic/expectations.yaml). Well-built lists give no warning and no error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent / "data" / "realistic"
EXPECTATIONS = yaml.safe_load((HERE / "expectations.yaml").read_text(encoding="utf-8"))
SOURCES = EXPECTATIONS["sources"]
LISTS = EXPECTATIONS["lists"]


def test_every_file_has_expectations_and_every_expectation_a_known_source():
    assert sorted(p.name for p in HERE.glob("*.smartlist")) == sorted(LISTS)
    for source in SOURCES.values():
        assert source["title"] and source["url"].startswith("https://")
    for name, entry in LISTS.items():
        assert entry["source"] in SOURCES and entry["why"], name
        for expected in entry["expect"]:
            assert expected["source"] in SOURCES and expected["why"], (name, expected)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_realistic_list_gives_what_an_expert_expects(cli, name):
    entry = LISTS[name]
    run = cli("lint", "--format", "json", str(HERE / name))
    assert run.code in (0, 1), run.err
    findings = run.json()["findings"]
    got = {(f["list_id"], f["filter"], f["code"]) for f in findings}
    serious = {(f["list_id"], f["filter"], f["code"]) for f in findings if f["severity"] in ("warning", "error")}
    expected = {(e["list"], e["filter"], e["code"]) for e in entry["expect"]}
    messages = [(f["code"], f["severity"], f["message"]) for f in findings]
    assert expected <= got, messages
    assert serious <= expected, messages
    if not expected:
        assert run.code == 0, messages
