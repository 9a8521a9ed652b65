"""The readable text form (`.smartlist`), parsed by the Lark LALR grammar in `grammar/`.

Lark reads the document: each list's header, property and match lines and its `triggers:` and
`filters:` sections are its tokens. The lines inside them are read with regular expressions
assembled from the grammar's own line terminals (`grammar.compile_line`), the model is built as
they are read, and a line they refuse is parsed with the grammar's line rules for the exact
message and column.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

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
from . import comment_owner
from .grammar import COMMENTS as _COMMENTS, compile_line, parser
from .numbers import out_of_range, whole_number
from .rest import DISABLE_RE, attach_logic, disabled_codes

_STRING_DECODER = json.JSONDecoder()  # strict: a raw control character must be escaped
_VALUES_DECODER = json.JSONDecoder(parse_int=str, parse_float=str)  # numbers kept as written

_EXPECTED = {
    "HEAD": '`smart list "Name"`',
    "TRIGGERS": "`triggers:`",
    "FILTERS": "`filters:`",
    "LIST_KIND": '`smart list "Name"`',
    "PROP_KEY": "a property such as `description:`",
    "USE": "`use ALL filters` (or ANY, or advanced)",
    "MATCH_ALL": "`ALL filters`",
    "MATCH_ANY": "`ANY filters`",
    "MATCH_ADVANCED": "`advanced filters:`",
    "LOGIC_TEXT": "the filter logic",
    "SECTION_KEY": "`filters:` or `triggers:`",
    "RULE_NUMBER": "a numbered filter like `1. Email Address`",
    "STRING": 'a quoted string like "Name"',
    "BARE_NAME": "a name",
    "OPERATOR": "an operator such as `is` or `contains`",
    "NUMBER": "a number",
    "VALUES": 'values such as "France", 10 or true',
    "WORD": "a word",
    "COLON": "`:`",
    "COMMA": "`,`",
    "META": "`[id N, …]`",
    "$END": "the end of the line",
    "<END-OF-FILE>": "the end of the line",
}

_S = r"[\t \f]*+"  # the blanks the grammar ignores between tokens (possessive: see the grammar)
_END = _S + r"(?P<comment>#[^\n]*)?\Z"
# `[…]` with the id read apart: every list and filter has an id of its own, while the rest of
# their brackets are alike on thousands of filters and can be cached (`_rule_meta`)
_META = r"(?:" + _S + r"(?P<meta>(?=\[id[ \t]++(?P<rid>\d++)[ \t]*+(?:,(?P<rest>)|\]))?{META}))?"


@cache
def _lines() -> SimpleNamespace:
    """The line grammar of grammar/smartlist.lark as regular expressions, one per line rule."""
    return SimpleNamespace(
        header=compile_line(r"(?P<kind>{LIST_KIND})" + _S + r"(?P<name>{STRING})" + _META + _END),
        # `string` is set when the items are one quoted string, as in `workspace: "Default"`
        property=compile_line(
            r"(?P<key>{PROP_KEY})" + _S + r":(?P<items>" + _S + r"(?P<string>{STRING})" + _S + r"(?=#|\Z)|[^\"#\n]*(?:{STRING}[^\"#\n]*)*)" + _END
        ),
        match=compile_line(
            r"{USE}" + _S + r"(?:(?P<all>{MATCH_ALL})|(?P<any>{MATCH_ANY})|{MATCH_ADVANCED}" + _S + r"(?P<logic>{LOGIC_TEXT})?)" + _END
        ),
        section=compile_line(r"{SECTION_KEY}" + _S + ":" + _END),
        # one line of a section: a filter's line, a condition's line, or neither (blank or comment)
        section_line=compile_line(
            _S
            + r"(?:(?P<number>{RULE_NUMBER})" + _S + r"(?:(?P<qname>{STRING})|(?P<name>{BARE_NAME}))"
            + r"(?:" + _S + ":" + _S + r"(?:(?P<op>{OPERATOR})|(?P<qop>{STRING}))" + _S + r"(?P<values>{VALUES})?)?"
            + _META
            + r"|(?!{RULE_NUMBER})(?:(?P<cqname>{STRING})|(?P<cname>{BARE_NAME}))"
            + _S + ":" + _S + r"(?:(?P<cop>{OPERATOR})|(?P<cqop>{STRING}))" + _S + r"(?P<cvalues>{VALUES})?"
            + r"(?:" + _S + r"(?P<cmeta>{META}))?"
            + r")?" + _S + r"(?P<comment>#[^\n]*)?\r?\n"
        ),
    )


_NUMBERED = re.compile(r"[\t \f]*\d+\.")
_VALUE = re.compile(r'"(?:[^"\\\n\r]|\\.)*"|[^\s,"]+')
_ITEM = re.compile(  # possessive, like the grammar's terminals: linear on hostile blanks
    r'\s*+(?P<words>[A-Za-z_][\w-]*+(?:\s++[A-Za-z_][\w-]*+)*+)?\s*+'
    r'(?P<value>"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"|-?\d+(?:\.\d+)?(?![\w.]))?\s*+(?P<end>,|$)'
)


class TextFormError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _NumberError(Exception):
    """A number out of range at `offset` in the text being read."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class _Comment:
    __slots__ = ("value", "line", "column")

    def __init__(self, value: str, line: int, column: int) -> None:
        self.value, self.line, self.column = value, line, column


