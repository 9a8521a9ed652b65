"""A real HTTP server on 127.0.0.1 that answers like Marketo's REST API (identity, smart list
and smart campaign endpoints, paging), with faults on demand, and records every call.

Hostile on demand too: any answer can be replaced by raw bytes with any headers (`answers`),
trickled a byte at a time, streamed without end, echo the token request or the `Authorization`
header back, or page without end (`paging`)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CLIENT_ID = "test-client-7f3a"
CLIENT_SECRET = "s3cr3t-DO-NOT-LEAK-91c2"
EXCLUSIONS = ["Unsubscribed", "Email Invalid", "Marketing Suspended", "Black Listed", "Email Suspended"]
# a call reaches the stub a while after the client judged its token still good (a tenth of a
# second and more on a loaded machine): a token is refused this long after its lifetime, so that
# the tests measure the client's early renewal, not the machine's speed
LATENCY = 0.5


def smart_list(list_id: int) -> dict:
    filters = [
        {"id": list_id * 10 + i, "name": name, "ruleTypeId": 2, "ruleType": "Attribute", "operator": "is",
         "conditions": [{"attributeId": 70 + i, "attributeName": name, "operator": "is", "values": ["false"], "isPrimary": True}]}
        for i, name in enumerate(EXCLUSIONS)
    ]
    if list_id % 50 == 0:  # a contains list far over the limit
        filters.append({"id": list_id * 10 + 9, "name": "Company Name", "ruleTypeId": 2, "ruleType": "Attribute", "operator": "contains",
                        "conditions": [{"attributeId": 44, "attributeName": "Company Name", "operator": "contains",
                                        "values": [f"c{i}" for i in range(120)], "isPrimary": True}]})
    return {"id": list_id, "name": f"List {list_id}", "createdAt": "2026-01-01T00:00:00Z+0000", "updatedAt": f"2026-02-0{1 + list_id % 9}T00:00:00Z+0000",
            "url": f"https://app-x.marketo.com/#SL{list_id}A1", "folder": {"id": 31, "type": "Folder"}, "workspace": "Default",
            "rules": {"filterMatchType": "all", "triggers": [], "filters": filters}}


@dataclass
class Answer:
    """A raw answer: `body` as given (or `size` bytes streamed chunked without a length, or a
    declared Content-Length that is never sent), each byte `trickle` seconds after the last."""

    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    trickle: float = 0.0
    size: int = 0
    declared: int | None = None
    wire: bool = False  # `body` is the whole answer as sent on the wire: status line and headers too


class MarketoStub:
    def __init__(self, lists: int = 250, campaigns: int = 20, token_lifetime: float = 2.0,
                 client_secret: str = CLIENT_SECRET, token_format: str = "tok-{n}-abcdef") -> None:
        self.lists = {1000 + i: smart_list(1000 + i) for i in range(lists)}
        self.campaigns = [
            {"id": 5000 + i, "name": f"Campaign {i}", "type": "trigger" if i % 2 else "batch", "isActive": bool(i % 3),
             "smartListId": 9000 + i, "updatedAt": "2026-03-01T00:00:00Z+0000", "status": "Active"}
            for i in range(campaigns)
        ]
        self.token_lifetime = token_lifetime
        self.client_secret = client_secret
        self.token_format = token_format
        self.token_extra: dict = {}  # merged into every token answer (`expires_in: "soon"`)
        self.identity_answer = None  # callable(raw form bytes) -> Answer: a hostile identity service
        self.answers: dict[int, Answer] = {}  # smart list or campaign id -> a raw answer to its rules call
        self.browse_answer = None  # callable(path, offset, size) -> Answer | dict | None (None: the normal page)
        self.echo_auth: set[int] = set()  # these lists' descriptions reflect the Authorization header
        self.echo_auth_error: set[int] = set()  # these lists answer an error whose message reflects it, encoded
        self.refuse_rules_calls = False  # every rules call answers 601, whatever the token
        self.bytes_sent = 0  # by raw answers, to show how much a capped client read
        self.tokens: dict[str, float] = {}
        self.lock = threading.Lock()
        self.starts: list[float] = []
        self.requests: list[str] = []  # request lines, to check that no secret is in a URL
        self.inflight = 0
        self.max_inflight = 0
        self.errors_sent: dict[str, int] = {}
        self.rest_calls = 0
        self.expired_by_age = 0  # 602s for a token used past its lifetime (not one killed by expire_tokens_at)
        # faults
        self.rate_fault_every = 0  # every Nth REST call answers 606 (odd) or 615 (even)
        self.malformed_always: set[int] = set()
        self.malformed_once: set[int] = set()
        self.slow: dict[int, float] = {}
        self.quota_after: int | None = None
        self.expire_tokens_at: int | None = None  # at this REST call every token issued so far expires
        self.extra_records: dict[str, list] = {"smartLists": [], "smartCampaigns": []}  # listed after the real ones, as given
        stub = self

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # socketserver's 5 makes the kernel retry connections a second later

            def process_request(self, request, client_address):
                # the time a call arrives: taken at accept, before a handler thread is started
                with stub.lock:
                    stub.starts.append(time.monotonic())
                super().process_request(request, client_address)

        self.server = Server(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def max_calls_in_window(self, window: float) -> int:
        starts = sorted(self.starts)
        best, lo = 0, 0
        for hi, start in enumerate(starts):
            while start - starts[lo] >= window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def _handler(stub):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _raw(self, answer: Answer):
                if answer.wire:
                    self.wfile.write(answer.body)
                    self.close_connection = True
                    return
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json", **answer.headers}
                if answer.size:
                    headers["Transfer-Encoding"] = "chunked"
                elif answer.declared is not None:
                    headers["Content-Length"] = str(answer.declared)
                else:
                    headers["Content-Length"] = str(len(answer.body))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    if answer.size:  # endless-looking: chunks of zeros up to `size`
                        chunk = b"[" + b"0," * 32767 + b"0"
                        sent = 0
                        while sent < answer.size:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            sent += len(chunk)
                            with stub.lock:
                                stub.bytes_sent += len(chunk)
                        self.wfile.write(b"0\r\n\r\n")
                    elif answer.trickle:
                        for i in range(len(answer.body)):
                            self.wfile.write(answer.body[i : i + 1])
                            self.wfile.flush()
                            with stub.lock:
                                stub.bytes_sent += 1
                            time.sleep(answer.trickle)
                    else:
                        self.wfile.write(answer.body)
                        with stub.lock:
                            stub.bytes_sent += len(answer.body)
                except OSError:  # the client hung up: what a capped or timed-out client does
                    self.close_connection = True

            def _send(self, body, status=200, raw=None):
                data = raw if raw is not None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, code, message):
                with stub.lock:
                    stub.errors_sent[code] = stub.errors_sent.get(code, 0) + 1
                self._send({"success": False, "requestId": "x", "errors": [{"code": code, "message": message}]})

            def _enter(self):
                with stub.lock:
                    stub.requests.append(self.requestline)
                    stub.inflight += 1
                    stub.max_inflight = max(stub.max_inflight, stub.inflight)

            def _leave(self):
                with stub.lock:
                    stub.inflight -= 1

            def do_POST(self):
                self._enter()
                try:
                    length = int(self.headers.get("Content-Length", 0))
                    raw = self.rfile.read(length)
                    form = parse_qs(raw.decode())
                    if urlparse(self.path).path != "/identity/oauth/token":
                        return self._send({"error": "not found"}, 404)
                    if stub.identity_answer is not None:
                        return self._raw(stub.identity_answer(raw))
                    if form.get("client_id") != [CLIENT_ID] or form.get("client_secret") != [stub.client_secret]:
                        return self._send({"error": "unauthorized", "error_description": "Bad client credentials"}, 401)
                    with stub.lock:
                        token = stub.token_format.format(n=len(stub.tokens) + 1)
                        stub.tokens[token] = time.monotonic()
                    self._send({"access_token": token, "token_type": "bearer", "expires_in": int(stub.token_lifetime), "scope": "api@x",
                                **stub.token_extra})
                finally:
                    self._leave()

            def do_GET(self):
                self._enter()
                try:
                    self._get()
                finally:
                    self._leave()

            def _get(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                with stub.lock:
                    issued = stub.tokens.get(token)
                    stub.rest_calls += 1
                    call = stub.rest_calls
                if stub.expire_tokens_at is not None and call == stub.expire_tokens_at:
                    with stub.lock:
                        for known in stub.tokens:
                            stub.tokens[known] = -1e9
                        issued = stub.tokens.get(token)
                if issued is None:
                    return self._error("601", "Access token invalid")
                if time.monotonic() - issued > stub.token_lifetime + LATENCY:
                    if issued >= 0:
                        with stub.lock:
                            stub.expired_by_age += 1
                    return self._error("602", "Access token expired")
                if stub.quota_after is not None and call > stub.quota_after:
                    return self._error("607", "Daily quota reached")
                target = url.path.rsplit("/", 1)[-1].removesuffix(".json")
                # the asset meant to fail as malformed is never rate-faulted: its last attempt must fail for that reason
                spared = target.isdigit() and int(target) in stub.malformed_always
                if stub.rate_fault_every and call % stub.rate_fault_every == 0 and not spared:
                    if (call // stub.rate_fault_every) % 2:
                        return self._error("606", "Max rate limit '100' exceeded with in '20' secs")
                    return self._error("615", "Concurrent access limit reached")
                path = url.path
                if path in ("/rest/asset/v1/smartLists.json", "/rest/asset/v1/smartCampaigns.json"):
                    records = list(stub.lists.values()) if "smartLists" in path else stub.campaigns
                    records = records + stub.extra_records["smartLists" if "smartLists" in path else "smartCampaigns"]
                    offset, size = int(query.get("offset", 0)), min(int(query.get("maxReturn", 20)), 200)
                    if stub.browse_answer is not None:
                        answer = stub.browse_answer(path, offset, size)
                        if isinstance(answer, Answer):
                            return self._raw(answer)
                        if answer is not None:
                            return self._send(answer)
                    page = records[offset : offset + size]
                    if "smartLists" in path:
                        page = [{k: v for k, v in r.items() if k != "rules"} if isinstance(r, dict) else r for r in page]
                    if not page:
                        return self._send({"success": True, "errors": [], "requestId": "x", "warnings": ["No assets found for the given search criteria."]})
                    return self._send({"success": True, "errors": [], "requestId": "x", "warnings": [], "result": page})
                parts = path.split("/")
                if stub.refuse_rules_calls:
                    return self._error("601", "Access token invalid")
                if path.startswith("/rest/asset/v1/smartList/") and query.get("includeRules") == "true":
                    try:
                        list_id = int(parts[-1].removesuffix(".json"))
                    except ValueError:  # a hostile server answers any path: a pull must never ask for one
                        return self._send({"success": True, "result": [smart_list(1)]})
                    if list_id in stub.answers:
                        return self._raw(stub.answers[list_id])
                elif path.startswith("/rest/asset/v1/smartCampaign/") and path.endswith("/smartList.json"):
                    if parts[-2].isdigit() and int(parts[-2]) in stub.answers:
                        return self._raw(stub.answers[int(parts[-2])])
                    campaign = next((c for c in stub.campaigns if str(c["id"]) == parts[-2]), None)
                    if campaign is None:
                        return self._error("702", "No data found")
                    item = smart_list(campaign["smartListId"])
                    item["rules"]["triggers"] = [{"id": 1, "name": "Fills Out Form", "ruleTypeId": 2, "ruleType": "Activity", "operator": "occurs",
                                                  "conditions": [{"activityAttributeId": 12, "activityAttributeName": "Form", "operator": "is", "values": ["Signup"], "isPrimary": True}]}] if campaign["type"] == "trigger" else []
                    return self._send({"success": True, "errors": [], "requestId": "x", "warnings": [], "result": [item]})
                else:
                    return self._send({"error": "not found"}, 404)
                if list_id not in stub.lists:
                    return self._error("702", "No data found for given search scope")
                if list_id in stub.slow:
                    time.sleep(stub.slow[list_id])
                if list_id in stub.malformed_always:
                    return self._send(None, raw=b'{"success": true, "result": [{"id": ')
                with stub.lock:
                    once = list_id in stub.malformed_once
                    stub.malformed_once.discard(list_id)
                if once:
                    return self._send(None, raw=b"<html>502 Bad Gateway</html>")
                item = stub.lists[list_id]
                if list_id in stub.echo_auth_error:
                    from urllib.parse import quote, quote_plus

                    auth = self.headers.get("Authorization", "")
                    return self._error("709", f"token {quote(auth)} / {quote_plus(token)} / {json.dumps(token)[1:-1]} refused")
                if list_id in stub.echo_auth:  # a server that reflects the request's credentials into the asset
                    auth = self.headers.get("Authorization", "")
                    item = {**item, "description": f"seen: {auth}", "debug": {"headers": dict(self.headers), "token": token}}
                self._send({"success": True, "errors": [], "requestId": "x", "warnings": [], "result": [item]})

        return Handler
