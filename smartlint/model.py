"""The typed AST every loader produces and every check reads, in Marketo's own words.

Nothing downstream of the loaders looks at raw dicts: a smart list is a :class:`SmartList` of
:class:`Filter` objects, each holding :class:`Condition` objects, and advanced filter logic is an
expression tree of :class:`Ref`, :class:`And`, :class:`Or` and :class:`Not`.

Source positions (:class:`Location`) never take part in equality, so a list read from JSON equals
the same list read from YAML or the text form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Union


class MatchType(str, Enum):
    """How the filters combine: Marketo's `Use ALL filters`, `Use ANY filters` or advanced logic."""

    ALL = "ALL"
    ANY = "ANY"
    ADVANCED = "ADVANCED"


class ListKind(str, Enum):
    SMART_LIST = "smart list"
    CAMPAIGN = "campaign smart list"
    PROGRAM = "program smart list"


class Form(str, Enum):
    """The three input forms."""

    JSON = "json"
    YAML = "yaml"
    TEXT = "text"


# Not frozen, for speed: a frozen dataclass's __init__ sets each field through object.__setattr__,
# which made it 3.4 times slower (1.41 µs against 0.42 µs a Location, measured), and loaders build
# millions of these; a frozen class also costs two more generated methods at import (the model's
# 15 classes: ~5 % of a one-file run). Treat them as immutable all the same: nothing changes one
# once it is built except the caches marked as such. unsafe_hash keeps them hashable by value.
# Every class has a docstring: without one, @dataclass computes a signature for it at import.
@dataclass(slots=True, unsafe_hash=True)
class Location:
    """Where something stands: 1-based line and column (0 when unknown) and a JSON pointer."""

    path: str
    line: int = 0
    column: int = 0
    pointer: str = ""

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


NOWHERE = Location("")


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Condition:
    """One constraint of a filter: `Web Page: is "Landing Page 01"`."""

    attribute: str
    operator: str
    values: tuple[str, ...] = ()
    attribute_id: int | None = None
    primary: bool = False
    error: str | None = None
    location: Location = field(default=NOWHERE, compare=False)
    # the JSON keys the file used, "attribute" (attributeId/Name) or "activityAttribute"; None:
    # the usual ones for the filter's rule type. Kept so that `convert` writes back what it read;
    # the same condition either way, so no part of equality.
    key: str | None = field(default=None, compare=False)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Filter:
    """A numbered filter (or trigger) of a smart list.

    ``rule_type`` is Marketo's ``ruleType`` (``Activity`` / ``Attribute``) when the export gives it;
    ``operator`` is the rule-level operator such as ``occurs`` for activity filters.
    """

    number: int
    name: str
    conditions: tuple[Condition, ...] = ()
    id: int | None = None
    rule_type: str | None = None
    rule_type_id: int | None = None
    operator: str | None = None
    negative: bool = False
    location: Location = field(default=NOWHERE, compare=False)
    # What the checks and the export analysis ask of a filter, ~15 times each: derived when the
    # filter is built (by a loader, the recipe or a test alike) and read as plain attributes.
    kind: str = field(init=False, compare=False, repr=False)  # catalog.filter_kind
    signature: tuple = field(init=False, compare=False, repr=False)  # checks.signature.filter_signature
    # [kind, signature, cost, signature_text] (the last two None until asked for): one list shared
    # by every filter of the same content (see _derived_values); given, for a renumbered copy
    _derived: list | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        shared = self._derived
        if shared is None:
            self._derived = shared = _derived_values(self)
        self.kind, self.signature = shared[0], shared[1]

    @property
    def signature_text(self) -> str:
        """repr() of the signature as the list wrote it (a renamed field keeps its written name:
        naming Blocklisted and Black Listed as one field must not change a fingerprint, or every
        baseline holding one), what a finding's fingerprint is made of: made once for all the
        filters of the same content (25,000 findings at 10,000 lists, ~1 µs each)."""
        shared = self._derived
        if shared[3] is None:
            from .checks.signature import written_signature

            shared[3] = repr(written_signature(self))
        return shared[3]

    @property
    def primary(self) -> Condition | None:
        for condition in self.conditions:
            if condition.primary:
                return condition
        return self.conditions[0] if self.conditions else None


# Filter content (all but its number, id and place) -> [kind, signature, cost, …]. An export repeats
# the same filters in list after list (the bench's 72,621 filters have 10,070 contents), and
# computing the three took ~4 µs a filter where making this key and looking it up takes ~0.7 µs.
_DERIVED: dict[tuple, list] = {}
_DERIVE: tuple[Callable[[Filter], str], Callable[[Filter], tuple]] | None = None


def _derived_values(item: Filter) -> list:
    key = (item.name, item.rule_type, item.rule_type_id, item.operator, item.negative,
           *[(c.attribute, c.operator, c.values, c.attribute_id, c.primary, c.error) for c in item.conditions])
    found = _DERIVED.get(key)
    if found is None:
        kind_of, signature_of = _DERIVE or _derivers()
        found = _DERIVED[key] = [kind_of(item), signature_of(item), None, None]
    return found


def _derivers() -> tuple[Callable[[Filter], str], Callable[[Filter], tuple]]:
    """catalog.filter_kind and checks.signature.filter_signature, imported when the first filter
    is built: both import this module."""
    global _DERIVE
    from .catalog import filter_kind
    from .checks.signature import filter_signature

    _DERIVE = (filter_kind, filter_signature)
    return _DERIVE


