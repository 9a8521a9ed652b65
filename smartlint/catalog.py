"""The data in `rules/`, read once: rule metadata and docs, the operator tiers, the filter catalog
and the cost model's weights. Also what kind of filter a :class:`~smartlint.model.Filter` is."""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

from .activity import _positive_name, norm
from .model import Filter
from .resources import data_dir

SEVERITIES = ("error", "warning", "info")


def _read(name: str) -> Any:
    import yaml  # only when the cache below is cold: 25 ms of start-up otherwise

    with open(data_dir("rules") / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def _cache_stamp() -> tuple[str, Path] | None:
    """What the cached data depends on (every file of rules/ and the version), and the cache
    folder; None when there is no usable cache. Computed once: rules/ is read for several caches."""
    import os
    import zlib

    from . import __version__

    folder = data_dir("rules")
    try:
        stamp = repr((str(folder), sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.yaml")), __version__))
        where = zlib.crc32(str(folder).encode("utf-8", "surrogatepass"))
        return stamp, Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "smartlint" / f"{where:08x}"
    except (OSError, RuntimeError):  # no home folder, unreadable rules/: no cache
        return None


def _cached(name: str, build: Callable[[], Any]) -> Any:
    """`build()`, kept in the user's cache folder until a file in rules/ changes. Reading the
    rules' YAML costs ~140 ms on every start; the cache, ~1 ms. Plain data (dicts, lists, tuples,
    strings, numbers) is kept with `marshal`, which is built in, where pickle and hashlib cost
    ~3 ms to import: build plain data on the paths every run takes. Anything else is pickled.
    The stamp of rules/ is kept in the file and compared."""
    import marshal
    import os

    import zlib

    where = _cache_stamp()
    path = where[1] / f"{name}.cache" if where is not None else None
    # the builder's own code is part of the stamp: a change to what it returns (two checkouts of
    # one version share the cache) rebuilds the cache instead of handing back the old shape
    stamp = (where[0], zlib.crc32(build.__code__.co_code), len(build.__code__.co_code)) if where is not None else None
    if path is not None:
        try:
            data = path.read_bytes()
            if data[:1] == b"M":
                kept, value = marshal.loads(data[1:])
            else:
                import pickle

                kept, value = pickle.loads(data[1:])
            if kept == stamp:
                return value
        except Exception:  # not there yet, unreadable or another layout: build it again
            pass
    value = build()
    if path is not None:
        try:
            try:
                data = b"M" + marshal.dumps((stamp, value))
            except ValueError:  # not plain data
                import pickle

                data = b"P" + pickle.dumps((stamp, value), protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except Exception:  # a read-only home, or a value pickle cannot write: just no cache
            pass
    return value


@dataclass(slots=True, unsafe_hash=True)  # not frozen, as in model.py: faster to import
class RuleMeta:
    """One rule's document from `rules/SLxxx.yaml`."""

    code: str
    name: str
    severity: str
    groups: tuple[str, ...]
    summary: str
    what: str
    why: str
    bad: str
    good: str
    use_instead: str
    options: dict[str, Any] = field(default_factory=dict)
    input_error: bool = False  # SL001: the file could not be read; not a check
    sources: tuple[tuple[str, str], ...] = ()  # (title, url) of what each claim of the doc rests on


@cache
def rules() -> dict[str, RuleMeta]:
    return {code: RuleMeta(*fields) for code, fields in _cached("rules", _build_rules).items()}


def _build_rules() -> dict[str, tuple]:
    """RuleMeta's fields by code, as plain data for the cache."""
    out = {}
    for path in sorted(data_dir("rules").glob("SL*.yaml")):
        doc = _read(path.name)
        out[doc["code"]] = (
            doc["code"],
            doc["name"],
            doc["severity"],
            tuple(doc.get("groups", ())),
            doc["summary"].strip(),
            doc["what"].strip(),
            doc["why"].strip(),
            doc.get("bad", "").rstrip() + "\n",
            doc.get("good", "").rstrip() + "\n",
            doc.get("use_instead", "").strip(),
            dict(doc.get("options") or {}),
            bool(doc.get("input_error", False)),
            tuple(_source(item) for item in doc.get("sources") or ()),
        )
    return out


_REPO_PATH = r"^([\w.-]+/[\w.-]+):(\S+)\s*(?:\((.*)\))?\s*$"  # compiled when the rules cache is built


def _source(item: Any) -> tuple[str, str]:
    """(title, url) of one entry of a rule's `sources:`: `{title, url}`, or the short form
    `Owner/repo:path/in/repo.md (what it supports)`, which links to the file on GitHub."""
    if isinstance(item, dict) and "title" in item:
        return str(item["title"]), str(item.get("url") or "")
    if isinstance(item, dict):  # an unquoted `path (what: it supports)` that YAML read as a mapping
        item = " ".join(f"{key}: {value}" for key, value in item.items())
    text = str(item).strip()
    match = re.match(_REPO_PATH, text)
    if match:
        repo, path, note = match.groups()
        title = f"{note} ({repo}: {path.rsplit('/', 1)[-1]})" if note else f"{repo}: {path}"
        return title, f"https://github.com/{repo}/blob/main/{path}"
    if text.startswith("https://"):
        return text, text
    return text, ""  # named, but no address known: shown as is, never an invented URL


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see RuleMeta
class OperatorInfo:
    """An operator's tier and cost factor, from rules/operators.yaml."""

    name: str
    tier: str
    factor: float
    negative: bool = False
    faster: str | None = None


@cache
def operators() -> dict[str, OperatorInfo]:
    return {name: OperatorInfo(*fields) for name, fields in _cached("operators", _build_operators).items()}


def _build_operators() -> dict[str, tuple]:
    data = _read("operators.yaml")["operators"]
    return {name: (name, spec["tier"], float(spec["factor"]), bool(spec.get("negative")), spec.get("faster")) for name, spec in data.items()}


@cache  # 160,000 calls at 10,000 lists (SL004, SL101, SL204, the cost model) on a few names
def operator(name: str) -> OperatorInfo | None:
    return operators().get(norm(name))


@cache
def costs() -> dict[str, Any]:
    return _cached("costs", lambda: _read("costs.yaml"))


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see RuleMeta
class CatalogEntry:
    """A documented filter or trigger of rules/filters.yaml."""

    name: str
    kind: str
    boolean: bool = False
    family: str | None = None


@cache
def filter_catalog() -> dict[str, CatalogEntry]:
    """Lower-cased filter name (and alias) → entry."""
    out: dict[str, CatalogEntry] = {}
    for fields, names in _cached("filters", _build_filter_catalog):
        entry = CatalogEntry(*fields)
        for name in names:
            out[name] = entry
    return out


def _build_filter_catalog() -> list[tuple[tuple, list[str]]]:
    """Per filter of rules/filters.yaml: CatalogEntry's fields, and the lower-cased names (name
    and aliases) that an earlier filter has not taken."""
    seen: set[str] = set()
    out = []
    for item in _read("filters.yaml")["filters"]:
        names = [n.lower() for n in (item["name"], *item.get("aliases", ()))]
        names = [n for i, n in enumerate(names) if n not in seen and n not in names[:i]]
        seen.update(names)
        out.append(((item["name"], item["kind"], bool(item.get("boolean")), item.get("family")), names))
    return out


_BOOL_VALUES = frozenset({"true", "false"})

@cache
def heavy_kinds() -> frozenset[str]:
    """The kinds the order and logic rules treat as heavy (`heavy_kinds` in rules/costs.yaml)."""
    return frozenset(costs()["heavy_kinds"])


def lookup(name: str) -> CatalogEntry | None:
    catalog = filter_catalog()
    key = norm(name)
    entry = catalog.get(key)
    if entry is None and ("person" in key or "lead" in key):  # Adobe renamed Lead to Person
        entry = catalog.get(key.replace("person", "lead")) or catalog.get(key.replace("lead", "person"))
    return entry


@cache
def _kind_by_name(name: str, rule_type: str | None, field_like: bool) -> str:
    entry = lookup(name)
    if entry is not None:
        if entry.name == "Member of Smart List":
            return "smart-list"
        if entry.kind == "attribute" and entry.boolean:
            return "boolean"
        return entry.kind
    stripped = _positive_name(name)  # `Not Visited Web Page`, `Was Not Sent Email`
    negated = stripped != norm(name)
    if negated:
        base = lookup(stripped)
        if base is not None and base.kind == "activity":
            return "inactivity"
    if rule_type:
        lowered = rule_type.lower()
        if lowered == "activity":
            return "inactivity" if negated else "activity"
        if lowered == "attribute":
            return "attribute"
    if field_like:
        return "attribute"  # a custom field: one condition on an attribute of the filter's own name
    return "unknown"


def filter_kind(item: Filter) -> str:
    """boolean | attribute | activity | inactivity | membership | smart-list | special | trigger | unknown.
    Computed when the filter is built: read `item.kind`."""
    conditions = item.conditions
    field_like = len(conditions) == 1 and conditions[0].attribute.lower() == item.name.lower()
    kind = _kind_by_name(item.name, item.rule_type, field_like)
    if kind == "attribute" and field_like and conditions[0].operator.lower() in ("is", "is not"):
        values = conditions[0].values
        if values and all(v.lower() in _BOOL_VALUES for v in values):
            return "boolean"
    return kind

