"""`smartlint pull`: smart lists and campaign smart lists from a Marketo instance, one file per
asset in the REST shape the loaders read, written atomically, unchanged assets skipped, so an
interrupted pull can simply be run again."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .client import Client, MarketoError, PagingStopped, QuotaExceeded, ServerStalled
from .files import CAMPAIGN_ID_MAX, SMART_LIST_ID_MAX, ExportFolder, UnsafePath, asset_id, printable

STORED_LIMIT = 64 * 1024 * 1024  # an earlier file larger than this is fetched again rather than read


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the pull stopped early
    quota: bool = False  # ... because the daily quota is used up: running again tomorrow goes on
    unusable: str | None = None  # --out cannot be written safely: nothing was fetched
    warnings: list[str] = field(default_factory=list)
    calls: int = 0


def _stored_updated_at(folder: ExportFolder, kind: str, ident: int) -> str | None:
    """`updatedAt` of what an earlier pull wrote, or None (missing or unreadable: fetch again)."""
    data = folder.read(kind, ident, STORED_LIMIT)
    if data is None:
        return None
    try:
        item = json.loads(data)["result"][0]
        value = item["campaign"]["updatedAt"] if kind == "campaign" else item["updatedAt"]
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        return None
    return value if isinstance(value, str) else None


async def pull(
    client: Client,
    out: Path,
    *,
    only: str | None = None,
    folder: int | None = None,
    since: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    summary = Summary()
    try:
        export = ExportFolder(out)
    except OSError as exc:
        summary.unusable = f"cannot write into {out}: {exc.strerror or exc}"
        return summary
    try:
        return await _pull(client, export, summary, only, folder, since, progress)
    finally:
        export.close()
        summary.calls = client.stats.calls


async def _pull(
    client: Client,
    export: ExportFolder,
    summary: Summary,
    only: str | None,
    folder: int | None,
    since: str | None,
    progress: Callable[[str], None] | None,
) -> Summary:
    kinds = [kind for kind, flag in (("smart-list", "smart-lists"), ("campaign", "campaigns")) if only in (None, flag)]
    try:
        export.lock()
        for kind in kinds:  # also refuses a link planted in place of a sub-folder, before any call
            export.remove_stale_temporaries(kind)
    except UnsafePath as exc:
        summary.unusable = str(exc)
        return summary
    except OSError as exc:
        summary.unusable = f"cannot write into {export.root}: {exc.strerror or exc}"
        return summary

    params: dict[str, Any] = {}
    if folder is not None:
        params["folder"] = json.dumps({"id": folder, "type": "Folder"})
    if since:
        params["earliestUpdatedAt"] = since
    jobs: dict[tuple[str, int], dict[str, Any]] = {}
    for kind in kinds:
        endpoint = "smartLists" if kind == "smart-list" else "smartCampaigns"
        maximum = SMART_LIST_ID_MAX if kind == "smart-list" else CAMPAIGN_ID_MAX
        try:
            async for record in client.browse(f"/rest/asset/v1/{endpoint}.json", params):
                if not isinstance(record, dict):
                    summary.failed.append(f"{endpoint}.json listed {printable(record, 40, client.redact)}, not an asset; skipped")
                    continue
                try:
                    ident = asset_id(record.get("id"), maximum, client.redact)
                except ValueError as exc:
                    summary.failed.append(f'{_what(kind)} "{printable(record.get("name", "?"), 80, client.redact)}": {exc}; skipped')
                    continue
                jobs.setdefault((kind, ident), record)  # an asset listed twice is fetched once
        except PagingStopped as exc:  # a server paging without end: fetch what it listed, browse the next kind
            summary.stopped = "; ".join(filter(None, (summary.stopped, exc.message)))
        except MarketoError as exc:  # the quota, or no access at all: nothing to fetch
            summary.stopped = exc.message
            summary.quota = isinstance(exc, QuotaExceeded)
            return summary

    stop = asyncio.Event()

    async def fetch(kind: str, ident: int, record: dict[str, Any]) -> None:
        if stop.is_set():
            return
        campaign = kind == "campaign"
        label = f"{_what(kind)} {ident} ({printable(record.get('name', '?'), 80, client.redact)})"
        updated = record.get("updatedAt")
        try:
            if isinstance(updated, str) and updated and _stored_updated_at(export, kind, ident) == updated:
                summary.skipped += 1
                if progress:
                    progress(label)
                return
            if campaign:
                body = await client.get(f"/rest/asset/v1/smartCampaign/{ident}/smartList.json", {"includeRules": "true"})
            else:
                body = await client.get(f"/rest/asset/v1/smartList/{ident}.json", {"includeRules": "true"})
            result = body.get("result")
            if not isinstance(result, list) or not result or not isinstance(result[0], dict):
                raise MarketoError("the response holds no smart list")
            if campaign:  # keep what the campaign is beside its smart list (issue 13 reads type and isActive)
                result[0]["campaign"] = _campaign(ident, record)
            text = json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
            if client.redactor.holds(text):  # a server echoing the token or the secret into an asset
                body, _ = client.redactor.scrub(body)
                text = json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
                summary.warnings.append(f"{label}: the server's answer held the access token or a credential; "
                                        "it was replaced with *** in the file")
            # a lone surrogate from the server is kept as its JSON escape rather than refused
            export.write(kind, ident, text.encode("utf-8", "backslashreplace"))
            summary.written += 1
        except (QuotaExceeded, ServerStalled) as exc:  # no call will succeed now: stop, keep what was written
            if not stop.is_set():
                summary.stopped = "; ".join(filter(None, (summary.stopped, exc.message)))
                summary.quota = isinstance(exc, QuotaExceeded)
                stop.set()
        except MarketoError as exc:
            summary.failed.append(f"{label}: {client.redact(exc.message)}")
        except UnsafePath as exc:
            summary.failed.append(f"{label}: {exc}")
        except OSError as exc:
            summary.failed.append(f"{label}: cannot write it: {exc.strerror or exc}")
        except ValueError as exc:  # NaN or Infinity: not JSON, and not a number any list holds
            summary.failed.append(f"{label}: the answer cannot be written as JSON ({printable(str(exc), 80, client.redact)})")
        except RecursionError:
            summary.failed.append(f"{label}: the answer is nested too deeply to write")
        except Exception as exc:  # one bad asset never aborts the pull
            summary.failed.append(client.redact(f"{label}: unexpected {type(exc).__name__}: {printable(str(exc), 200, client.redact)}"))
        if progress:
            progress(label)

    await asyncio.gather(*(fetch(kind, ident, record) for (kind, ident), record in jobs.items()))
    return summary


def _campaign(ident: int, record: dict[str, Any]) -> dict[str, Any]:
    """The browse record's campaign facts in the shape the loaders read; a value of the wrong
    type is left out rather than written (it would make the whole file unreadable)."""
    kind = record.get("type")
    kind = kind.strip().lower() if isinstance(kind, str) else None
    facts = {
        "id": ident,
        "name": record.get("name") if isinstance(record.get("name"), str) else None,
        "type": kind if kind in ("batch", "trigger") else None,
        "isActive": record.get("isActive") if isinstance(record.get("isActive"), bool) else None,
        "updatedAt": record.get("updatedAt") if isinstance(record.get("updatedAt"), str) else None,
    }
    return {key: value for key, value in facts.items() if value is not None}


def _natural(text: str) -> list[Any]:
    """Sort key: "smart list 998" before "smart list 1000"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d{1,30})", text)]


