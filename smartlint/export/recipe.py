"""SL401's recipe: how an admin replaces a repeated filter set by one Boolean field, step by step
in the Marketo UI's own words (sources in rules/SL401.yaml, data in rules/recipe.yaml).

The field is kept by two batch campaigns — a smart campaign has one smart list, so "set true" and
"set false" cannot share one — each with a guard filter so the daily runs touch only people whose
value must change, and the qualification rule "every time" (the default, "only once", would stop
updating a person after the first run). Fields that must not be frozen into a maintained field
(Email Suspended: historical) are left out with their reason; a mailable block becomes the set
Marketo itself blocks on; trigger campaigns keep their filters. Written for reports only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..activity import _positive_name, norm
from ..catalog import _cached, _read, lookup
from ..model import Condition, Filter

if TYPE_CHECKING:
    from .repeated import RepeatedSet


@dataclass(frozen=True, slots=True)
class Blocked:
    """One condition of Marketo's own blocking set, as the filter a mailable field is made of."""

    name: str
    operator: str
    value: str | None
    aliases: tuple[str, ...] = ()
    renamed: str | None = None  # the field's newer UI name (Blocklisted for Black Listed)

    def filter(self, number: int, name: str | None = None) -> Filter:
        """The condition as a filter, under `name` (one of the field's names) when given."""
        name = name or self.name
        values = (self.value,) if self.value is not None else ()
        return Filter(number, name, (Condition(name, self.operator, values),))


@cache
def recipe_data() -> dict[str, Any]:
    """rules/recipe.yaml, with the names lower-cased for lookups."""

    def build() -> dict[str, Any]:
        data = _read("recipe.yaml")
        never = {norm(e["name"]): e for e in data["never_maintain"]}
        blocks = [
            Blocked(f["name"], f["operator"], f.get("value"), tuple(f.get("aliases", ())), f.get("renamed"))
            for f in data["marketo_blocks"]["filters"]
        ]
        return {"never": never, "blocks": blocks, "blocks_source": data["marketo_blocks"]["source"].strip(), "triggers": data["upkeep_triggers"]}

    return _cached("recipe", build)


def never_maintain(item: Filter) -> dict | None:
    """The rules/recipe.yaml entry when the filter must not go into a maintained field."""
    return recipe_data()["never"].get(norm(item.name))


@cache
def _blocking_names() -> frozenset[str]:
    return frozenset(norm(n) for b in recipe_data()["blocks"] for n in (b.name, *b.aliases))


def blocking_key(item: Filter) -> str | None:
    """The name of Marketo's blocking condition this filter expresses exactly (`Unsubscribed: is
    false`, `Email Address: is not empty`), or None. Asked for every filter of every list of a
    family (300,000 times at 40,000 lists): most filters are turned away by their name."""
    if norm(item.name) not in _blocking_names() or len(item.conditions) != 1 or item.negative:
        return None
    condition = item.conditions[0]
    return _blocking_of(item.name, condition.attribute, condition.operator, condition.values)


@cache
def _blocking_of(name: str, attribute: str, operator: str, values: tuple[str, ...]) -> str | None:
    return _blocking_key(Filter(0, name, (Condition(attribute, operator, values),)))


def _blocking_key(item: Filter) -> str | None:
    if len(item.conditions) != 1 or item.negative:
        return None
    condition = item.conditions[0]
    op = norm(condition.operator)
    values = [v.lower() for v in condition.values]
    for block in recipe_data()["blocks"]:
        if norm(item.name) not in {norm(n) for n in (block.name, *block.aliases)} or norm(condition.attribute) != norm(item.name):
            continue
        if block.value is None:
            return block.name if op == block.operator else None
        wanted = block.value.lower()
        other = "true" if wanted == "false" else "false"
        if (op == "is" and values == [wanted]) or (op == "is not" and values == [other]):
            return block.name
    return None


