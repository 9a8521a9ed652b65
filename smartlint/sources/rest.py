"""Marketo REST Asset API structure (from JSON or YAML) → the model.

Accepts both published schema versions: `filterMatchType` All/Any/Advanced or all/any/custom,
logic in `filterCustomRuleLogic` (or `customRuleLogic`), triggers as strings or filter objects,
conditions keyed `activityAttributeId/Name` or `attributeId/Name`, `isError`/`errorMessage`.

Two keys are smartlint's own, written by `smartlint pull` and `convert` so that a campaign's or a
program's smart list keeps what it belongs to: `campaign` ({id, name, type, isActive}) and
`program` ({id, name}).
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any, Callable

from ..model import (
    Campaign,
    Condition,
    Document,
    Filter,
    Folder,
    InputError,
    ListKind,
    Location,
    MatchType,
    Program,
    SmartList,
    Suppression,
)
from .logic import LogicError, parse_logic
from .numbers import ID_LIMIT, in_range, out_of_range, whole_number

Locate = Callable[[str], tuple[int, int]]

_MATCH = {"all": MatchType.ALL, "any": MatchType.ANY, "advanced": MatchType.ADVANCED, "custom": MatchType.ADVANCED}
DISABLE_RE = re.compile(r"smartlint:\s*disable\s*=\s*([A-Za-z0-9_.\-]+(?:\s*,\s*[A-Za-z0-9_.\-]+)*)")


def disabled_codes(match: re.Match[str]) -> tuple[str, ...]:
    """The rule selectors of a DISABLE_RE match, as written: `SL101, SL2` -> ("SL101", "SL2").
    The one reading of them for descriptions, text-form and YAML comments and `convert`."""
    return tuple(code.strip() for code in match.group(1).split(","))


class ShapeError(Exception):
    """The data is not a smart list in the shape the REST API gives."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# A smart list has `rules` (or, exported without them, an `id` and a `name`); an API response has
# `result` or `success`. Data with none of these is some other file (package.json, a workflow).
def _list_shaped(item: Any) -> bool:
    return isinstance(item, dict) and ("rules" in item or ("id" in item and "name" in item))


def has_shape(data: Any) -> bool:
    """Whether `data` looks like a smart-list export at all (not whether it is a valid one)."""
    if isinstance(data, dict):
        return "result" in data or "success" in data or _list_shaped(data)
    return isinstance(data, list) and any(_list_shaped(item) for item in data)


def load_rest(data: Any, document: Document, locate: Locate, conditions_located: bool = True) -> None:
    """Add the smart lists found in `data` (envelope, bare object or array) to `document`. Data
    with no smart-list shape at all is an SL001 error, and `document.skipped` says why, so that
    a file found in a folder can be skipped instead. Without `conditions_located`, conditions
    are given line 0 without asking `locate` (the JSON walk has no spans inside a filter: their
    positions are found when a finding needs them)."""
    path = document.path
    located = locate if conditions_located else None

    def error(message: str, pointer: str, code: str = "SL001", **kw: Any) -> None:
        line, column = locate(pointer)
        document.errors.append(InputError(message, Location(path, line, column, pointer), code, **kw))

    if not has_shape(data):
        form = document.form.value.upper()
        document.skipped = f"valid {form} but not a smart-list export (no `rules`, `result`, or `id` and `name`)"
        if isinstance(data, dict):  # arrays and scalars get the specific errors below
            error(f"not a smart list: the file is valid {form}, but holds no smart list, array of them or API response "
                  "(a smart list has `name` and `rules`)", "")
            return

    if isinstance(data, dict) and ("result" in data or "success" in data):
        if data.get("success") is False:
            errors = data.get("errors") or []
            detail = "; ".join(
                f"{e.get('code', '?')}: {e.get('message', '')}" if isinstance(e, dict) else str(e) for e in errors
            )
            error(
                f"the export holds a failed API response ({detail or 'no error given'}); "
                "fetch the smart list again",
                "",
            )
            return
        items = data.get("result")
        if items is None:
            error(
                "the API response has no `result`: it holds no smart list "
                "(an empty page of a browse call?)",
                "",
            )
            return
        if not isinstance(items, list):
            error("`result` must be an array of smart lists", "/result")
            return
        base = "/result"
    elif isinstance(data, list):
        items, base = data, ""
    elif isinstance(data, dict):
        items, base = [data], None
    else:
        error(
            f"expected a smart list object, an array of them or an API response, found {_kind(data)}",
            "",
        )
        return

    for index, item in enumerate(items):
        pointer = "" if base is None else f"{base}/{index}"
        try:
            document.lists.append(_smart_list(item, pointer, path, locate, document, located))
        except ShapeError as exc:
            name = item.get("name") if isinstance(item, dict) else None
            error(exc.message, exc.pointer, list_name=name if isinstance(name, str) else None)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _text(obj: dict, key: str, pointer: str, required: bool = False) -> str | None:
    value = obj.get(key)
    if type(value) is str:  # nearly always: 100,000 calls at 10,000 lists
        return value
    if value is None:
        if required:
            raise ShapeError(f"`{key}` is missing", pointer)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ShapeError(f"`{key}` must be a string, found {_kind(value)}", f"{pointer}/{_escape(key)}")
    return value if isinstance(value, str) else str(value)