def _string(raw: str, line: int, column: int) -> str:
    if raw.count('"') == 2 and "\\" not in raw and raw.isprintable():  # nothing to decode
        return raw[1:-1]
    try:
        return _STRING_DECODER.decode(raw)
    except ValueError as exc:
        bad = next((c for c in raw if ord(c) < 0x20 or c == "\x7f"), None)
        if bad is not None:
            raise TextFormError(f"control character U+{ord(bad):04X} in a string; write it as \\u{ord(bad):04x}", line, column) from None
        raise TextFormError(f"bad escape in string {raw[:40]}: {getattr(exc, 'msg', exc)}", line, column) from None


_LITERALS = {"true": ("true",), "false": ("false",)}


_BETWEEN = frozenset({"between", "not between"})


def _check_and(operator: str, values: list[str], raw: str, line: int, column: int, joined_at: int) -> None:
    """`between 50 and 100` is how the Marketo UI writes it; `and` anywhere else, or joining more
    than two values, would read as something it is not."""
    if operator.lower() not in _BETWEEN:
        shown = ", ".join(m.group() for m in _VALUE.finditer(raw) if m.group().lower() != "and")
        raise TextFormError(f"`and` joins the two values of `between`; separate values with commas: {operator} {shown}", line, joined_at)
    if len(values) != 2:
        raise TextFormError(f"`between` takes two values: between 1 and 2 (found {len(values)})", line, column)


def _values(raw: str, line: int, column: int, operator: str = "") -> tuple[str, ...]:
    """Split the values of a condition (their shape is checked) into strings, numbers kept as
    written. One C call for the usual case: the list is a JSON array without its brackets."""
    if raw[0] == '"' and raw[-1] == '"' and raw.count('"') == 2:  # one string
        return (_string(raw, line, column),)
    if raw in _LITERALS:
        return _LITERALS[raw]
    try:
        values = _VALUES_DECODER.decode(f"[{raw}]")
    except ValueError:  # True, 007, a bad escape, `50 and 100`…: value by value, as written
        out = []
        joined_at = None  # the column of the first `and` (the grammar allows no bare value `and`)
        for match in _VALUE.finditer(raw):
            text = match.group()
            if text.lower() == "and":
                joined_at = joined_at or column + match.start()
                continue
            out.append(_string(text, line, column + match.start()) if text.startswith('"') else text)
        if joined_at is not None:
            _check_and(operator, out, raw, line, column, joined_at)
        return tuple(out)
    if True in values or False in values:  # the others are all strings here
        values = ["true" if v is True else "false" if v is False else v for v in values]
    return tuple(values)


_WORDS = re.compile(r"[A-Za-z_][\w-]*+(?:\s++[A-Za-z_][\w-]*+)*+")
_INTEGER = re.compile(r"-?\d+")


