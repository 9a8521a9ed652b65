"""The model written back out in each form (`smartlint convert`). Loading what these write gives
the same model again, for everything the model holds."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from json.encoder import encode_basestring as _encode_string
from typing import Any, Iterable

from ..model import Condition, Filter, MatchType, SmartList
from .rest import infer_kind

_BARE_NAME = re.compile(r"[^\s\[#\":][^\n\r\[#\":]*")
_NUMBERED = re.compile(r"\d+\.")
_SECTION = re.compile(r"(?i:filters|triggers)")  # `filters:` on a line of its own starts a section
_OPERATOR = re.compile(r"(?!(?:true|false)\b)[a-z]+(?: (?!(?:true|false)\b)[a-z]+)*", re.I)
_BARE_VALUE = re.compile(r"-?\d+(\.\d+)?|(?i:true|false)")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_BETWEEN = frozenset({"between", "not between"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


# ---- REST structure (JSON and YAML) -----------------------------------------------------------


def to_rest(smart_list: SmartList) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if smart_list.id is not None:
        out["id"] = smart_list.id
    out["name"] = smart_list.name
    for key, value in (
        ("description", smart_list.description),
        ("createdAt", smart_list.created_at),
        ("updatedAt", smart_list.updated_at),
        ("url", smart_list.url),
    ):
        if value is not None:
            out[key] = value
    if smart_list.folder is not None:
        folder = smart_list.folder
        out["folder"] = _drop_none({"id": folder.id, "type": folder.type, "name": folder.name})
    if smart_list.workspace is not None:
        out["workspace"] = smart_list.workspace
    if smart_list.campaign is not None:
        c = smart_list.campaign
        out["campaign"] = _drop_none({"id": c.id, "name": c.name, "type": c.type, "isActive": c.is_active})
    if smart_list.program is not None:
        out["program"] = _drop_none({"id": smart_list.program.id, "name": smart_list.program.name})
    if infer_kind(None, smart_list.campaign, smart_list.program, bool(smart_list.triggers)) is not smart_list.kind:
        out["kind"] = smart_list.kind.value
    own = _suppressions_to_keep(smart_list)
    if own:
        out["suppressions"] = [{"codes": list(s.codes), **({"filter": s.filter_number} if s.filter_number is not None else {})} for s in own]
    older = smart_list.schema == "older"  # written back in the schema it was read in
    match_names = _OLDER_MATCH if older else _NEWER_MATCH
    rules: dict[str, Any] = {"filterMatchType": match_names[smart_list.match_type]}
    if smart_list.logic_text is not None:
        rules["filterCustomRuleLogic"] = smart_list.logic_text
    rules["triggers"] = [t.name if older and t == Filter(t.number, t.name) else _rest_filter(t) for t in smart_list.triggers]
    rules["filters"] = [_rest_filter(f) for f in smart_list.filters]
    out["rules"] = rules
    return out


_NEWER_MATCH = {MatchType.ALL: "all", MatchType.ANY: "any", MatchType.ADVANCED: "custom"}
_OLDER_MATCH = {MatchType.ALL: "All", MatchType.ANY: "Any", MatchType.ADVANCED: "Advanced"}


def _suppressions_to_keep(smart_list: SmartList) -> list:
    """The list's suppressions that its description does not already hold (the text form's
    comments): JSON has no comments, so they go in smartlint's own `suppressions` key."""
    from .rest import DISABLE_RE, disabled_codes

    described = {c for m in DISABLE_RE.finditer(smart_list.description or "") for c in disabled_codes(m)}
    return [s for s in smart_list.suppressions if s.filter_number is not None or not set(s.codes) <= described]


def _drop_none(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None}


def _rest_filter(item: Filter) -> dict[str, Any]:
    out: dict[str, Any] = _drop_none(
        {"id": item.id, "name": item.name, "ruleTypeId": item.rule_type_id, "ruleType": item.rule_type, "operator": item.operator}
    )
    if item.negative:
        out["negative"] = True
    usual = _usual_key(item)
    out["conditions"] = [_rest_condition(c, c.key or usual) for c in item.conditions]
    return out


