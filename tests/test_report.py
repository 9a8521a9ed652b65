"""`smartlint report` as a dashboard: the HTML page, the trend against a previous report, the CSV
list table and the JSON behind them, through the real command line."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import tempfile
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, write

HOSTILE = ROOT / "tests" / "data" / "report" / "hostile.json"
SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text())


class Page(HTMLParser):
    """The parts of the page a person sees or clicks."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.links: dict[str, str] = {}  # link text -> href
        self.loaded: list[str] = []  # anything the browser would fetch
        self.svg_text: list[str] = []
        self.svgs: list[tuple[float, float, list[tuple[str, dict]]]] = []
        self.text: list[str] = []
        self._link: str | None = None
        self._link_text: list[str] = []
        self._in_svg_text = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "a":
            self._link, self._link_text = attrs.get("href"), []
        if "src" in attrs or (tag == "link" and "href" in attrs):
            self.loaded.append(attrs.get("src") or attrs["href"])
        if tag == "svg":
            _, _, width, height = map(float, attrs["viewbox"].split())
            self.svgs.append((width, height, []))
        elif self.svgs and tag in ("rect", "line", "text", "circle", "polyline"):
            self.svgs[-1][2].append((tag, attrs))
        if tag == "text":
            self._in_svg_text += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links["".join(self._link_text)] = self._link
            self._link = None
        if tag == "text":
            self._in_svg_text -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._link is not None:
            self._link_text.append(data)
        if self._in_svg_text:
            self.svg_text.append(data)


def html_report(cli, tmp_path, *args) -> tuple[Page, str]:
    out = tmp_path / "report.html"
    run = cli("report", "--format", "html", "-o", str(out), *args)
    assert run.code == 0, run.err
    html = out.read_text(encoding="utf-8")
    return Page(html), html


def test_page_shows_findings_by_rule_with_names_severities_and_lists(cli, tmp_path):
    page, html = html_report(cli, tmp_path, str(EXAMPLES))
    report = cli("report", str(EXAMPLES)).json()
    section = html[html.index('id=findings'):html.index('id=top-offenders')]
    for rule in report["rules"]:
        row = re.search(rf"<tr><td>{rule['code']}</td><td>{re.escape(rule['name'])}</td><td><span class=\"sev {rule['severity']}\">", section)
        assert row, rule["code"]
    assert {r["code"]: r["findings"] for r in report["rules"]} == report["summary"]["by_code"]
    for rule in report["rules"]:
        hit = {(f["list_id"], f["list_name"]) for f in report["findings"] if f["code"] == rule["code"] and f["list_name"] is not None}
        assert {(l["id"], l["name"]) for l in rule["lists"]} == hit and rule["list_count"] == len(hit)
    widest = max(report["rules"], key=lambda r: r["list_count"])
    costliest = max((l for l in report["lists"] if (l["id"], l["name"]) in {(h["id"], h["name"]) for h in widest["lists"]}), key=lambda l: l["cost"])
    assert costliest["name"] in section[section.index(f"<td>{widest['code']}</td>"):]


def test_lists_link_to_marketo_and_the_page_loads_nothing(cli, tmp_path):
    page, _ = html_report(cli, tmp_path, str(EXAMPLES))
    assert page.links["Webinar invitees - Q4 product launch"] == "https://app-ab12.marketo.com/#SL5102A1LA1"
    assert "Hot leads - North America" not in page.links  # the text form gave no url
    assert page.loaded == [] and "script" not in page.tags and "link" not in page.tags


