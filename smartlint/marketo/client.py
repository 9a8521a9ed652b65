"""A small Marketo REST client on httpx: OAuth client credentials, the documented rate limits
(100 calls per 20 seconds, 10 at once) enforced by construction, retries with backoff for the
transient error codes, token refresh before expiry and on 601/602, and a clean stop on 607.

Secrets travel only in the identity call's form body and the `Authorization` header; nothing
this module raises or reports contains them (see :meth:`Client.redact`)."""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

import httpx

RETRY_CODES = frozenset({"604", "606", "608", "611", "615", "713"})  # timeouts, rate and concurrency limits, busy
TOKEN_CODES = frozenset({"601", "602"})  # access token invalid / expired
QUOTA_CODE = "607"  # daily quota reached


class MarketoError(Exception):
    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class QuotaExceeded(MarketoError):
    """Marketo's daily API quota is used up (error 607): stop, keep what was fetched."""


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

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                wait = self.delay()
                if wait <= 0:
                    return
                await asyncio.sleep(wait + 0.001)


@dataclass
class Stats:
    calls: int = 0
    retries: int = 0
    token_refreshes: int = 0


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
        self.stats = Stats()
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport, follow_redirects=False)

    async def close(self) -> None:
        await self._http.aclose()

    def redact(self, text: str) -> str:
        for secret in (self._client_secret, self._client_id, self._token):
            if secret:
                text = text.replace(secret, "***")
        return text

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async with self._slots:  # a free slot first, so that the rate window counts real starts
            await self.limiter.acquire()
            self.stats.calls += 1
            return await self._http.request(method, url, **kwargs)

    async def _refresh_token(self, stale: str | None) -> None:
        async with self._token_lock:
            if self._token is not None and self._token != stale and time.monotonic() < self._expires_at:
                return  # another task refreshed it already
            for attempt in range(self.retries + 1):
                try:
                    response = await self._send(
                        "POST",
                        f"{self.base_url}/identity/oauth/token",
                        data={"grant_type": "client_credentials", "client_id": self._client_id, "client_secret": self._client_secret},
                    )
                except httpx.TransportError as exc:
                    if attempt == self.retries:
                        raise MarketoError(f"identity service unreachable: {type(exc).__name__}") from None
                    await self._sleep(attempt)
                    continue
                if response.status_code >= 500 and attempt < self.retries:
                    await self._sleep(attempt)
                    continue
                try:
                    body = response.json()
                except ValueError:
                    body = {}
                token = body.get("access_token") if isinstance(body, dict) else None
                if response.status_code != 200 or not token:
                    detail = body.get("error_description") or body.get("error") if isinstance(body, dict) else None
                    raise MarketoError(
                        self.redact(f"authentication failed (HTTP {response.status_code}{': ' + str(detail) if detail else ''}); "
                                    "check MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET")
                    )
                self._token = token
                lifetime = float(body.get("expires_in", 3600))
                self._expires_at = time.monotonic() + max(lifetime - min(60.0, lifetime / 10), 0.0)  # refresh early
                self.stats.token_refreshes += 1
                return

    async def _sleep(self, attempt: int) -> None:
        self.stats.retries += 1
        await asyncio.sleep(self.backoff * (2**attempt) * (0.5 + random.random() / 2))

    async def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET a REST endpoint: the parsed body of a successful call (`success: true`)."""
        url = f"{self.base_url}{path}"
        attempt = 0
        token_retries = 0
        while True:
            if self._token is None or time.monotonic() >= self._expires_at:
                await self._refresh_token(self._token)
            token = self._token
            try:
                response = await self._send("GET", url, params=params, headers={"Authorization": f"Bearer {token}"})
            except httpx.TransportError as exc:  # timeouts, resets: transient
                if attempt >= self.retries:
                    raise MarketoError(f"{path}: {type(exc).__name__} after {attempt + 1} tries") from None
                await self._sleep(attempt)
                attempt += 1
                continue
            if response.status_code >= 500 or response.status_code == 429:
                if attempt >= self.retries:
                    raise MarketoError(f"{path}: HTTP {response.status_code} after {attempt + 1} tries")
                await self._sleep(attempt)
                attempt += 1
                continue
            try:
                body = response.json()
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError:
                if attempt >= self.retries:
                    raise MarketoError(f"{path}: the response is not valid JSON (HTTP {response.status_code})") from None
                await self._sleep(attempt)
                attempt += 1
                continue
            if body.get("success") is True:
                return body
            errors = body.get("errors") or [{}]
            first = errors[0] if isinstance(errors[0], dict) else {}
            code = str(first.get("code", ""))
            message = self.redact(str(first.get("message", "")))
            if code in TOKEN_CODES and token_retries < 3:
                token_retries += 1
                self._expires_at = 0.0
                continue
            if code == QUOTA_CODE:
                raise QuotaExceeded(f"Marketo's daily API quota is used up (607: {message})", code)
            if code in RETRY_CODES and attempt < self.retries:
                await self._sleep(attempt)
                attempt += 1
                continue
            raise MarketoError(f"{path}: Marketo error {code or '?'}: {message or 'no message'}", code or None)

    async def browse(self, path: str, params: dict[str, Any], page_size: int = 200) -> AsyncIterator[dict[str, Any]]:
        """Every record of a browse endpoint, page by page (`offset`, `maxReturn`), until a page
        comes back without `result` (the asset API's end) or short."""
        offset = 0
        while True:
            body = await self.get(path, {**params, "offset": offset, "maxReturn": page_size})
            records = body.get("result")
            if not records:
                return
            for record in records:
                yield record
            if len(records) < page_size:
                return
            offset += len(records)

