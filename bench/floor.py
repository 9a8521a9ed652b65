"""Where `lint -j 1` spends its CPU time on an export of one-list files, stage by stage, against
`json.load` of the same files, and what the typed model costs on its own: the floor under any
loader that builds it.

    python bench/floor.py [--lists 10000] [--repeat 3]

Everything runs in this one process with the collector off (as `smartlint` runs), interleaved
(each repeat measures every stage once), medians; start-up is a separate process on an empty
folder. The stages are timed by wrapping the engine's functions, so their sum is close to, not
exactly, a whole run. The "bare model" builds the same SmartList, Filter, Condition and Location
objects straight from `json.loads` output: no shape checks, no positions, no error handling. It
is what is left of loading if everything smartlint adds to parsing were free.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

import smartlint.engine as engine  # noqa: E402
from smartlint.model import Condition, Document, Filter, Form, ListKind, Location, MatchType, SmartList  # noqa: E402

STAGES = ("load_file", "check_document", "_finish", "analyse", "report_document", "write")


def cpu() -> float:
    return time.process_time()


def floor(paths: list[str]) -> float:
    start = cpu()
    for path in paths:
        with open(path) as f:
            json.load(f)
    return cpu() - start


def parse_only(texts: list[str]) -> float:
    start = cpu()
    for text in texts:
        json.loads(text)
    return cpu() - start


def bare_model(paths: list[str], texts: list[str]) -> float:
    """json.loads and the typed model, nothing else (reading is in the floor)."""
    start = cpu()
    for path, text in zip(paths, texts):
        data = json.loads(text)
        document = Document(path, Form.JSON)
        for item in data["result"]:
            filters = tuple(
                Filter(
                    number,
                    raw["name"],
                    tuple(
                        Condition(c.get("attributeName") or c.get("activityAttributeName") or "", c["operator"], tuple(c["values"]),
                                  None, False, None, Location(path, 0, 0, ""))
                        for c in raw["conditions"]
                    ),
                    raw.get("id"), raw.get("ruleType"), raw.get("ruleTypeId"), raw.get("operator"), False, Location(path, 0, 0, ""),
                )
                for number, raw in enumerate(item["rules"]["filters"], 1)
            )
            document.lists.append(SmartList(name=item["name"], id=item["id"], kind=ListKind.SMART_LIST, match_type=MatchType.ALL,
                                            filters=filters, location=Location(path, 1, 1, "")))
    return cpu() - start


def staged_run(folder: str) -> tuple[float, dict[str, float]]:
    """A whole `lint -j 1 --format json` run in this process, with each stage's CPU time."""
    from smartlint import export
    from smartlint.config import Overrides
    from smartlint.output import json_report

    spent: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    patched = []
    for module in (engine, export, json_report):
        for name in STAGES:
            original = module.__dict__.get(name)
            if original is None:
                continue

            def timed(*args, _original=original, _name=name, **kwargs):
                start = cpu()
                try:
                    return _original(*args, **kwargs)
                finally:
                    spent[_name] += cpu() - start

            setattr(module, name, timed)
            patched.append((module, name, original))
    try:
        start = cpu()
        result = engine.lint_paths([folder], Overrides(), export=True, jobs=1)
        json_report.write(result, io.StringIO())
        total = cpu() - start
    finally:
        for module, name, original in patched:
            setattr(module, name, original)
    return total, spent


def start_up(empty: str) -> float:
    proc = subprocess.Popen([sys.executable, "-m", "smartlint", "lint", "-j", "1", "--format", "json", empty],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    gc.disable()
    folder = HERE / "out" / f"floor-{args.lists}"
    if not folder.exists():
        generate(str(folder), args.lists)
    paths = sorted(str(p) for p in folder.rglob("*.json"))
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    runs: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as empty:
        for _ in range(args.repeat):
            runs.setdefault("json.load (the floor)", []).append(floor(paths))
            runs.setdefault("start-up (empty folder, own process)", []).append(start_up(empty))
            runs.setdefault("json.loads alone (files read before)", []).append(parse_only(texts))
            runs.setdefault("bare model: json.loads + typed objects", []).append(bare_model(paths, texts))
            total, spent = staged_run(str(folder))
            runs.setdefault("whole run in process (lint + JSON)", []).append(total)
            for name, seconds in spent.items():
                runs.setdefault(f"  stage {name}", []).append(seconds)
    median = {name: statistics.median(values) for name, values in runs.items()}
    base = median["json.load (the floor)"]
    print(f"{len(paths):,} one-list files, CPU seconds, medians of {args.repeat}")
    for name, seconds in median.items():
        print(f"{name:<42} {seconds:7.3f} s  {seconds / base:5.2f}× json.load")
    start = median["start-up (empty folder, own process)"]
    objects = median["bare model: json.loads + typed objects"] - median["json.loads alone (files read before)"]
    loading = base + objects  # reading and parsing (the floor itself) and the typed objects
    rest = sum(median.get(f"  stage {n}", 0.0) for n in ("check_document", "_finish", "analyse", "report_document", "write"))
    print()
    print(f"the typed objects alone: {objects:.3f} s; start-up + reading and parsing + the typed objects: "
          f"{start + loading:.3f} s = {(start + loading) / base:.2f}× json.load before any check runs;")
    print(f"with today's checks, positions, export analysis, findings and JSON output ({rest:.3f} s): "
          f"{start + loading + rest:.3f} s = {(start + loading + rest) / base:.2f}× (goal 4.5×: {4.5 * base:.3f} s).")

if __name__ == "__main__":
    main()