def test_charts_have_axes_and_labels_and_stay_on_their_canvas(cli, tmp_path):
    page, _ = html_report(cli, tmp_path, str(EXAMPLES))
    labels = " ".join(page.svg_text)
    for label in ("findings", "relative cost per list", "lists", "total relative cost of the lists in it", "Program 1041"):
        assert label in labels
    report = cli("report", str(EXAMPLES)).json()
    assert all(f"{r['code']} {r['name']}"[:12] in labels for r in report["rules"])  # each rule's bar is labelled
    assert len(page.svgs) >= 3
    for width, height, shapes in page.svgs:
        for tag, attrs in shapes:
            for key in ("x", "x1", "x2", "cx"):
                if key in attrs:
                    assert 0 <= float(attrs[key]) <= width, (tag, attrs)
            for key in ("y", "y1", "y2", "cy"):
                if key in attrs:
                    assert 0 <= float(attrs[key]) <= height, (tag, attrs)
            if tag == "rect":
                assert float(attrs["x"]) + float(attrs["width"]) <= width and float(attrs["y"]) + float(attrs["height"]) <= height


def test_numbers_are_rounded_for_people_and_exact_in_json(cli, tmp_path):
    page, html = html_report(cli, tmp_path, str(EXAMPLES))
    report = cli("report", str(EXAMPLES)).json()
    total = report["summary"]["cost"]["total"]
    assert total >= 1000 and total != round(total)
    shown = re.search(rf'<div class=card title="{total}"><b>([0-9.]+)k</b><span>total cost</span>', html)
    assert shown and len(shown.group(1)) <= 3 and abs(float(shown.group(1)) * 1000 - total) <= 0.05 * total  # "12.8k" or "13k"
    worst = report["lists"][0]
    cell = re.search(rf'<td class=num title="{worst["cost"]}">([0-9.]+)(k?)</td>', html)
    assert cell and len(cell.group(1)) <= 3 and abs(float(cell.group(1)) * (1000 if cell.group(2) else 1) - worst["cost"]) <= 0.05 * worst["cost"]


def test_hostile_names_are_escaped_and_unsafe_urls_are_not_links(cli, tmp_path):
    page, html = html_report(cli, tmp_path, str(HOSTILE))
    text = "".join(page.text)
    assert "<script>alert('name')</script>" in text  # shown as text...
    assert "script" not in page.tags and "img" not in page.tags and "<b>x</b>" not in html  # ...never as markup
    assert all(href.startswith(("https://", "#")) for href in page.links.values())
    assert page.links['=HYPERLINK("http://evil.invalid","click")'] == 'https://app-ab12.marketo.com/#SL9002A1LA1"><b>x</b>'
    assert "javascript:" not in " ".join(page.links.values()) and "data:" not in " ".join(page.links.values())
    assert "<img src=x onerror=alert(1)>" in text  # the folder name, in the table and the folder chart
    assert "\u202e" in text and "<bdi>-2+3" in html  # a right-to-left override stays inside its name


def test_csv_round_trips_the_list_table_and_defuses_formulas(cli, tmp_path):
    run = cli("report", "--format", "csv", str(HOSTILE))
    report = cli("report", str(HOSTILE)).json()
    assert run.code == 0
    rows = list(csv.DictReader(io.StringIO(run.out, newline="")))
    assert list(rows[0]) == ["id", "name", "kind", "folder", "cost", "own_cost", "filters", "errors", "warnings", "infos", "url", "path"]
    assert len(rows) == len(report["lists"]) == 5
    for row, entry in zip(rows, report["lists"]):
        name = row["name"]
        if name[:2] in ("'=", "'+", "'-", "'@"):  # OWASP: a formula-looking cell starts with an apostrophe
            name = name[1:]
        assert name == entry["name"] and int(row["id"]) == entry["id"] and float(row["cost"]) == entry["cost"]
        assert row["url"] == entry["url"] and row["kind"] == entry["kind"]
        assert (int(row["errors"]), int(row["warnings"]), int(row["infos"])) == tuple(entry["findings"][s] for s in ("error", "warning", "info"))
    cells = [cell for row in rows for cell in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not re.fullmatch(r"-[0-9.]+", c))]
    assert "'@SUM(1+1)\nsecond line" in cells and "'+Folder, with \"quotes\"" in cells


