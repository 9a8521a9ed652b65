"""Screenshots of `smartlint report --format html` in headless Chromium, to look at the page as a
person would: the bundled examples (with a `--compare` against an older report, so the trend
section shows) and a large synthetic export from bench/generate.py.

    python scripts/screenshot_report.py OUT_DIR [--lists 20000] [--chromium chromium]

Writes OUT_DIR/<page>-<width>.png at 1366 and 800 px wide, and a tall full-page shot of each.
Needs `chromium` (Debian: apt-get install chromium); nothing here is run by the tests."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = [("1366", 1366, 900), ("800", 800, 900), ("full", 1366, 12000)]


def smartlint(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "smartlint", *args], check=False, cwd=ROOT)


def shoot(chromium: str, page: Path, png: Path, width: int, height: int) -> None:
    profile = tempfile.mkdtemp(prefix="smartlint-chromium-")
    try:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--hide-scrollbars", f"--window-size={width},{height}",
             f"--screenshot={png}", page.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    print(png)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--lists", type=int, default=20000)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="smartlint-shots-"))
    try:
        # the examples, compared with a report of the same export from a week before (one list
        # fewer, history of three weeks): the trend section has something to show
        older = work / "older.json"
        smartlint("report", "--ignore", "SL101", "-o", str(older), str(ROOT / "examples"))
        document = json.loads(older.read_text())
        document["generated_at"] = "2026-11-25T08:00:00Z"
        document["history"] = [
            {"generated_at": "2026-11-11T08:00:00Z", "lists": 12, "findings": 30, "cost": 1900.0},
            {"generated_at": "2026-11-18T08:00:00Z", "lists": 13, "findings": 26, "cost": 1700.0},
            {"generated_at": "2026-11-25T08:00:00Z", "lists": document["summary"]["lists"], "findings": document["summary"]["findings"], "cost": document["summary"]["cost"]["total"]},
        ]
        for entry in document["lists"][:3]:  # three lists got dearer since, one cheaper, one is new
            entry["cost"] = round(entry["cost"] * 0.8, 3)
        document["lists"][4]["cost"] = round(document["lists"][4]["cost"] * 1.5, 3)
        del document["lists"][-1]
        document["summary"]["cost"]["total"] = round(sum(e["cost"] for e in document["lists"]), 3)
        older.write_text(json.dumps(document))
        pages = {"examples": work / "examples.html", "large": work / "large.html"}
        smartlint("report", "--format", "html", "--compare", str(older), "-o", str(pages["examples"]), str(ROOT / "examples"))
        export = work / "export"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(export), str(args.lists)], check=True, cwd=ROOT)
        smartlint("report", "--format", "html", "-o", str(pages["large"]), str(export))
        for name, page in pages.items():
            print(f"{page.name}: {page.stat().st_size:,} bytes")
            shutil.copy(page, out / page.name)
            for label, width, height in SHOTS:
                shoot(args.chromium, page, out / f"{name}-{label}.png", width, height)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