def block_names(used: set[str]) -> dict[str, tuple[str, str | None]]:
    """For each blocking field Marketo renamed: the name the recipe writes and, where the lists
    would leave a reader unsure, the other name to say once. `used`: the lower-cased names of the
    blocking filters the lists have. The lists' own name; the newer one when any list uses it, or
    when no list names the field (the recipe adds it)."""
    out: dict[str, tuple[str, str | None]] = {}
    for block in recipe_data()["blocks"]:
        if block.renamed is None:
            continue
        old = [n for n in (block.name, *block.aliases) if norm(n) in used and norm(n) != norm(block.renamed)]
        if norm(block.renamed) in used:
            out[block.name] = (block.renamed, f"`{old[0]}` in some of these lists" if old else None)
        elif old:
            out[block.name] = (old[0], None)
        else:
            out[block.name] = (block.renamed, f"`{block.name}` where the UI still shows the old name")
    return out


def is_mailable(filters: list[Filter]) -> bool:
    """Two or more of the conditions Marketo blocks email on, excluding Email Suspended: the set is
    an attempt at "who can be emailed"."""
    return sum(1 for f in filters if blocking_key(f) is not None) >= 2


# ---- inverting a filter, never inventing a name ---------------------------------------------------

# exact complements only: `after` / `on or before` also hold for people with no date (the operator
# glossary: before, on or before and in past before include people with no value)
_INVERSE = {
    "is": "is not", "is not": "is", "is empty": "is not empty", "is not empty": "is empty",
    "contains": "not contains", "not contains": "contains", "starts with": "not starts with",
    "not starts with": "starts with", "in": "not in", "not in": "in",
    "greater than": "at most", "at most": "greater than", "less than": "at least", "at least": "less than",
    "after": "on or before", "on or before": "after", "before": "on or after", "on or after": "before",
}


def inverted(item: Filter) -> Filter | None:
    """The filter that holds exactly when `item` does not, with a name Marketo has (checked against
    the filter catalog), or None when there is none."""
    kind = item.kind
    conditions = item.conditions
    if kind in ("activity", "inactivity"):
        # `Not Visited Web Page` ↔ `Visited Web Page`, `Was Not Sent Email` ↔ `Was Sent Email`
        other = _positive_name(item.name) if kind == "inactivity" else f"Not {item.name}"
        entry = lookup(other)
        if entry is None:  # `Not Visited Web Page` is not in the catalog: do not write it
            return None
        return Filter(item.number, entry.name, conditions, rule_type=item.rule_type)
    if len(conditions) != 1:
        return None
    condition = conditions[0]
    op = norm(condition.operator)
    values = condition.values
    if op == "is" and [v.lower() for v in values] in (["true"], ["false"]):
        # a Boolean: flip the value rather than use the slower `is not`
        value = "false" if values[0].lower() == "true" else "true"
        return Filter(item.number, item.name, (Condition(condition.attribute, "is", (value,)),))
    if op not in _INVERSE:
        return None  # `in past`, `in time frame`, `between`: no single operator holds for the rest
    return Filter(item.number, item.name, (Condition(condition.attribute, _INVERSE[op], values),))


# ---- the recipe -------------------------------------------------------------------------------

def _lines(filters: list[Filter], max_values: int = 10) -> list[str]:
    from ..sources.dump import rule_lines  # the writers: only when a recipe is written

    return [line for f in filters for line in rule_lines(f, max_values=max_values, ids=False)]


def one_line(item: Filter) -> str:
    """The filter on one line, without its number: `Unsubscribed: is false`."""
    lines = _lines([item])
    return ", ".join([lines[0].split(". ", 1)[1], *(line.strip() for line in lines[1:])])


def _guard(name: str, number: int, value: str) -> Filter:
    operator = "is" if value == "true" else "is not"
    return Filter(number, name, (Condition(name, operator, ("true",)),))


def _renumber(filters: list[Filter]) -> list[Filter]:
    return [Filter(n, f.name, f.conditions, rule_type=f.rule_type) for n, f in enumerate(filters, 1)]


RELATIVE_DATES = frozenset({"in past", "in past before", "in future", "in future after", "in time frame"})