# ---- advanced filter logic -------------------------------------------------------------------


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Ref:
    """A filter number in advanced logic."""

    number: int


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class And:
    """Terms that must all hold."""

    items: tuple["Logic", ...]


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Or:
    """Terms of which one must hold."""

    items: tuple["Logic", ...]


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Not:
    """A negated term."""

    item: "Logic"


Logic = Union[Ref, And, Or, Not]


def logic_refs(logic: Logic) -> list[Ref]:
    """Every filter reference in the expression, left to right (iterative: logic may nest deeply)."""
    out: list[Ref] = []
    stack: list[Logic] = [logic]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            out.append(node)
        elif isinstance(node, Not):
            stack.append(node.item)
        else:
            stack.extend(reversed(node.items))
    return out


def format_logic(logic: Logic) -> str:
    """Canonical text of a logic expression: `1 and (2 or not 3)`."""
    if isinstance(logic, Ref):
        return str(logic.number)
    if isinstance(logic, Not):
        inner = format_logic(logic.item)
        return f"not {inner}" if isinstance(logic.item, (Ref, Not)) else f"not ({inner})"
    word = " and " if isinstance(logic, And) else " or "
    parts = []
    for item in logic.items:
        text = format_logic(item)
        parts.append(f"({text})" if isinstance(item, (And, Or)) else text)
    return word.join(parts)


# ---- lists -----------------------------------------------------------------------------------


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Folder:
    """The folder a list is kept in."""

    id: int | None = None
    type: str | None = None
    name: str | None = None


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Campaign:
    """What is known of the smart campaign that owns a campaign smart list."""

    id: int | None = None
    name: str | None = None
    type: str | None = None  # "batch" | "trigger"
    is_active: bool | None = None


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Program:
    """The program that owns a program smart list."""

    id: int | None = None
    name: str | None = None


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Suppression:
    """`smartlint: disable=SL101,SL203` in a comment (text form) or in the list's description."""

    codes: tuple[str, ...]
    filter_number: int | None  # None: the whole list
    location: Location = field(default=NOWHERE, compare=False)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class SmartList:
    """A smart list, a campaign's smart list or a program's smart list."""

    name: str
    id: int | None = None
    kind: ListKind = ListKind.SMART_LIST
    match_type: MatchType = MatchType.ALL
    logic_text: str | None = None  # as the user wrote it
    logic: Logic | None = field(default=None, compare=False)  # parsed from logic_text
    filters: tuple[Filter, ...] = ()
    triggers: tuple[Filter, ...] = ()
    description: str | None = None
    workspace: str | None = None
    folder: Folder | None = None
    campaign: Campaign | None = None
    program: Program | None = None
    url: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    suppressions: tuple[Suppression, ...] = field(default=(), compare=False)
    location: Location = field(default=NOWHERE, compare=False)
    # "older": the file used the older published schema (filterMatchType All/Any/Advanced,
    # triggers as names), which `convert` writes back; None: the newer one. Spelling only.
    schema: str | None = field(default=None, compare=False)

    # batch | trigger for a campaign's list, else None: nine rules and the cost model ask, of every
    # list (120,000 property calls at 10,000 lists); set once, when the list is built
    campaign_type: str | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.campaign and self.campaign.type:
            self.campaign_type = self.campaign.type.lower()
        elif self.kind is ListKind.CAMPAIGN:
            self.campaign_type = "trigger" if self.triggers else "batch"
        else:
            self.campaign_type = None

    @property
    def key(self) -> str:
        """A stable identity within a file: the id when there is one, else the name."""
        return str(self.id) if self.id is not None else self.name

    def filter(self, number: int) -> Filter | None:
        # the loaders number filters 1, 2, 3…: look there first (a search of every filter, for
        # every number of a long advanced logic, was quadratic)
        if 0 < number <= len(self.filters) and self.filters[number - 1].number == number:
            return self.filters[number - 1]
        for item in self.filters:
            if item.number == number:
                return item
        return None


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class InputError:
    """Bad input: the file cannot be read, parsed or understood as a smart list (SL001),
    or its advanced filter logic is wrong (SL002)."""

    message: str
    location: Location
    code: str = "SL001"
    list_name: str | None = None
    list_id: int | None = None


@dataclass(slots=True)
class Document:
    """What one loader made of one file."""

    path: str
    form: Form
    lists: list[SmartList] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    text: str | None = None  # kept to resolve JSON positions lazily
    positions: Any = field(default=None, repr=False)  # pointer -> (line, column), built on demand
    skipped: str | None = None  # why a file found in a folder was not linted (not a smart list)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see Location
class Finding:
    """One reported problem: what the engine makes of a check's problem or an input error."""

    code: str
    name: str
    severity: str  # error | warning | info
    message: str
    location: Location
    list_id: int | None = None
    list_name: str | None = None
    filter: int | None = None
    key: str = ""  # what the fingerprint is made of: list, rule, filter signature; no path (engine)

    @property
    def fingerprint(self) -> str:
        """A short hash of `key`, which does not depend on line numbers. Made when an output asks
        for it: text output does not, and need not import hashlib (~2 ms of start-up)."""
        import hashlib

        # surrogatepass: a name with a lone surrogate, or a file name that is not UTF-8, still
        # gets a stable fingerprint
        return hashlib.sha256(self.key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
