"""The data in `rules/`, read once: rule metadata and docs, the operator tiers, the filter catalog
and the cost model's weights. Also what kind of filter a :class:`~smartlint.model.Filter` is."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

from .activity import _positive_name, norm
from .model import Filter, cached_on_filter
from .resources import data_dir

SEVERITIES = ("error", "warning", "info")


def _read(name: str) -> Any:
    import yaml  # only when the cache below is cold: 25 ms of start-up otherwise

    with open(data_dir("rules") / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _cached(name: str, build: Callable[[], Any]) -> Any:
    """`build()`, kept as a pickle in the user's cache folder until a file in rules/ changes.
    Reading the rules' YAML costs ~140 ms on every start; the pickle, ~2 ms."""
    import hashlib
    import os
    import pickle

    from . import __version__

    folder = data_dir("rules")
    try:
        stamp = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.yaml"))
        key = hashlib.sha256(repr((str(folder), stamp, __version__, name)).encode()).hexdigest()[:20]
        path: Path | None = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "smartlint" / f"{name}-{key}.pickle"
    except (OSError, RuntimeError):  # no home folder, unreadable rules/: no cache
        path = None
    if path is not None:
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # not there yet, or unreadable: build it again
            pass
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only home: just no cache
    return value


@dataclass(frozen=True, slots=True)
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


@cache
def rules() -> dict[str, RuleMeta]:
    return _cached("rules", _build_rules)


def _build_rules() -> dict[str, RuleMeta]:
    out = {}
    for path in sorted(data_dir("rules").glob("SL*.yaml")):
        doc = _read(path.name)
        out[doc["code"]] = RuleMeta(
            code=doc["code"],
            name=doc["name"],
            severity=doc["severity"],
            groups=tuple(doc.get("groups", ())),
            summary=doc["summary"].strip(),
            what=doc["what"].strip(),
            why=doc["why"].strip(),
            bad=doc.get("bad", "").rstrip() + "\n",
            good=doc.get("good", "").rstrip() + "\n",
            use_instead=doc.get("use_instead", "").strip(),
            options=dict(doc.get("options") or {}),
            input_error=bool(doc.get("input_error", False)),
        )
    return out


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    name: str
    tier: str
    factor: float
    negative: bool = False
    faster: str | None = None


@cache
def operators() -> dict[str, OperatorInfo]:
    return _cached("operators", _build_operators)


def _build_operators() -> dict[str, OperatorInfo]:
    data = _read("operators.yaml")["operators"]
    return {
        name: OperatorInfo(name, spec["tier"], float(spec["factor"]), bool(spec.get("negative")), spec.get("faster"))
        for name, spec in data.items()
    }


def operator(name: str) -> OperatorInfo | None:
    return operators().get(norm(name))


@cache
def costs() -> dict[str, Any]:
    return _cached("costs", lambda: _read("costs.yaml"))


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    name: str
    kind: str
    boolean: bool = False
    family: str | None = None


@cache
def filter_catalog() -> dict[str, CatalogEntry]:
    """Lower-cased filter name (and alias) → entry."""
    return _cached("filters", _build_filter_catalog)


def _build_filter_catalog() -> dict[str, CatalogEntry]:
    out: dict[str, CatalogEntry] = {}
    for item in _read("filters.yaml")["filters"]:
        entry = CatalogEntry(item["name"], item["kind"], bool(item.get("boolean")), item.get("family"))
        for name in (item["name"], *item.get("aliases", ())):
            out.setdefault(name.lower(), entry)
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
    if stripped != norm(name):
        base = lookup(stripped)
        if base is not None and base.kind == "activity":
            return "inactivity"
    if rule_type:
        lowered = rule_type.lower()
        if lowered == "activity":
            return "inactivity" if stripped != name else "activity"
        if lowered == "attribute":
            return "attribute"
    if field_like:
        return "attribute"  # a custom field: one condition on an attribute of the filter's own name
    return "unknown"


@cached_on_filter("_kind")
def filter_kind(item: Filter) -> str:
    """boolean | attribute | activity | inactivity | membership | smart-list | special | trigger | unknown"""
    conditions = item.conditions
    field_like = len(conditions) == 1 and conditions[0].attribute.lower() == item.name.lower()
    kind = _kind_by_name(item.name, item.rule_type, field_like)
    if kind == "attribute" and field_like and conditions[0].operator.lower() in ("is", "is not"):
        values = conditions[0].values
        if values and all(v.lower() in _BOOL_VALUES for v in values):
            return "boolean"
    return kind