def test_csv_to_a_file_is_rfc4180(cli, tmp_path):
    out = tmp_path / "deep" / "lists.csv"
    out.parent.mkdir()
    assert cli("report", "--format", "csv", "-o", str(out), str(EXAMPLES)).code == 0
    data = out.read_bytes()
    assert data.startswith(b"id,name,kind,folder,cost,") and data.endswith(b"\r\n") and b"\r\r\n" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 15 and rows[1][1] == "Score decay - batch"


def _export(root: Path, lists: dict[str, list[dict]]) -> Path:
    for name, filters in lists.items():
        number = int(name.split()[-1])
        write(root / f"{number}.json", json.dumps({
            "id": number, "name": name, "url": f"https://app-ab12.marketo.com/#SL{number}A1LA1",
            "folder": {"id": 1, "type": "Folder", "name": "Ops"},
            "rules": {"filterMatchType": "all", "triggers": [], "filters": filters},
        }))
    return root


def _filter(name, aid, operator, values):
    return {"id": aid, "name": name, "ruleTypeId": 2, "ruleType": "Attribute", "operator": operator,
            "conditions": [{"attributeId": aid, "attributeName": name, "operator": operator, "values": values, "isPrimary": True}]}


COUNTRY = _filter("Country", 40, "is", ["France"])
SLOW = _filter("Job Title", 41, "contains", ["CMO"])
STATUS = _filter("Lead Status", 43, "is", ["MQL"])


def test_compare_shows_new_and_fixed_findings_and_cost_changes(cli, tmp_path):
    week1 = _export(tmp_path / "week1", {"Alpha 1": [COUNTRY, SLOW], "Beta 2": [COUNTRY], "Gone 3": [STATUS]})
    # a week later, pulled to another folder: Alpha fixed its slow filter, Beta grew one, Gamma is new
    week2 = _export(tmp_path / "week2", {"Alpha 1": [COUNTRY], "Beta 2": [COUNTRY, STATUS, SLOW], "Gamma 4": [STATUS]})
    previous = tmp_path / "week1.json"
    assert cli("report", "-o", str(previous), str(week1)).code == 0
    run = cli("report", "--compare", str(previous), str(week2))
    assert run.code == 0, run.err
    report = run.json()
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    trend = report["trend"]
    assert [(f["code"], f["list_name"]) for f in trend["findings"]["new"]] == [("SL101", "Beta 2")]
    assert [(f["code"], f["list_name"]) for f in trend["findings"]["fixed"]] == [("SL101", "Alpha 1")]
    assert [l["name"] for l in trend["lists"]["cost_rose"]] == ["Beta 2"]
    assert [l["name"] for l in trend["lists"]["cost_fell"]] == ["Alpha 1"]
    assert [l["name"] for l in trend["lists"]["added"]] == ["Gamma 4"] and [l["name"] for l in trend["lists"]["removed"]] == ["Gone 3"]
    old = json.loads(previous.read_text())
    assert trend["cost"] == {"previous": old["summary"]["cost"]["total"], "current": report["summary"]["cost"]["total"],
                             "change": round(report["summary"]["cost"]["total"] - old["summary"]["cost"]["total"], 3)}
    assert [p["cost"] for p in report["history"]] == [old["summary"]["cost"]["total"], report["summary"]["cost"]["total"]]

    page, html = html_report(cli, tmp_path, "--compare", str(previous), str(week2))
    section = html[html.index("id=trend"):html.index("id=findings")]
    assert "Since the last report" in section and "New findings (1)" in section and "Fixed findings (1)" in section
    assert "Lists whose cost rose (1)" in section and ">Beta 2<" in section
    assert "total relative cost" in section and "report date" in section  # the history chart's axes