def rolling_window(item: Filter) -> Condition | None:
    """The condition that makes `item` a rolling window (`Date of Activity: in past "30 days"`,
    `Created At: in time frame This Month`): who passes changes every day by time alone."""
    for condition in item.conditions:
        if norm(condition.operator) in RELATIVE_DATES:
            return condition
    return None


def window_text(item: Filter) -> str:
    """`Filled Out Form in past "30 days"`: the filter by its rolling window."""
    from ..sources.dump import _quote  # values quoted as the text form writes them

    condition = rolling_window(item)
    values = ", ".join(_quote(v) for v in condition.values) if condition is not None else ""
    return f"{item.name} {condition.operator} {values}".rstrip() if condition is not None else item.name


def _segmentation_fits(filters: list[Filter]) -> bool:
    """Segment rules take person fields but not relative dates (`in past`, `in time frame`), and no
    activity or membership filters keep a segmentation simple enough to approve."""
    for item in filters:
        if item.kind not in ("boolean", "attribute"):
            return False
        if rolling_window(item) is not None:
            return False
    return True


def build(item: "RepeatedSet") -> dict[str, Any]:
    """The recipe as structured data: the field, the two campaigns, the numbered steps."""
    name = item.field_name
    definition = _renumber(item.definition)
    data = recipe_data()
    users = [item.all_lists[i] for i in item.users]
    triggers = [item.all_lists[i] for i in item.trigger_lists]

    set_true_filters = [*definition, _guard(name, len(definition) + 1, "false")]
    inverse = [inverted(f) for f in definition]
    if all(f is not None for f in inverse) and inverse:
        set_false_filters = _renumber([f for f in inverse if f is not None])
        guard_number = len(set_false_filters) + 1
        set_false_filters.append(_guard(name, guard_number, "true"))
        ors = " or ".join(str(n) for n in range(1, guard_number))
        set_false_logic = f"({ors}) and {guard_number}" if guard_number > 2 else f"1 and {guard_number}"
        helper = None
    else:
        # some filter has no documented opposite: test membership of a smart list of the definition
        helper = f"{name} - qualifies"
        set_false_filters = [
            Filter(1, "Member of Smart List", (Condition("Member of Smart List", "not in", (helper,)),)),
            _guard(name, 2, "true"),
        ]
        set_false_logic = "1 and 2"
    true_lines = ["use ALL filters", *_lines(set_true_filters)]
    false_lines = [f"use advanced filters: {set_false_logic}", *_lines(set_false_filters)]
    flow_true = f"Change Data Value: Attribute {name}, New Value true"
    flow_false = f"Change Data Value: Attribute {name}, New Value false"

    steps: list[dict[str, Any]] = []

    def step(text: str, lines: list[str] | None = None) -> None:
        steps.append({"step": len(steps) + 1, "text": text, "lines": lines or []})

    step(f'Admin → Field Management → New Custom Field: Object Person, Type Boolean, Name "{name}"; click Create.')
    if helper is not None:
        step(f'Database → New → New Smart List "{helper}" with these filters (the set-false campaign refers to it):', ["use ALL filters", *_lines(definition)])
    step(
        f'Marketing Activities → your operations program → New → New Local Asset → Smart Campaign "Set {name} true". '
        f"Smart List tab (the guard `{name}: is not true` keeps the daily run to people whose value must change):",
        true_lines,
    )
    step(f"Flow tab of \"Set {name} true\": add the flow step {flow_true}.")
    step(
        f'A second smart campaign "Set {name} false" (a smart campaign has one smart list, so setting false needs its own). '
        f"Smart List tab (anyone who fails a filter, and only if `{name}` is still true):",
        false_lines,
    )
    step(f"Flow tab of \"Set {name} false\": add the flow step {flow_false}.")
    step(
        "In both campaigns: Schedule tab → Edit Settings (Smart Campaign Settings) → qualification rule "
        '"every time" (the default, "only once", would never update a person again after the first run).'
    )
    step(f'Schedule tab → Run Once for both, then Schedule Recurrence → Daily, at a quiet hour, for both.')
    replace_lines = [f"{s.name}" for s in users[:20]] + ([f"… {len(users) - 20} more (see `lists`)"] if len(users) > 20 else [])
    # a renamed field's other name, said once: where the lists are edited, or where it is added
    added_names = {f.name for f in item.added}

    def other_name(f: Filter, where_added: bool) -> str:
        other = item.also_named.get(f.name)
        return f" ({other})" if other is not None and (f.name in added_names) == where_added else ""

    if is_mailable(item.filters):
        replaced = ", ".join(f"`{one_line(f)}`{other_name(f, False)}" for f in [*definition, *item.left_out])
        what = f"the filters for Marketo's blocking conditions and what is left out ({replaced}), wherever they appear,"
    else:
        what = ", ".join(f"`{one_line(f)}`" for f in [*item.definition, *item.left_out])
    step(
        f"After the first runs have finished, in each of these {len(users)} lists and batch campaigns replace "
        f"{what} by the one filter `{name}: is true` (keep their other filters):",
        replace_lines,
    )

    left_out = [
        {"filter": one_line(f), "reason": never_maintain(f)["reason"], "source": never_maintain(f)["source"].strip()}
        for f in item.left_out
    ]
    added = [
        {"filter": one_line(f), "reason": f"Marketo itself blocks email to people who fail it ({data['blocks_source']})"}
        for f in item.added
    ]
    notes = [
        "Two campaigns rather than one: a smart campaign has one smart list. One campaign with flow-step choices "
        "(Change Data Value → Add Choice) also works, but its smart list must then take in everyone whose value "
        "might change, where the two guarded lists take in only the people whose value must change."
    ]
    notes.append(
        f"The first run of \"Set {name} true\" writes `{name}` for every person who qualifies: one Change Data "
        "Value activity each (a 90-day high-volume activity), and each fires any trigger campaign listening to "
        f"Data Value Changes on `{name}` or on any attribute. Run it first outside working hours; the guards keep "
        "later runs to the people whose value must change."
    )
    fraction = item.saving / item.lists_cost if item.lists_cost else None
    share = "" if fraction is None else f" ({fraction:.1%} of their cost)" if fraction < 0.095 else f" ({fraction:.0%} of their cost)"
    notes.append(
        f"Estimated saving: {item.saving:g} per run of these {len(users)} lists{share}, in the cost model's relative units. "
        + (
            "Boolean filters are already the fastest there are, so the gain in speed is small: the gain is one "
            "definition of who can be emailed, kept in one place, where copies drift (SL401 names the lists that lack part of it as incomplete copies)."
            if is_mailable(item.filters)
            else "The field turns these filters into one fast Boolean filter in every list; the two daily batch runs that keep it cost about one run of the set each."
        )
    )
    if item.rolling:
        windows = " and ".join(f"`{window_text(f)}`" for f in item.rolling)
        # the set-false filters are the definition's inverses, in its order (or a helper smart list)
        unsets = [inv.name for f, inv in zip(item.definition, inverse) if f in item.rolling and inv is not None]
        unset = f"the set-false campaign's `{'`, `'.join(unsets)}`" if helper is None and unsets else "the set-false campaign"
        notes.append(
            f"{windows} is a rolling window: who passes changes every day by time alone, so the field is up to a day stale "
            f"at both ends (people who qualify today are missing until the next run; people who left the window stay true "
            f"until {unset} finds them at the next daily run, a search over the whole database). Use the field only in "
            "lists for which a day's lag is acceptable; keep the filters where a list must be current."
        )
    for entry in left_out:
        notes.append(f"Left out of the field: `{entry['filter']}` — {entry['reason']}.")
    for f, entry in zip(item.added, added):
        notes.append(f"Added to match what Marketo itself blocks on: `{entry['filter']}`{other_name(f, True)}.")
    trigger_note = None
    if triggers:
        names = ", ".join(f'"{s.name}"' for s in triggers[:10]) + (" …" if len(triggers) > 10 else "")
        t = data["triggers"]
        fields = sorted({f.name for f in definition})
        trigger_note = (
            f"Trigger campaigns are left out and keep their own filters: {names}. A field kept by a nightly batch "
            "is stale for people who just arrived, so a trigger campaign (a welcome email on sign-up) would miss them. "
            f"If they must use `{name}` too, add trigger-based upkeep: two trigger campaigns with the same smart lists "
            f"and flow steps, triggered by {t['created']}, {t['unsubscribed']} and {t['changed']} (one per attribute: "
            f"{', '.join(fields)}). These triggers have a cost: Marketo checks them on every such change in the "
            "instance, and a trigger campaign using the field may still run before the field is set."
        )
        notes.append(trigger_note)
    segmentation = None
    if _segmentation_fits(definition):
        segmentation = (
            f"Adobe's other answer: a segmentation (Database → New → New Segmentation) with a segment \"{name}\" "
            "defined by these filters, which Marketo keeps current without campaigns; lists then use its Segment "
            "filter. It fits here because the filters are all person fields without relative dates; an instance "
            "has at most 20 segmentations."
        )
        notes.append(segmentation)
    campaigns = [
        {"name": f"Set {name} true", "type": "batch", "smart_list": true_lines, "flow": flow_true,
         "qualification_rule": "every time", "schedule": "daily"},
        {"name": f"Set {name} false", "type": "batch", "smart_list": false_lines, "flow": flow_false,
         "qualification_rule": "every time", "schedule": "daily"},
    ]
    return {
        "field": {"name": name, "type": "Boolean", "filters": _lines(definition)},
        "campaign": f"two batch campaigns, run daily: Set {name} true / Set {name} false",
        "campaigns": campaigns,
        # kept for readers of schema_version 1
        "set_true": {"smart_list": true_lines, "flow": flow_true},
        "set_false": {"smart_list": false_lines, "flow": flow_false},
        "steps": steps,
        "replacement": f"{name}: is true",
        "left_out": left_out,
        "added": added,
        "trigger_campaigns": {
            "handling": "left out" if triggers else "none",
            "lists": [s.name for s in triggers],
            "note": trigger_note,
        },
        "segmentation": segmentation,
        "incomplete_copies": [
            {"name": item.all_lists[i].name, "id": item.all_lists[i].id, "missing": [one_line(f) for f in missing]}
            for i, missing in item.incomplete
        ],
        "notes": notes,
        "estimated_saving": item.saving,
        "lists_cost": item.lists_cost,
        "note": "the saving is the cost model's relative estimate per run of all these lists together; lists_cost is what they cost per run, in the same units",
    }


