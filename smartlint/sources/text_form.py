"""The readable text form (`.smartlist`), parsed by the Lark LALR grammar in `grammar/`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from lark import Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

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
from .grammar import COMMENTS as _COMMENTS, build
from .rest import DISABLE_RE, attach_logic

_STRING_DECODER = json.JSONDecoder()  # strict: a raw control character must be escaped

_EXPECTED = {
    "_NL": "the end of the line",
    "ESCAPED_STRING": 'a quoted string like "Name"',
    "NAME_TEXT": "a name",
    "FILTER_NUMBER": "a numbered filter like `1. Email Address`",
    "OPERATOR": "an operator such as `is` or `contains`",
    "NUMBER": "a number",
    "VALUES": "values such as \"France\", 10 or true",
    "WORD": "a word",
    "COLON": "`:`",
    "COMMA": "`,`",
    "META": "`[id N, …]`",
    "LIST_KIND": '`smart list "Name"`',
    "PROP_KEY": "a property such as `description:`",
    "USE": "`use ALL filters`, `use ANY filters` or `use advanced filters: …`",
    "TRIGGERS": "`triggers:`",
    "FILTERS": "`filters:`",
    "MATCH_ALL": "`ALL filters`",
    "MATCH_ANY": "`ANY filters`",
    "MATCH_ADVANCED": "`advanced filters:`",
    "LOGIC_TEXT": "the filter logic",
    "$END": "the end of the file",
}


_VALUE = re.compile(r'"(?:[^"\\\n\r]|\\.)*"|[^\s,"]+')


def _values(token: Token) -> tuple[str, ...]:
    """Split a VALUES token (the grammar has checked its shape) into its values."""
    out = []
    for match in _VALUE.finditer(token.value):
        text = match.group()
        if text.startswith('"'):
            try:
                out.append(_STRING_DECODER.decode(text))
            except ValueError:
                out.append(_string(Token("ESCAPED_STRING", text, line=token.line, column=token.column + match.start())))
        else:
            out.append(text)
    return tuple(out)


_META_ITEM = re.compile(
    r'\s*(?P<words>(?:[A-Za-z_][\w-]*)(?:\s+[A-Za-z_][\w-]*)*)?\s*(?P<value>"(?:[^"\\\n\r]|\\.)*"|-?\d+(?:\.\d+)?)?\s*(?P<end>,|$)'
)


def _meta_items(token: Token) -> list[tuple[tuple[str, ...], Any]]:
    """`[id 459, type Activity 1, operator "occurs"]` → [(("id",), 459), (("type", "Activity"), 1), …]"""
    inner = token.value[1:-1]
    items: list[tuple[tuple[str, ...], Any]] = []
    position = 0
    while position <= len(inner):
        match = _META_ITEM.match(inner, position)
        if match is None or (not match.group("words") and match.group("value") is None) or match.end() == position:
            raise TextFormError(
                "expected `[word value, …]` such as `[id 459, type Activity 1]`", Token("META", "", line=token.line, column=token.column + 1 + position)
            )
        words = tuple(match.group("words").split()) if match.group("words") else ()
        raw = match.group("value")
        if raw is None:
            value: Any = None
        elif raw.startswith('"'):
            value = _string(Token("ESCAPED_STRING", raw, line=token.line, column=token.column + 1 + match.start("value")))
        else:
            value = int(raw) if re.fullmatch(r"-?\d+", raw) else raw
        items.append((words, value))
        if match.group("end") == "":
            break
        position = match.end()
    return items


class TextFormError(Exception):
    def __init__(self, message: str, token: Token | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = getattr(token, "line", 0) or 0
        self.column = getattr(token, "column", 0) or 0


@dataclass(slots=True)
class _Meta:
    items: list[tuple[tuple[str, ...], Any]]
    token: Token | None


def _string(token: Token) -> str:
    try:
        return _STRING_DECODER.decode(token.value)
    except ValueError as exc:
        raw = next((c for c in token.value if ord(c) < 0x20 or c == "\x7f"), None)
        if raw is not None:
            raise TextFormError(f"control character U+{ord(raw):04X} in a string; write it as \\u{ord(raw):04x}", token) from None
        raise TextFormError(f"bad escape in string {token.value[:40]}: {getattr(exc, 'msg', exc)}", token) from None


class _ToModel(Transformer):
    """Parse tree → plain tuples; `_build` turns them into the model with positions."""

    def start(self, children):
        return children

    def string(self, children):
        return _string(children[0])

    def name(self, children):
        token = children[0]
        value = _string(token) if token.type == "ESCAPED_STRING" else token.value.rstrip()
        return (value, token)

    def words(self, children):
        return tuple(t.value for t in children)

    def meta_value(self, children):
        token = children[0]
        if token.type == "ESCAPED_STRING":
            return _string(token)
        return int(token.value) if re.fullmatch(r"-?\d+", token.value) else token.value

    def meta_item(self, children):
        if len(children) == 2:
            return (children[0], children[1])
        if isinstance(children[0], tuple):
            return (children[0], None)
        return ((), children[0])

    def meta_items(self, children):
        return children

    def meta(self, children):
        return _Meta(_meta_items(children[0]), children[0])

    def operation(self, children):
        token = children[0]
        operator = _string(token) if token.type == "ESCAPED_STRING" else " ".join(token.value.split())
        return (operator, _values(children[1]) if len(children) > 1 else ())

    def condition(self, children):
        (attribute, token), operation = children[0], children[1]
        meta = children[2] if len(children) > 2 else None
        return ("condition", attribute, operation, meta, token)

    def rule(self, children):
        number, (name, _), rest = children[0], children[1], children[2:]
        meta = rest.pop(0) if rest and isinstance(rest[0], _Meta) else None
        return ("rule", number, name, None, meta, rest)

    def inline_rule(self, children):
        number, (name, _), operation, rest = children[0], children[1], children[2], children[3:]
        meta = rest.pop(0) if rest and isinstance(rest[0], _Meta) else None
        return ("rule", number, name, operation, meta, rest)

    def triggers(self, children):
        return ("triggers", children[1:])

    def filters(self, children):
        return ("filters", children[1:])

    def match_all(self, children):
        return ("match", MatchType.ALL, None, children[0])

    def match_any(self, children):
        return ("match", MatchType.ANY, None, children[0])

    def match_advanced(self, children):
        return ("match", MatchType.ADVANCED, children[2] if len(children) > 2 else None, children[0])

    def property(self, children):
        return (children[0].value[:-1].lower(), children[1], children[0])

    def properties(self, children):
        return children

    def header(self, children):
        meta = children[2] if len(children) > 2 else None
        return (children[0], children[1], meta)

    def smart_list(self, children):
        return children


@cache
def _text_parser():
    """The text form's parser, building the model's raw tuples while it parses (no parse tree)."""
    return build("start", _ToModel())


def load_text(text: str, document: Document) -> None:
    comments: list[Token] = []
    _COMMENTS[:] = []
    source = text if text.endswith("\n") else text + "\n"
    try:
        raw_lists = _text_parser().parse(source)
        comments = list(_COMMENTS)
        starts = [raw[0][0].line for raw in raw_lists] + [10**9]
        for index, raw in enumerate(raw_lists):
            own = [c for c in comments if starts[index] <= c.line < starts[index + 1]]
            document.lists.append(_build(raw, index, document, own))
    except UnexpectedInput as exc:
        document.lists.clear()
        document.errors.append(InputError(_syntax_message(exc, source), Location(document.path, exc.line or 1, exc.column or 1)))
    except (TextFormError, VisitError) as exc:
        err = exc.orig_exc if isinstance(exc, VisitError) else exc
        if not isinstance(err, TextFormError):
            raise err
        document.lists.clear()
        document.errors.append(InputError(err.message, Location(document.path, err.line or 1, err.column or 1)))
    finally:
        _COMMENTS[:] = []


def _syntax_message(exc: UnexpectedInput, source: str) -> str:
    if isinstance(exc, UnexpectedCharacters):
        char = source[exc.pos_in_stream] if exc.pos_in_stream < len(source) else ""
        what = f"unexpected {char!r}" if char.strip() else "unexpected text"
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            what = "unexpected end of file"
        elif token.type == "_NL":
            what = "unexpected end of line"
        else:
            what = f"unexpected {token.value.strip()[:40]!r}"
    elif isinstance(exc, UnexpectedEOF):
        what = "unexpected end of file"
    else:  # pragma: no cover
        what = "syntax error"
    expected = sorted({_EXPECTED.get(t, t.lower()) for t in (getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())})
    if expected:
        return f"{what}; expected {' or '.join(expected[:6])}"
    return what


def _loc(document: Document, token: Token | None, pointer: str) -> Location:
    return Location(document.path, getattr(token, "line", 0) or 0, getattr(token, "column", 0) or 0, pointer)


def _flags(meta: _Meta | None) -> dict[tuple[str, ...], Any]:
    out: dict[tuple[str, ...], Any] = {}
    for words, value in meta.items if meta else ():
        out[tuple(w.lower() for w in words)] = (words, value)
    return out


def _build(raw: list, index: int, document: Document, comments: list[Token]) -> SmartList:
    (kind_token, name, header_meta), properties, *sections = raw
    pointer = f"/{index}"
    kind = ListKind(" ".join(kind_token.value.lower().split()))
    fields: dict[str, Any] = {}
    list_id = None
    for key, (words, value) in _flags(header_meta).items():
        if key == ("id",) and isinstance(value, int):
            list_id = value
        else:
            raise TextFormError(f"unknown list attribute `{' '.join(words)}`; expected `id N`", kind_token)

    for key, items, token in properties:
        fields.update(_property(key, items, token))

    match_type, logic_text, match_token, logic_token = MatchType.ALL, None, None, None
    filters: tuple[Filter, ...] = ()
    triggers: tuple[Filter, ...] = ()
    rule_lines: list[tuple[int, int | None]] = []  # (line, filter number or None for triggers)
    for section in sections:
        if section[0] == "match":
            _, match_type, logic_token, match_token = section
            logic_text = (logic_token.value.strip() or None) if logic_token is not None else None
        else:
            is_filters = section[0] == "filters"
            group = "filters" if is_filters else "triggers"
            built = tuple(
                _rule(rule, n + 1, f"{pointer}/rules/{group}/{n}", document) for n, rule in enumerate(section[1])
            )
            for item in built:
                rule_lines.append((item.location.line, item.number if is_filters else None))
            if is_filters:
                filters = built
            else:
                triggers = built


    smart_list = SmartList(
        name=name,
        id=list_id,
        kind=kind,
        match_type=match_type,
        logic_text=logic_text,
        filters=filters,
        triggers=triggers,
        suppressions=_suppressions(kind_token.line, rule_lines, comments, document),
        location=_loc(document, kind_token, pointer),
        **fields,
    )
    logic_pointer = f"{pointer}/rules/filterCustomRuleLogic"
    if logic_token is None:
        return attach_logic(smart_list, document, lambda offset: _loc(document, match_token, logic_pointer))
    lead = len(logic_token.value) - len(logic_token.value.lstrip())
    return attach_logic(
        smart_list,
        document,
        lambda offset: Location(document.path, logic_token.line, logic_token.column + lead + offset, logic_pointer),
    )


def _property(key: str, items: list, token: Token) -> dict[str, Any]:
    def single_string() -> str:
        if len(items) != 1 or items[0][0] or not isinstance(items[0][1], str):
            raise TextFormError(f'`{key}:` takes one quoted string, like {key}: "…"', token)
        return items[0][1]

    if key in ("description", "workspace", "url"):
        return {key: single_string()}
    if key in ("created", "updated"):
        return {f"{key}_at": single_string()}
    if key == "folder":
        folder_id = folder_type = folder_name = None
        for words, value in items:
            if not words and isinstance(value, str):
                folder_name = value
            elif [w.lower() for w in words] == ["name"] and isinstance(value, str):
                folder_name = value
            elif [w.lower() for w in words] == ["id"] and isinstance(value, int):
                folder_id = value
            elif len(words) == 1 and isinstance(value, int):
                folder_type, folder_id = words[0], value
            elif len(words) == 1 and value is None:
                folder_type = words[0]
            else:
                raise TextFormError("`folder:` takes a type and id (`folder: Program 1041`) and/or a quoted name", token)
        return {"folder": Folder(folder_id, folder_type, folder_name)}
    if key in ("campaign", "program"):
        ident = name = ctype = active = None
        for words, value in items:
            lowered = [w.lower() for w in words]
            if lowered == ["id"] and isinstance(value, int):
                ident = value
            elif lowered == ["name"] and isinstance(value, str):
                name = value
            elif key == "campaign" and value is None and lowered in (["batch"], ["trigger"]):
                ctype = lowered[0]
            elif key == "campaign" and value is None and lowered in (["active"], ["inactive"]):
                active = lowered[0] == "active"
            else:
                raise TextFormError(
                    "`campaign:` takes batch or trigger, active or inactive, `id N`, `name \"…\"`"
                    if key == "campaign"
                    else "`program:` takes `id N` and `name \"…\"`",
                    token,
                )
        if key == "campaign":
            return {"campaign": Campaign(ident, name, ctype, active)}
        return {"program": Program(ident, name)}
    raise TextFormError(f"unknown property `{key}:`", token)  # pragma: no cover - the grammar allows no other


def _rule(raw: tuple, number: int, pointer: str, document: Document) -> Filter:
    _, number_token, name, inline, meta, raw_conditions = raw
    written = int(number_token.value[:-1])
    if written != number:
        raise TextFormError(f"filter numbers must run 1, 2, 3…: found {written}. where {number}. was expected", number_token)
    flags = _flags(meta)
    fields: dict[str, Any] = {}
    inline_flags: dict[tuple[str, ...], Any] = {}
    for key, (words, value) in flags.items():
        if key == ("id",) and isinstance(value, int):
            fields["id"] = value
        elif key and key[0] == "type" and len(key) <= 2 and (value is None or isinstance(value, int)):
            if len(words) == 2:
                fields["rule_type"] = words[1]
            if value is not None:
                fields["rule_type_id"] = value
        elif key == ("operator",) and isinstance(value, str):
            fields["operator"] = value
        elif key == ("negative",) and value is None:
            fields["negative"] = True
        elif inline is not None and key in (("attribute", "id"), ("primary",), ("not", "primary"), ("error",)):
            inline_flags[key] = (words, value)
        else:
            raise TextFormError(
                f"unknown filter attribute `{' '.join(words)}`; expected `id N`, `type Activity N`, "
                '`operator "occurs"` or `negative`',
                number_token,
            )
    conditions = []
    if inline is not None:
        conditions.append(_condition(name, inline, inline_flags, True, number_token, f"{pointer}/conditions/0", document, inline=True))
    for raw_condition in raw_conditions:
        _, attribute, operation, cmeta, token = raw_condition
        conditions.append(
            _condition(attribute, operation, _flags(cmeta), not conditions, token, f"{pointer}/conditions/{len(conditions)}", document)
        )
    return Filter(number=number, name=name, conditions=tuple(conditions), location=_loc(document, number_token, pointer), **fields)


def _condition(attribute: str, operation: tuple, flags: dict, first: bool, token: Token, pointer: str, document: Document, inline: bool = False) -> Condition:
    operator, values = operation
    attribute_id = None
    primary = first
    error = None
    for key, (words, value) in flags.items():
        if key == (("attribute", "id") if inline else ("id",)) and isinstance(value, int):
            attribute_id = value
        elif key == ("primary",) and value is None:
            primary = True
        elif key == ("not", "primary") and value is None:
            primary = False
        elif key == ("error",) and (value is None or isinstance(value, str)):
            error = value or ""
        else:
            raise TextFormError(
                f"unknown condition attribute `{' '.join(words)}`; expected `id N`, `primary`, `not primary` or `error \"…\"`",
                token,
            )
    return Condition(attribute, operator, tuple(values), attribute_id, primary, error, _loc(document, token, pointer))


def _suppressions(header_line: int, rule_lines: list[tuple[int, int | None]], comments: list[Token], document: Document) -> tuple[Suppression, ...]:
    """`# smartlint: disable=…` comments of this list: on a filter's lines they suppress for that
    filter, above the first filter for the whole list."""
    if not comments:
        return ()
    out = []
    for comment in comments:
        match = DISABLE_RE.search(comment.value)
        if not match or comment.line < header_line:
            continue
        owner: int | None = None
        for line, number in rule_lines:
            if line <= comment.line:
                owner = number
        codes = tuple(c.strip() for c in match.group(1).split(","))
        out.append(Suppression(codes, owner, Location(document.path, comment.line, comment.column)))
    return tuple(out)