def test_a_chain_of_weekly_reports_keeps_the_whole_history(cli, tmp_path):
    previous = None
    for week in range(4):
        out = tmp_path / f"week{week}.json"
        filters = [COUNTRY] + [SLOW] * (week % 2) + [STATUS] * week
        export = _export(tmp_path / f"export{week}", {"Alpha 1": filters})
        args = ["--compare", str(previous)] if previous else []
        assert cli("report", *args, "-o", str(out), str(export), env={"SOURCE_DATE_EPOCH": str(1_790_000_000 + week * 604_800)}).code == 0
        previous = out
    report = json.loads(previous.read_text())
    assert [p["generated_at"][:10] for p in report["history"]] == ["2026-09-21", "2026-09-28", "2026-10-05", "2026-10-12"]
    assert len({p["cost"] for p in report["history"]}) == 4
    jsonschema.Draft202012Validator(SCHEMA).validate(report)


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "is not JSON"),
        ("[]", "the top level is not an object"),
        ('{"tool": {"name": "other"}}', "no `tool.name: smartlint`"),
        ("LINT", "a `lint --format json` document is not a report"),
        ("NEWER", "schema_version 99 is newer"),
        ("BAD-HISTORY", "`history` point"),
    ],
)
def test_a_bad_previous_report_is_a_clear_usage_error(cli, tmp_path, content, message):
    previous = tmp_path / "previous.json"
    if content == "LINT":
        content = cli("lint", "--format", "json", str(EXAMPLES)).out
    elif content in ("NEWER", "BAD-HISTORY"):
        document = cli("report", str(HOSTILE)).json()
        document.update({"schema_version": 99} if content == "NEWER" else {"history": [{"cost": "a lot"}]})
        content = json.dumps(document)
    previous.write_text(content)
    run = cli("report", "--compare", str(previous), str(EXAMPLES))
    assert run.code == 2 and run.out == ""
    assert message in run.err and str(previous) in run.err and "Traceback" not in run.err
    missing = cli("report", "--compare", str(tmp_path / "nowhere.json"), str(EXAMPLES))
    assert missing.code == 2 and "cannot read" in missing.err and "Traceback" not in missing.err


def test_report_json_with_hostile_input_validates_against_the_schema(cli):
    report = cli("report", str(HOSTILE)).json()
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    by_name = {l["name"]: l for l in report["lists"]}
    assert by_name["-2+3 \u202eevil\u202c"]["folder"] == "Program 9"
    for entry in report["lists"]:
        own = [f["severity"] for f in report["findings"] if f["list_id"] == entry["id"]]
        assert entry["findings"] == {s: own.count(s) for s in ("error", "warning", "info")}
    assert sum(by_name["<script>alert('name')</script> & \"friends\""]["findings"].values()) >= 1


def test_a_large_export_gives_a_capped_page_that_says_so(cli, tmp_path):
    lists = {f"List {n}": [COUNTRY, SLOW if n % 3 else STATUS] for n in range(1000, 1400)}
    export = _export(tmp_path / "export", lists)
    page, html = html_report(cli, tmp_path, str(export))
    offenders = html[html.index("id=top-offenders"):html.index("id=costs")]
    assert offenders.count("<tr><td class=num>") == 100
    assert "Showing the first 100 of 400 lists" in offenders and "--format csv" in offenders
    assert len(html) < 400_000


# ---- in a real browser, when there is one (CI has none: it skips) ---------------------------