def _items(inner: str) -> tuple[tuple[tuple[str, ...], Any, int], ...] | int:
    """`id 459, type Activity 1, operator "occurs"` → ((("id",), 459, 0), (("type", "Activity"), 1, 8), …),
    each with the offset of its part; or the offset where the text stops making sense."""
    items = []
    offset = 0
    for part in inner.split(","):  # a part that does not read simply sends all to the careful reader
        quote = part.find('"')
        value: Any = None
        if quote >= 0:
            tokens = part[:quote].split()
            value = part[quote:].rstrip()
            if value.count('"') != 2 or value[-1] != '"' or "\\" in value:
                return _items_slow(inner)
        else:
            tokens = part.split()
            if tokens and _INTEGER.fullmatch(tokens[-1]):
                value = whole_number(tokens[-1])
                if value is None:  # out of range: the careful reader says where
                    return _items_slow(inner)
                tokens.pop()
        if (tokens and not _WORDS.fullmatch(" ".join(tokens))) or (not tokens and value is None):
            return _items_slow(inner)
        items.append((tuple(tokens), value, offset + (quote if quote >= 0 else 0)))
        offset += len(part) + 1
    return tuple(items)


def _items_slow(inner: str) -> tuple[tuple[tuple[str, ...], Any, int], ...] | int:
    """`_items` for any text the grammar allows: quoted strings with commas or escapes."""
    items = []
    position = 0
    while position <= len(inner):
        match = _ITEM.match(inner, position)
        if match is None or (not match.group("words") and match.group("value") is None) or match.end() == position:
            return position
        words = tuple(match.group("words").split()) if match.group("words") else ()
        raw = match.group("value")
        value: Any = None
        if raw is not None:
            value = raw if raw.startswith('"') or "." in raw else whole_number(raw)
            if value is None:
                raise _NumberError(out_of_range("the number", raw), match.start("value"))
        items.append((words, value, match.start("value")))
        if match.group("end") == "":
            break
        position = match.end()
    return tuple(items)


def _read_items(inner: str, line: int, column: int, what: str) -> list[tuple[tuple[str, ...], Any]]:
    """The items of `[…]` or of a property, strings decoded; `column` is that of `inner`."""
    try:
        items = _items(inner)
    except _NumberError as exc:
        raise TextFormError(exc.message, line, column + exc.offset) from None
    if isinstance(items, int):
        raise TextFormError(what, line, column + items)
    return [
        (words, _string(value, line, column + at) if isinstance(value, str) and value.startswith('"') else value)
        for words, value, at in items
    ]


_FLAGS_ERROR = "expected `[word value, …]` such as `[id 459, type Activity 1]`"


@lru_cache(maxsize=16384)
def _flags_of(inner: str) -> dict[tuple[str, ...], tuple[tuple[str, ...], Any]] | tuple[str, int]:
    """The items of `[…]` by their lowercased words, strings decoded; or (message, offset) for
    what cannot be read. Cached: `[type Activity 1, operator "occurs"]` and `[id 1]` come back
    on thousands of filters."""
    try:
        items = _read_items(inner, 0, 0, _FLAGS_ERROR)  # positions from 0: the offset in `inner`
    except TextFormError as exc:
        return (exc.message, exc.column)
    return {tuple(map(str.lower, words)): (words, value) for words, value in items}


def _flags(inner: str | None, line: int, column: int) -> dict[tuple[str, ...], tuple[tuple[str, ...], Any]]:
    """The flags of `[…]`; `column` is that of the text inside the brackets."""
    if not inner:
        return {}
    flags = _flags_of(inner)
    if isinstance(flags, tuple):
        raise TextFormError(flags[0], line, column + flags[1])
    return flags


def _diagnose(start: str, text: str, line: int, column: int) -> TextFormError:
    """The grammar's own account of a line the line expressions refused; `column` is where `text`
    starts in the file."""
    try:
        parser().parse(text, start=start)
    except UnexpectedInput as exc:
        at = exc.column if isinstance(exc.column, int) and exc.column > 0 else len(text) + 1
        return TextFormError(_syntax_message(exc, text), line, column + at - 1)
    return TextFormError("this line cannot be read", line, column)  # pragma: no cover - they agree


