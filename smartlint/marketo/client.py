"""A small Marketo REST client on httpx: OAuth client credentials, the documented rate limits
(100 calls per 20 seconds, 10 at once) enforced by construction, retries with backoff for the
transient error codes, token refresh before expiry and on 601/602, and a clean stop on 607.

Secrets travel only in the identity call's form body and the `Authorization` header; nothing
this module raises or reports contains them, in any encoding (see :mod:`.redact`), and the
identity service's answers are never echoed.

The server is not trusted: every answer is read as a stream under a total deadline (httpx's
timeouts bound each read, not a body trickled a byte at a time) and a size cap, parsed
defensively, and browsing stops on a repeated page or past a page budget."""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

import httpx

from .files import printable
from .redact import Redactor

RETRY_CODES = frozenset({"604", "606", "608", "611", "615", "713"})  # timeouts, rate and concurrency limits, busy
TOKEN_CODES = frozenset({"601", "602"})  # access token invalid / expired
QUOTA_CODE = "607"  # daily quota reached
NOT_FOUND_CODE = "702"  # no data found


class MarketoError(Exception):
    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class QuotaExceeded(MarketoError):
    """Marketo's daily API quota is used up (error 607): stop, keep what was fetched."""


class PagingStopped(MarketoError):
    """Browsing stopped on a server that pages without end: what was listed so far is kept."""


class ServerStalled(MarketoError):
    """Several calls in a row got no complete answer in time, or were refused whatever the
    token: no call will succeed, stop."""


STALL_LIMIT = 3  # calls in a row past the deadline or the read timeout before the pull stops
REFUSAL_LIMIT = 30  # calls in a row refused with 601/602 (more than the 10 in flight when a token dies, thrice)


class _StaleToken(Exception):
    """The token went stale while the call waited for its turn: renew it first."""