def _usual_key(item: Filter) -> str:
    """The keys of the newer schema: `attributeId/Name` on attribute rules, `activityAttribute…`
    on the others; a condition read with the other ones keeps them (Condition.key)."""
    return "attribute" if (item.rule_type or "").lower() == "attribute" else "activityAttribute"


def _rest_condition(condition: Condition, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if condition.attribute_id is not None:
        out[f"{prefix}Id"] = condition.attribute_id
    out[f"{prefix}Name"] = condition.attribute
    out["operator"] = condition.operator
    out["values"] = list(condition.values)
    out["isPrimary"] = condition.primary
    if condition.error is not None:
        out["isError"] = True
        if condition.error:
            out["errorMessage"] = condition.error
    return out


def to_json(lists: Iterable[SmartList]) -> str:
    return json.dumps([to_rest(s) for s in lists], indent=2, ensure_ascii=False) + "\n"


def to_yaml(lists: Iterable[SmartList]) -> str:
    import yaml

    return yaml.safe_dump([to_rest(s) for s in lists], sort_keys=False, allow_unicode=True, width=100)


# ---- text form --------------------------------------------------------------------------------


def _quote(value: str) -> str:
    # what json.dumps(value, ensure_ascii=False) returns for a string, without building an
    # encoder at each call (the text output quotes ~65,000 values at 10,000 lists)
    return _encode_string(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


# Names, values and operators repeat across an export's filters: each is judged once (a few
# regular expressions) and kept, up to a bound, for the text output (~110,000 calls at 10,000
# lists) and convert.
@lru_cache(maxsize=16384)
def _name(value: str) -> str:
    if (
        _BARE_NAME.fullmatch(value)
        and value == value.rstrip()
        and not _NUMBERED.match(value)
        and not _SECTION.fullmatch(value)
        and not _CONTROL.search(value)
    ):
        return value
    return _quote(value)


@lru_cache(maxsize=16384)
def _value(value: str) -> str:
    return value if _BARE_VALUE.fullmatch(value) else _quote(value)


@lru_cache(maxsize=1024)
def _operator(value: str) -> str:
    return value if _OPERATOR.fullmatch(value) else _quote(value)


def _meta(items: list[str]) -> str:
    return f" [{', '.join(items)}]" if items else ""


def _operation(condition: Condition, max_values: int | None = None) -> str:
    shown = condition.values if max_values is None else condition.values[:max_values]
    # `between 50 and 100`, as the Marketo UI shows it (the text form reads it back)
    joiner = " and " if len(shown) == 2 and condition.operator.lower() in _BETWEEN else ", "
    values = joiner.join(_value(v) for v in shown)
    if len(shown) < len(condition.values):
        values += f", … ({len(condition.values)} values)"
    return f"{_operator(condition.operator)} {values}" if values else _operator(condition.operator)


def _condition_meta(condition: Condition, first: bool, id_key: str, usual_key: str) -> list[str]:
    items = []
    if condition.attribute_id is not None:
        items.append(f"{id_key} {condition.attribute_id}")
    if condition.key is not None and condition.key != usual_key:  # JSON keys not the usual ones
        items.append(f"key {condition.key}")
    if condition.primary != first:
        items.append("primary" if condition.primary else "not primary")
    if condition.error is not None:
        items.append(f"error {_quote(condition.error)}" if condition.error else "error")
    return items


def rule_lines(item: Filter, max_values: int | None = None, ids: bool = True) -> list[str]:
    """The filter in the text form. For display only: `max_values` shortens long value lists and
    `ids=False` leaves out the bracketed ids and flags."""
    if not ids:  # the text output's, for every finding on a filter
        conditions = list(item.conditions)
        head = f"{item.number}. {_name(item.name)}"
        if conditions and conditions[0].attribute == item.name:
            head += f": {_operation(conditions.pop(0), max_values)}"
        return [head, *[f"     {_name(c.attribute)}: {_operation(c, max_values)}" for c in conditions]]
    meta = []
    if item.id is not None:
        meta.append(f"id {item.id}")
    if item.rule_type is not None or item.rule_type_id is not None:
        words = ["type"]
        if item.rule_type is not None:
            words.append(item.rule_type if _WORD.fullmatch(item.rule_type) else _quote(item.rule_type))
        if item.rule_type_id is not None:
            words.append(str(item.rule_type_id))
        meta.append(" ".join(words))
    if item.operator is not None:
        meta.append(f"operator {_quote(item.operator)}")
    if item.negative:
        meta.append("negative")
    conditions = list(item.conditions)
    usual = _usual_key(item)
    head = f"{item.number}. {_name(item.name)}"
    if conditions and conditions[0].attribute == item.name:
        first = conditions.pop(0)
        meta.extend(_condition_meta(first, True, "attribute id", usual))
        head += f": {_operation(first, max_values)}"
    lines = [head + (_meta(meta) if ids else "")]
    for condition in conditions:
        first = condition is item.conditions[0]
        cmeta = _meta(_condition_meta(condition, first, "id", usual)) if ids else ""
        lines.append(f"     {_name(condition.attribute)}: {_operation(condition, max_values)}" + cmeta)
    return lines


def _id_and_name(ident: int | None, name: str | None) -> list[str]:
    return ([f"id {ident}"] if ident is not None else []) + ([f"name {_quote(name)}"] if name is not None else [])


def to_text(lists: Iterable[SmartList]) -> str:
    out: list[str] = []
    for smart_list in lists:
        if out:
            out.append("")
        header = f"{smart_list.kind.value} {_quote(smart_list.name)}"
        header += _meta(([f"id {smart_list.id}"] if smart_list.id is not None else []) + (["older schema"] if smart_list.schema == "older" else []))
        out.append(header)
        for key, value in (
            ("description", smart_list.description),
            ("workspace", smart_list.workspace),
            ("url", smart_list.url),
            ("created", smart_list.created_at),
            ("updated", smart_list.updated_at),
        ):
            if value is not None:
                out.append(f"  {key}: {_quote(value)}")
        folder = smart_list.folder
        if folder is not None:
            parts = []
            if folder.type is not None and _WORD.fullmatch(folder.type):
                parts.append(f"{folder.type} {folder.id}" if folder.id is not None else folder.type)
            elif folder.id is not None:
                parts.append(f"id {folder.id}")
            if folder.name is not None:
                parts.append(f"name {_quote(folder.name)}")
            if parts:
                out.append(f"  folder: {', '.join(parts)}")
        if smart_list.campaign is not None:
            c = smart_list.campaign
            parts = [p for p in (c.type, None if c.is_active is None else ("active" if c.is_active else "inactive")) if p]
            parts += _id_and_name(c.id, c.name)
            if parts:
                out.append(f"  campaign: {', '.join(parts)}")
        if smart_list.program is not None:
            p = smart_list.program
            parts = _id_and_name(p.id, p.name)
            if parts:
                out.append(f"  program: {', '.join(parts)}")
        if smart_list.match_type is MatchType.ADVANCED:
            out.append(f"  use advanced filters: {smart_list.logic_text or ''}")
        elif smart_list.match_type is MatchType.ANY:
            out.append("  use ANY filters")
        else:
            out.append("  use ALL filters")
        by_filter: dict[int, list[str]] = {}
        for suppression in smart_list.suppressions:
            comment = f"# smartlint: disable={','.join(suppression.codes)}"
            if suppression.filter_number is None:
                out.append(f"  {comment}")  # above the first filter: the whole list
            else:
                by_filter.setdefault(suppression.filter_number, []).append(comment)
        for title, rules in (("triggers", smart_list.triggers), ("filters", smart_list.filters)):
            if rules:
                out.append(f"  {title}:")
                for rule in rules:
                    lines = [f"    {line}" for line in rule_lines(rule)]
                    if title == "filters" and rule.number in by_filter:
                        lines[0] += "  " + "  ".join(by_filter.pop(rule.number))
                    out.extend(lines)
    return "\n".join(out) + "\n"
