"""A filter's kind, signature and cost are derived when it is built and shared by the filters of
the same content (model._derived_values): what every rule and the cost model read."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smartlint.catalog import filter_kind
from smartlint.checks.signature import filter_signature
from smartlint.cost import _filter_cost, filter_cost
from smartlint.model import Condition, Filter, Location

NAMES = ["Visited Web Page", "Not Visited Web Page", "Was Not Sent Email", "Country", "country", "Unsubscribed",
         "Member of Smart List", "Member of List", "My Custom Field", "Filled Out Form", "Random Sample"]
ATTRIBUTES = ["Web Page", "Date of Activity", "Country", "Unsubscribed", "My Custom Field", "List"]
OPERATORS = ["is", "IS", "is not", "contains", "not contains", "starts with", "in past", "in past before", "after", "in", "not in"]
VALUES = ["true", "false", "True", "France", "france", "30 days", "6 months", "2 years", "2026-01-01", "Pricing", "@example.com"]

conditions = st.builds(
    Condition,
    attribute=st.sampled_from(ATTRIBUTES),
    operator=st.sampled_from(OPERATORS),
    values=st.lists(st.sampled_from(VALUES), max_size=3).map(tuple),
    attribute_id=st.sampled_from([None, 1, 2]),
    primary=st.booleans(),
    error=st.sampled_from([None, "", "bad"]),
)
filters = st.builds(
    Filter,
    number=st.integers(1, 5),
    name=st.sampled_from(NAMES),
    conditions=st.lists(conditions, max_size=3).map(tuple),
    rule_type=st.sampled_from([None, "Activity", "Attribute"]),
    rule_type_id=st.sampled_from([None, 1, 2]),
    operator=st.sampled_from([None, "occurs", "not occurs", "is"]),
    negative=st.booleans(),
)


def _fresh(item: Filter) -> tuple:
    """The three values computed from this filter alone, with no sharing."""
    return filter_kind(item), filter_signature(item), _filter_cost(item)


@settings(max_examples=300, deadline=None)
@given(st.lists(filters, min_size=1, max_size=6), st.integers(6, 99), st.integers(0, 10**6))
def test_shared_derived_values_are_those_of_each_filter(items, number, ident):
    # a copy elsewhere in the export (another number, id and place) is built after the originals
    copies = [Filter(number, f.name, f.conditions, ident, f.rule_type, f.rule_type_id, f.operator, f.negative,
                     Location("other.json", 9, 3, "/rules/filters/8")) for f in items]
    for item in items + copies:
        assert (item.kind, item.signature, filter_cost(item)) == _fresh(item)
        assert item.signature_text == repr(filter_signature(item))  # what fingerprints are made of


def test_a_filter_built_outside_the_loaders_has_its_values():
    visited = Filter(1, "Visited Web Page", (Condition("Web Page", "is", ("Pricing",), primary=True),))
    window = Filter(2, "Visited Web Page", (Condition("Web Page", "is", ("Pricing",), primary=True),
                                            Condition("Date of Activity", "in past", ("30 days",))))
    flag = Filter(3, "Opted In", (Condition("Opted In", "is", ("true",)),))
    assert (visited.kind, window.kind, flag.kind) == ("activity", "activity", "boolean")
    assert visited.signature != window.signature
    # a 30-day window reads less history than none (cost model: window_days_unit, window_cap)
    assert 0 < filter_cost(window) < filter_cost(visited)
    assert filter_cost(flag) < filter_cost(window)
