"""`smartlint pull` against a real local HTTP server that answers like Marketo's REST API."""

from __future__ import annotations

import base64
import gzip
import html
import json
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import quote, quote_plus

from conftest import ROOT
from marketo_server import CLIENT_ID, CLIENT_SECRET, Answer, MarketoStub, smart_list
from smartlint.marketo.client import RateLimiter
from smartlint.marketo.pull import run as pull_run
from smartlint.sources import load

WINDOW = 1.0  # the tests run the limiter at 100 calls per 1 s instead of per 20 s: same logic, twenty times faster


def _env(stub):
    return {"MARKETO_BASE_URL": stub.url, "MARKETO_CLIENT_ID": CLIENT_ID, "MARKETO_CLIENT_SECRET": stub.client_secret}


def _pull(cli, stub, out, *more, window=WINDOW):
    return cli("pull", "--out", str(out), "--rate-window", str(window), "--backoff", "0.05", *more, env=_env(stub))


def _all_text(folder) -> str:
    return "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_pull_pages_retries_refreshes_and_keeps_to_the_limits(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=250, campaigns=20, token_lifetime=1) as stub:
        stub.rate_fault_every = 23
        stub.malformed_always = {1007}
        stub.malformed_once = {1008}
        stub.slow = {1009: 1.5}
        stub.expire_tokens_at = 120  # the token dies mid-run, before its advertised expiry
        run = _pull(cli, stub, out, "--retries", "3")
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
        assert stub.errors_sent["602"] <= 20  # only calls already in flight met the dead token: queued ones waited for the new one
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
        assert "daily API quota" in run.err and "run the same command again tomorrow" in run.err
        assert stub.errors_sent["607"] <= 10  # only calls already in flight: none is made after the stop
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


def test_a_token_that_runs_out_while_a_call_waits_for_its_turn_is_renewed_first(tmp_path):
    """A call can wait for the rate window longer than a token's early renewal (a short
    `expires_in`, a long --rate-window): it renews the token before it is sent, instead of sending
    one Marketo refuses (602) and calling again. In process, as test_odd_token_answers."""
    with MarketoStub(lists=1, campaigns=0, token_lifetime=1) as stub:
        # two calls per 1.6 s window (1.85 s with the limiter's slack): the token and the listing fill
        # the first, so the asset's call waits past the token's renewal (0.9 s) and past what the stub
        # accepts (1 s + its LATENCY)
        summary = pull_run(stub.url, CLIENT_ID, CLIENT_SECRET, tmp_path / "out", only="smart-lists", max_calls=2, window=1.6, backoff=0.01)
    assert summary.written == 1 and not summary.failed and not summary.stopped
    assert stub.errors_sent.get("602", 0) == 0 and len(stub.tokens) == 2 and stub.rest_calls == 2


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



# --- secrets: never out, in any encoding ------------------------------------------------------------

HOSTILE_SECRET = 'S3cr3t/+= &%é"\\<DO-NOT-LEAK>~91c2'


def _encodings(secret: str) -> list[str]:
    """Every form of `secret` a hostile echo could hand back."""
    raw = secret.encode()
    forms = [secret, quote(secret), quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1],
             json.dumps(secret, ensure_ascii=False)[1:-1], html.escape(secret), raw.hex(), base64.b64encode(raw).decode(),
             base64.urlsafe_b64encode(raw).decode(), "".join(f"\\u{ord(c):04x}" for c in secret)]
    forms += [f.lower() for f in forms if "%" in f] + [f.upper() for f in forms]
    return forms


def _leaks(text: str, secret: str) -> list[str]:
    return [form for form in _encodings(secret) if form in text or form.casefold() in text.casefold()]


def _echo(raw: bytes) -> dict:
    """What a hostile identity service says back: the request, in every way it could."""
    text = raw.decode()
    return {"error": "unauthorized", "error_description": f"bad request: {text}", "raw": text,
            "json": json.dumps(text), "b64": base64.b64encode(raw).decode(), "hex": raw.hex()}


IDENTITY_ECHOES = {
    "401 JSON": lambda raw: Answer(json.dumps(_echo(raw)).encode(), status=401),
    "200 without a token": lambda raw: Answer(json.dumps(_echo(raw)).encode()),
    "500 HTML": lambda raw: Answer(b"<html>" + raw + b"</html>", status=500),
    "token = the request": lambda raw: Answer(json.dumps({"access_token": raw.decode(), "expires_in": 3600}).encode()),
}


