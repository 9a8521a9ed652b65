"""`smartlint pull` against a real local HTTP server that answers like Marketo's REST API."""

from __future__ import annotations

import json


from marketo_server import CLIENT_ID, CLIENT_SECRET, MarketoStub
from smartlint.marketo.client import RateLimiter
from smartlint.sources import load

WINDOW = 2.0  # the tests run the limiter at 100 calls per 2 s instead of per 20 s: same logic, ten times faster


def _env(stub):
    return {"MARKETO_BASE_URL": stub.url, "MARKETO_CLIENT_ID": CLIENT_ID, "MARKETO_CLIENT_SECRET": CLIENT_SECRET}


def _pull(cli, stub, out, *more):
    return cli("pull", "--out", str(out), "--rate-window", str(WINDOW), "--backoff", "0.05", *more, env=_env(stub))


def _all_text(folder) -> str:
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_pull_pages_retries_refreshes_and_keeps_to_the_limits(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=250, campaigns=20, token_lifetime=5) as stub:
        stub.rate_fault_every = 23
        stub.malformed_always = {1007}
        stub.malformed_once = {1008}
        stub.slow = {1009: 1.5}
        stub.expire_tokens_at = 120  # the token dies mid-run, before its advertised expiry
        run = _pull(cli, stub, out)
        assert run.code == 1, run.out + run.err  # one asset failed
        # every list but the always-malformed one, and every campaign's smart list
        lists = sorted(out.glob("smart-lists/*.json"))
        assert len(lists) == 249 and not (out / "smart-lists" / "1007.json").exists()
        assert (out / "smart-lists" / "1008.json").exists() and (out / "smart-lists" / "1009.json").exists()
        assert len(list(out.glob("campaigns/*.json"))) == 20
        assert "1007" in run.err and "not valid JSON" in run.err
        assert "269 written, 0 unchanged, 1 failed" in run.out
        # the paging went past the first 200-item page; 606 and 615 were retried; the token expired and was renewed
        assert any("offset=200" in line for line in stub.requests)
        assert stub.errors_sent.get("606", 0) > 0 and stub.errors_sent.get("615", 0) > 0
        assert stub.errors_sent.get("602", 0) > 0 and len(stub.tokens) >= 3  # renewed before expiry, and after the 602
        # Marketo's limits: never more than 100 calls in a window, never more than 10 at once
        assert stub.max_calls_in_window(WINDOW) <= 100
        assert stub.max_inflight <= 10
        # the secret is nowhere: not in URLs, output or files
        assert not any(CLIENT_SECRET in line or CLIENT_ID in line for line in stub.requests)
        assert CLIENT_SECRET not in run.out + run.err and CLIENT_SECRET not in _all_text(out)
        assert not list(out.rglob("*.tmp"))
    # the files are what the loaders read; campaigns keep their type and state
    document = load(str(out / "campaigns" / "5001.json"))
    [campaign] = document.lists
    assert campaign.campaign.type == "trigger" and campaign.campaign.is_active is True and campaign.triggers


def test_lint_on_the_pulled_folder(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=60, campaigns=4) as stub:
        assert _pull(cli, stub, out).code == 0
    report = cli("lint", "--format", "json", str(out)).json()
    codes = report["summary"]["by_code"]
    assert codes["SL102"] == 3  # lists 1000, 1050 and campaign 5000's list 9000 have 120 `contains` values
    assert codes["SL401"] == 62  # the five exclusions in every list and batch campaign (trigger campaigns keep them)
    assert report["summary"]["lists"] == 64


def test_unchanged_assets_are_not_fetched_again(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=30, campaigns=3) as stub:
        assert _pull(cli, stub, out).code == 0
        before = stub.rest_calls
        stub.lists[1003]["updatedAt"] = "2026-09-09T00:00:00Z+0000"  # one list changed since
        run = _pull(cli, stub, out)
        assert run.code == 0
        assert "1 written, 32 unchanged" in run.out
        assert stub.rest_calls - before == 3  # two browse pages and the changed list


def test_daily_quota_stops_cleanly_and_a_second_run_resumes(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=120, campaigns=0) as stub:
        stub.quota_after = 60
        run = _pull(cli, stub, out, "--only", "smart-lists")
        assert run.code == 1
        assert "daily API quota" in run.err
        written = sorted(out.glob("smart-lists/*.json"))
        assert 0 < len(written) < 120
        for path in written:  # nothing half-written
            assert json.loads(path.read_text())["success"] is True
        stub.quota_after = None
        run = _pull(cli, stub, out, "--only", "smart-lists")
        assert run.code == 0
        assert f"{120 - len(written)} written, {len(written)} unchanged" in run.out


def test_missing_or_wrong_credentials(cli, tmp_path):
    with MarketoStub(lists=1, campaigns=0) as stub:
        run = cli("pull", "--out", str(tmp_path), env={"MARKETO_BASE_URL": stub.url, "MARKETO_CLIENT_ID": "", "MARKETO_CLIENT_SECRET": ""})
        assert run.code == 2 and "MARKETO_CLIENT_ID" in run.err
        env = {**_env(stub), "MARKETO_CLIENT_SECRET": "wrong-secret-123"}
        run = cli("pull", "--out", str(tmp_path), "--backoff", "0.01", env=env)
        assert run.code == 1 and "authentication failed" in run.err
        assert "wrong-secret-123" not in run.out + run.err


