"""smartlint's benchmark: whole processes, several runs, medians and ratios.

    python bench/run.py [--sizes 1000,10000,50000] [--repeat 3] [--out bench/RESULTS.md]

It generates seeded synthetic exports (bench/generate.py) into bench/out/, then measures:
  - the floor: `json.load` of the same files in one process;
  - `smartlint lint` (all rules, whole-export analysis, JSON report to /dev/null), one process;
  - the growth from the smallest to the largest export (time per list);
  - one small file, whole process, against yamllint on a YAML file of the same size;
  - the text form's parse rate (Lark LALR), in filters per second;
  - one file holding many lists (a JSON array, indented and on one line, and the text form), at
    two sizes: the time per list should not grow with the size of the file;
  - peak memory (max RSS) of the lint process.
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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402

PYTHON = sys.executable
FLOOR = "import json, os, sys\nfor root, _, files in os.walk(sys.argv[1]):\n    for name in files:\n        with open(os.path.join(root, name)) as f:\n            json.load(f)\n"


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and the largest peak RSS (MiB) of `command` over `repeat` runs."""
    times, peaks = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
        peaks.append(max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024)
    return statistics.median(times), max(peaks)


def side_by_side(commands: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """Like `timed` for several commands, run in turn (a, b, a, b, …) so that the machine's ups
    and downs fall on all of them alike: (median time, peak MiB) per command."""
    runs: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, command in enumerate(commands):
            runs[i].append(timed(command, 1))
    return [(statistics.median(t for t, _ in r), max(m for _, m in r)) for r in runs]


def export(size: int) -> tuple[Path, int]:
    folder = HERE / "out" / f"export-{size}"
    marker = folder / ".filters"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        filters = generate(str(folder), size, seed=size)
        marker.write_text(str(filters))
    return folder, int(marker.read_text())


def text_parse_rate(folder: Path) -> tuple[int, float]:
    """Convert an export to the text form (one file), then time the text loader in-process."""
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
    best = float("inf")
    gc.disable()  # as during `smartlint lint` (engine.lint_paths)
    try:
        for _ in range(5):
            document = Document("bench.smartlist", Form.TEXT)
            start = time.perf_counter()
            load_text(text, document)
            best = min(best, time.perf_counter() - start)
            assert len(document.lists) == len(lists), document.errors[:1]
            del document
    finally:
        gc.enable()
    return filters, filters / best


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
            times.append(timed([*smartlint, "lint", "-j", "1", "--format", "json", "-o", os.devnull, str(path)], 1)[0])
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

    compileall.compile_dir(str(Path(smartlint.__file__).parent), quiet=1)
    smartlint = [PYTHON, "-m", "smartlint"]
    rows = []
    lines = [f"Machine: {machine()}", f"Runs per figure: {args.repeat} (median)", ""]
    print(lines[0])
    per_list = {}
    for size in sizes:
        folder, filters = export(size)
        (floor, _), (lint, peak) = side_by_side(
            [[PYTHON, "-c", FLOOR, str(folder)], [*smartlint, "lint", "-j", "1", "--format", "json", "-o", os.devnull, str(folder)]],
            args.repeat,
        )
        per_list[size] = lint / size
        rows.append((size, filters, floor, lint, lint / floor, peak))
        print(f"{size:>7} lists {filters:>8} filters  json.load {floor:6.2f} s  smartlint {lint:6.2f} s  ratio {lint / floor:5.2f}x  peak {peak:6.0f} MiB", flush=True)
    lines += [
        "| lists | filters | json.load (floor) | smartlint lint + export analysis | ratio | peak memory |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {s:,} | {f:,} | {a:.2f} s | {b:.2f} s | {b / a:.2f}× | {p:.0f} MiB |" for s, f, a, b, _, p in rows]
    if len(sizes) > 1:
        growth = per_list[sizes[-1]] / per_list[sizes[0]]
        lines += ["", f"Growth: time per list at {sizes[-1]:,} lists is {growth:.2f}× the time per list at {sizes[0]:,} (1.00 = linear)."]
        print(lines[-1])

    # one small file, whole process, against yamllint on a YAML file of the same size
    small = ROOT / "examples" / "export" / "yaml" / "partner-contacts.yaml"
    yamllint = shutil.which("yamllint") or str(Path(PYTHON).parent / "yamllint")
    ours, _ = timed([*smartlint, "lint", str(small)], 1)  # warm the rules cache
    if Path(yamllint).exists():
        (ours, _), (theirs, _) = side_by_side([[*smartlint, "lint", str(small)], [yamllint, "-d", "relaxed", str(small)]], max(args.repeat, 9))
        line = f"One small file ({small.stat().st_size:,} bytes), whole process: smartlint {ours * 1000:.0f} ms, yamllint {theirs * 1000:.0f} ms ({ours / theirs:.2f}×)."
    else:
        ours, _ = timed([*smartlint, "lint", str(small)], max(args.repeat, 9))
        line = f"One small file, whole process: smartlint {ours * 1000:.0f} ms (yamllint not installed: `pip install yamllint`)."
    lines += ["", line]
    print(line)

    # -j: the same 2,000-list export in one process and in two
    folder, _ = export(2000)
    command = [*smartlint, "lint", "--format", "json", "-o", os.devnull, str(folder)]
    pairs = []
    for _ in range(max(args.repeat, 9)):  # in pairs: this machine's speed drifts by half within a minute
        (one, _), (two, _) = side_by_side([[*command, "-j", "1"], [*command, "-j", "2"]], 1)
        pairs.append((one, two))
    one = statistics.median(a for a, _ in pairs)
    two = statistics.median(b for _, b in pairs)
    ratio = statistics.median(b / a for a, b in pairs)
    line = f"Processes (2,000 lists): -j1 {one:.2f} s, -j2 {two:.2f} s (medians of {len(pairs)} pairs; -j2 takes {ratio:.2f}× the time of -j1, median of the pairs' ratios)."
    lines += ["", line]
    print(line)

    filters, rate = text_parse_rate(export(sizes[0])[0])
    line = f"Text form (Lark LALR): {filters:,} filters parsed at {rate:,.0f} filters/s."
    lines += ["", line]
    print(line)

    lines += ["", "One file holding many lists, whole process:"]
    lines += one_file_growth(export(10000)[0], (2500, 10000), smartlint)
    Path(args.out).write_text("# Benchmark results\n\nProduced by `python bench/run.py`.\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