def text_lines(recipe: dict[str, Any]) -> list[str]:
    """The recipe as numbered steps, for the text output."""
    out = []
    for entry in recipe["steps"]:
        out.append(f"  {entry['step']}. {entry['text']}")
        out.extend(f"       {line}" for line in entry["lines"])
    for note in recipe["notes"]:
        out.append(f"  Note: {note}")
    for copy in recipe["incomplete_copies"]:
        out.append(f"  Incomplete copy: \"{copy['name']}\" lacks {'; '.join(copy['missing'])}")
    return out


def text_block(result: Any) -> list[str]:
    """The recipes of the fields named by the SL401 findings being shown, once each."""
    analysis = result.analysis
    if analysis is None or not analysis.repeated:
        return []
    flagged = {(f.location.path, f.list_id, f.list_name) for f in result.findings if f.code == "SL401"}
    if not flagged:
        return []
    out: list[str] = []
    entries = result.lists  # once: the property builds the list of every list at each call
    for item in analysis.repeated:
        if not any((entries[i][0].path, entries[i][1].id, entries[i][1].name) in flagged for i in (*item.users, *(i for i, _ in item.incomplete))):
            continue
        recipe = item.recipe
        out.append("")
        out.append(f"SL401 recipe: one Boolean field `{recipe['field']['name']}` for {len(item.users)} lists")
        out.extend(text_lines(recipe))
    return out