def load_text(text: str, document: Document) -> None:
    _COMMENTS[:] = []
    source = text if text.endswith("\n") else text + "\n"
    try:
        tree = parser().parse(source, start="start")
        comments = [_Comment(t.value, t.line, t.column) for t in _COMMENTS]
        read = [_read_list(node.children, index, document, comments) for index, node in enumerate(tree.children)]
        starts = [fields["location"].line for fields, _ in read] + [10**9]
        # each list's comments, in one sweep (comparing every comment with every list was
        # quadratic: 8,000 lists with a comment each took 17 s); those above the first list go to
        # it, and _suppressions passes over them
        comments.sort(key=lambda c: c.line)
        at = 0
        for index, (fields, rule_lines) in enumerate(read):
            own = []
            while at < len(comments) and comments[at].line < starts[index + 1]:
                own.append(comments[at])
                at += 1
            if own:
                fields["suppressions"] = _suppressions(starts[index], rule_lines, own, document)
            logic_at = fields.pop("logic_at")
            smart_list = SmartList(**fields)
            document.lists.append(attach_logic(smart_list, document, logic_at))
    except UnexpectedInput as exc:
        document.lists.clear()
        document.errors.append(InputError(_syntax_message(exc, source, document=True), Location(document.path, exc.line or 1, exc.column or 1)))
    except TextFormError as err:
        document.lists.clear()
        document.errors.append(InputError(err.message, Location(document.path, err.line or 1, err.column or 1)))
    finally:
        _COMMENTS[:] = []


def _syntax_message(exc: UnexpectedInput, source: str, document: bool = False) -> str:
    if isinstance(exc, UnexpectedCharacters):
        char = source[exc.pos_in_stream] if exc.pos_in_stream < len(source) else ""
        what = f"unexpected {char!r}" if char.strip() else "unexpected text"
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            what = "unexpected end of file" if document else "unexpected end of line"
        else:
            what = f"unexpected {(token.value.strip().splitlines() or [''])[0][:40]!r}"
    elif isinstance(exc, UnexpectedEOF):
        what = "unexpected end of file" if document else "unexpected end of line"
    else:  # pragma: no cover
        what = "syntax error"
    names = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()
    expected = sorted({("the end of the file" if document and t == "$END" else _EXPECTED.get(t, t.lower())) for t in names})
    if expected:
        return f"{what}; expected {' or '.join(expected[:6])}"
    return what


_KINDS = {kind.value: kind for kind in ListKind}
# the properties that take one quoted string, and their SmartList fields
_ONE_STRING = {"description": "description", "workspace": "workspace", "url": "url", "created": "created_at", "updated": "updated_at"}


def _split(token: Token) -> list[str]:
    """The token's lines, without their line ends."""
    lines = token.value.split("\n")
    lines.pop()  # the token ends with its line end
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _read_list(tokens: list[Token], index: int, document: Document, comments: list[_Comment]) -> tuple[dict[str, Any], list[tuple[int, int | None]]]:
    """The fields of one SmartList from its tokens, and the line of each of its filters and
    triggers (None for a trigger) for the suppression comments."""
    lines = _lines()
    path = document.path
    pointer = f"/{index}"
    head = tokens[0]
    raw_lines = _split(head)
    match = lines.header.match(raw_lines[0])
    if match is None:
        raise _diagnose("header_line", raw_lines[0], head.line, head.column)
    _comment(match, head.line, head.column, comments)
    fields: dict[str, Any] = {
        "kind": _KINDS[" ".join(match["kind"].lower().split())],
        "name": _string(match["name"], head.line, head.column + match.start("name")),
        "id": None,
        "location": Location(path, head.line, head.column, pointer),
    }
    own_id, rest, _ = _split_id(match) if match["meta"] else (None, "", 0)
    if own_id is not None and not rest:  # the usual `[id 1043]`: no need for the item reader
        fields["id"] = own_id
    elif match["meta"]:
        for key, (words, value) in _flags(match["meta"][1:-1], head.line, head.column + match.start("meta") + 1).items():
            if key == ("id",) and isinstance(value, int):
                fields["id"] = value
            elif key == ("older", "schema") and value is None:  # JSON and YAML written back in it
                fields["schema"] = "older"
            else:
                raise TextFormError(f"unknown list attribute `{' '.join(words)}`; expected `id N` or `older schema`", head.line, head.column)
    match_type, logic_text, logic_at = MatchType.ALL, None, (head.line, head.column)
    seen_match = False
    line = head.line
    for raw in raw_lines[1:]:
        line += 1
        text = raw.lstrip(" \t\f")
        if not text:
            continue
        column = len(raw) - len(text) + 1
        if text[0] == "#":
            comments.append(_Comment(text, line, column))
            continue
        match = lines.property.match(text)
        if match is not None:
            if seen_match:
                raise TextFormError("properties come before the filter logic (`use ALL filters`…)", line, column)
            _comment(match, line, column, comments)
            key = match["key"].lower()
            if key in _ONE_STRING and match["string"]:  # the usual `workspace: "Default"`, without the item reader
                fields[_ONE_STRING[key]] = _string(match["string"], line, column + match.start("string"))
                continue
            items = _read_items(match["items"], line, column + match.start("items"), f"`{key}:` expected items such as `Program 1041` or \"name\"")
            fields.update(_property(key, items, line, column))
            continue
        match = lines.match.match(text)
        if match is None:
            raise _diagnose("head_line", text, line, column)
        if seen_match:
            raise TextFormError("the filter logic is given twice", line, column)
        seen_match = True
        _comment(match, line, column, comments)
        if match["all"]:
            match_type = MatchType.ALL
        elif match["any"]:
            match_type = MatchType.ANY
        else:
            match_type = MatchType.ADVANCED
            logic = match["logic"] or ""
            logic_text = logic.strip() or None
            start = match.start("logic") if match["logic"] else match.end()
            logic_at = (line, column + start + len(logic) - len(logic.lstrip()))
    rule_lines: list[tuple[int, int | None]] = []
    for token in tokens[1:]:
        is_filters = token.type == "FILTERS"
        group = "filters" if is_filters else "triggers"
        built = _section(token, f"{pointer}/rules/{group}", path, comments)
        rule_lines.extend((item.location.line, item.number if is_filters else None) for item in built)
        fields[group] = built
    fields["match_type"] = match_type
    fields["logic_text"] = logic_text
    logic_pointer = f"{pointer}/rules/filterCustomRuleLogic"
    at_line, at_column = logic_at
    fields["logic_at"] = lambda offset: Location(path, at_line, at_column + offset if logic_text is not None else at_column, logic_pointer)
    return fields, rule_lines


