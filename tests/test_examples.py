"""The bundled example export gives the findings a Marketo expert would expect, and nothing else."""

from __future__ import annotations

from conftest import EXAMPLES

EXPECTED = {
    # (file, list id, filter, code)
    ("campaign-welcome.json", 6201, 1, "SL501"),  # an activity filter in a trigger campaign
    ("engaged-emea.json", 5104, 1, "SL203"),  # Member of Smart List
    ("engaged-emea.json", 5104, 1, "SL301"),  # ... standing first
    ("prospects-minus-competitors.json", 5103, 2, "SL101"),  # not contains
    ("prospects-minus-competitors.json", 5103, 2, "SL102"),  # with 120 values
    ("webinar-invitees-q4.json", 5102, 6, "SL101"),  # Job Title contains
    ("webinar-invitees-q4.json", 5102, 7, "SL206"),  # Visited Web Page without a window: the last 90 days only
    ("ab-test-group.smartlist", 5302, 3, "SL205"),  # Random Sample with other filters
    ("event-followup.smartlist", 5303, 2, "SL305"),  # City is Paris and City is Lyon
    ("event-followup.smartlist", 5304, 1, "SL306"),  # ANY across three heavy filters (SL201 suppressed)
    ("lapsed-customers.yaml", 5201, 2, "SL301"),  # inactivity filter before cheap fields
    ("partner-contacts.yaml", 5202, 1, "SL104"),  # a domain without @
    ("score-decay-campaign.yaml", 5203, 2, "SL306"),  # ANY across activity filters
    ("score-decay-campaign.yaml", 5203, 2, "SL206"),  # Visited Web Page in past before 90 days: nothing that old is kept
    # the five email-exclusion filters, copied into six lists in different orders: one `Emailable` field
    # for the five lists (the trigger campaign "Welcome - newsletter signup" keeps its filters: a field
    # kept by a nightly batch would be stale for people who just signed up)
    ("newsletter-audience-emea.json", 5101, 1, "SL401"),
    ("webinar-invitees-q4.json", 5102, 1, "SL401"),
    ("engaged-emea.json", 5104, 3, "SL401"),
    ("lapsed-customers.yaml", 5201, 3, "SL401"),
    ("event-followup.smartlist", 5303, 4, "SL401"),
}


def test_examples_give_exactly_the_expected_findings(cli):
    run = cli("lint", "--format", "json", str(EXAMPLES))
    assert run.code == 1
    report = run.json()
    got = {(f["path"].rsplit("/", 1)[-1], f["list_id"], f["filter"], f["code"]) for f in report["findings"]}
    assert got == EXPECTED
    assert report["summary"]["files"] == 13 and report["summary"]["lists"] == 14


def test_fast_simple_lists_in_the_examples_are_clean(cli):
    for name in ("rest/newsletter-audience-emea.json", "rest/pricing-visitors.json", "text/hot-leads.smartlist", "text/nurture-entry.smartlist"):
        run = cli("lint", str(EXAMPLES / "export" / name))
        assert run.code == 0, (name, run.out)