PROBE = """<script>
window.addEventListener('load', () => {
  const out = {width: document.documentElement.scrollWidth, off: []};
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.viewBox.baseVal, toSvg = svg.getCTM().inverse();
    for (const shape of svg.querySelectorAll('rect, text, line, circle, polyline')) {
      const b = shape.getBBox(), m = toSvg.multiply(shape.getCTM());
      for (const [x, y] of [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]) {
        const p = new DOMPoint(x, y).matrixTransform(m);
        if (p.x < -0.5 || p.y < -0.5 || p.x > box.width + 0.5 || p.y > box.height + 0.5) { out.off.push(shape.textContent || shape.tagName); break; }
      }
    }
  }
  out.tables = [...document.querySelectorAll('.scroll')].filter(d => d.scrollWidth > d.clientWidth + 1).map(d => d.previousElementSibling ? d.previousElementSibling.textContent : '');
  document.title = JSON.stringify(out);
});
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium (apt-get install chromium)")
@pytest.mark.parametrize("width", [1366, 800])
@pytest.mark.parametrize("export", [EXAMPLES, HOSTILE], ids=["examples", "hostile"])
def test_in_chromium_the_page_fits_the_window_and_the_charts_their_canvas(cli, tmp_path, width, export):
    page, html = html_report(cli, tmp_path, str(export))
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="smartlint-chromium-")
    try:
        dom = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             f"--window-size={width},900", "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=90,
        ).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    found = re.search(r"<title>(\{.*?\})</title>", dom)
    assert found, dom[:500]
    measured = json.loads(found.group(1).replace("&quot;", '"'))
    assert measured["width"] <= width  # no sideways scrolling of the page itself
    assert measured["off"] == []  # nothing drawn outside a chart
    if width >= 1366:
        assert measured["tables"] == []  # at laptop width no table needs scrolling sideways


def test_each_repeated_set_shows_its_recipe_as_numbered_steps(cli, tmp_path):
    page, html = html_report(cli, tmp_path, str(EXAMPLES))
    report = cli("report", str(EXAMPLES)).json()
    section = html[html.index("id=repeated-sets"):]
    shown = re.findall(r"<ol class=steps>(.*?)</ol>", section, re.S)
    assert len(shown) == len(report["repeated_sets"]) >= 1
    for steps, item in zip(shown, report["repeated_sets"]):
        numbers = [int(n) for n in re.findall(r'<li value="(\d+)">', steps)]
        assert numbers == [s["step"] for s in item["recipe"]["steps"]] == list(range(1, len(numbers) + 1))
        assert "Field Management" in steps and "<code>" in steps


def test_the_recipe_notes_appear_once(cli, tmp_path):
    page, html = html_report(cli, tmp_path, str(EXAMPLES))
    recipe = cli("report", str(EXAMPLES)).json()["repeated_sets"][0]["recipe"]
    section = html[html.index("id=repeated-sets"):]
    for note in recipe["notes"] + [recipe["segmentation"]]:
        assert section.count(re.sub(r"`([^`]+)`", r"<code>\1</code>", html_escape(note))) == 1


@pytest.mark.parametrize("form", ["json", "html", "csv"])
def test_a_folder_without_lists_still_gives_a_report(cli, tmp_path, form):
    (tmp_path / "export").mkdir()
    run = cli("report", "--format", form, str(tmp_path / "export"))
    assert run.code == 0 and "Traceback" not in run.err and "internal error" not in run.err
    if form == "json":
        jsonschema.Draft202012Validator(SCHEMA).validate(run.json())
    elif form == "html":
        assert "No lists." in run.out and "No findings." in run.out
    else:
        assert run.out.splitlines() == ["id,name,kind,folder,cost,own_cost,filters,errors,warnings,infos,url,path"]


def test_one_file_can_hold_the_chain(cli, tmp_path):
    store = tmp_path / "report.json"
    assert cli("report", "-o", str(store), str(EXAMPLES)).code == 0
    for _ in range(2):
        assert cli("report", "--compare", str(store), "-o", str(store), str(EXAMPLES)).code == 0
    report = json.loads(store.read_text())
    assert len(report["history"]) == 3 and report["trend"]["findings"] == {"new": [], "fixed": []}


def test_a_finding_whose_count_moved_is_neither_new_nor_fixed(cli, tmp_path):
    many = lambda n: _filter("Company Name", 44, "contains", [f"Competitor {i}" for i in range(n)])  # noqa: E731
    before = _export(tmp_path / "before", {"Alpha 1": [COUNTRY, many(120)]})
    after = _export(tmp_path / "after", {"Alpha 1": [COUNTRY, many(130)], "Beta 2": [COUNTRY, many(101)]})
    previous = tmp_path / "before.json"
    assert cli("report", "-o", str(previous), str(before)).code == 0
    report = cli("report", "--compare", str(previous), str(after)).json()
    limits = lambda found: [(f["code"], f["list_name"]) for f in found if f["code"] == "SL102"]  # noqa: E731
    assert limits(report["trend"]["findings"]["new"]) == [("SL102", "Beta 2")]
    assert limits(report["trend"]["findings"]["fixed"]) == []


def test_report_says_on_stderr_which_file_it_could_not_read_and_which_it_skipped(cli, tmp_path):
    """The report goes to a file, so the reasons for its exit code 2 must reach the terminal: the
    unreadable file with line and column, as `lint` gives them, and the files skipped as no lists."""
    export = tmp_path / "export"
    shutil.copytree(EXAMPLES / "export" / "rest", export)
    write(export / "broken.json", '{"id": 1, "name": "x", "rules": {"filters": [\n')
    write(export / "package.json", '{"name": "site", "version": "1.0.0"}\n')
    write(export / "notes.json", '{"owner": "ops"}\n')
    run = cli("report", "--format", "html", "-o", str(tmp_path / "r.html"), str(export))
    assert run.code == 2 and (tmp_path / "r.html").exists()
    assert f"{export / 'broken.json'}:2:1 SL001 invalid JSON" in run.err
    assert f"note: skipped {export / 'notes.json'}: valid JSON but not a smart-list export" in run.err
    assert "Traceback" not in run.err
    lint = cli("lint", str(export))
    assert f"{export / 'broken.json'}:2:1 SL001" in lint.out and f"skipped {export / 'notes.json'}" in lint.err


def test_the_page_shows_member_of_smart_list_chains_cycles_and_missing_lists(cli, tmp_path):
    """The README promises the Member of Smart List graph in the report: the page shows each chain
    from the list no other list uses, deepest first, the cycles, and names not in the export."""
    def smart_list(name: str, number: int, uses: str | None) -> str:
        first = f'Member of Smart List: in "{uses}"' if uses else 'Country: is "FR"'
        return f'smart list "{name}" [id {number}]\n  use ALL filters\n  filters:\n    1. {first}\n    2. Lead Score: at least 10\n'

    export = tmp_path / "export"
    write(export / "chain.smartlist", smart_list("Top", 1, "Middle") + smart_list("Middle", 2, "Bottom")
          + smart_list("Bottom", 3, "Base") + smart_list("Base", 4, None) + smart_list("Short", 5, "Base"))
    write(export / "loop.smartlist", smart_list("Ping", 6, "Pong") + smart_list("Pong", 7, "Ping") + smart_list("Orphan", 8, "Ghost"))
    out = tmp_path / "report.html"
    run = cli("report", "--format", "html", "-o", str(out), str(export))
    assert run.code == 0, run.err
    html = out.read_text(encoding="utf-8")
    section = Page(html[html.index("<h2 id=chains>"):])
    words = " ".join(" ".join(section.text).split())
    assert "3 Top → Middle → Bottom → Base" in words and "1 Short → Base" in words
    assert words.index("Top → Middle") < words.index("Short → Base")  # deepest first
    assert "Ping → Pong → Ping" in words or "Pong → Ping → Pong" in words
    assert "Used but not in this export (SL404): Ghost" in words
    assert '<a href="#chains">' in html


@pytest.mark.parametrize("name, starts", [("report.html", "<!doctype html"), ("Report.HTM", "<!doctype html"),
                                          ("lists.csv", "id,name,"), ("r.json", "{"), ("r.out", "{")])
def test_without_format_the_output_file_suffix_picks_it(cli, tmp_path, name, starts):
    out = tmp_path / name
    run = cli("report", str(EXAMPLES), "-o", str(out))
    assert run.code == 0, run.err
    assert out.read_text(encoding="utf-8").lower().startswith(starts.lower())
    # an explicit --format wins over the suffix
    run = cli("report", str(EXAMPLES), "--format", "json", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("{")