def _comment(match: re.Match, line: int, column: int, comments: list[_Comment]) -> None:
    """Keep the comment at the end of a line; `column` is where the matched text starts."""
    if match["comment"]:
        comments.append(_Comment(match["comment"], line, column + match.start("comment")))


def _section(token: Token, pointer: str, path: str, comments: list[_Comment]) -> tuple[Filter, ...]:
    """The filters (or triggers) of a `filters:` (`triggers:`) token: a numbered line starts
    each, the lines below it are its conditions. One expression reads each line in place."""
    lines = _lines()
    text = token.value
    end = text.index("\n")
    first = text[:end].rstrip("\r")
    match = lines.section.match(first)
    if match is None:
        raise _diagnose("section_line", first, token.line, token.column)
    _comment(match, token.line, token.column, comments)
    read = lines.section_line.match
    built: list[Filter] = []
    head: tuple[re.Match, int, int] | None = None
    conditions: list[tuple[re.Match, int, int]] = []
    line = token.line
    position = end + 1
    size = len(text)
    while position < size:
        line += 1
        match = read(text, position)
        if match is None:
            raise _refused(text, position, line, head is not None)
        base = position
        position = match.end()
        number, cname, cqname, comment = match.group("number", "cname", "cqname", "comment")
        if number is not None:
            if head is not None:
                built.append(_rule(head, conditions, len(built) + 1, pointer, path))
            head = (match, base, line)
            conditions = []
        elif cname is not None or cqname is not None:
            if head is None:
                raise _refused(text, base, line, False)
            conditions.append((match, base, line))
        if comment is not None:
            comments.append(_Comment(comment, line, match.start("comment") - base + 1))
    if head is not None:
        built.append(_rule(head, conditions, len(built) + 1, pointer, path))
    return tuple(built)


def _refused(text: str, position: int, line: int, in_filter: bool) -> TextFormError:
    """Why the section line at `position` cannot be read."""
    end = text.find("\n", position)
    raw = text[position : end if end >= 0 else len(text)].rstrip("\r")
    stripped = raw.lstrip(" \t\f")
    if _NUMBERED.match(stripped):
        return _diagnose("rule_line", raw, line, 1)
    if not in_filter:
        return TextFormError(
            f"unexpected {(stripped.split() or [stripped])[0][:40]!r}; expected a numbered filter like `1. Email Address` before its conditions",
            line,
            len(raw) - len(stripped) + 1,
        )
    return _diagnose("condition_line", raw, line, 1)


_RULE_GROUPS = ("op", "qop", "values")
_CONDITION_GROUPS = ("cop", "cqop", "cvalues")


