"""`smartlint report --format html`: the weekly dashboard as one self-contained page (inline CSS
and SVG; no scripts, no fonts, nothing fetched). Everything that comes from the export is escaped:
list, folder and filter names are hostile input. Tables are capped so that an export of tens of
thousands of lists still gives a page a browser opens; the JSON and CSV reports hold everything."""

from __future__ import annotations

import math
import re
from html import escape
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit

from ..catalog import SEVERITIES

TOP_LISTS = 100
TOP_RULE_LISTS = 5
TOP_FOLDERS = 15
TOP_SETS = 20
TOP_CHAINS = 25
TOP_CHANGES = 25
COLORS = {"error": "#b3261e", "warning": "#b26a00", "info": "#1a5fb4", "bar": "#4a6fd8", "axis": "#5b6272", "grid": "#e3e6ef"}

STYLE = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:76rem;color:#1d2330;padding:1.2rem 1rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{margin-top:2.2rem;border-bottom:1px solid #dde;padding-bottom:.3rem;font-size:1.25rem}
h3{font-size:1.05rem;margin:.8rem 0 .4rem}
a{color:#1a4fb4}nav a{margin-right:.9rem;white-space:nowrap}
.meta,small,.note{color:#5b6272}.note{font-size:.9rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #eef;vertical-align:top}
th{background:#f4f6fb;white-space:nowrap}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{overflow-wrap:anywhere;min-width:10rem}td.wrap{overflow-wrap:anywhere;max-width:16rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.8rem;margin:1rem 0}
.card{background:#f4f6fb;border-radius:8px;padding:.7rem 1rem}.card b{display:block;font-size:1.45rem;font-variant-numeric:tabular-nums}
.card>span{color:#5b6272}
figure{margin:0 0 1.5rem}figcaption{font-weight:600;margin:.4rem 0}
svg.chart{width:100%;max-width:800px;height:auto;display:block;font-family:inherit}
pre{background:#f7f7fa;padding:.6rem;border-radius:6px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.set{border:1px solid #e3e6ef;border-radius:8px;padding:.2rem 1rem 1rem;margin:1rem 0}
.set ol li{margin:.35rem 0}.set li pre{margin:.3rem 0}.notes{color:#3d4452;font-size:.92rem}
.sev{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.85rem;color:#fff}
.error{color:#b3261e}.warning{color:#8a5a00}.info{color:#1a5fb4}
.sev.error{background:#b3261e;color:#fff}.sev.warning{background:#b26a00;color:#fff}.sev.info{background:#1a5fb4;color:#fff}.up{color:#b3261e}.down{color:#1b7f3b}
@media (max-width:900px){.wide{display:none}body{padding:.8rem .5rem}}
"""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# ---- text ------------------------------------------------------------------------------------


def text(value: Any) -> str:
    """Escaped text of anything from the export (control characters shown as U+FFFD)."""
    return escape(_CONTROL.sub("\ufffd", "" if value is None else str(value)), quote=True)


def human(value: float) -> str:
    """A number for people: 7, 4.2, 830, 1.2k, 34k, 1.8M."""
    sign = "\u2212" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit * 0.9995:
            scaled = value / limit
            digits = f"{scaled:.1f}" if scaled < 9.95 else f"{scaled:.0f}"
            return sign + digits.removesuffix(".0") + suffix
    if value == int(value) or value >= 99.5:
        return f"{sign}{value:.0f}"
    return sign + (f"{value:.1f}".removesuffix(".0") if value >= 0.95 else f"{value:.2f}".rstrip("0").rstrip("."))


def percent(part: float, whole: float) -> str:
    if not whole:
        return "–"
    share = 100 * part / whole
    return f"{share:.0f}\u00a0%" if share >= 1 or share == 0 else "<1\u00a0%"


def signed_percent(change: float, base: float) -> str:
    if not base:
        return ""
    share = 100 * change / base
    return f"{'+' if share > 0 else '−' if share < 0 else '±'}{abs(share):.0f}\u00a0%"


def _num(value: float, exact: Any = None) -> str:
    """A table cell with the rounded number, the exact one as its tooltip."""
    return f'<td class=num title="{text(value if exact is None else exact)}">{human(value)}</td>'


def safe_url(url: Any) -> str | None:
    """The URL when it may become a link: http or https with a host, nothing else
    (a `javascript:` or `data:` URL from a hostile export stays text)."""
    if not isinstance(url, str) or not url or _CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def list_link(name: Any, url: Any) -> str:
    label = f"<bdi>{text(name)}</bdi>"
    href = safe_url(url)
    if href is None:
        return label
    return f'<a href="{text(href)}" rel="noopener noreferrer" target="_blank" title="Open in Marketo">{label}</a>'


def when(moment: Any) -> str:
    """`2026-12-02T19:30:52Z` as `2026-12-02 19:30 UTC`."""
    value = str(moment or "")
    if len(value) >= 16 and value[10] == "T" and value.endswith("Z"):
        return f"{value[:10]} {value[11:16]} UTC"
    return value


def _severity(name: str) -> str:
    return f'<span class="sev {text(name)}">{text(name)}</span>'


def _em(char: str) -> float:
    """A generous width of a character in em, for fitting labels into a chart (no font metrics
    in a static page: a label never longer than this estimate cannot leave the canvas)."""
    if char in "il.,:;'|!` -()[]fjrt/":
        return 0.42
    if ord(char) > 0x2E7F:  # CJK and other full-width scripts
        return 1.05
    if char in "mwMW@%&":
        return 1.0
    if char.isupper():
        return 0.8
    return 0.64


def fit(value: str, pixels: float, size: float = 12) -> str:
    """`value` cut with an ellipsis so that it fits `pixels` at font size `size`."""
    budget = pixels / size
    used = 0.0
    for i, char in enumerate(value):
        used += _em(char)
        if used > budget:
            cut = value[:i]
            while cut and sum(map(_em, cut)) + 1.0 > budget:
                cut = cut[:-1]
            return cut + "…"
    return value


# ---- charts ----------------------------------------------------------------------------------


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 … at least `top` in 1-2-5 steps (about `count` ticks)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _svg(width: int, height: int, label: str, body: Iterable[str]) -> str:
    return (
        f'<svg class=chart viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{text(label)}" xmlns="http://www.w3.org/2000/svg" font-size="12">'
        + "".join(body)
        + "</svg>"
    )


def hbar_chart(rows: Sequence[tuple[str, float, str, str]], axis_label: str, label: str, width: int = 720) -> str:
    """Horizontal bars: (label, value, tooltip, colour) per row, an x axis with ticks below."""
    if not rows:
        return "<p>Nothing to draw.</p>"
    left, right, top, row = 250, 56, 8, 24
    plot = width - left - right
    height = top + row * len(rows) + 48
    ticks = nice_ticks(max(v for _, v, _, _ in rows))
    scale = plot / ticks[-1]
    base = top + row * len(rows)
    out = []
    for tick in ticks:
        x = left + tick * scale
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base}" stroke="{COLORS["grid"]}"/>')
        out.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" fill="{COLORS["axis"]}">{human(tick)}</text>')
    for i, (name, value, tip, colour) in enumerate(rows):
        y = top + i * row
        w = max(value * scale, 1 if value else 0)
        out.append(f'<text x="{left - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end"><title>{text(tip)}</title>{text(fit(name, left - 14))}</text>')
        out.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{colour}"><title>{text(tip)}</title></rect>')
        out.append(f'<text x="{left + w + 5:.1f}" y="{y + row / 2 + 4:.1f}">{human(value)}</text>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + plot}" y2="{base}" stroke="{COLORS["axis"]}"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{COLORS["axis"]}"/>')
    out.append(f'<text x="{left + plot / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="{COLORS["axis"]}">{text(axis_label)}</text>')
    return _svg(width, height, label, out)


def cost_bins(costs: Sequence[float]) -> list[tuple[float, float, int]]:
    """Histogram bins on a 1-2-5 scale (costs span orders of magnitude): (low, high, lists)."""
    if not costs:
        return []
    edges = [0.0]
    power = 1.0
    while edges[-1] <= max(costs):
        for m in (1, 2, 5):
            edges.append(m * power)
        power *= 10
    while len(edges) > 2 and edges[-2] > max(costs):
        edges.pop()
    first = min(costs)
    while len(edges) > 2 and edges[1] <= first:
        edges.pop(0)
    counts = [0] * (len(edges) - 1)
    import bisect

    for value in costs:
        counts[min(max(bisect.bisect_right(edges, value) - 1, 0), len(counts) - 1)] += 1
    return [(edges[i], edges[i + 1], counts[i]) for i in range(len(counts))]


def histogram(costs: Sequence[float], width: int = 720, height: int = 280) -> str:
    bins = cost_bins(costs)
    if not bins:
        return "<p>No lists.</p>"
    left, right, top, bottom = 56, 12, 16, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = nice_ticks(max(c for _, _, c in bins))
    scale = plot_h / ticks[-1]
    bar = plot_w / len(bins)
    base = top + plot_h
    out = []
    for tick in ticks:
        y = base - tick * scale
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{COLORS["grid"]}"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{COLORS["axis"]}">{human(tick)}</text>')
    small = bar < 52
    for i, (low, high, count) in enumerate(bins):
        x = left + i * bar
        h = count * scale
        tip = f"{count} lists cost {human(low)} to {human(high)}"
        out.append(f'<rect x="{x + 2:.1f}" y="{base - h:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" fill="{COLORS["bar"]}"><title>{text(tip)}</title></rect>')
        if count:
            out.append(f'<text x="{x + bar / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" font-size="11">{human(count)}</text>')
        label = f"{human(low)}–{human(high)}"
        if small:
            out.append(f'<text transform="translate({x + bar / 2 + 4:.1f},{base + 8}) rotate(-40)" text-anchor="end" font-size="11" fill="{COLORS["axis"]}">{label}</text>')
        else:
            out.append(f'<text x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle" font-size="11" fill="{COLORS["axis"]}">{label}</text>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="{COLORS["axis"]}"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{COLORS["axis"]}"/>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="{COLORS["axis"]}">relative cost per list (bins on a 1-2-5 scale)</text>')
    out.append(f'<text transform="translate(14,{top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" fill="{COLORS["axis"]}">lists</text>')
    return _svg(width, height, "Cost distribution: number of lists per cost range", out)


def line_chart(points: Sequence[dict[str, Any]], width: int = 720, height: int = 260) -> str:
    """Total cost of each stored report, oldest first."""
    left, right, top, bottom = 60, 24, 18, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(p.get("cost") or 0) for p in points]
    ticks = nice_ticks(max(values))
    scale = plot_h / ticks[-1]
    base = top + plot_h
    step = plot_w / max(len(points) - 1, 1)
    every = max(1, math.ceil(len(points) / 8))
    out = []
    for tick in ticks:
        y = base - tick * scale
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{COLORS["grid"]}"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{COLORS["axis"]}">{human(tick)}</text>')
    coords = [(left + i * step if len(points) > 1 else left + plot_w / 2, base - v * scale) for i, v in enumerate(values)]
    out.append('<polyline fill="none" stroke="' + COLORS["bar"] + '" stroke-width="2" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords) + '"/>')
    for i, ((x, y), point) in enumerate(zip(coords, points)):
        when = str(point.get("generated_at") or f"report {i + 1}")[:10]
        tip = f"{when}: total cost {values[i]:g}, {point.get('findings')} findings, {point.get('lists')} lists"
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLORS["bar"]}"><title>{text(tip)}</title></circle>')
        if i % every == 0 or i == len(points) - 1:
            anchor = "start" if i == 0 and len(points) > 1 else "end" if i == len(points) - 1 and len(points) > 1 else "middle"
            out.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="{anchor}" font-size="11" fill="{COLORS["axis"]}">{text(when)}</text>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="{COLORS["axis"]}"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="{COLORS["axis"]}"/>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="{COLORS["axis"]}">report date</text>')
    out.append(f'<text transform="translate(14,{top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" fill="{COLORS["axis"]}">total relative cost</text>')
    return _svg(width, height, "Total cost over the stored reports", out)


# ---- sections --------------------------------------------------------------------------------


def _cards(items: Iterable[tuple[str, str, str]]) -> str:
    return '<div class="cards">' + "".join(f'<div class=card title="{text(tip)}"><b>{value}</b><span>{text(label)}</span></div>' for value, label, tip in items) + "</div>"


def _ref_key(entry: dict[str, Any]) -> tuple[Any, Any]:
    """How the report JSON names a list: its path and its id, or its name where it has no id."""
    return (entry.get("path"), entry.get("id") if entry.get("id") is not None else entry.get("name"))


def _capped(shown: int, total: int, what: str) -> str:
    if total <= shown:
        return ""
    return (f'<p class=note>Showing the first {shown:,} of {total:,} {what}. All of them are in the JSON report '
            "(<code>smartlint report -o report.json</code>) and the CSV (<code>--format csv</code>).</p>")


def _folders(lists: list[dict[str, Any]]) -> list[tuple[str, float, int]]:
    totals: dict[str, list[float]] = {}
    for entry in lists:
        name = entry.get("folder") or "(no folder)"
        slot = totals.setdefault(name, [0.0, 0])
        slot[0] += entry.get("cost", 0.0)
        slot[1] += 1
    return sorted(((name, cost, int(count)) for name, (cost, count) in totals.items()), key=lambda t: (-t[1], t[0]))


def _trend(report: dict[str, Any]) -> list[str]:
    trend = report.get("trend")
    history = report.get("history") or []
    if trend is None and len(history) < 2:
        return []
    out = ['<h2 id=trend>Since the last report</h2>']
    if trend is not None:
        cost = trend["cost"]
        new, fixed = trend["findings"]["new"], trend["findings"]["fixed"]
        changes = trend["lists"]
        previous_at = when(trend["previous"].get("generated_at")) or "unknown date"
        arrow = "up" if cost["change"] > 0 else "down" if cost["change"] < 0 else ""
        out.append(f'<p class=meta>Compared with the report of {text(previous_at)}.</p>')
        out.append(_cards([
            (f'<span class="{arrow}">{"+" if cost["change"] > 0 else ""}{human(cost["change"])}</span>', f"total cost ({signed_percent(cost['change'], cost['previous']) or 'new'})", f"{cost['previous']} → {cost['current']}"),
            (f'<span class=up>{human(len(new))}</span>', "new findings", f"{len(new)}"),
            (f'<span class=down>{human(len(fixed))}</span>', "fixed findings", f"{len(fixed)}"),
            (human(len(changes["cost_rose"])), "lists cost more", str(len(changes["cost_rose"]))),
            (human(len(changes["cost_fell"])), "lists cost less", str(len(changes["cost_fell"]))),
            (f'+{human(len(changes["added"]))} / −{human(len(changes["removed"]))}' if changes["added"] or changes["removed"] else "0", "lists added / removed", f"{len(changes['added'])} added, {len(changes['removed'])} removed"),
        ]))
    if len(history) >= 2:
        out.append(f"<figure><figcaption>Total cost over the stored reports ({len(history)})</figcaption>{line_chart(history)}</figure>")
    if trend is None:
        return out
    def change_row(row: dict[str, Any], css: str) -> str:
        return (f"<tr><td class=name>{list_link(row['name'], row.get('url'))}</td>{_num(row['previous'])}{_num(row['current'])}"
                f'<td class="num {css}" title="{text(row["change"])}">{"+" if row["change"] > 0 else ""}{human(row["change"])} ({signed_percent(row["change"], row["previous"])})</td></tr>')

    def finding_row(row: dict[str, Any]) -> str:
        return (f"<tr><td>{text(row.get('code'))}</td><td>{_severity(row.get('severity') or '')}</td>"
                f"<td class=name><bdi>{text(row.get('list_name') or row.get('path'))}</bdi></td><td>{prose(row.get('message'))}</td></tr>")

    list_head = "<th>List</th><th class=num>Before</th><th class=num>Now</th><th class=num>Change</th>"
    finding_head = "<th>Rule</th><th>Severity</th><th>List</th><th>Message</th>"
    for title, rows, head, row_html, what in (
        ("Lists whose cost rose", trend["lists"]["cost_rose"], list_head, lambda r: change_row(r, "up"), "lists"),
        ("Lists whose cost fell", trend["lists"]["cost_fell"], list_head, lambda r: change_row(r, "down"), "lists"),
        ("New findings", trend["findings"]["new"], finding_head, finding_row, "findings"),
        ("Fixed findings", trend["findings"]["fixed"], finding_head, finding_row, "findings"),
    ):
        out.append(f"<h3>{title} ({len(rows):,})</h3>")
        if not rows:
            out.append("<p>None.</p>")
            continue
        out.append(f"<div class=scroll><table><thead><tr>{head}</tr></thead><tbody>")
        out.extend(row_html(row) for row in rows[:TOP_CHANGES])
        out.append("</tbody></table></div>" + _capped(TOP_CHANGES, len(rows), what))
    return out


def _rules(report: dict[str, Any], lists_by_key: dict[tuple[Any, Any], dict[str, Any]]) -> list[str]:
    rules = report.get("rules") or []
    out = ["<h2 id=findings>Findings by rule</h2>"]
    if not rules:
        out.append("<p>No findings.</p>")
        return out
    total = report["summary"]["findings"]
    rows = [(f"{r['code']} {r['name']}", r["findings"], f"{r['code']} {r['name']}: {r['findings']} findings in {r['list_count']} lists", COLORS.get(r["severity"], COLORS["bar"])) for r in rules]
    out.append(f"<figure><figcaption>Findings per rule (colour: severity)</figcaption>{hbar_chart(rows, 'findings', 'Findings per rule')}</figure>")
    out.append('<div class=scroll><table><thead><tr><th>Rule</th><th>Name</th><th>Severity</th><th class=num>Findings</th><th class=num>Share</th>'
               '<th class=num>Lists</th><th>Lists it hits (costliest first)</th></tr></thead><tbody>')
    for rule in rules:
        hits = []
        found = [(ref, lists_by_key.get(_ref_key(ref))) for ref in rule["lists"]]
        found.sort(key=lambda pair: -(pair[1] or {}).get("cost", 0))  # the costliest lists it hits first
        for ref, entry in found[:TOP_RULE_LISTS]:
            hits.append(list_link(ref.get("name"), entry.get("url") if entry else None))
        more = rule["list_count"] - len(hits)
        hits_html = ", ".join(hits) + (f" <small>and {more:,} more</small>" if more > 0 else "")
        out.append(
            f"<tr><td>{text(rule['code'])}</td><td>{text(rule['name'])}</td><td>{_severity(rule['severity'])}</td>"
            f"{_num(rule['findings'])}<td class=num>{percent(rule['findings'], total)}</td>{_num(rule['list_count'])}"
            f"<td class=name>{hits_html}</td></tr>"
        )
    out.append("</tbody></table></div>")
    out.append(f"<p class=note>Each rule's lists are listed in full in the JSON report (<code>rules[].lists</code>); <code>smartlint explain CODE</code> explains a rule.</p>")
    return out


def _offenders(lists: list[dict[str, Any]], total_cost: float, top: int) -> list[str]:
    out = ["<h2 id=top-offenders>Top offenders</h2>"]
    out.append('<div class=scroll><table><thead><tr><th class=num>#</th><th>List</th><th>Kind</th><th class=wide>Folder</th><th class=num>Filters</th>'
               '<th class=num>Cost</th><th class=num>Share</th><th class=num title="errors / warnings / infos">Findings</th><th class=wide>Costliest filter</th></tr></thead><tbody>')
    for rank, entry in enumerate(lists[:top], 1):
        breakdown = entry.get("breakdown") or []
        worst = max(breakdown, key=lambda b: b["cost"], default=None)
        worst_text = f'{worst["filter"]}. {worst["name"]} ({human(worst["cost"])})' if worst else ""
        counts = entry.get("findings") or {}
        found = " / ".join(f'<span class={s} title="{counts.get(s, 0)} {s}">{counts.get(s, 0)}</span>' for s in SEVERITIES)
        cost = entry.get("cost", 0)
        out.append(
            f"<tr><td class=num>{rank}</td><td class=name>{list_link(entry['name'], entry.get('url'))}<br><small>{text(entry['path'])}</small></td>"
            f"<td>{text(entry['kind'])}</td><td class=\"wide wrap\">{text(entry.get('folder') or '')}</td><td class=num>{entry['filters']}</td>"
            f"{_num(cost)}<td class=num>{percent(cost, total_cost)}</td><td class=num>{found}</td><td class=\"wide wrap\">{text(worst_text)}</td></tr>"
        )
    out.append("</tbody></table></div>")
    out.append(_capped(top, len(lists), "lists, most expensive first"))
    return out


def _charts(lists: list[dict[str, Any]]) -> list[str]:
    out = ["<h2 id=costs>Where the cost is</h2>"]
    out.append(f"<figure id=histogram><figcaption>Cost distribution</figcaption>{histogram([e.get('cost', 0.0) for e in lists])}</figure>")
    folders = _folders(lists)
    rows = [(name, cost, f"{name}: cost {cost:g} in {count} lists", COLORS["bar"]) for name, cost, count in folders[:TOP_FOLDERS]]
    rest = ""
    if len(folders) > TOP_FOLDERS:  # as a note, not a bar: their sum would dwarf the folders shown
        others = folders[TOP_FOLDERS:]
        cost = sum(c for _, c, _ in others)
        rest = (f'<p class=note>The {TOP_FOLDERS} dearest of {len(folders):,} folders; the {len(others):,} others hold '
                f'{sum(n for _, _, n in others):,} lists costing <span title="{cost:g}">{human(cost)}</span> together.</p>')
    out.append(f"<figure id=folders><figcaption>Cost by folder or program</figcaption>{hbar_chart(rows, 'total relative cost of the lists in it', 'Cost by folder or program')}{rest}</figure>")
    return out


def prose(value: Any) -> str:
    """Escaped text whose `backticked` parts become <code>."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", text(value))


def _recipe(item: dict[str, Any]) -> str:
    recipe = item.get("recipe") or {}
    steps = recipe.get("steps")
    parts = []
    if isinstance(steps, list) and steps:
        parts.append("<p><b>Recipe</b>, step by step in the Marketo UI:</p><ol class=steps>")
        for number, step in enumerate(steps, 1):
            step = step if isinstance(step, dict) else {"text": step}
            value = step.get("step") if isinstance(step.get("step"), int) else number
            lines = step.get("lines") or []
            block = f"<pre>{text(chr(10).join(map(str, lines)))}</pre>" if lines else ""
            parts.append(f'<li value="{value}">{prose(step.get("text"))}{block}</li>')
        parts.append("</ol>")
    else:  # a report written before recipes had steps
        field = (recipe.get("field") or {}).get("name") if isinstance(recipe.get("field"), dict) else recipe.get("field")
        parts.append(f"<p><b>Recipe.</b> Create the Boolean field <code>{text(field)}</code>; a daily batch campaign <i>{text(recipe.get('campaign'))}</i> sets it:</p>")
        for key in ("set_true", "set_false"):
            block = recipe.get(key)
            if isinstance(block, dict):
                parts.append(f"<pre>{text(chr(10).join(map(str, block.get('smart_list') or [])))}\nflow: {text(block.get('flow'))}</pre>")
        if recipe.get("replacement"):
            parts.append(f"<p>Then use <code>{text(recipe['replacement'])}</code> in these lists.</p>")
    notes = [n for n in recipe.get("notes") or [] if isinstance(n, str)]
    if isinstance(recipe.get("segmentation"), str) and recipe["segmentation"] not in notes:
        notes.append(recipe["segmentation"])
    if notes:
        parts.append("<ul class=notes>" + "".join(f"<li>{prose(n)}</li>" for n in notes) + "</ul>")
    copies = [c for c in recipe.get("incomplete_copies") or item.get("incomplete_copies") or [] if isinstance(c, dict)]
    if copies:
        parts.append("<p>Lists with most but not all of the set (not changed by the recipe):</p><ul>")
        for copy in copies[:12]:
            parts.append(f"<li><bdi>{text(copy.get('name'))}</bdi>: lacks {text(', '.join(map(str, copy.get('missing') or [])))}</li>")
        parts.append("</ul>" + (f"<p><small>and {len(copies) - 12:,} more</small></p>" if len(copies) > 12 else ""))
    if recipe.get("estimated_saving") is not None:
        whole = recipe.get("lists_cost")
        of = f' of their cost <span title="{text(whole)}">{human(float(whole))}</span>' if isinstance(whole, (int, float)) and whole > 0 else ""
        parts.append(f'<p>Estimated saving: <b title="{text(recipe["estimated_saving"])}">{human(float(recipe["estimated_saving"]))}</b>{of} (relative cost per run of these lists).</p>')
    return "".join(parts)


def _repeated(report: dict[str, Any], lists_by_key: dict[tuple[Any, Any], dict[str, Any]]) -> list[str]:
    sets = report.get("repeated_sets") or []
    out = ["<h2 id=repeated-sets>Repeated filter sets</h2>"]
    if not sets:
        out.append("<p>No filter set is repeated across lists.</p>")
        return out
    out.append("<p>The same filters in many lists: Marketo evaluates them again in every list. One Boolean field, kept up to date by daily batch campaigns, replaces each set.</p>")
    for item in sets[:TOP_SETS]:
        users = []
        for ref in item["lists"][:12]:
            entry = lists_by_key.get(_ref_key(ref))
            users.append(list_link(ref.get("name"), entry.get("url") if entry else None))
        more = item["list_count"] - len(users)
        out.append(
            f'<div class=set><h3><code>{text(item["field"])}</code>: {item["filter_count"]} filters in {item["list_count"]:,} lists</h3>'
            f"<pre>{text(chr(10).join(item['filters']))}</pre>"
            f"<p>Used by: {', '.join(users)}{f' <small>and {more:,} more</small>' if more > 0 else ''}</p>"
            f"{_recipe(item)}</div>"
        )
    out.append(_capped(TOP_SETS, len(sets), "repeated sets, best candidates first"))
    return out


def _deepest_path(start: int, children: dict[int, list[int]], depth: dict[int, int]) -> list[int]:
    """The longest chain of Member of Smart List below `start`, following at each step a list one
    level less deep (a cycle is cut where it comes back)."""
    path, seen = [start], {start}
    while True:
        below = [c for c in children.get(path[-1], ()) if c not in seen]
        if not below:
            return path
        nxt = max(below, key=lambda c: (depth.get(c, 0), -c))
        path.append(nxt)
        seen.add(nxt)


def _chains(report: dict[str, Any], lists_by_key: dict[tuple[Any, Any], dict[str, Any]]) -> list[str]:
    """The Member of Smart List graph as people read it: cycles, the deepest chains, and names the
    export does not hold."""
    graph = report.get("graph") or {}
    nodes = {n["index"]: n for n in graph.get("nodes") or []}
    out = ["<h2 id=chains>Member of Smart List chains</h2>"]
    cycles, unresolved = graph.get("cycles") or [], graph.get("unresolved") or []
    if not nodes and not unresolved:
        out.append("<p>No list uses Member of Smart List.</p>")
        return out
    out.append("<p>A list that uses <code>Member of Smart List</code> runs the other list's filters as well, so each "
               "level of a chain adds its cost, and a cycle cannot be resolved at all (SL402, SL403).</p>")

    def link(index: int) -> str:
        node = nodes[index]
        entry = lists_by_key.get(_ref_key(node))
        return list_link(node.get("name"), entry.get("url") if entry else None)

    if cycles:
        out.append(f'<p class=error>{len(cycles):,} cycle{"s" if len(cycles) != 1 else ""}: '
                   + "; ".join(" → ".join(text(name) for name in (*cycle, cycle[0])) for cycle in cycles[:TOP_CHAINS]) + "</p>")
    children: dict[int, list[int]] = {}
    referenced: set[int] = set()
    for edge in graph.get("edges") or []:
        children.setdefault(edge["from"], []).append(edge["to"])
        referenced.add(edge["to"])
    depth = {i: n.get("depth", 0) for i, n in nodes.items()}
    # a chain starts at a list no other list uses (or, inside a cycle, anywhere)
    starts = sorted((i for i in nodes if i in children and i not in referenced), key=lambda i: (-depth[i], i))
    if starts:
        out.append('<div class=scroll><table><thead><tr><th class=num>Levels</th><th>Chain (each list uses the next)</th></tr></thead><tbody>')
        for start in starts[:TOP_CHAINS]:
            path = _deepest_path(start, children, depth)
            out.append(f"<tr><td class=num>{len(path) - 1}</td><td class=name>{' → '.join(link(i) for i in path)}</td></tr>")
        out.append("</tbody></table></div>")
        out.append(_capped(TOP_CHAINS, len(starts), "chains, deepest first"))
    if unresolved:
        names = sorted({str(u.get("name")) for u in unresolved})
        out.append(f"<p class=note>Used but not in this export (SL404): {', '.join(f'<code>{text(n)}</code>' for n in names[:50])}"
                   f"{f' <small>and {len(names) - 50:,} more</small>' if len(names) > 50 else ''}.</p>")
    return out


def render(report: dict[str, Any], top: int = TOP_LISTS) -> str:
    summary = report["summary"]
    lists = report["lists"]
    lists_by_key = {_ref_key(e): e for e in lists}
    severities = summary.get("by_severity") or {}
    total_cost = summary["cost"]["total"]
    cards = [
        (human(summary["lists"]), "lists", f"{summary['lists']} lists in {summary['files']} files"),
        (human(summary["filters"]), "filters", str(summary["filters"])),
        (human(summary["findings"]), "findings", ", ".join(f"{severities.get(s, 0)} {s}" for s in SEVERITIES)),
        (f'<span class=error>{human(severities.get("error", 0))}</span>', "errors", str(severities.get("error", 0))),
        (human(total_cost), "total cost", str(total_cost)),
        (human(summary["cost"]["median"]), "median cost per list", str(summary["cost"]["median"])),
        (human(len(report.get("repeated_sets") or [])), "repeated sets", str(len(report.get("repeated_sets") or []))),
    ]
    generated = report.get("generated_at")
    nav = [("findings", "Findings by rule"), ("top-offenders", "Top offenders"), ("costs", "Costs"), ("repeated-sets", "Repeated sets"), ("chains", "Chains")]
    if report.get("trend") is not None or len(report.get("history") or []) >= 2:
        nav.insert(0, ("trend", "Since the last report"))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>smartlint report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>smartlint report</h1>",
        f'<p class=meta>{text(when(generated)) + " · " if generated else ""}smartlint {text(report["tool"]["version"])} · '
        f'{summary["lists"]:,} lists in {summary["files"]:,} files</p>',
        "<nav>" + "".join(f'<a href="#{key}">{label}</a>' for key, label in nav) + "</nav>",
        _cards(cards),
        "<p class=note>Costs are the relative estimate of rules/costs.yaml: useful for ranking, not a measurement. "
        "Rounded numbers show their exact value on hover; list names open the list in Marketo.</p>",
    ]
    out += _trend(report)
    out += _rules(report, lists_by_key)
    out += _offenders(lists, total_cost, top)
    out += _charts(lists)
    out += _repeated(report, lists_by_key)
    out += _chains(report, lists_by_key)
    out.append("</body></html>")
    return "\n".join(out) + "\n"

