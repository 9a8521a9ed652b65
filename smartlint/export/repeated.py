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

from dataclasses import dataclass, field
from functools import cached_property

from ..activity import norm
from ..catalog import costs, filter_kind, lookup, operator
from ..checks import Problem
from ..checks._common import and_chain
from ..cost import filter_cost
from ..model import Filter, SmartList


_ONE = re.compile("1")


@dataclass
class RepeatedSet:
    """A filter set repeated across lists, and once grouped (`families`) the one Boolean field that
    replaces it and every set nested in it."""

    signatures: frozenset
    filters: list[Filter]  # as written in the first list that uses the set, renumbered 1…
    lists: list[int]  # indices of the lists that use the set; after `families`, those the field replaces it in (as `users`)
    field_name: str = ""
    saving: float = 0.0  # the cost model's estimate per run of the lists that can use the field
    lists_cost: float = 0.0  # what those lists cost per run (their own filters): the saving's measure
    # set by `families`
    definition: list[Filter] = field(default_factory=list)  # what the field stands for
    users: list[int] = field(default_factory=list)  # lists and batch campaigns that can use the field
    trigger_lists: list[int] = field(default_factory=list)  # trigger campaigns: left out
    incomplete: list[tuple[int, list[Filter]]] = field(default_factory=list)  # list, the filters it lacks
    left_out: list[Filter] = field(default_factory=list)  # never in a maintained field (rules/recipe.yaml)
    added: list[Filter] = field(default_factory=list)  # Marketo's blocking conditions the set lacked
    also_named: dict[str, str] = field(default_factory=dict)  # a renamed field's name -> its other name, to say once
    rolling: list[Filter] = field(default_factory=list)  # filters of the definition with a rolling window: SL401 info
    covered: dict[int, list[Filter]] = field(default_factory=dict, repr=False)  # list -> its filters the field replaces
    all_lists: list[SmartList] = field(default_factory=list, repr=False)

    @cached_property
    def recipe(self) -> dict:
        """How to replace the set by a Boolean field; written out for reports only (made on
        demand: 3,690 sets at 50,000 lists took 1.5 s to write out)."""
        from .recipe import build

        return build(self)

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
            number = signatures.number(item.signature)
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
        bits = bytearray((len(lists) + 8) // 8)
        for index in frequent[signature]:
            bits[index >> 3] |= 1 << (index & 7)
        found_mask = masks[signature] = int.from_bytes(bits, "little")
        return found_mask

    # most lists of an export have a profile of their own (8,458 of 10,000 in the bench): this loop
    # runs for each, so it calls no Python function per signature (a sort key, `mask` once made)
    size_of = {signature: len(posting) for signature, posting in frequent.items()}.__getitem__
    frequent_signatures = frequent.keys()
    seen_profiles: set[frozenset] = set()
    for profile in profiles:
        own = frozenset(profile.keys() & frequent_signatures)
        if len(own) < min_size or own in found or own in seen_profiles:
            continue
        seen_profiles.add(own)
        common = -1  # every bit: the intersection of the masks of `own`, rarest first
        for signature in sorted(own, key=size_of):
            common &= masks.get(signature) or mask(signature)
            if common.bit_count() < min_lists:
                break
        else:
            found.setdefault(own, [m.start() for m in _ONE.finditer(bin(common)[:1:-1])])  # the set bits

    out = []
    for members, users in found.items():
        first = profiles[users[0]]
        filters = [f for n, f in first.items() if n in members]
        signature_set = frozenset(signatures.in_order[n] for n in members)
        filters.sort(key=lambda f: f.number)
        filters = [_renumbered(f, n + 1) for n, f in enumerate(filters)]
        item = RepeatedSet(signature_set, filters, users)
        item.field_name = suggest_field(filters)  # the saving is computed by `families`, for the lists that can use the field
        out.append(item)
    out.sort(key=lambda r: (-r.score, -len(r.lists), sorted(map(repr, r.signatures))))
    return out


def _signature_of(item: Filter) -> tuple:
    return item.signature


def _renumbered(f: Filter, number: int) -> Filter:
    """`replace(f, number=number)`, without replace's cost (it ran for every filter of every set)."""
    return Filter(number, f.name, f.conditions, f.id, f.rule_type, f.rule_type_id, f.operator, f.negative, f.location, f._derived)


_NOT_A_WORD = re.compile(r"(?i)(true|false|yes|no|empty|any|[-+\d.,:/ %]*)")  # values that say nothing


def _word(item: Filter) -> str:
    """What a filter adds to a field's name: a Boolean field by its name (`Not` when false), the
    one short value of an `is` that names something (`United States`, `Demo Request`), else the
    filter's name; never a bare value such as `true`, `0`, `30 days` or a date."""
    primary = item.primary
    if filter_kind(item) == "boolean" and primary is not None and primary.values:
        value = primary.values[0].lower() == "true"
        return item.name if value == (norm(primary.operator) == "is") else f"Not {item.name}"
    if (
        primary is not None
        and norm(primary.operator) == "is"
        and len(primary.values) == 1
        and len(primary.values[0]) <= 20
        and not _NOT_A_WORD.fullmatch(primary.values[0])
    ):
        return primary.values[0]
    return item.name


def suggest_field(filters: list[Filter]) -> str:
    families = [getattr(lookup(f.name), "family", None) for f in filters]
    exclusions = sum(1 for fam in families if fam == "email-exclusion")
    rest = [f for f, fam in zip(filters, families) if fam != "email-exclusion"]
    words = [_word(item) for item in rest[:3]]
    if exclusions >= 2:
        return " ".join(["Emailable", *words]) if words else "Emailable"
    return "Matches " + ", ".join(words)


def _cheap(item: Filter) -> bool:
    """A person field compared with a fast, positive operator (`Country: is "France"`, `Lead Score:
    at least 80`): the fastest filters there are (Adobe's best practices for smart lists)."""
    if filter_kind(item) not in ("boolean", "attribute") or item.negative:
        return False
    for condition in item.conditions:
        info = operator(condition.operator)
        if info is None or info.tier != "fast" or info.negative:
            return False
    return True


def worth_a_field(definition: list[Filter]) -> bool:
    """Whether a repeated set (other than Marketo's blocking set) is worth a maintained field: it
    holds at least one filter that is not cheap (an activity, a membership, `contains`, a negative
    operator…). A set of cheap `is` filters is already about as fast as the one Boolean filter that
    would replace it, and a field per combination of them (`Emailable` and `Country`) is a field to
    keep for nothing: no finding, no recipe."""
    return not all(_cheap(f) for f in definition)


_EXCLUSION_LEFT_OUT = frozenset({"email suspended"})  # in a mailable list: dropped with the other exclusions


def families(lists: list[SmartList], sets: list[RepeatedSet], min_lists: int, list_costs=None) -> list[RepeatedSet]:
    """One field per family of nested sets: a set inside or around a better-ranked one (the block,
    and the block plus `Email Address is not empty`) joins it instead of making a second field, and
    every mailable set joins the first mailable one. The best-ranked set of a family is its root and
    carries the field: its definition, the lists that can use it, the incomplete copies (more than
    half of the definition, not all of it) and the trigger campaigns, which keep their filters.
    Near-linear: a set meets only the roots that share its rarest signature or hold its signatures."""
    from .recipe import block_names, blocking_key, is_mailable, never_maintain, recipe_data, rolling_window

    roots: list[RepeatedSet] = []
    members: list[list[RepeatedSet]] = []
    holding: dict[tuple, list[int]] = {}  # signature -> roots that hold it
    mailable_root: int | None = None
    for item in sets:  # ranked best first
        mailable = is_mailable(item.filters)
        if not mailable and not worth_a_field([f for f in item.filters if never_maintain(f) is None]):
            continue  # not a root: a worthwhile set around it makes its own field
        home = mailable_root if mailable else None
        if home is None:
            rarest = min(item.signatures, key=lambda s: len(holding.get(s, ())))
            home = next((r for r in holding.get(rarest, ()) if item.signatures <= roots[r].signatures), None)
        if home is None:
            hits: dict[int, int] = {}
            for signature in item.signatures:
                for r in holding.get(signature, ()):
                    hits[r] = hits.get(r, 0) + 1
            home = min((r for r, n in hits.items() if n == len(roots[r].signatures)), default=None)
        if home is not None:
            members[home].append(item)
            continue
        if mailable:
            mailable_root = len(roots)
        for signature in item.signatures:
            holding.setdefault(signature, []).append(len(roots))
        roots.append(item)
        members.append([item])

    boolean = costs()["base"]["boolean"]
    out = []
    for root, nested in zip(roots, members):
        mailable = is_mailable(root.filters)
        root.left_out = [f for f in root.filters if never_maintain(f) is not None]
        left_out_signatures = {f.signature for f in root.left_out}
        if mailable:
            blocks = recipe_data()["blocks"]
            present = {blocking_key(f) for f in root.filters}
            root.definition = [b.filter(n) for n, b in enumerate(blocks, 1)]
            root.added = [b.filter(0) for b in blocks if b.name not in present]
            key = blocking_key
            harmless = {blocks[0].name}  # no email address: Marketo cannot email them anyway
        else:
            root.definition = [f for f in root.filters if never_maintain(f) is None]
            key = _signature_of
            harmless = set()
        if len(root.definition) < 2:
            continue
        # a copy is judged against the set as the lists write it (without what is left out); a
        # mailable field then adds the rest of Marketo's blocking set, which Marketo blocks anyway
        wanted = {key(f) for f in root.filters if never_maintain(f) is None} - {None}
        candidates = sorted({i for member in nested for i in member.lists})
        users, triggers, incomplete, covered_of = [], [], [], {}
        for index in candidates:
            chain = and_chain(lists[index])
            if mailable:  # the field stands for all of Marketo's blocking set: it replaces any of them
                covered = [f for f in chain if key(f) is not None]
                dropped = [f for f in chain if norm(f.name) in _EXCLUSION_LEFT_OUT]
            else:
                covered = [f for f in chain if key(f) in wanted]
                dropped = [f for f in chain if f.signature in left_out_signatures]
            have = {key(f) for f in covered} & wanted
            missing = wanted - have - harmless
            if missing and len(have) * 2 <= len(wanted):
                continue
            covered_of[index] = covered + dropped
            for item in dropped:
                if item.signature not in left_out_signatures:
                    left_out_signatures.add(item.signature)
                    root.left_out.append(item)
            if lists[index].campaign_type == "trigger":
                triggers.append(index)
            elif missing:
                incomplete.append((index, [f for f in root.definition if key(f) in missing]))
            else:
                users.append(index)
        # the set is used in min-lists lists; a field is worth making for two that can use it
        if len(users) < 2 or len(users) + len(incomplete) + len(triggers) < min_lists:
            continue
        if mailable:  # a renamed field (Black Listed, Blocklisted) under the name the lists use
            names = block_names({norm(n) for n in {f.name for chain in covered_of.values() for f in chain}})
            if names:
                by_name = {block.name: block for block in blocks}

                def spelled(item: Filter) -> Filter:
                    block = by_name[blocking_key(item)]
                    return block.filter(item.number, names.get(block.name, (block.name,))[0])

                root.also_named = {name: other for name, other in names.values() if other is not None}
                root.definition = [spelled(f) for f in root.definition]
                root.added = [spelled(f) for f in root.added]
                incomplete = [(i, [spelled(f) for f in lacking]) for i, lacking in incomplete]
        else:
            root.rolling = [f for f in root.definition if rolling_window(f) is not None]
        root.users, root.trigger_lists, root.incomplete, root.covered = users, triggers, incomplete, covered_of
        root.lists = sorted(users)  # what the recipe covers: the report counts these; trigger campaigns keep their filters
        root.all_lists = lists
        root.field_name = "Emailable" if mailable else suggest_field(root.definition)
        if any(norm(f.name) == norm(root.field_name) for f in root.filters):
            continue  # the lists already use the field the recipe would make
        root.saving = round(sum(max(sum(filter_cost(f) for f in covered_of[i]) - boolean, 0.0) for i in users), 3)
        if list_costs is not None:
            root.lists_cost = round(sum(list_costs[i].own for i in users), 3)
        out.append(root)
    return out


def repeated_problems(lists: list[SmartList], sets: list[RepeatedSet]):
    """One SL401 per list, for the field that replaces most of its filters: the lists and batch
    campaigns that can use it, and the incomplete copies. Trigger campaigns keep their filters."""
    best: dict[int, RepeatedSet] = {}
    for item in sets:  # ranked best first
        for index in (*item.users, *(i for i, _ in item.incomplete)):
            current = best.get(index)
            if current is None or len(item.covered[index]) > len(current.covered[index]):
                best[index] = item
    lacking_of = {id(item): dict(item.incomplete) for item in sets}  # once a set: a list's lookup was quadratic
    left_out_of = {id(item): {g.signature for g in item.left_out} for item in sets}
    for index, item in sorted(best.items()):
        mine = sorted(item.covered[index], key=lambda f: f.number)
        numbers = ", ".join(str(f.number) for f in mine)
        names = f"{', '.join(f.name for f in mine[:5])}{' …' if len(mine) > 5 else ''}"
        field_name = item.field_name
        lacking = lacking_of[id(item)].get(index)
        if lacking is not None:
            from .recipe import one_line

            missing = "; ".join(f"`{one_line(f)}`" for f in lacking)
            lag = ","
            if item.rolling:
                from .recipe import window_text

                lag = f", where a day's lag behind the rolling window {' and '.join(window_text(f) for f in item.rolling)} is acceptable,"
            message = (
                f"filters {numbers} ({names}) are an incomplete copy of `{field_name}`, the set of "
                f"{len(item.definition)} filters used by {len(item.users)} lists: it lacks "
                f"{missing}. If that is an oversight{lag} "
                f"use `{field_name}: is true` instead (recipe in `smartlint report`)"
            )
        elif item.rolling:
            from .recipe import window_text

            others = len(item.users) - 1
            windows = " and ".join(window_text(f) for f in item.rolling)
            message = (
                f"filters {numbers} ({names}) are repeated in {others} other list{'s' if others != 1 else ''}, but {windows} "
                f"is a rolling window: a Boolean field kept by daily batch campaigns would be up to a day stale (people who "
                f"qualify today missing, people who left the window still in); only where a day's lag is acceptable, use "
                f"one field `{field_name}` instead (recipe in `smartlint report`)"
            )
        else:
            others = len(item.users) - 1
            dropped = [f.name for f in mine if f.signature in left_out_of[id(item)]]
            note = f"; {', '.join(dropped)} is left out of the field: it is historical" if dropped else ""
            message = (
                f"filters {numbers} ({names}) are repeated in {others} other list{'s' if others != 1 else ''}: keep them "
                f"in one Boolean field `{field_name}` updated by two daily batch campaigns, and use `{field_name}: is true` "
                f"instead{note} (recipe in `smartlint report`)"
            )
        # a field for a rolling window lags a day behind it: the owner's call, not a CI failure
        yield index, "SL401", Problem(message, mine[0], severity="info" if item.rolling else None)