def _operation(match: re.Match, line: int, base: int, groups: tuple[str, str, str] = _RULE_GROUPS) -> tuple[str, tuple[str, ...]]:
    """The operator and values of a filter's line (or, with _CONDITION_GROUPS, a condition's)."""
    op, qop, raw = match.group(*groups)
    if op is not None:
        operator = op if " " not in op and "\t" not in op else " ".join(op.split())
    else:
        operator = _string(qop, line, match.start(groups[1]) - base + 1)
    return operator, (_values(raw, line, match.start(groups[2]) - base + 1, operator) if raw else ())


_UNKNOWN_RULE_FLAG = "unknown filter attribute `{}`; expected `id N`, `type Activity N`, `operator \"occurs\"` or `negative`"
_UNKNOWN_CONDITION_FLAG = "unknown condition attribute `{}`; expected `id N`, `primary`, `not primary`, `error \"…\"` or `key attribute`"
_INLINE_KEYS = {("attribute", "id"): ("id",), ("primary",): ("primary",), ("not", "primary"): ("not", "primary"), ("error",): ("error",),
                ("key", "attribute"): ("key", "attribute"), ("key", "activityattribute"): ("key", "activityattribute")}
# `key attribute` / `key activityAttribute`: the JSON keys (attributeId/Name or activityAttributeId/Name)
# of a condition that did not use the usual ones for its rule type, so that `convert` gives them back
_CONDITION_KEYS = {("key", "attribute"): "attribute", ("key", "activityattribute"): "activityAttribute"}


@lru_cache(maxsize=16384)
def _rule_meta(inner: str, inline: bool) -> tuple:
    """What `[…]` says about a filter: (id, type, type id, operator, negative, flags of its inline
    condition), or (message, offset) with offset None for "at the filter's number". Cached: ids
    apart (see `_split_id`), the brackets of a kind of filter are all alike."""
    flags = _flags_of(inner)
    if isinstance(flags, tuple):
        return flags
    item_id = rule_type = rule_type_id = operator = None
    negative = False
    condition_flags = {}
    for key, (words, value) in flags.items():
        if key == ("id",) and isinstance(value, int):
            item_id = value
        elif key and key[0] == "type" and len(key) <= 2 and (value is None or isinstance(value, int)):
            if len(words) == 2:
                rule_type = words[1]
            if value is not None:
                rule_type_id = value
        elif key == ("operator",) and isinstance(value, str):
            operator = value
        elif key == ("negative",) and value is None:
            negative = True
        elif inline and key in _INLINE_KEYS:
            condition_flags[_INLINE_KEYS[key]] = (words, value)
        else:
            return (_UNKNOWN_RULE_FLAG.format(" ".join(words)), None)
    return (item_id, rule_type, rule_type_id, operator, negative, _condition_meta_of(condition_flags))


def _condition_meta_of(flags: dict) -> tuple:
    """(attribute id, primary: True, False or None for "as placed", error, JSON keys), or (message, None)."""
    attribute_id = primary = error = json_keys = None
    for key, (words, value) in flags.items():
        if key == ("id",) and isinstance(value, int):
            attribute_id = value
        elif key == ("primary",) and value is None:
            primary = True
        elif key == ("not", "primary") and value is None:
            primary = False
        elif key == ("error",) and (value is None or isinstance(value, str)):
            error = value or ""
        elif key in _CONDITION_KEYS and value is None:
            json_keys = _CONDITION_KEYS[key]
        else:
            return (_UNKNOWN_CONDITION_FLAG.format(" ".join(words)), None)
    return (attribute_id, primary, error, json_keys)


@lru_cache(maxsize=16384)
def _condition_meta(inner: str) -> tuple:
    flags = _flags_of(inner)
    return flags if isinstance(flags, tuple) else _condition_meta_of(flags)


_NOTHING_MORE = (None, None, None, None, False, (None, None, None, None))  # `_rule_meta` of `[id N]` alone


def _split_id(match: re.Match) -> tuple[int | None, str, int]:
    """`[id 459, type Activity 1]` → (459, " type Activity 1", 7): the id (read by `_META`), the
    rest of the brackets, and where that rest starts inside them."""
    meta, own_id = match.group("meta", "rid")
    number = whole_number(own_id) if own_id is not None else None
    if number is None:  # none, or out of range: the item reader says where
        return None, meta[1:-1], 0
    rest = match.start("rest")
    skipped = rest - match.start("meta") - 1 if rest >= 0 else len(meta) - 2
    return number, meta[skipped + 1 : -1], skipped