class _Unusable(Exception):
    """An answer that cannot be used (too large, too slow, not JSON): `reason` says why."""

    def __init__(self, reason: str, retry: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


# what a transport failure means, for the message (the exception's own text may be empty)
_TRANSPORT = (
    (httpx.ConnectTimeout, "connecting timed out"),
    (httpx.ConnectError, "could not connect"),
    (httpx.ReadTimeout, "no answer within the read timeout"),
    (httpx.WriteTimeout, "sending the request timed out"),
    (httpx.PoolTimeout, "no free connection"),
    (httpx.RemoteProtocolError, "the server broke the HTTP protocol"),
    (httpx.ReadError, "the connection broke while reading"),
    (httpx.WriteError, "the connection broke while sending"),
    (httpx.DecodingError, "the body could not be decoded (bad gzip, deflate or charset)"),
    (httpx.TooManyRedirects, "too many redirects"),
    (httpx.HTTPError, "the request failed"),
)


def parse_json(data: bytes) -> Any:
    """JSON in any UTF encoding; ValueError for anything else, including nesting too deep for the
    parser and integers too long to convert. NaN and Infinity are read (one in an asset fails that
    asset when it is written, not the whole page it came in)."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value) if not isinstance(value, int) or abs(value) < 2**63 else math.inf
    return number if math.isfinite(number) else None


class RateLimiter:
    """At most `max_calls` starts in any `window` seconds (a sliding window). The window is kept
    a little longer than asked (by `margin`, at least `slack` seconds) because the server sees
    each call a little after it is started here."""

    def __init__(
        self,
        max_calls: int = 100,
        window: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
        margin: float = 0.05,
        slack: float = 0.25,
    ) -> None:
        self.max_calls = max_calls
        self.window = window + max(window * margin, slack)
        self.clock = clock
        self.starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    def delay(self) -> float:
        """Seconds to wait before the next call may start (0: now), recording it when 0."""
        now = self.clock()
        while self.starts and now - self.starts[0] >= self.window:
            self.starts.popleft()
        if len(self.starts) < self.max_calls:
            self.starts.append(now)
            return 0.0
        return self.starts[0] + self.window - now

    def cancel(self) -> None:
        """Forget the start just recorded: the call was not made after all."""
        if self.starts:
            self.starts.pop()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                wait = self.delay()
                if wait <= 0:
                    return
                await asyncio.sleep(wait + 0.001)


@dataclass
class Stats:
    calls: int = 0  # requests that reached the server (a refused connection is not a call)
    retries: int = 0
    token_refreshes: int = 0


DEFAULT_LIFETIME = 3600.0  # Marketo's tokens live an hour; used when `expires_in` is not a number
MAX_LIFETIME = 86400.0


class Client:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        max_calls: int = 100,
        window: float = 20.0,
        concurrency: int = 10,
        retries: int = 6,
        backoff: float = 1.0,
        timeout: float = 30.0,
        deadline: float = 40.0,  # Marketo's REST answers time out after 30 s (Adobe KB ka-29283): 10 s to transfer
        max_bytes: int = 64 * 1024 * 1024,
        max_pages: int = 1000,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None
        self._expires_at = 0.0
        self._token_lock = asyncio.Lock()
        self.limiter = RateLimiter(max_calls, window)
        self._slots = asyncio.Semaphore(concurrency)
        self.retries = retries
        self.backoff = backoff
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_pages = max_pages
        self.stats = Stats()
        self.stalls = 0
        self.refusals = 0
        self.halted: MarketoError | None = None  # why no further call is made
        self.redactor = Redactor([client_secret, client_id])
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout), transport=transport, follow_redirects=False)

    async def close(self) -> None:
        await self._http.aclose()

    def redact(self, text: str) -> str:
        """`text` without the client secret, the client id or any access token of this run, in any encoding."""
        return self.redactor(text)

    async def _send(self, method: str, url: str, authorized: bool = False, **kwargs: Any) -> tuple[int, bytes, str | None]:
        """One call: its status, body and the token it carried, read under the total deadline and the size cap.
        Raises httpx.HTTPError (transport) or _Unusable (too slow, too large). An `authorized`
        call takes the token current when it starts, not when it was queued: a token renewed
        meanwhile is not sent stale (which cost one wasted call per queued asset), and one that
        ran out while the call waited for its turn is renewed first (the wait for the rate window
        can outlast the early-renewal margin: a short `expires_in`, a long --rate-window)."""
        sent = False
        queued = time.monotonic()

        async def trace(event: str, info: dict[str, Any]) -> None:
            nonlocal sent
            if event.endswith("send_request_headers.started") and not sent:
                sent = True
                self.stats.calls += 1

        async with self._slots:  # a free slot first, so that the rate window counts real starts
            await self.limiter.acquire()
            if self.halted is not None:  # the quota is used up or the server stalls: no more calls
                self.limiter.cancel()
                raise self.halted
            token = self._token
            if authorized:
                # refused by the server, or ran out during the wait: wait for the renewal, no call (a token
                # already out when the wait began is sent: a lifetime shorter than any wait would never be used)
                if token is None or self._expires_at == 0.0 or queued < self._expires_at <= time.monotonic():
                    self.limiter.cancel()
                    raise _StaleToken()
                kwargs["headers"] = {**kwargs.get("headers", {}), "Authorization": f"Bearer {token}"}
            try:
                async with asyncio.timeout(self.deadline):
                    async with self._http.stream(method, url, extensions={"trace": trace}, **kwargs) as response:
                        declared = response.headers.get("content-length", "")
                        if declared.isdigit() and int(declared) > self.max_bytes:
                            raise _Unusable(f"the answer is {int(declared):,} bytes, over the {self.max_bytes:,}-byte cap", retry=False)
                        body = bytearray()
                        async for chunk in response.aiter_bytes():  # decoded (gzip) bytes: a zip bomb is capped too
                            body += chunk
                            if len(body) > self.max_bytes:
                                raise _Unusable(f"the answer is over the {self.max_bytes:,}-byte cap; reading stopped", retry=False)
                        result = response.status_code, bytes(body), token
            except TimeoutError:
                self._stalled()
                raise _Unusable(f"no complete answer within {self.deadline:g} s", retry=False) from None
            except httpx.TimeoutException:
                self._stalled()
                raise
        self.stalls = 0  # an answer came in whole
        return result

    def _stalled(self) -> None:
        """Count a call the server let run out of time; past STALL_LIMIT in a row, stop the pull
        (a server trickling every answer would otherwise cost a deadline per asset)."""
        self.stalls += 1
        if self.stalls >= STALL_LIMIT:
            self.halted = ServerStalled(f"{self.stalls} calls in a row got no complete answer in time (deadline {self.deadline:g} s); "
                                "the server is stalling, the pull stopped")
            raise self.halted

    def _failure(self, what: str, exc: BaseException, tries: int) -> MarketoError:
        if isinstance(exc, _Unusable):
            reason = exc.reason
        else:
            reason = next(text for kind, text in _TRANSPORT if isinstance(exc, kind))
            detail = printable(str(exc), 120, self.redact)
            if detail and detail not in reason:
                reason += f" ({detail})"
        where = self.base_url.split("://", 1)[-1].split("/", 1)[0]
        return MarketoError(self.redact(f"{what} on {printable(where, 60, self.redact)}: {reason}" + (f", after {tries} tries" if tries > 1 else "")))

    async def _refresh_token(self, stale: str | None) -> None:
        async with self._token_lock:
            if self._token is not None and self._token != stale and time.monotonic() < self._expires_at:
                return  # another task refreshed it already
            for attempt in range(self.retries + 1):
                try:
                    status, data, _ = await self._send(
                        "POST",
                        f"{self.base_url}/identity/oauth/token",
                        data={"grant_type": "client_credentials", "client_id": self._client_id, "client_secret": self._client_secret},
                    )
                except (httpx.HTTPError, _Unusable) as exc:
                    retry = not isinstance(exc, _Unusable) or exc.retry
                    if attempt == self.retries or not retry:
                        raise self._failure("authentication (the identity service)", exc, attempt + 1) from None
                    await self._sleep(attempt)
                    continue
                if (status >= 500 or status == 429) and attempt < self.retries:
                    await self._sleep(attempt)
                    continue
                # the identity service's answer is never echoed: a hostile one may hold the secret
                try:
                    body = parse_json(data)
                except ValueError:
                    body = None
                token = body.get("access_token") if isinstance(body, dict) else None
                if status != 200 or body is None:
                    raise MarketoError(f"authentication failed (HTTP {status} from the identity service); "
                                       "check MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET")
                if not isinstance(token, str) or not 0 < len(token) <= 4096 or not all("!" <= c <= "~" for c in token):
                    raise MarketoError("authentication failed: the identity service answered without a usable access token")
                self._token = token
                self.redactor.add(token)
                lifetime = _number(body.get("expires_in"))
                lifetime = DEFAULT_LIFETIME if lifetime is None or lifetime <= 0 else min(lifetime, MAX_LIFETIME)
                self._expires_at = time.monotonic() + max(lifetime - min(60.0, lifetime / 10), 0.0)  # refresh early
                self.stats.token_refreshes += 1
                return

    async def _sleep(self, attempt: int) -> None:
        self.stats.retries += 1
        await asyncio.sleep(self.backoff * (2 ** min(attempt, 10)) * (0.5 + random.random() / 2))

    async def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET a REST endpoint: the parsed body of a successful call (`success: true`)."""
        url = f"{self.base_url}{path}"
        attempt = 0
        token_retries = 0
        while True:
            if self._token is None or time.monotonic() >= self._expires_at:
                await self._refresh_token(self._token)
            try:
                status, data, token = await self._send("GET", url, authorized=True, params=params)
            except _StaleToken:
                continue
            except (httpx.HTTPError, _Unusable) as exc:  # timeouts, resets: transient; too large: not
                if attempt >= self.retries or (isinstance(exc, _Unusable) and not exc.retry):
                    raise self._failure(f"GET {path}", exc, attempt + 1) from None
                await self._sleep(attempt)
                attempt += 1
                continue
            if status >= 500 or status == 429:
                if attempt >= self.retries:
                    raise MarketoError(f"GET {path}: HTTP {status} after {attempt + 1} tries")
                await self._sleep(attempt)
                attempt += 1
                continue
            try:
                body = parse_json(data)
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError:
                if 300 <= status < 500:  # a redirect or a refusal that is not Marketo's: retrying will not help
                    raise MarketoError(f"GET {path}: HTTP {status}" + (" (redirects are not followed)" if status < 400 else "")) from None
                if attempt >= self.retries:
                    raise MarketoError(f"GET {path}: the response is not valid JSON (HTTP {status}), after {attempt + 1} tries") from None
                await self._sleep(attempt)
                attempt += 1
                continue
            if body.get("success") is True:
                self.refusals = 0
                return body
            code, message = self._error(body)
            if code in TOKEN_CODES:
                self.refusals += 1
                if self.refusals >= REFUSAL_LIMIT and self.halted is None:  # new tokens refused too: stop
                    self.halted = ServerStalled(f"{self.refusals} calls in a row were refused ({code}: {message or 'no message'}), "
                                                f"new access tokens too; the pull stopped", code)
                if self.halted is not None:
                    raise self.halted
            if code in TOKEN_CODES and token_retries < 3:
                token_retries += 1
                if self._token == token:  # not renewed by another call meanwhile
                    self._expires_at = 0.0
                continue
            if code == QUOTA_CODE:
                self.halted = QuotaExceeded(f"Marketo's daily API quota is used up (607: {message})", code)
                raise self.halted
            if code in RETRY_CODES and attempt < self.retries:
                await self._sleep(attempt)
                attempt += 1
                continue
            status_note = f" (HTTP {status})" if status != 200 else ""
            if not code and not message:
                raise MarketoError(f"GET {path}: the answer is neither a success nor a Marketo error{status_note}")
            raise MarketoError(f"GET {path}: Marketo error {code or '?'}: {message or 'no message'}{status_note}", code or None)

    def _error(self, body: dict[str, Any]) -> tuple[str, str]:
        """The first error's code and message, whatever shape `errors` has (a list, an object, a number)."""
        errors = body.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else errors
        if not isinstance(first, dict):
            return "", ""
        code = first.get("code")
        code = str(code) if isinstance(code, (str, int)) and not isinstance(code, bool) else ""
        message = first.get("message")
        message = message if isinstance(message, str) else ""
        return printable(code, 12, self.redact), printable(message, 200, self.redact)

    async def browse(self, path: str, params: dict[str, Any], page_size: int = 200) -> AsyncIterator[Any]:
        """Every record of a browse endpoint, page by page (`offset`, `maxReturn`), until a page
        comes back without `result` (the asset API's end) or short. A server that pages without
        end is stopped (PagingStopped): a page longer than asked, a page with nothing new (the
        same page again, whatever the offset), or more than `max_pages` pages."""
        offset = 0
        seen: set[Any] = set()
        for pages in range(self.max_pages + 1):
            if pages == self.max_pages:
                raise PagingStopped(f"GET {path}: still paging after {pages} pages ({offset:,} assets); stopped there")
            try:
                body = await self.get(path, {**params, "offset": offset, "maxReturn": page_size})
            except MarketoError as exc:
                if exc.code == NOT_FOUND_CODE:  # some instances end a listing with 702 rather than an empty page
                    return
                raise
            records = body.get("result")
            if records is None or records == []:
                return
            if not isinstance(records, list):
                raise PagingStopped(f"GET {path}: `result` is not a list (offset {offset}); paging stopped")
            if len(records) > page_size:
                raise PagingStopped(f"GET {path}: {len(records)} assets on a page of {page_size} (offset {offset}); paging stopped")
            keys = [_record_key(record) for record in records]
            if all(key in seen for key in keys):
                raise PagingStopped(f"GET {path}: the server answered the same page again (offset {offset}); paging stopped")
            seen.update(keys)
            for record in records:
                yield record
            if len(records) < page_size:
                return
            offset += len(records)


def _record_key(record: Any) -> Any:
    if isinstance(record, dict):
        ident = record.get("id")
        if isinstance(ident, (int, str, float)):
            return ("id", type(ident).__name__, ident)
    return ("record", printable(record, 200))