def test_rate_limiter_keeps_100_calls_per_20_seconds():
    now = [0.0]
    limiter = RateLimiter(100, 20.0, clock=lambda: now[0], margin=0.0, slack=0.0)
    starts = []
    for _ in range(350):  # ask as fast as possible; jump the clock by what the limiter says
        wait = limiter.delay()
        while wait > 0:
            now[0] += wait
            wait = limiter.delay()
        starts.append(now[0])
        now[0] += 0.125  # a binary fraction: the clock sums stay exact
    worst = max(sum(1 for s in starts if t <= s < t + 20.0) for t in starts)
    assert worst == 100
    assert starts[-1] >= 60.0  # 350 calls need at least three full windows


# --- a hostile server: ids that would make paths, links planted in --out --------------------------

HOSTILE_IDS = [
    "../../escaped", "/abs/escaped", "a/b/c", "..", ".", "", "12\x00", "12\x00/../../x", "123", " 123", "+123", "0123",
    "１２３", "1_000", "0x1f", "1e3", "12.json", "%2e%2e%2fescaped", "..\\..\\escaped", True, False, 12.0, 12.5, -3, 0,
    2**63, 10**30, None, {"id": 1}, [1], float("inf"),
]


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())


def test_ids_from_the_server_never_become_paths(cli, tmp_path):
    out = tmp_path / "a" / "b" / "export"
    hostile = [{"id": i, "name": f"../../../name-{n}", "updatedAt": "2026-01-01T00:00:00Z"} for n, i in enumerate(HOSTILE_IDS)]
    hostile[1]["id"] = str(tmp_path / "abs-escaped")
    with MarketoStub(lists=3, campaigns=2) as stub:
        stub.extra_records["smartLists"] = hostile + ["not an asset", 7, None]
        stub.extra_records["smartCampaigns"] = [{"id": 2**31, "name": "x"}, {"id": "../c", "name": "y"}, {"id": 5000, "name": "listed twice"}]
        run = _pull(cli, stub, out)
        asked = [line for line in stub.requests if "/smartList/" in line or "/smartCampaign/" in line]
    assert run.code == 1, run.err
    # only the valid assets were asked for and written, each under its own folder
    assert len(asked) == 5
    assert _files(tmp_path) == [f"a/b/export/campaigns/{i}.json" for i in (5000, 5001)] + [
        f"a/b/export/smart-lists/{i}.json" for i in (1000, 1001, 1002)]
    # every refused record is reported, by what it was, and the pull went on
    failed = [line for line in run.err.splitlines() if line.startswith("failed: ")]
    assert len(failed) == len(HOSTILE_IDS) + 3 + 2, run.err
    assert "not a number" in run.err and "out of range" in run.err and "not an asset" in run.err
    assert "\x00" not in run.err
    assert "5 written, 0 unchanged, 36 failed" in run.out


def test_links_planted_in_the_export_folder_are_not_followed(cli, tmp_path):
    out, elsewhere = tmp_path / "export", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "1000.json").write_text("precious")
    (out / "campaigns").mkdir(parents=True)
    (out / "smart-lists").symlink_to(elsewhere)
    with MarketoStub(lists=2, campaigns=1) as stub:
        run = _pull(cli, stub, out)
        assert run.code == 2 and "symbolic link" in run.err and stub.rest_calls == 0
        assert _files(elsewhere) == ["1000.json"] and (elsewhere / "1000.json").read_text() == "precious"
        # a link in place of one file: that asset fails, the link and what it points to stay as they were
        (out / "smart-lists").unlink()
        (out / "smart-lists").mkdir()
        (out / "smart-lists" / "1000.json").symlink_to(elsewhere / "1000.json")
        run = _pull(cli, stub, out)
    assert run.code == 1 and "smart list 1000" in run.err and "symbolic link" in run.err
    assert (elsewhere / "1000.json").read_text() == "precious" and (out / "smart-lists" / "1000.json").is_symlink()
    assert "2 written" in run.out and (out / "smart-lists" / "1001.json").is_file()


def test_a_resumed_pull_removes_the_temporary_files_of_a_killed_one(cli, tmp_path):
    out = tmp_path / "export"
    (out / "smart-lists").mkdir(parents=True)
    stale = [out / "smart-lists" / ".1000.json.k3x9_q.tmp", out / "smart-lists" / ".1001.json.0a1b2c3d4e5f.tmp"]
    mine = [out / "smart-lists" / ".notes.tmp", out / "smart-lists" / "draft.json.tmp"]
    for path in stale + mine:
        path.write_text("{")
    with MarketoStub(lists=2, campaigns=0) as stub:
        run = _pull(cli, stub, out, "--only", "smart-lists")
    assert run.code == 0, run.err
    assert not any(p.exists() for p in stale) and all(p.exists() for p in mine)
