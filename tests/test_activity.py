"""The retention table and the Date of Activity helpers of smartlint.activity: the data SL206 and
the cost model rest on, checked against Marketo's Activities Data Retention Policy."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from smartlint.activity import activity_for, oldest_day, reach, retention_days, retention_table
from smartlint.model import Condition
from smartlint.resources import data_dir

TODAY = date(2026, 12, 2)  # a Wednesday

# the policy's twelve high-volume activities, as the knowledge-base article lists them
NINETY_DAY = {
    "Add to List", "Change Score", "Change Data Value", "Visit Webpage", "Click Link on Webpage",
    "Sync Lead to SFDC", "Sync Lead to Microsoft", "Sync Lead Updates to SFDC", "Update Opportunity",
    "Request Campaign", "Email Delivered", "Send Email",
}


def date_of_activity(operator: str, *values: str) -> Condition:
    return Condition("Date of Activity", operator, values)


def test_the_table_has_the_policys_tiers_and_names_its_sources():
    data = yaml.safe_load((data_dir("rules") / "retention.yaml").read_text(encoding="utf-8"))
    tiers = {item["activity"]: item.get("days", "months") for item in data["activities"]}
    assert {name for name, days in tiers.items() if days == 90} == NINETY_DAY
    assert {name for name, days in tiers.items() if days == 14} == {"Delete Lead"}
    assert data["default-months"] == 25 and data["premium-months"] == 37
    assert all(s["title"] and s["url"].startswith("https://") for s in data["sources"])
    assert any("retention-policy" in s["url"] for s in data["sources"])


@pytest.mark.parametrize(
    "name, days",
    [
        ("Visited Web Page", 90), ("Not Visited Web Page", 90), ("Visits Web Page", 90),
        ("Was Sent Email", 90), ("Was Not Sent Email", 90), ("Email is Delivered", 90),
        ("Data Value Changed", 90), ("Data Value Changes", 90), ("Clicked Link on Web Page", 90),
        ("Lead was Synced to SFDC", 90), ("Person was Synced to SFDC", 90), ("Campaign is Requested", 90),
        ("Filled Out Form", 761), ("Not Filled Out Form", 761), ("Opened Email", 761),
        ("Had Interesting Moment", 761), ("Not Was Added to Opportunity", 761),
        ("Person was Created", None),  # New Lead is kept for good
        ("Country", None), ("Member of List", None), ("No Such Filter", None),
    ],
)
def test_retention_days_of_filters_inactivity_filters_and_triggers(name, days):
    assert retention_days(name) == days


def test_the_premium_option_lengthens_only_the_25_month_tier():
    premium = {"activity-retention-months": 37}
    assert retention_days("Filled Out Form", premium) == 1127  # 37 months of 30.44 days, rounded up
    assert retention_days("Visited Web Page", premium) == 90
    assert activity_for("Not Visited Web Page").name == "Visit Webpage"
    assert retention_table().sources


@pytest.mark.parametrize(
    "condition, oldest, newest, most",
    [
        (date_of_activity("in past", "30 days"), date(2026, 11, 2), TODAY, 30),
        (date_of_activity("in past", "6 months"), date(2026, 6, 2), TODAY, 182.64),
        (date_of_activity("in time frame", "This Year"), date(2026, 1, 1), TODAY, 365),
        (date_of_activity("in time frame", "Last Quarter"), date(2026, 7, 1), date(2026, 9, 30), 183),
        (date_of_activity("in time frame", "Last Week"), date(2026, 11, 22), date(2026, 11, 28), 13),
        (date_of_activity("in time frame", "Last Month"), date(2026, 11, 1), date(2026, 11, 30), 61),
        (date_of_activity("between", "2026-03-01", "2026-01-01"), date(2026, 1, 1), date(2026, 3, 1), 335),
        (date_of_activity("after", "2026-11-01"), date(2026, 11, 2), TODAY, 30),
        (date_of_activity("on or after", "11/01/2026"), date(2026, 11, 1), TODAY, 31),
        (date_of_activity("before", "2020-01-01"), None, date(2019, 12, 31), None),
        (date_of_activity("in past before", "30 days"), None, date(2026, 11, 2), None),
    ],
)
def test_reach_of_date_of_activity(condition, oldest, newest, most):
    found = reach(condition, TODAY)
    assert (found.oldest, found.newest) == (oldest, newest)
    assert found.most_days_back == (pytest.approx(most) if most is not None else None)
    assert oldest_day(condition, TODAY) == oldest


@pytest.mark.parametrize("condition", [date_of_activity("in past", "soon"), date_of_activity("between", "2026-01-01"), date_of_activity("in future", "3 days")])
def test_reach_is_none_where_it_cannot_be_determined(condition):
    assert reach(condition, TODAY) is None
