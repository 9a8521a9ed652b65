"""Seeded synthetic Marketo exports that look like a real instance: one REST JSON file per smart
list (`smartList/{id}.json?includeRules=true` responses), with field, activity and membership
filters, value lists of every size, the five email exclusions copied into most lists, Member of
Smart List chains, and campaign smart lists with triggers.

    python bench/generate.py OUT_DIR N [--seed 1] [--text]
"""

from __future__ import annotations

import argparse
import json
import os
import random

EXCLUSIONS = [("Unsubscribed", 71), ("Email Invalid", 72), ("Marketing Suspended", 73), ("Black Listed", 74), ("Email Suspended", 75)]
FIELDS = [("Country", 40, ["France", "Germany", "Spain", "United States", "Canada", "Japan", "Brazil"]),
          ("Lead Status", 43, ["Open", "MQL", "SQL", "Nurture", "Recycled"]),
          ("Industry", 45, ["Software", "Healthcare", "Retail", "Finance", "Education"]),
          ("Job Title", 41, ["CMO", "VP Marketing", "Marketing Manager", "Director", "Analyst"]),
          ("Lead Source", 46, ["Web", "Event", "Partner", "Paid Search", "Webinar"]),
          ("City", 47, ["Paris", "Berlin", "Madrid", "Boston", "Toronto", "Tokyo"])]
ACTIVITIES = [("Visited Web Page", 1, "Web Page"), ("Filled Out Form", 2, "Form"), ("Opened Email", 10, "Email"),
              ("Clicked Link in Email", 11, "Email"), ("Not Opened Email", 12, "Email")]
WINDOWS = ["7 days", "30 days", "90 days", "6 months", "2 years"]
OPERATORS = ["is"] * 8 + ["is not", "contains", "starts with", "not contains"]


def _condition(name, attribute_id, operator, values, activity=False, primary=True):
    key = "activityAttribute" if activity else "attribute"
    return {f"{key}Id": attribute_id, f"{key}Name": name, "operator": operator, "values": values, "isPrimary": primary}


def _field(rng, fid):
    name, aid, pool = rng.choice(FIELDS)
    operator = rng.choice(OPERATORS)
    if operator in ("contains", "not contains") and rng.random() < 0.1:
        values = [f"value{i:03d}" for i in range(rng.randint(90, 140))]
    else:
        values = rng.sample(pool, rng.randint(1, 3))
    return {"id": fid, "name": name, "ruleTypeId": 2, "ruleType": "Attribute", "operator": operator,
            "conditions": [_condition(name, aid, operator, values)]}


def _activity(rng, fid):
    name, rid, attribute = rng.choice(ACTIVITIES)
    conditions = [_condition(attribute, 1, "is", [f"{attribute} {rng.randint(1, 400)}"], activity=True)]
    if rng.random() < 0.8:
        conditions.append(_condition("Date of Activity", -101, "in past", [rng.choice(WINDOWS)], activity=True, primary=False))
    return {"id": fid, "name": name, "ruleTypeId": rid, "ruleType": "Activity", "operator": "occurs", "conditions": conditions}


def smart_list(rng, index, names):
    fid = index * 100
    filters = []
    if rng.random() < 0.6:
        exclusions = [{"id": fid + i, "name": n, "ruleTypeId": 2, "ruleType": "Attribute", "operator": "is",
                       "conditions": [_condition(n, a, "is", ["false"])]} for i, (n, a) in enumerate(EXCLUSIONS)]
        filters.extend(exclusions[: 5 if rng.random() < 0.8 else 3])
    for _ in range(rng.randint(1, 6)):
        filters.append(_field(rng, fid + len(filters) + 10))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        filters.append(_activity(rng, fid + len(filters) + 10))
    if rng.random() < 0.15:
        filters.append({"id": fid + 90, "name": "Member of List", "ruleTypeId": 3, "ruleType": "Attribute", "operator": "in",
                        "conditions": [_condition("Member of List", 90, "in", [f"Static list {rng.randint(1, 50)}"])]})
    if names and rng.random() < 0.06:
        target = names[max(0, len(names) - rng.randint(1, 20))]
        filters.append({"id": fid + 91, "name": "Member of Smart List", "ruleTypeId": 3, "ruleType": "Attribute", "operator": "in",
                        "conditions": [_condition("Member of Smart List", 91, "in", [target])]})
    rng.shuffle(filters)
    match = rng.choices(["all", "any", "custom"], [8, 1, 1])[0]
    rules = {"filterMatchType": match, "triggers": [], "filters": filters}
    if match == "custom":
        n = len(filters)
        rules["filterCustomRuleLogic"] = " and ".join(str(i) for i in range(1, n)) + (f" and ({n - 1} or {n})" if n > 2 else "")
        if n <= 2:
            rules["filterCustomRuleLogic"] = " and ".join(str(i) for i in range(1, n + 1))
    name = f"List {index:06d}"
    item = {"id": 100000 + index, "name": name, "createdAt": "2025-01-01T00:00:00Z+0000",
            "updatedAt": "2026-01-01T00:00:00Z+0000", "url": f"https://app-x.marketo.com/#SL{100000 + index}A1",
            "folder": {"id": 1000 + index % 50, "type": "Folder"}, "workspace": "Default", "rules": rules}
    if rng.random() < 0.1:
        item["campaign"] = {"id": 500000 + index, "name": f"Campaign {index}", "type": "trigger", "isActive": True}
        rules["triggers"] = [{"id": fid + 99, "name": "Fills Out Form", "ruleTypeId": 2, "ruleType": "Activity", "operator": "occurs",
                              "conditions": [_condition("Form", 12, "is", [f"Form {rng.randint(1, 30)}"], activity=True)]}]
    return item


def generate(out: str, count: int, seed: int = 1) -> int:
    """Write `count` one-list files; return the number of filters."""
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    names: list[str] = []
    filters = 0
    for index in range(count):
        item = smart_list(rng, index, names)
        names.append(item["name"])
        filters += len(item["rules"]["filters"])
        sub = os.path.join(out, f"{index // 1000:03d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"{item['id']}.json"), "w", encoding="utf-8") as handle:
            json.dump({"success": True, "errors": [], "requestId": f"r{index}", "warnings": [], "result": [item]}, handle, indent=2)
    return filters


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{generate(args.out, args.count, args.seed)} filters in {args.count} lists written to {args.out}")