def _meta_error(result: tuple, line: int, column: int, offset_column: int) -> TextFormError:
    message, offset = result
    return TextFormError(message, line, column if offset is None else offset_column + offset)


def _rule(head: tuple[re.Match, int, int], raw_conditions: list, number: int, pointer: str, path: str) -> Filter:
    match, base, line = head
    column = match.start("number") - base + 1
    written, bare, quoted, op, qop, meta = match.group("number", "name", "qname", "op", "qop", "meta")
    if written != f"{number}." and whole_number(written[:-1]) != number:
        shown = written if len(written) <= 24 else f"{written[:12]}…"
        raise TextFormError(f"filter numbers must run 1, 2, 3…: found {shown} where {number}. was expected", line, column)
    pointer = f"{pointer}/{number - 1}"
    name = bare.rstrip() if bare is not None else _string(quoted, line, match.start("qname") - base + 1)
    inline = op is not None or qop is not None
    item_id = rule_type = rule_type_id = operator = None
    negative = False
    condition_meta: tuple = (None, None, None, None)
    if meta:
        own_id, rest, skipped = _split_id(match)
        result = _rule_meta(rest, inline) if rest or own_id is None else _NOTHING_MORE
        if len(result) == 2:
            raise _meta_error(result, line, column, match.start("meta") - base + 2 + skipped)
        item_id, rule_type, rule_type_id, operator, negative, condition_meta = result
        if len(condition_meta) == 2:
            raise _meta_error(condition_meta, line, column, column)
        if item_id is None:
            item_id = own_id
    conditions = []
    if inline:
        attribute_id, primary, error, json_keys = condition_meta
        operator_text, values = _operation(match, line, base)
        location = Location(path, line, column, f"{pointer}/conditions/0")
        conditions.append(Condition(name, operator_text, values, attribute_id, True if primary is None else primary, error, location, json_keys))
    for found, at_base, at in raw_conditions:
        bare = found["cname"]
        if bare is not None:
            start = found.start("cname") - at_base + 1
            attribute = bare.rstrip()
        else:
            start = found.start("cqname") - at_base + 1
            attribute = _string(found["cqname"], at, start)
        location = Location(path, at, start, f"{pointer}/conditions/{len(conditions)}")
        operator_text, values = _operation(found, at, at_base, _CONDITION_GROUPS)
        attribute_id = primary = error = json_keys = None
        meta = found["cmeta"]
        if meta:
            result = _condition_meta(meta[1:-1])
            if len(result) == 2:
                raise _meta_error(result, at, start, found.start("cmeta") - at_base + 2)
            attribute_id, primary, error, json_keys = result
        conditions.append(Condition(attribute, operator_text, values, attribute_id, not conditions if primary is None else primary, error, location, json_keys))
    return Filter(number, name, tuple(conditions), item_id, rule_type, rule_type_id, operator, negative, Location(path, line, column, pointer))


def _property(key: str, items: list, line: int, column: int) -> dict[str, Any]:
    if key in _ONE_STRING:
        if len(items) != 1 or items[0][0] or not isinstance(items[0][1], str):
            raise TextFormError(f'`{key}:` takes one quoted string, like {key}: "…"', line, column)
        return {_ONE_STRING[key]: items[0][1]}
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
                raise TextFormError("`folder:` takes a type and id (`folder: Program 1041`) and/or a quoted name", line, column)
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
                    line,
                    column,
                )
        if key == "campaign":
            return {"campaign": Campaign(ident, name, ctype, active)}
        return {"program": Program(ident, name)}
    raise TextFormError(f"unknown property `{key}:`", line, column)  # pragma: no cover - the grammar allows no other


def _suppressions(header_line: int, rule_lines: list[tuple[int, int | None]], comments: list[_Comment], document: Document) -> tuple[Suppression, ...]:
    """`# smartlint: disable=…` comments of this list: on a filter's lines they suppress for that
    filter, above the first filter for the whole list."""
    if not comments:
        return ()
    out = []
    for comment in comments:
        match = DISABLE_RE.search(comment.value)
        if not match or comment.line < header_line:
            continue
        out.append(Suppression(disabled_codes(match), comment_owner(comment.line, rule_lines), Location(document.path, comment.line, comment.column)))
    return tuple(out)
