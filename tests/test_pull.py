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
    assert codes["SL401"] == 64  # the five exclusions in every list and campaign smart list
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
