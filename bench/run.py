"""smartlint's benchmark: whole processes, several runs interleaved, medians and ratios.

    python bench/run.py [--sizes 1000,10000,50000] [--repeat 3] [--out bench/RESULTS.md]

It generates seeded synthetic exports (bench/generate.py) into bench/out/, then measures, each
figure against its goal (issue 16), in CPU time (user + system of the process and its children):
this machine is shared and its speed drifts, so figures are taken side by side, interleaved
(a, b, a, b, …), and only their ratios are compared:
  - the floor: `json.load` of the same files in one process;
  - `smartlint lint -j 1` (all rules, whole-export analysis, JSON report to /dev/null) and
    `smartlint report -j 1` on the same files;
  - the growth from the smallest to the largest export (CPU time per list), peak memory (max RSS);
  - one small JSON file, whole process, against yamllint on the same file;
  - the text form's parse rate (Lark LALR), in filters per CPU second;
  - the `-j` default against `-j 1`, and `-j 2` against `-j 1`, in wall and CPU time;
  - one file holding many lists (a JSON array, indented and on one line, and the text form), at
    two sizes: the time per list should not grow with the size of the file.
yamllint is a benchmark-only dependency: `pip install yamllint`.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402

PYTHON = sys.executable
FLOOR = "import json, os, sys\nfor root, _, files in os.walk(sys.argv[1]):\n    for name in files:\n        with open(os.path.join(root, name)) as f:\n            json.load(f)\n"


class Run:
    """One figure over several runs: medians of wall and CPU time, the largest peak RSS (MiB)."""

    def __init__(self) -> None:
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.peak = 0.0

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def run_once(command: list[str], into: Run) -> Run:
    """Run `command` once; add its wall time, CPU time (user + system, with its children) and
    peak RSS to `into`. os.wait4 gives this process's own figures (getrusage(RUSAGE_CHILDREN)
    would give the largest peak of every process run so far)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        into.walls.append(time.perf_counter() - start)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {errors.read().decode(errors='replace')[-2000:]}")
    into.cpus.append(usage.ru_utime + usage.ru_stime)
    into.peak = max(into.peak, usage.ru_maxrss / 1024)
    return into


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and the largest peak RSS (MiB) of `command` over `repeat` runs."""
    run = Run()
    for _ in range(repeat):
        run_once(command, run)
    return run.wall, run.peak


def side_by_side(commands: list[list[str]], repeat: int) -> list[Run]:
    """Each command `repeat` times, in turn (a, b, a, b, …), so that the machine's ups and downs
    fall on all of them alike."""
    runs = [Run() for _ in commands]
    for _ in range(repeat):
        for command, run in zip(commands, runs):
            run_once(command, run)
    return runs


def export(size: int) -> tuple[Path, int]:
    folder = HERE / "out" / f"export-{size}"
    marker = folder / ".filters"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        filters = generate(str(folder), size, seed=size)
        marker.write_text(str(filters))
    return folder, int(marker.read_text())


def text_parse_rate(folder: Path) -> tuple[int, float, float]:
    """Convert an export to the text form (one file), then time the text loader in-process (best of
    5, in CPU time: the process's own, which other sessions on the machine do not inflate)."""
    from smartlint.model import Document, Form
    from smartlint.sources import load
    from smartlint.sources.dump import to_text
    from smartlint.sources.text_form import load_text

    lists = []
    for path in sorted(folder.rglob("*.json")):
        lists.extend(load(str(path)).lists)
    text = to_text(lists)
    filters = sum(len(s.filters) + len(s.triggers) for s in lists)
    load_text(text[:2000], Document("warm", Form.TEXT))  # build the parser outside the timing
    best = best_wall = float("inf")
    gc.disable()  # as in the `smartlint` command (smartlint/__main__.py)
    try:
        for _ in range(5):
            document = Document("bench.smartlist", Form.TEXT)
            start, wall = time.process_time(), time.perf_counter()
            load_text(text, document)
            best = min(best, time.process_time() - start)
            best_wall = min(best_wall, time.perf_counter() - wall)
            assert len(document.lists) == len(lists), document.errors[:1]
            del document
    finally:
        gc.enable()
    return filters, filters / best, filters / best_wall


def one_file_growth(folder: Path, sizes: tuple[int, int], smartlint: list[str]) -> list[str]:
    """Lint one file holding `sizes[0]`, then `sizes[1]`, lists of the export (a JSON array,
    indented and on one line, and the text form) and compare the time per list."""
    import json

    from smartlint.sources import load
    from smartlint.sources.dump import to_text

    paths = sorted(folder.rglob("*.json"))[: sizes[1]]
    data = [json.loads(p.read_text(encoding="utf-8"))["result"][0] for p in paths]
    lists = [s for p in paths for s in load(str(p)).lists]
    out = []
    for form, write in (
        ("JSON, indented", lambda n: json.dumps(data[:n], indent=2)),
        ("JSON, one line", lambda n: json.dumps(data[:n])),
        ("text form", lambda n: to_text(lists[:n])),
    ):
        times = []
        for n in sizes:
            path = HERE / "out" / f"one-file-{n}{'.smartlist' if form == 'text form' else '.json'}"
            path.write_text(write(n), encoding="utf-8")
            times.append(run_once([*smartlint, "lint", "-j", "1", "--format", "json", "-o", os.devnull, str(path)], Run()).cpu)
            path.unlink()
        growth = (times[1] / sizes[1]) / (times[0] / sizes[0])
        out.append(f"- {form}: {sizes[0]:,} lists {times[0]:.2f} s, {sizes[1]:,} lists {times[1]:.2f} s; time per list {growth:.2f}× (1.00 = linear)")
        print(out[-1], flush=True)
    return out


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


GOALS = {  # issue 16
    "lint": 4.5,  # 10,000 lists, -j 1, CPU time ÷ json.load's (moonshot: 3)
    "report": 1.1,  # report ÷ lint
    "small": 1.15,  # one small JSON file ÷ yamllint, whole process
    "text": 50_000,  # text form, filters per second
    "growth": 1.2,  # CPU time per list at the largest size ÷ at the smallest
    "memory": 1024,  # peak MiB at the largest size
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # as `pip install` does: without bytecode every start would compile smartlint from source
    # (yamllint, measured against it, was installed with its bytecode)
    import compileall

    import smartlint
    from smartlint.engine import default_jobs, usable_cpus

    compileall.compile_dir(str(Path(smartlint.__file__).parent), quiet=1)
    smartlint = [PYTHON, "-m", "smartlint"]
    goals: list[tuple[str, str, str]] = []  # (goal, figure, met)

    def goal(name: str, figure: str, met: bool) -> None:
        goals.append((name, figure, "met" if met else "**not met**"))

    lines = [f"Machine: {machine()}", f"Runs per figure: {args.repeat}, interleaved (median); times are CPU time (user + system) unless marked wall", ""]
    print(lines[0])
    rows = []
    per_list = {}
    reference = 10000 if 10000 in sizes else sizes[-1]
    for size in sizes:
        folder, filters = export(size)
        commands = [[PYTHON, "-c", FLOOR, str(folder)], [*smartlint, "lint", "-j", "1", "--format", "json", "-o", os.devnull, str(folder)]]
        if size == reference:
            commands.append([*smartlint, "report", "-j", "1", "-o", os.devnull, str(folder)])
        runs = side_by_side(commands, args.repeat)
        floor, lint = runs[0], runs[1]
        report = runs[2] if size == reference else None
        per_list[size] = lint.cpu / size
        rows.append((size, filters, floor, lint, report))
        print(f"{size:>7} lists {filters:>8} filters  json.load {floor.cpu:6.2f} s  lint {lint.cpu:6.2f} s ({lint.cpu / floor.cpu:5.2f}x)"
              + (f"  report {report.cpu:6.2f} s ({report.cpu / lint.cpu:4.2f}x lint)" if report else "")
              + f"  peak {lint.peak:6.0f} MiB", flush=True)
        if size == reference:
            goal(f"{size:,} lists, -j 1, lint ÷ json.load ≤ {GOALS['lint']}× (moonshot 3×)", f"{lint.cpu / floor.cpu:.2f}× ({lint.cpu:.2f} s ÷ {floor.cpu:.2f} s)", lint.cpu / floor.cpu <= GOALS["lint"])
            goal(f"{size:,} lists, -j 1, report ÷ lint ≤ {GOALS['report']}×", f"{report.cpu / lint.cpu:.2f}× ({report.cpu:.2f} s ÷ {lint.cpu:.2f} s)", report.cpu / lint.cpu <= GOALS["report"])
    lines += [
        "| lists | filters | json.load (floor) | smartlint lint + export analysis | ratio | report | report ÷ lint | wall: json.load / lint | peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, filters, floor, lint, report in rows:
        extra = f"{report.cpu:.2f} s | {report.cpu / lint.cpu:.2f}×" if report else "— | —"
        lines.append(f"| {size:,} | {filters:,} | {floor.cpu:.2f} s | {lint.cpu:.2f} s | {lint.cpu / floor.cpu:.2f}× | {extra} | {floor.wall:.2f} s / {lint.wall:.2f} s | {lint.peak:.0f} MiB |")
    if len(sizes) > 1:
        growth = per_list[sizes[-1]] / per_list[sizes[0]]
        lines += ["", f"Growth: CPU time per list at {sizes[-1]:,} lists is {growth:.2f}× the time per list at {sizes[0]:,} (1.00 = linear)."]
        print(lines[-1])
        goal(f"CPU time per list, {sizes[-1]:,} ÷ {sizes[0]:,} lists ≤ {GOALS['growth']}", f"{growth:.2f}", growth <= GOALS["growth"])
    peak = rows[-1][3].peak
    goal(f"peak memory at {sizes[-1]:,} lists ≤ 1 GiB", f"{peak:.0f} MiB", peak <= GOALS["memory"])

    # one small JSON file, whole process, against yamllint on the same file (JSON is YAML)
    small = ROOT / "examples" / "export" / "rest" / "pricing-visitors.json"
    yamllint = shutil.which("yamllint") or str(Path(PYTHON).parent / "yamllint")
    timed([*smartlint, "lint", str(small)], 1)  # warm the rules cache
    if Path(yamllint).exists():
        ours, theirs = side_by_side([[*smartlint, "lint", str(small)], [yamllint, "-d", "relaxed", str(small)]], max(args.repeat * 5, 15))
        line = (f"One small JSON file ({small.stat().st_size:,} bytes), whole process: smartlint {ours.cpu * 1000:.0f} ms, "
                f"yamllint on the same file {theirs.cpu * 1000:.0f} ms ({ours.cpu / theirs.cpu:.2f}×; wall {ours.wall * 1000:.0f} and {theirs.wall * 1000:.0f} ms).")
        goal(f"one small JSON file ÷ yamllint ≤ {GOALS['small']}×", f"{ours.cpu / theirs.cpu:.2f}× ({ours.cpu * 1000:.0f} ms ÷ {theirs.cpu * 1000:.0f} ms)", ours.cpu / theirs.cpu <= GOALS["small"])
    else:
        line = f"One small file, whole process: smartlint {timed([*smartlint, 'lint', str(small)], 9)[0] * 1000:.0f} ms wall (yamllint not installed: `pip install yamllint`)."
    lines += ["", line]
    print(line)

    filters, rate, wall_rate = text_parse_rate(export(sizes[0])[0])
    line = f"Text form (Lark LALR): {filters:,} filters parsed at {rate:,.0f} filters per CPU second ({wall_rate:,.0f} per second of wall time; best of 5)."
    lines += ["", line]
    print(line)
    goal(f"text form ≥ {GOALS['text']:,} filters/s", f"{rate:,.0f} per CPU second ({wall_rate:,.0f} wall)", rate >= GOALS["text"])

    # -j: the default, one process and two, on a 2,000-file export and on the largest
    cpus = usable_cpus()
    for size in sorted({2000, reference}):
        folder, _ = export(size)
        command = [*smartlint, "lint", "--format", "json", "-o", os.devnull, str(folder)]
        chosen = default_jobs(size)
        commands = [[*command, "-j", "1"], [*command, "-j", "2"]] + ([command] if chosen != 1 else [])
        one, two, *default = side_by_side(commands, max(args.repeat, 3))
        line = (f"Processes ({size:,} files, {cpus} usable CPUs, default -j {chosen}): -j1 {one.wall:.2f} s wall / {one.cpu:.2f} s CPU, "
                f"-j2 {two.wall:.2f} s / {two.cpu:.2f} s" + (f", default {default[0].wall:.2f} s / {default[0].cpu:.2f} s." if default else "."))
        lines += ["", line]
        print(line)
        if size == reference:
            if default:
                goal(f"the -j default never slower than -j 1 ({size:,} files)", f"-j {chosen}: {default[0].wall / one.wall:.2f}× the wall time of -j 1", default[0].wall <= one.wall)
            else:
                goal(f"the -j default never slower than -j 1 ({size:,} files)", f"the default is -j 1 on {cpus} CPUs (-j 2 took {two.wall / one.wall:.2f}× the wall time, {two.cpu / one.cpu:.2f}× the CPU time)", True)

    lines += ["", "One file holding many lists, whole process:"]
    lines += one_file_growth(export(10000)[0], (2500, 10000), smartlint)

    table = ["| goal (issue 16) | this run | |", "|---|---|---|", *(f"| {g} | {f} | {m} |" for g, f, m in goals)]
    print("\n".join(table))
    Path(args.out).write_text("# Benchmark results\n\nProduced by `python bench/run.py`.\n\n" + "\n".join(table + [""] + lines) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