def _what(kind: str) -> str:
    return "campaign" if kind == "campaign" else "smart list"


CLIENT_OPTIONS = ("max_calls", "window", "concurrency", "retries", "backoff", "timeout", "deadline", "max_bytes", "max_pages")


def run(base_url: str, client_id: str, client_secret: str, out: Path, **options: Any) -> Summary:
    """Pull synchronously; options for the client (see CLIENT_OPTIONS) and for :func:`pull`."""
    client_options = {k: options.pop(k) for k in list(options) if k in CLIENT_OPTIONS}

    async def main() -> Summary:
        client = Client(base_url, client_id, client_secret, **client_options)
        try:
            summary = await pull(client, out, **options)
        except Exception as exc:  # a bug: said once, without a secret, never a traceback
            summary = Summary(calls=client.stats.calls)
            summary.unusable = f"internal error: {type(exc).__name__}: {printable(str(exc), 200, client.redact)}"
        finally:
            await client.close()
        redact = client.redact  # every word that leaves, once more
        summary.failed = sorted((redact(line) for line in summary.failed), key=_natural)
        summary.warnings = sorted((redact(line) for line in summary.warnings), key=_natural)
        summary.stopped = summary.stopped and redact(summary.stopped)
        summary.unusable = summary.unusable and redact(summary.unusable)
        return summary

    return asyncio.run(main())
