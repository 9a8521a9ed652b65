"""Issue 16's goals for two versions of smartlint, side by side in one run.

    python bench/compare.py REV [--after REV2] [--repeat 3] [--sizes 1000,10000,50000] [--out bench/COMPARE.md]

REV (a git revision) is extracted into bench/out/ and run from its own source tree; "after" is
this working tree, or REV2 extracted alike. Both run through the same small launcher, interleaved (before, after, before,
after, …) with the floor, and every figure is CPU time (user + system, children included) unless
marked wall: this machine is shared, so only figures taken side by side are compared.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from run import FLOOR, HERE, PYTHON, ROOT, export, machine, side_by_side

# the same launcher for both trees, so that start-up is measured alike
LAUNCH = "import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); runpy.run_module('smartlint', run_name='__main__', alter_sys=True)"
TEXT_RATE = (
    "import json, sys; tree, bench, folder = sys.argv[1:4]; sys.path.insert(0, bench); import run; sys.path.insert(0, tree);"
    "from pathlib import Path; print(json.dumps(run.text_parse_rate(Path(folder))))"
)


def tree_of(revision: str) -> Path:
    sha = subprocess.run(["git", "rev-parse", revision], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    tree = HERE / "out" / f"tree-{sha[:12]}"
    if not (tree / "smartlint").is_dir():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision")
    parser.add_argument("--after", help="a revision to compare instead of this working tree")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--out", default=str(HERE / "COMPARE.md"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    before_tree, after_tree = tree_of(args.revision), tree_of(args.after) if args.after else ROOT
    for tree in (before_tree, after_tree):
        compileall.compile_dir(str(tree / "smartlint"), quiet=1)  # as pip install does
    tool = {name: [PYTHON, "-c", LAUNCH, str(tree)] for name, tree in (("before", before_tree), ("after", after_tree))}
    rows: list[tuple[str, str, str]] = []
    notes = [f"Machine: {machine()}; usable CPUs: {len(os.sched_getaffinity(0))}", f"before: {args.revision} ({before_tree.name}); after: {args.after or 'this tree'} ({after_tree.name})", f"Runs per figure: {args.repeat}, interleaved (median)", ""]
    print("\n".join(notes), flush=True)

    def lint(name: str, folder: Path, *extra: str) -> list[str]:
        return [*tool[name], "lint", *extra, "--format", "json", "-o", os.devnull, str(folder)]

    # 10,000 lists: the floor, lint and report, -j 1
    reference = 10000 if 10000 in sizes else sizes[-1]
    folder, _ = export(reference)
    floor, lint_b, lint_a, report_b, report_a = side_by_side(
        [[PYTHON, "-c", FLOOR, str(folder)], lint("before", folder, "-j", "1"), lint("after", folder, "-j", "1"),
         [*tool["before"], "report", "-o", os.devnull, str(folder)], [*tool["after"], "report", "-j", "1", "-o", os.devnull, str(folder)]],
        args.repeat,
    )
    rows.append((f"{reference:,} lists, -j 1, lint CPU ÷ json.load ≤ 4.5× (moonshot 3×)",
                 f"{lint_b.cpu / floor.cpu:.2f}× ({lint_b.cpu:.2f} s)", f"{lint_a.cpu / floor.cpu:.2f}× ({lint_a.cpu:.2f} s; json.load {floor.cpu:.2f} s)"))
    rows.append(("report ÷ lint ≤ 1.1× (report as each version runs it: before, one process)",
                 f"{report_b.cpu / lint_b.cpu:.2f}× CPU, {report_b.wall:.1f} s wall", f"{report_a.cpu / lint_a.cpu:.2f}× CPU, {report_a.wall:.1f} s wall"))
    print(rows[-2], rows[-1], sep="\n", flush=True)

    # the -j default, whole run in wall time: before, the default was every core for 1,000 files
    default_b, default_a, one_a = side_by_side([lint("before", folder), lint("after", folder), lint("after", folder, "-j", "1")], args.repeat)
    rows.append((f"-j default on {reference:,} files never slower than -j 1 (wall; CPU)",
                 f"{default_b.wall:.1f} s; {default_b.cpu:.2f} s CPU", f"{default_a.wall:.1f} s; {default_a.cpu:.2f} s CPU (-j 1: {one_a.wall:.1f} s; {one_a.cpu:.2f} s)"))
    print(rows[-1], flush=True)

    # one small JSON file against yamllint on the same file
    small = ROOT / "examples" / "export" / "rest" / "pricing-visitors.json"
    yamllint = shutil.which("yamllint") or str(Path(PYTHON).parent / "yamllint")
    for name in tool:
        subprocess.run([*tool[name], "lint", str(small)], capture_output=True)  # warm the rules caches
    theirs, small_b, small_a = side_by_side([[yamllint, "-d", "relaxed", str(small)], [*tool["before"], "lint", str(small)], [*tool["after"], "lint", str(small)]], max(args.repeat * 5, 15))
    rows.append(("one small JSON file ÷ yamllint on it ≤ 1.15×", f"{small_b.cpu / theirs.cpu:.2f}× ({small_b.cpu * 1000:.0f} ms)", f"{small_a.cpu / theirs.cpu:.2f}× ({small_a.cpu * 1000:.0f} ms; yamllint {theirs.cpu * 1000:.0f} ms)"))
    print(rows[-1], flush=True)

    # the text form, in each tree's own process
    rates = {}
    for name, tree in (("before", before_tree), ("after", after_tree)):
        out = subprocess.run([PYTHON, "-c", TEXT_RATE, str(tree), str(HERE), str(export(sizes[0])[0])], capture_output=True, text=True, check=True).stdout
        rates[name] = json.loads(out.strip().splitlines()[-1])
    rows.append(("text form ≥ 50,000 filters/s (CPU; wall)", f"{rates['before'][1]:,.0f}; {rates['before'][2]:,.0f}", f"{rates['after'][1]:,.0f}; {rates['after'][2]:,.0f}"))
    print(rows[-1], flush=True)

    # growth and memory: the smallest and the largest export
    first, last = export(sizes[0])[0], export(sizes[-1])[0]
    small_runs = side_by_side([lint("before", first, "-j", "1"), lint("after", first, "-j", "1")], args.repeat)
    large_runs = side_by_side([lint("before", last, "-j", "1"), lint("after", last, "-j", "1")], args.repeat)
    growth = [large.cpu / sizes[-1] / (small.cpu / sizes[0]) for small, large in zip(small_runs, large_runs)]
    rows.append((f"CPU time per list, {sizes[-1]:,} ÷ {sizes[0]:,} lists ≤ 1.2", f"{growth[0]:.2f} ({large_runs[0].cpu:.1f} s)", f"{growth[1]:.2f} ({large_runs[1].cpu:.1f} s)"))
    rows.append((f"peak memory at {sizes[-1]:,} lists ≤ 1 GiB", f"{large_runs[0].peak:.0f} MiB", f"{large_runs[1].peak:.0f} MiB"))
    print(rows[-2], rows[-1], sep="\n", flush=True)

    table = ["| goal (issue 16) | before | after |", "|---|---|---|", *(f"| {g} | {b} | {a} |" for g, b, a in rows)]
    print("\n".join(table))
    Path(args.out).write_text("# Before and after, side by side\n\nProduced by `python bench/compare.py`.\n\n" + "\n".join(notes + table) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
