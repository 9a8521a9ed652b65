"""Repeated filter sets (SL401): the same filters, combined with `and`, copied into many lists.

A filter's signature ignores its number, the order of its values and case where Marketo ignores
it. Sets are found through an inverted index (signature → lists), never by comparing lists in
pairs: signatures used by the same lists form a block, and a block's set grows by every block used
by all of its lists. What is reported is closed — no larger set is used by as many lists — so
subsets are not reported again. Lists whose filters share a set only partly with others give an
extra candidate: their own frequent signatures, counted by intersecting the index.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, replace
from functools import cached_property

from ..catalog import costs, lookup
from ..checks import Problem
from ..checks._common import and_chain
from ..checks.signature import filter_signature
from ..cost import filter_cost
from ..model import Filter, SmartList


_ONE = re.compile("1")


@dataclass
class RepeatedSet:
    signatures: frozenset
    filters: list[Filter]  # as written in the first list that uses the set, renumbered 1…
    lists: list[int]  # indices of the lists that use the set
    field_name: str = ""
    saving: float = 0.0

    @cached_property
    def recipe(self) -> dict:
        """How to replace the set by a Boolean field; written out for reports only (made on
        demand: 3,690 sets at 50,000 lists took 1.5 s to write out)."""
        return recipe(self)

    @property
    def score(self) -> int:
        return len(self.lists) * len(self.signatures)


class _Numbering(dict):
    """A number for each distinct key, in the order of first use; `in_order[n]` is key n."""

    def __init__(self) -> None:
        super().__init__()
        self.in_order: list = []

    def number(self, key) -> int:
        found = self.get(key)
        if found is None:
            found = self[key] = len(self.in_order)
            self.in_order.append(key)
        return found


def find_repeated_sets(lists: list[SmartList], min_size: int, min_lists: int, list_costs=None) -> list[RepeatedSet]:
    # Signatures are nested tuples, and a tuple hashes itself anew at every lookup: number each
    # distinct signature once and work on the numbers. With the blocks below numbered too and the
    # recipes written on demand, the search at 50,000 lists went from 7.4-8.1 s to 2.9-3.3 s
    # (0.52 s at 10,000: near-linear again).
    signatures = _Numbering()
    posting_of: list[list[int]] = []
    profiles: list[dict[int, Filter]] = []
    for index, smart_list in enumerate(lists):
        profile: dict[int, Filter] = {}
        for item in and_chain(smart_list):
            number = signatures.number(filter_signature(item))
            if number == len(posting_of):
                posting_of.append([])
            if number not in profile:
                posting_of[number].append(index)
            profile[number] = item  # the last of equal filters, as before
        profiles.append(profile)
    frequent = {n: p for n, p in enumerate(posting_of) if len(p) >= min_lists}
    if not frequent:
        return []

    # blocks: signatures used by exactly the same lists. A block is known by its number: its key,
    # the tuple of its lists, can be thousands long and would hash itself anew at every lookup
    blocks = _Numbering()
    block_signatures: list[list[int]] = []
    for signature, posting in frequent.items():
        block = blocks.number(tuple(posting))
        if block == len(block_signatures):
            block_signatures.append([])
        block_signatures[block].append(signature)
    block_lists: list[tuple[int, ...]] = blocks.in_order
    block_sets = [frozenset(key) for key in block_lists]
    blocks_by_list: dict[int, list[int]] = {}
    for block, key in enumerate(block_lists):
        for index in key:
            blocks_by_list.setdefault(index, []).append(block)

    found: dict[frozenset, list[int]] = {}
    for block, key in enumerate(block_lists):
        members = block_sets[block]
        closure = set(block_signatures[block])
        # a superset block contains every list of ours: look among the blocks of whichever of a few
        # of our lists is in the fewest blocks (the first list alone made this quadratic)
        probe = min((key[0], key[len(key) // 2], key[-1]), key=lambda i: len(blocks_by_list[i]))
        for other in blocks_by_list[probe]:
            if other != block and len(block_lists[other]) > len(key) and members <= block_sets[other]:
                closure.update(block_signatures[other])
        if len(closure) >= min_size:
            found.setdefault(frozenset(closure), list(key))

    # lists sharing a set only partly with others: their own frequent signatures, counted by
    # intersecting the index as bitsets (one bit per list: an `&` of two ints is C-speed, where set
    # intersections grew with the export: 0.2 s at 10k lists, 5 s at 50k)
    masks: dict[int, int] = {}

    def mask(signature: int) -> int:
        found_mask = masks.get(signature)
        if found_mask is None:
            bits = bytearray((len(lists) + 8) // 8)
            for index in frequent[signature]:
                bits[index >> 3] |= 1 << (index & 7)
            found_mask = masks[signature] = int.from_bytes(bits, "little")
        return found_mask

    seen_profiles: set[frozenset] = set()
    for index, profile in enumerate(profiles):
        own = frozenset(s for s in profile if s in frequent)
        if len(own) < min_size or own in found or own in seen_profiles:
            continue
        seen_profiles.add(own)
        ordered = sorted(own, key=lambda s: len(frequent[s]))
        common = mask(ordered[0])
        for signature in ordered[1:]:
            common &= mask(signature)
            if common.bit_count() < min_lists:
                break
        if common.bit_count() >= min_lists:
            found.setdefault(own, [m.start() for m in _ONE.finditer(bin(common)[:1:-1])])  # the set bits

    out = []
    for members, users in found.items():
        first = profiles[users[0]]
        filters = [f for n, f in first.items() if n in members]
        signature_set = frozenset(signatures.in_order[n] for n in members)
        filters.sort(key=lambda f: f.number)
        filters = [_renumbered(f, n + 1) for n, f in enumerate(filters)]
        item = RepeatedSet(signature_set, filters, users)
        item.field_name = suggest_field(filters)
        per_list = sum(filter_cost(f) for f in filters) - costs()["base"]["boolean"]
        item.saving = round(max(per_list, 0.0) * len(users), 3)
        out.append(item)
    out.sort(key=lambda r: (-r.score, -len(r.lists), sorted(map(repr, r.signatures))))
    return out


def _renumbered(f: Filter, number: int) -> Filter:
    """`replace(f, number=number)`, without replace's cost (it ran for every filter of every set)."""
    return Filter(number, f.name, f.conditions, f.id, f.rule_type, f.rule_type_id, f.operator, f.negative, f.location, f._kind, f._signature, f._cost)