# a number Python's int() refuses (sources/numbers.py says why ids stop at 2^63)
_LONG_NUMBER = re.compile(r"\d{4301,}")


def long_number(text: str, path: str) -> InputError | None:
    """The SL001 for a number longer than Python reads (4,300 digits: the JSON and YAML readers
    refuse it with a message about Python), at its place; None when the text has none."""
    match = _LONG_NUMBER.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return InputError(f"a number of {len(match.group()):,} digits: numbers of more than 4,300 digits cannot be read", Location(path, line, column))


def _int(obj: dict, key: str, pointer: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if type(value) is int and -ID_LIMIT <= value < ID_LIMIT:  # nearly always: the pointer below is made only for a message
        return value
    where = f"{pointer}/{_escape(key)}"
    if isinstance(value, bool):
        raise ShapeError(f"`{key}` must be a whole number, found a boolean", where)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        number = whole_number(value.strip())
        if number is None:
            raise ShapeError(out_of_range(f"`{key}`", value.strip()), where)
        return number
    if isinstance(value, int):
        if not in_range(value):
            raise ShapeError(out_of_range(f"`{key}`", str(value)), where)
        return value
    raise ShapeError(f"`{key}` must be a whole number, found {_short(value)}", where)


def _short(value: Any) -> str:
    """repr() of a value for a message, cut short (a string can be megabytes)."""
    import reprlib

    shown = reprlib.Repr()
    shown.maxstring = shown.maxother = 80
    return shown.repr(value)


def _bool(obj: dict, key: str, pointer: str) -> bool | None:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ShapeError(f"`{key}` must be true or false, found {_kind(value)}", f"{pointer}/{_escape(key)}")


def _object(value: Any, what: str, pointer: str) -> dict:
    if not isinstance(value, dict):
        raise ShapeError(f"{what} must be an object, found {_kind(value)}", pointer)
    return value


def _array(obj: dict, key: str, pointer: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(f"`{key}` must be an array, found {_kind(value)}", f"{pointer}/{_escape(key)}")
    return value


def _smart_list(item: Any, pointer: str, path: str, locate: Locate, document: Document, located: Locate | None) -> SmartList:
    obj = _object(item, "a smart list", pointer)
    name = _text(obj, "name", pointer, required=True) or ""
    list_id = _int(obj, "id", pointer)
    if "rules" not in obj:
        raise ShapeError(
            f"smart list {_short(name)} has no `rules`: it was exported without its filters; "
            "fetch it with `smartList/{id}.json?includeRules=true` "
            "(or `smartCampaign/{id}/smartList.json?includeRules=true`)",
            pointer,
        )
    rules_pointer = f"{pointer}/rules"
    rules = _object(obj["rules"], "`rules`", rules_pointer)

    raw_match = _text(rules, "filterMatchType", rules_pointer) or "all"
    match_type = _MATCH.get(raw_match.strip().lower())
    if match_type is None:
        raise ShapeError(
            f"`filterMatchType` {_short(raw_match)} is not one of all, any, advanced (custom)",
            f"{rules_pointer}/filterMatchType",
        )
    logic_key = "filterCustomRuleLogic" if "filterCustomRuleLogic" in rules else "customRuleLogic"
    # Marketo ignores the expression unless the list uses advanced logic
    logic_text = _text(rules, logic_key, rules_pointer) if match_type is MatchType.ADVANCED else None
    logic_text = (logic_text or "").strip() or None

    # list comprehensions: a generator into tuple() costs a frame switch per item
    raw = _array(rules, "filters", rules_pointer)
    pointers = _pointers(f"{rules_pointer}/filters/", len(raw))
    filters = tuple([_filter(f, i + 1, pointers[i], path, locate, located) for i, f in enumerate(raw)])
    raw = _array(rules, "triggers", rules_pointer)
    pointers = _pointers(f"{rules_pointer}/triggers/", len(raw))
    triggers = tuple([_filter(t, i + 1, pointers[i], path, locate, located) for i, t in enumerate(raw)])

    folder = None
    if obj.get("folder") is not None:
        raw = obj["folder"]
        if isinstance(raw, str):
            folder = Folder(name=raw)
        else:
            fobj = _object(raw, "`folder`", f"{pointer}/folder")
            folder = Folder(
                _int(fobj, "id", f"{pointer}/folder"),
                _text(fobj, "type", f"{pointer}/folder"),
                _text(fobj, "name", f"{pointer}/folder"),
            )
    campaign = program = None
    if obj.get("campaign") is not None:
        cptr = f"{pointer}/campaign"
        cobj = _object(obj["campaign"], "`campaign`", cptr)
        ctype = _text(cobj, "type", cptr)
        if ctype is not None:
            ctype = ctype.strip().lower()
            if ctype not in ("batch", "trigger"):
                raise ShapeError(f"campaign `type` must be batch or trigger, found {ctype!r}"[:200], f"{cptr}/type")
        campaign = Campaign(_int(cobj, "id", cptr), _text(cobj, "name", cptr), ctype, _bool(cobj, "isActive", cptr))
    if obj.get("program") is not None:
        pptr = f"{pointer}/program"
        pobj = _object(obj["program"], "`program`", pptr)
        program = Program(_int(pobj, "id", pptr), _text(pobj, "name", pptr))
    explicit = _text(obj, "kind", pointer)
    if explicit is not None:
        try:
            explicit_kind: ListKind | None = ListKind(" ".join(explicit.lower().split()))
        except ValueError:
            raise ShapeError(
                f"`kind` must be one of {', '.join(k.value for k in ListKind)}, found {explicit!r}"[:200], f"{pointer}/kind"
            ) from None
    else:
        explicit_kind = None
    kind = infer_kind(explicit_kind, campaign, program, bool(triggers))
    # `{}` says "a campaign's", nothing more (compared only when there is one: making the empty
    # one to compare None with cost ~1 µs a list)
    if campaign is not None and campaign == Campaign():
        campaign = None
    if program is not None and program == Program():
        program = None
    if folder is not None and folder == Folder():
        folder = None

    description = _text(obj, "description", pointer)
    line, column = locate(pointer)
    location = Location(path, line, column, pointer)
    suppressions = ()
    if description:
        codes = tuple(c for m in DISABLE_RE.finditer(description) for c in disabled_codes(m))
        if codes:
            suppressions = (Suppression(codes, None, Location(path, line, column, f"{pointer}/description")),)
    suppressions += _own_suppressions(obj, pointer, path, line, column)

    smart_list = SmartList(
        name=name,
        id=list_id,
        kind=kind,
        match_type=match_type,
        logic_text=logic_text,
        filters=filters,
        triggers=triggers,
        description=description,
        workspace=_text(obj, "workspace", pointer),
        folder=folder,
        campaign=campaign,
        program=program,
        url=_text(obj, "url", pointer),
        created_at=_text(obj, "createdAt", pointer),
        updated_at=_text(obj, "updatedAt", pointer),
        suppressions=suppressions,
        location=location,
        schema="older" if raw_match in _OLDER_MATCH else None,
    )
    if match_type is not MatchType.ADVANCED:
        return smart_list
    logic_pointer = f"{rules_pointer}/{logic_key}"
    return attach_logic(smart_list, document, lambda offset: Location(path, *locate(logic_pointer), logic_pointer))


def _own_suppressions(obj: dict, pointer: str, path: str, line: int, column: int) -> tuple[Suppression, ...]:
    """smartlint's own `suppressions` key, written by `convert` for the text form's
    `# smartlint: disable=…` comments: [{"codes": [...], "filter": N}] (no filter: the whole list)."""
    raw = _array(obj, "suppressions", pointer)
    out = []
    for index, entry in enumerate(raw):
        where = f"{pointer}/suppressions/{index}"
        entry = _object(entry, "a suppression", where)
        codes = entry.get("codes")
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c.strip() for c in codes):
            raise ShapeError("a suppression's `codes` must be a list of rule selectors", f"{where}/codes")
        out.append(Suppression(tuple(c.strip() for c in codes), _int(entry, "filter", where), Location(path, line, column, where)))
    return tuple(out)


def infer_kind(explicit: ListKind | None, campaign: Campaign | None, program: Program | None, has_triggers: bool) -> ListKind:
    """What a list is when its file does not say: a campaign's if it has campaign data or triggers,
    a program's if it has program data."""
    if explicit is not None:
        return explicit
    if campaign is not None or has_triggers:
        return ListKind.CAMPAIGN
    if program is not None:
        return ListKind.PROGRAM
    return ListKind.SMART_LIST


def attach_logic(smart_list: SmartList, document: Document, where: Callable[[int], Location]) -> SmartList:
    """Parse the list's advanced logic; a bad expression is an SL002 error and the list keeps no tree."""
    if smart_list.match_type is not MatchType.ADVANCED:
        return smart_list
    try:
        logic = parse_logic(smart_list.logic_text or "", len(smart_list.filters))
    except LogicError as exc:
        document.errors.append(
            InputError(exc.message, where(exc.offset), "SL002", smart_list.name, smart_list.id)
        )
        return smart_list
    smart_list.logic = logic  # still being built: nobody else holds it yet
    return smart_list


_OLDER_MATCH = frozenset({"All", "Any", "Advanced"})  # the older schema's enum; the newer one: all, any, custom

_FILTER_KEYS = frozenset({"id", "name", "ruleTypeId", "ruleType", "operator", "conditions", "negative"})


# prefix -> [prefix + "0", prefix + "1", …], interned: the same pointers recur in every file of an
# export (`/result/0/rules/filters/3/conditions/0`), and a lookup costs a sixth of making one
_POINTERS: dict[str, list[str]] = {}


def _pointers(prefix: str, count: int) -> list[str]:
    known = _POINTERS.get(prefix)
    if known is None:
        if len(_POINTERS) > 100_000:  # one file of a hundred thousand lists: keep memory bounded
            _POINTERS.clear()
        known = _POINTERS[prefix] = []
    if len(known) < count:
        known.extend(intern(f"{prefix}{i}") for i in range(len(known), count))
    return known


def _filter(item: Any, number: int, pointer: str, path: str, locate: Locate, located: Locate | None) -> Filter:
    line, column = locate(pointer)
    location = Location(path, line, column, pointer)
    if isinstance(item, str):  # the older schema gives triggers as their names
        return Filter(number=number, name=item, location=location)
    # fast path: the shape Marketo exports, checked cheaply; anything else takes the careful path
    if type(item) is dict and item.keys() <= _FILTER_KEYS:
        get = item.get
        name, ident, type_id, rule_type, operator = get("name"), get("id"), get("ruleTypeId"), get("ruleType"), get("operator")
        conditions = get("conditions", [])
        if (
            type(name) is str
            and (ident is None or (type(ident) is int and -ID_LIMIT <= ident < ID_LIMIT))
            and (type_id is None or (type(type_id) is int and -ID_LIMIT <= type_id < ID_LIMIT))
            and (rule_type is None or type(rule_type) is str)
            and (operator is None or type(operator) is str)
            and type(conditions) is list
            and type(get("negative", False)) is bool
        ):
            return Filter(
                number,
                intern(name),
                _conditions(conditions, pointer, path, located),
                ident,
                rule_type,
                type_id,
                operator,
                bool(get("negative")),
                location,
            )
    obj = _object(item, "a filter", pointer)
    name = _text(obj, "name", pointer, required=True) or ""
    conditions = _conditions(_array(obj, "conditions", pointer), pointer, path, located)
    return Filter(
        number=number,
        name=intern(name),
        conditions=conditions,
        id=_int(obj, "id", pointer),
        rule_type=_text(obj, "ruleType", pointer),
        rule_type_id=_int(obj, "ruleTypeId", pointer),
        operator=_text(obj, "operator", pointer),
        negative=bool(_bool(obj, "negative", pointer)),
        location=location,
    )


def _conditions(items: list, pointer: str, path: str, locate: Locate | None) -> tuple[Condition, ...]:
    pointers = _pointers(f"{pointer}/conditions/", len(items))
    return tuple([_condition(c, pointers[i], path, locate) for i, c in enumerate(items)])


_CONDITION_KEYS = frozenset(
    {"activityAttributeId", "activityAttributeName", "attributeId", "attributeName", "operator", "values", "isPrimary", "isError"}
)


def _condition(item: Any, pointer: str, path: str, locate: Locate | None) -> Condition:
    # fast path: the shape Marketo exports, checked cheaply; anything else takes the careful path
    if type(item) is dict and item.keys() <= _CONDITION_KEYS:
        name = item.get("activityAttributeName", item.get("attributeName"))
        attribute_id = item.get("activityAttributeId", item.get("attributeId"))
        operator = item.get("operator")
        values = item.get("values")
        primary = item.get("isPrimary", False)
        if (
            type(name) is str
            and type(operator) is str
            and (attribute_id is None or (type(attribute_id) is int and -ID_LIMIT <= attribute_id < ID_LIMIT))
            and type(values) is list
            and _strings(values)
            and type(primary) is bool
            and not item.get("isError")
            and ("activityAttributeName" in item or "activityAttributeId" not in item)
        ):
            line, column = locate(pointer) if locate is not None else (0, 0)
            key = "activityAttribute" if "activityAttributeName" in item else "attribute"
            # names and operators repeat across thousands of lists: one string object each
            return Condition(intern(name), intern(operator), tuple(values), attribute_id, primary, None, Location(path, line, column, pointer), key)
    return _condition_checked(item, pointer, path, locate)


def _strings(values: list) -> bool:
    """Whether every value is a string: str.join refuses anything else, in C (a generator over
    the values cost ten times as much)."""
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def _condition_checked(item: Any, pointer: str, path: str, locate: Locate | None) -> Condition:
    obj = _object(item, "a condition", pointer)
    key: str | None = None
    if "activityAttributeName" in obj or "activityAttributeId" in obj:
        attribute = _text(obj, "activityAttributeName", pointer)
        attribute_id = _int(obj, "activityAttributeId", pointer)
        key = "activityAttribute"
    else:
        attribute = _text(obj, "attributeName", pointer)
        attribute_id = _int(obj, "attributeId", pointer)
        if "attributeName" in obj or "attributeId" in obj:
            key = "attribute"
    raw_values = obj.get("values")
    if raw_values is None:
        values: tuple[str, ...] = ()
    elif isinstance(raw_values, list):
        out = []
        for i, v in enumerate(raw_values):
            if isinstance(v, bool):
                out.append("true" if v else "false")
            elif isinstance(v, (str, int, float)):
                out.append(v if isinstance(v, str) else str(v))
            else:
                raise ShapeError(f"a value must be a string, found {_kind(v)}", f"{pointer}/values/{i}")
        values = tuple(out)
    elif isinstance(raw_values, (str, int, float)) and not isinstance(raw_values, bool):
        values = (str(raw_values),)
    else:
        raise ShapeError(f"`values` must be an array of strings, found {_kind(raw_values)}", f"{pointer}/values")
    line, column = locate(pointer) if locate is not None else (0, 0)
    error_message = _text(obj, "errorMessage", pointer)
    if error_message is None and _bool(obj, "isError", pointer):
        error_message = ""
    return Condition(
        attribute=attribute or "",
        operator=_text(obj, "operator", pointer, required=True) or "",
        values=values,
        attribute_id=attribute_id,
        primary=bool(_bool(obj, "isPrimary", pointer)),
        error=error_message,
        location=Location(path, line, column, pointer),
        key=key,
    )
