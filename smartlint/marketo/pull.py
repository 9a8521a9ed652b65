"""`smartlint pull`: smart lists and campaign smart lists from a Marketo instance, one file per
asset in the REST shape the loaders read, written atomically, unchanged assets skipped, so an
interrupted pull can simply be run again."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .client import Client, MarketoError, QuotaExceeded


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the pull stopped early (quota)
    calls: int = 0


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _stored_updated_at(path: Path, campaign: bool) -> str | None:
    """`updatedAt` of what an earlier pull wrote, or None (missing or unreadable: fetch again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        item = data["result"][0]
        return item["campaign"]["updatedAt"] if campaign else item["updatedAt"]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


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
    params: dict[str, Any] = {}
    if folder is not None:
        params["folder"] = json.dumps({"id": folder, "type": "Folder"})
    if since:
        params["earliestUpdatedAt"] = since
    jobs: list[tuple[str, dict[str, Any]]] = []
    try:
        if only in (None, "smart-lists"):
            async for record in client.browse("/rest/asset/v1/smartLists.json", params):
                jobs.append(("smart-list", record))
        if only in (None, "campaigns"):
            async for record in client.browse("/rest/asset/v1/smartCampaigns.json", params):
                jobs.append(("campaign", record))
    except MarketoError as exc:  # the quota, or no access at all: nothing to fetch
        summary.stopped = client.redact(exc.message)
        summary.calls = client.stats.calls
        return summary

    stop = asyncio.Event()

    async def fetch(kind: str, record: dict[str, Any]) -> None:
        if stop.is_set():
            return
        asset_id = record.get("id")
        campaign = kind == "campaign"
        path = out / ("campaigns" if campaign else "smart-lists") / f"{asset_id}.json"
        label = f"{'campaign' if campaign else 'smart list'} {asset_id} ({record.get('name', '?')})"
        if record.get("updatedAt") and _stored_updated_at(path, campaign) == record.get("updatedAt"):
            summary.skipped += 1
            if progress:
                progress(label)
            return
        try:
            if campaign:
                body = await client.get(f"/rest/asset/v1/smartCampaign/{asset_id}/smartList.json", {"includeRules": "true"})
            else:
                body = await client.get(f"/rest/asset/v1/smartList/{asset_id}.json", {"includeRules": "true"})
            result = body.get("result")
            if not isinstance(result, list) or not result or not isinstance(result[0], dict):
                raise MarketoError(f"{label}: the response holds no smart list")
            if campaign:  # keep what the campaign is beside its smart list
                result[0]["campaign"] = {
                    "id": asset_id,
                    "name": record.get("name"),
                    "type": record.get("type"),
                    "isActive": record.get("isActive"),
                    "updatedAt": record.get("updatedAt"),
                }
            write_atomically(path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
            summary.written += 1
        except QuotaExceeded as exc:
            summary.stopped = exc.message
            stop.set()
        except MarketoError as exc:
            summary.failed.append(f"{label}: {client.redact(exc.message)}")
        if progress:
            progress(label)

    await asyncio.gather(*(fetch(kind, record) for kind, record in jobs))
    summary.calls = client.stats.calls
    return summary


CLIENT_OPTIONS = ("max_calls", "window", "concurrency", "retries", "backoff", "timeout")


def run(base_url: str, client_id: str, client_secret: str, out: Path, **options: Any) -> Summary:
    """Pull synchronously; options for the client (see CLIENT_OPTIONS) and for :func:`pull`."""
    client_options = {k: options.pop(k) for k in list(options) if k in CLIENT_OPTIONS}

    async def main() -> Summary:
        client = Client(base_url, client_id, client_secret, **client_options)
        try:
            return await pull(client, out, **options)
        finally:
            await client.close()

    return asyncio.run(main())