def suggest_field(filters: list[Filter]) -> str:
    families = [getattr(lookup(f.name), "family", None) for f in filters]
    exclusions = sum(1 for fam in families if fam == "email-exclusion")
    rest = [f for f, fam in zip(filters, families) if fam != "email-exclusion"]
    words = []
    for item in rest[:3]:
        primary = item.primary
        if primary is not None and len(primary.values) == 1 and len(primary.values[0]) <= 20:
            words.append(primary.values[0])
        else:
            words.append(item.name)
    if exclusions >= 2:
        return " ".join(["Emailable", *words]) if words else "Emailable"
    return "Matches " + ", ".join(words)


_INVERSE = {
    "is": "is not", "is not": "is", "is empty": "is not empty", "is not empty": "is empty",
    "contains": "not contains", "not contains": "contains", "starts with": "not starts with",
    "not starts with": "starts with", "greater than": "at most", "at most": "greater than",
    "less than": "at least", "at least": "less than", "in": "not in", "not in": "in",
}


def _inverted(item: Filter) -> Filter:
    conditions = item.conditions
    if len(conditions) == 1 and conditions[0].operator.lower() in _INVERSE:
        condition = conditions[0]
        op = condition.operator.lower()
        values = condition.values
        if op == "is" and [v.lower() for v in values] in (["true"], ["false"]):
            # a Boolean: flip the value rather than use the slower `is not`
            flipped = replace(condition, values=("false" if values[0].lower() == "true" else "true",))
            return replace(item, conditions=(flipped,), _kind=None, _signature=None, _cost=None)
        return replace(item, conditions=(replace(condition, operator=_INVERSE[op]),), _kind=None, _signature=None, _cost=None)
    name = f"Not {item.name}" if not item.name.lower().startswith("not ") else item.name[4:]
    return replace(item, name=name, _kind=None, _signature=None, _cost=None)


def _text(filters: list[Filter]) -> list[str]:
    from ..sources.dump import rule_lines  # the writers: only when a set is found

    return [line for f in filters for line in rule_lines(f, max_values=10, ids=False)]


def recipe(item: RepeatedSet) -> dict:
    name = item.field_name
    inverted = [replace(_inverted(f), number=f.number) for f in item.filters]
    return {
        "field": {"name": name, "type": "Boolean"},
        "campaign": f"Maintain {name} (batch, runs daily)",
        "set_true": {
            "smart_list": ["use ALL filters", *_text(item.filters)],
            "flow": f"Change Data Value: {name} = true",
        },
        "set_false": {
            "smart_list": ["use ANY filters", *_text(inverted)],
            "flow": f"Change Data Value: {name} = false",
        },
        "replacement": f"{name}: is true",
        "estimated_saving": item.saving,
        "note": "the saving is the cost model's relative estimate per run of all these lists together",
    }


def repeated_problems(lists: list[SmartList], sets: list[RepeatedSet]):
    """One SL401 per list, for the largest set it uses."""
    best: dict[int, RepeatedSet] = {}
    for item in sets:  # ranked best first
        for index in item.lists:
            current = best.get(index)
            if current is None or len(item.signatures) > len(current.signatures):
                best[index] = item
    for index, item in sorted(best.items()):
        own = {filter_signature(f): f for f in and_chain(lists[index])}
        mine = sorted((own[s] for s in item.signatures if s in own), key=lambda f: f.number)
        numbers = ", ".join(str(f.number) for f in mine)
        others = len(item.lists) - 1
        yield index, "SL401", Problem(
            f"filters {numbers} ({', '.join(f.name for f in mine[:5])}{' …' if len(mine) > 5 else ''}) "
            f"are repeated in {others} other list{'s' if others != 1 else ''}: keep them in one Boolean field "
            f"`{item.field_name}` updated by a daily batch campaign, and use `{item.field_name}: is true` instead "
            "(recipe in `smartlint report`)",
            mine[0],
        )