def test_an_echoing_identity_service_never_gets_the_secret_printed(cli, tmp_path):
    with MarketoStub(lists=1, campaigns=0, client_secret=HOSTILE_SECRET) as stub:
        for name, echo in IDENTITY_ECHOES.items():
            stub.identity_answer = echo
            run = _pull(cli, stub, tmp_path / "out", "--retries", "1")
            assert run.code == 1 and "Traceback" not in run.err, (name, run.err)
            assert ("authentication failed" if name != "token = the request" else "601") in run.err, (name, run.err)
            assert not _leaks(run.out + run.err, HOSTILE_SECRET), (name, run.err)
            assert not _leaks(run.out + run.err, CLIENT_ID), (name, run.err)
        assert not any(_leaks(line, HOSTILE_SECRET) for line in stub.requests)  # never in a URL


def test_a_token_reflected_by_the_server_is_neither_written_nor_printed(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=4, campaigns=0, client_secret=HOSTILE_SECRET, token_format="tok/{n}+Ab=c&d%e\"f") as stub:
        stub.echo_auth = {1001}
        stub.echo_auth_error = {1002}
        stub.lists[1003]["description"] = f"{quote_plus(HOSTILE_SECRET)} {base64.b64encode(HOSTILE_SECRET.encode()).decode()}"
        stub.lists[1002]["name"] = "x" * 70 + HOSTILE_SECRET  # a message cuts long names: not half a secret
        stub.extra_records["smartLists"] = [{"id": "x" * 30 + quote(HOSTILE_SECRET), "name": "y" * 75 + HOSTILE_SECRET}]
        run = _pull(cli, stub, out, "--only", "smart-lists")
        tokens = list(stub.tokens)
    assert run.code == 1, run.err  # 1002 answered an error
    assert "smart list 1001" in run.err and "smart list 1003" in run.err and "held the access token" in run.err
    assert "smart list 1002" in run.err and "709" in run.err
    written = _all_text(out)
    for secret in tokens + [HOSTILE_SECRET]:
        assert not _leaks(written, secret) and not _leaks(run.out + run.err, secret), secret
    assert not _leaks(run.err, HOSTILE_SECRET[:6]) and "xxxxx***" in run.err
    item = json.loads((out / "smart-lists" / "1001.json").read_text())["result"][0]
    assert item["description"] == "seen: Bearer ***" and item["rules"]["filters"]  # the rest is kept


# --- a hostile or broken server: one bad asset never stops the pull -----------------------------------

def _ok(list_id: int) -> bytes:
    return json.dumps({"success": True, "result": [smart_list(list_id)]}).encode()


