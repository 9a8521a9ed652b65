"""`smartlint report --format html`: one self-contained page (no network, no scripts) with the top
offenders, the repeated filter sets and a cost histogram."""

from __future__ import annotations

import math
from html import escape
from typing import Any

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #dde;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eef}
th{background:#f4f6fb}td.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#f4f6fb;border-radius:8px;padding:.8rem 1.2rem}
.card b{display:block;font-size:1.4rem}pre{background:#f7f7fa;padding:.6rem;border-radius:6px;overflow:auto}
.set{border:1px solid #e3e6ef;border-radius:8px;padding:.2rem 1rem 1rem;margin:1rem 0}
.error{color:#b3261e}.warning{color:#8a5a00}.info{color:#1a5fb4}small{color:#667}
"""


def _histogram(costs: list[float], width: int = 640, height: int = 160) -> str:
    if not costs:
        return "<p>No lists.</p>"
    top = max(costs) or 1.0
    bins = 12
    counts = [0] * bins
    for value in costs:
        counts[min(int(value / top * bins), bins - 1)] += 1
    peak = max(counts) or 1
    bar = width / bins
    parts = [f'<svg role="img" aria-label="cost histogram" width="{width}" height="{height + 30}" xmlns="http://www.w3.org/2000/svg">']
    for i, count in enumerate(counts):
        h = math.ceil(count / peak * height) if count else 0
        x = i * bar
        parts.append(f'<rect x="{x + 2:.1f}" y="{height - h}" width="{bar - 4:.1f}" height="{h}" fill="#4a6fd8"><title>{count} lists, cost {top * i / bins:.0f}–{top * (i + 1) / bins:.0f}</title></rect>')
        if count:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - h - 3}" font-size="11" text-anchor="middle">{count}</text>')
    parts.append(f'<text x="0" y="{height + 18}" font-size="11">0</text><text x="{width}" y="{height + 18}" font-size="11" text-anchor="end">{top:.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(report: dict[str, Any], top: int = 25) -> str:
    summary = report["summary"]
    lists = report["lists"]
    cards = [
        ("lists", summary["lists"]),
        ("filters", summary["filters"]),
        ("findings", summary["findings"]),
        ("total cost", summary["cost"]["total"]),
        ("median cost", summary["cost"]["median"]),
        ("repeated sets", len(report["repeated_sets"])),
    ]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>smartlint report</title>',
        f"<style>{STYLE}</style></head><body>",
        "<h1>smartlint report</h1>",
        '<div class="cards">' + "".join(f"<div class=card><b>{escape(str(v))}</b>{escape(k)}</div>" for k, v in cards) + "</div>",
        "<p><small>Costs are the relative estimate of rules/costs.yaml: useful for ranking, not a measurement.</small></p>",
        "<h2 id=top-offenders>Top offenders</h2>",
        "<table><thead><tr><th>#</th><th>List</th><th>Kind</th><th>Filters</th><th>Cost</th><th>Costliest filter</th><th>File</th></tr></thead><tbody>",
    ]
    for rank, entry in enumerate(lists[:top], 1):
        breakdown = entry.get("breakdown") or []
        worst = max(breakdown, key=lambda b: b["cost"], default=None)
        worst_text = f'{worst["filter"]}. {worst["name"]} ({worst["cost"]})' if worst else ""
        out.append(
            f"<tr><td class=num>{rank}</td><td>{escape(entry['name'])}</td><td>{escape(entry['kind'])}</td>"
            f"<td class=num>{entry['filters']}</td><td class=num>{entry.get('cost', 0)}</td>"
            f"<td>{escape(worst_text)}</td><td><small>{escape(entry['path'])}</small></td></tr>"
        )
    out.append("</tbody></table>")
    out.append("<h2 id=histogram>Cost histogram</h2>")
    out.append(_histogram([e.get("cost", 0.0) for e in lists]))
    out.append("<h2 id=repeated-sets>Repeated filter sets</h2>")
    if not report["repeated_sets"]:
        out.append("<p>No filter set is repeated across lists.</p>")
    for item in report["repeated_sets"]:
        recipe = item["recipe"]
        names = ", ".join(escape(l["name"]) for l in item["lists"][:12]) + (" …" if item["list_count"] > 12 else "")
        out.append(
            f'<div class=set><h3>{escape(item["field"])}: {item["filter_count"]} filters in {item["list_count"]} lists</h3>'
            f"<pre>{escape(chr(10).join(item['filters']))}</pre>"
            f"<p>Used by: {names}</p>"
            f"<p><b>Recipe.</b> Create the Boolean field <code>{escape(recipe['field']['name'])}</code>; "
            f"a daily batch campaign <i>{escape(recipe['campaign'])}</i> sets it:</p>"
            f"<pre>{escape(chr(10).join(recipe['set_true']['smart_list']))}\nflow: {escape(recipe['set_true']['flow'])}</pre>"
            f"<pre>{escape(chr(10).join(recipe['set_false']['smart_list']))}\nflow: {escape(recipe['set_false']['flow'])}</pre>"
            f"<p>Then use <code>{escape(recipe['replacement'])}</code> in these lists. "
            f"Estimated saving: {recipe['estimated_saving']} (relative cost per run).</p></div>"
        )
    out.append("<h2 id=findings>Findings by rule</h2><table><thead><tr><th>Rule</th><th>Count</th></tr></thead><tbody>")
    for code, count in summary["by_code"].items():
        out.append(f"<tr><td>{escape(code)}</td><td class=num>{count}</td></tr>")
    out.append("</tbody></table></body></html>")
    return "\n".join(out) + "\n"