MALFORMED = {
    1000: Answer(b'{"success": false, "errors": {"code": "709", "message": "blocked"}}'),
    1001: Answer(b'{"success": false, "errors": 5}'),
    1002: Answer(b'{"success": true, "result": ["a string", 1]}'),
    1003: Answer(b"this is not gzip", headers={"Content-Encoding": "gzip"}),
    1004: Answer(b'{"success": true, "result": [{"id": 1004, "name": "lone \\udc80 surrogate", "rules": {"filters": []}}]}'),
    1005: Answer(b'{"success": true, "result": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"),
    1006: Answer(b'{"success": true, "result": [{"id": 1006, "name": "\xff\xfe"}]}'),
    1007: Answer(b'{"success": true, "result": [{"id": 1' + b"0" * 5000 + b"}]}"),
    1008: Answer(b'{"success": true, "result": [{"id": 1008, "name": NaN}]}'),
    1009: Answer(b'{"success": true, "result": {"id": 1009}}'),
    1010: Answer(b"<html>Not Found</html>", status=404),
    1011: Answer(b"", status=302, headers={"Location": "http://127.0.0.1:9/elsewhere"}),
    1012: Answer(b"null"),
    1013: Answer(b'{"success": "true", "errors": null}'),
    1014: Answer(b'{"success": false, "errors": [7, {"code": "702"}]}'),
    1015: Answer(b'{"success": false, "errors": [{"code": {"x": 1}, "message": ["\\u001b[2J"]}]}'),
    1016: Answer(gzip.compress(_ok(1016)), headers={"Content-Encoding": "gzip"}),  # a good gzip body is read
    1017: Answer(_ok(1017).replace(b'"name": "List 1017"', b'"name": "\\u0000\\u001b[31mred\\u202e"')),
    # broken HTTP: a bad status line, a bad length, a body cut short, headers without end, nothing at all
    1018: Answer(b"HTTP/1.1 abc\r\n\r\n", wire=True),
    1019: Answer(b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n{}", wire=True),
    1020: Answer(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"success\": true", wire=True),
    1021: Answer(b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * 200_000 + b"\r\n\r\n", wire=True),
    1022: Answer(b"", wire=True),
    1023: Answer(b"\x00\xff garbage", wire=True),
}


def test_malformed_answers_fail_their_asset_only(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=26, campaigns=0) as stub:
        stub.answers = dict(MALFORMED)
        stub.extra_records["smartLists"] = [{"id": "10\x0020", "name": "NUL\x00name\x1b[2J"}]
        run = _pull(cli, stub, out, "--only", "smart-lists", "--retries", "1")
    assert run.code == 1 and "Traceback" not in run.err
    written = {int(p.stem) for p in out.glob("smart-lists/*.json")}
    assert written == {1004, 1016, 1017} | set(range(1024, 1026)), run.err
    failed = [line for line in run.err.splitlines() if line.startswith("failed: ")]
    assert len(failed) == len(MALFORMED) - 3 + 1, run.err
    for list_id in set(MALFORMED) - written:
        assert f"smart list {list_id}" in run.err
    assert "709: blocked" in run.err and "HTTP 404" in run.err and "redirects are not followed" in run.err
    assert "gzip" in run.err and "\x00" not in run.err and "\x1b" not in run.err
    # the lone surrogate is kept, as the JSON escape it came as
    assert json.loads((out / "smart-lists" / "1004.json").read_text())["result"][0]["name"] == "lone \udc80 surrogate"
    assert "14 failed" not in run.out and f"5 written, 0 unchanged, {len(failed)} failed" in run.out


def test_odd_token_answers(cli, tmp_path):
    """In process (the same `run` the command calls), to keep sixteen pulls quick; the command's
    handling of what `run` returns is covered by the tests above."""
    with MarketoStub(lists=3, campaigns=0) as stub:
        for expires in ("soon", None, -5, 0, 1e-9, 10**400, [], {"s": 1}, "3600"):
            stub.token_extra = {"expires_in": expires}
            summary = pull_run(stub.url, CLIENT_ID, CLIENT_SECRET, tmp_path / "ok", only="smart-lists", backoff=0.01)
            assert summary.written + summary.skipped == 3 and not (summary.failed or summary.stopped), expires
        for token in (12345, None, "", "a\nb", "tok\x00en", "é", ["x"], "x" * 5000):
            stub.token_extra = {"access_token": token}
            summary = pull_run(stub.url, CLIENT_ID, CLIENT_SECRET, tmp_path / "bad", only="smart-lists", backoff=0.01)
            assert "without a usable access token" in summary.stopped and summary.written == 0, token
        run = _pull(cli, stub, tmp_path / "bad", "--only", "smart-lists")  # and through the command
        assert run.code == 1 and "without a usable access token" in run.err and "Traceback" not in run.err


def _same_page(path, offset, size):
    return {"success": True, "result": [{"id": 1000 + i, "name": f"L{i}"} for i in range(size)]}


def _growing_page(path, offset, size):
    return {"success": True, "result": [{"id": 1000 + i, "name": f"L{i}"} for i in range(offset + size + 1)]}


def _endless_pages(path, offset, size):
    return {"success": True, "result": [{"id": f"x{offset + i}"} for i in range(size)]}


def test_endless_paging_is_bounded(cli, tmp_path):
    with MarketoStub(lists=250, campaigns=0) as stub:
        stub.browse_answer = _same_page
        run = _pull(cli, stub, tmp_path / "same", "--only", "smart-lists", window=0.05)  # 200 calls: quicker
        assert run.code == 1 and "the same page again (offset 200)" in run.err and "tomorrow" not in run.err
        assert "200 written" in run.out  # what was listed is fetched, once
        stub.browse_answer = _growing_page
        run = _pull(cli, stub, tmp_path / "growing", "--only", "smart-lists")
        assert run.code == 1 and "201 assets on a page of 200" in run.err
        before = stub.rest_calls
        stub.browse_answer = _endless_pages
        run = _pull(cli, stub, tmp_path / "endless", "--only", "smart-lists", "--max-pages", "4")
        assert run.code == 1 and "still paging after 4 pages (800 assets)" in run.err
        assert stub.rest_calls - before == 4


# --- slow and huge answers ------------------------------------------------------------------------------

def test_a_trickled_answer_meets_the_total_deadline(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=5, campaigns=0) as stub:
        stub.answers = {1002: Answer(_ok(1002), trickle=0.2)}  # ~1,000 bytes: minutes at this pace
        run = _pull(cli, stub, out, "--only", "smart-lists", "--deadline", "0.5")
        # cut at the deadline: a few bytes were sent, not the whole answer (counted in bytes, not in
        # seconds of the whole command, which a loaded machine stretches: 100 bytes take 20 s)
        assert stub.bytes_sent < 100
        assert run.code == 1 and "smart list 1002" in run.err and "no complete answer within 0.5 s" in run.err
        assert "4 written" in run.out and "stopped" not in run.err  # one slow asset fails alone
        # a server that trickles every answer: stopped after three calls in a row, not one deadline per asset
        stub.answers = {1000 + i: Answer(_ok(1000 + i), trickle=0.2) for i in range(5)}
        before = stub.bytes_sent
        run = _pull(cli, stub, tmp_path / "all-slow", "--only", "smart-lists", "--deadline", "0.5", "--concurrency", "1")
        assert stub.bytes_sent - before < 100
        assert run.code == 1 and "3 calls in a row got no complete answer in time" in run.err and "tomorrow" not in run.err
        assert "0 written" in run.out and stub.rest_calls == 6 + 1 + 3  # the first run's, one browse, three stalls
        stub.identity_answer = lambda raw: Answer(b'{"access_token": "t", "expires_in": 3600}', trickle=0.5)
        run = _pull(cli, stub, tmp_path / "again", "--deadline", "0.5", "--retries", "0")
        assert run.code == 1 and "authentication" in run.err and "no complete answer within 0.5 s" in run.err


def test_an_oversized_answer_is_cut_at_the_cap(cli, tmp_path):
    out = tmp_path / "export"
    bomb = gzip.compress(b" " * (16 << 20))  # 16 KB that inflate to 16 MB
    with MarketoStub(lists=5, campaigns=0) as stub:
        stub.answers = {
            1000: Answer(size=1_500_000_000),  # 1.5 GB streamed without a length
            1001: Answer(declared=1_500_000_000),  # 1.5 GB announced
            1002: Answer(bomb, headers={"Content-Encoding": "gzip"}),
        }
        run = _pull(cli, stub, out, "--only", "smart-lists", "--max-response-bytes", str(1 << 20))
        sent = stub.bytes_sent
    assert run.code == 1, run.err
    assert run.err.count("-byte cap") == 3 and "2 written" in run.out
    assert sent < 64 << 20  # the stream was dropped at the cap (plus what socket buffers held), not read to the end


# --- kill -9 and resume; messages -------------------------------------------------------------------------

def test_a_pull_killed_mid_run_is_resumed(tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=60, campaigns=0) as stub:
        stub.slow = {1000 + i: 3.0 for i in range(30, 60)}  # the kill lands while these are in flight
        env = {**os.environ, **_env(stub)}
        command = [sys.executable, "-m", "smartlint", "pull", "--out", str(out), "--only", "smart-lists",
                   "--rate-window", str(WINDOW), "--backoff", "0.05"]
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while len(list(out.glob("smart-lists/*.json"))) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        stub.slow = {}
        kept = sorted(out.glob("smart-lists/*.json"))
        assert 10 <= len(kept) < 60
        for path in kept:  # nothing half-written
            assert json.loads(path.read_text())["success"] is True
        # a temporary file the kill left behind (planted: the kill rarely lands inside a write)
        (out / "smart-lists" / ".1059.json.a1b2c3.tmp").write_text('{"half')
        run = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert f"{60 - len(kept)} written, {len(kept)} unchanged" in run.stdout
    assert not list(out.rglob("*.tmp"))


def test_connection_failures_say_what_failed_and_count_no_call(cli, tmp_path):
    with socket.socket() as sock:  # bound and not listening, for the whole run: refused, and no other program can take the port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        env = {"MARKETO_BASE_URL": f"http://127.0.0.1:{port}", "MARKETO_CLIENT_ID": CLIENT_ID, "MARKETO_CLIENT_SECRET": CLIENT_SECRET}
        run = cli("pull", "--out", str(tmp_path / "out"), "--backoff", "0.01", "--retries", "1", env=env)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"could not connect" in run.err and f"127.0.0.1:{port}" in run.err and "after 2 tries" in run.err
    assert "tomorrow" not in run.err and "0 API calls" in run.out


def test_campaign_type_and_state_are_kept(cli, tmp_path):
    out = tmp_path / "export"
    with MarketoStub(lists=0, campaigns=4) as stub:
        stub.campaigns[3].update(type="Trigger ", isActive="yes")  # odd values: left out, the file still loads
        assert _pull(cli, stub, out, "--only", "campaigns").code == 0
    facts = {}
    for path in out.glob("campaigns/*.json"):
        [item] = load(str(path)).lists
        facts[item.campaign.id] = (item.campaign.type, item.campaign.is_active)
    assert facts == {5000: ("batch", False), 5001: ("trigger", True), 5002: ("batch", True), 5003: ("trigger", None)}



def test_odd_export_folders(cli, tmp_path):
    with MarketoStub(lists=3, campaigns=0) as stub:
        (tmp_path / "a-file").write_text("mine")
        run = _pull(cli, stub, tmp_path / "a-file")
        assert run.code == 2 and "cannot write into" in run.err and (tmp_path / "a-file").read_text() == "mine"
        out = tmp_path / "export"
        (out / "smart-lists").mkdir(parents=True)
        os.mkfifo(out / "smart-lists" / "1000.json")  # read to see whether it changed: must not hang
        (out / "smart-lists" / "1001.json").mkdir()  # cannot be replaced: that asset fails
        run = _pull(cli, stub, out, "--only", "smart-lists")
        assert run.code == 1 and "smart list 1001" in run.err and "cannot write it" in run.err
        assert "2 written" in run.out and json.loads((out / "smart-lists" / "1000.json").read_text())["success"]
        assert stub.rest_calls == 1 + 3 and "Traceback" not in run.err
        # a second pull into a folder another pull is writing is refused before any call
        import fcntl

        held = os.open(out, os.O_RDONLY)
        try:
            fcntl.flock(held, fcntl.LOCK_EX)
            run = _pull(cli, stub, out, "--only", "smart-lists")
        finally:
            os.close(held)
        assert run.code == 2 and "another smartlint pull is writing into" in run.err and stub.rest_calls == 4


def test_a_listing_that_ends_with_702(cli, tmp_path):
    with MarketoStub(lists=3, campaigns=0) as stub:
        stub.browse_answer = lambda path, offset, size: {"success": False, "errors": [{"code": "702", "message": "No data found"}]}
        run = _pull(cli, stub, tmp_path / "out")
    assert run.code == 0 and "0 written, 0 unchanged, 0 failed" in run.out


def test_every_encoding_of_a_secret_is_masked():
    """The redactor on its own, over encodings (and mixtures) a hostile echo could produce."""
    from smartlint.marketo.redact import Redactor

    secret, raw = HOSTILE_SECRET, HOSTILE_SECRET.encode()
    redact = Redactor([secret, CLIENT_ID])
    forms = _encodings(secret) + [
        quote(quote(secret, safe=""), safe=""), json.dumps(json.dumps(secret)), json.dumps(quote_plus(secret)),
        html.escape(quote_plus(secret)), "".join(f"&#{ord(c)};" for c in secret), "".join(f"\\x{b:02x}" for b in raw),
        "".join(c if i % 2 else quote(c, safe="") for i, c in enumerate(secret)), secret.replace("/", "\\/"),
        base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode(), base64.b64encode(b"x:" + raw).decode(), repr(raw),
    ]
    for form in forms:
        masked = redact(f"before {form} after")
        assert not redact.holds(masked) and "S3cr3t" not in masked and "DO-NOT-LEAK" not in masked.upper(), form
    assert redact("Marketo error 702: 100% sure + fine & ok \\n") == "Marketo error 702: 100% sure + fine & ok \\n"


def test_a_server_refusing_every_token_stops_the_pull(cli, tmp_path):
    with MarketoStub(lists=100, campaigns=0) as stub:
        stub.refuse_rules_calls = True
        run = _pull(cli, stub, tmp_path / "out", "--only", "smart-lists")
        assert run.code == 1 and "30 calls in a row were refused (601" in run.err and "tomorrow" not in run.err
        assert stub.rest_calls <= 1 + 30 + 10 and len(stub.tokens) <= 31  # stopped: not 100 assets x 4 calls and tokens
