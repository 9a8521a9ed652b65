"""The rule engine: load each file, run the selected checks on each list, apply suppressions and
severities, and resolve positions for what will be reported."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from .catalog import SEVERITIES, rules
from .checks import MODULES, Problem, check_for
from .config import Config, ConfigError, Overrides, enabled_codes, matches, resolve
from .model import Document, Finding, Form, InputError, Location, SmartList
from .discovery import discover
from .sources import GIVEN, form_of, load, resolve as resolve_position

SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info 0 … error 2


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    input_errors: int = 0  # SL001: makes the run exit 2
    analysis: Any = None  # the whole-export analysis (smartlint.export.Analysis)
    internal_errors: list[str] = field(default_factory=list)  # bugs in checks: exit 2
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): found, not smart lists

    @property
    def lists(self) -> list[tuple[Document, SmartList]]:
        return [(d, s) for d in self.documents for s in d.lists]


Checked = tuple[Document, list[list[tuple[str, Problem]]], list[str]]  # document, problems per list, internal errors


def load_file(path: str, explicit: bool, overrides: Overrides) -> Document:
    config = resolve(path, overrides)
    if explicit and path not in GIVEN and _missing(path):
        document = Document(path, form_of(path) or Form.JSON)
        document.errors.append(InputError("no such file or folder", Location(path)))
        return document
    # a file found in a folder (or handed over by pre-commit) that is no smart list is skipped
    return load(path, max_bytes=config.max_file_bytes, skip_other=not explicit or config.force_exclude, special=explicit, reads_hint=_STDIN_HINT)


_STDIN_HINT = " (or `-` with --stdin-filename NAME.json for another name)"


def _missing(path: str) -> bool:
    """Whether `path` is not there at all (not: there, but in a folder that cannot be read)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def check_document(document: Document, overrides: Overrides) -> tuple[list[list[tuple[str, Problem]]], list[str]]:
    """The per-list checks of one loaded file: problems per list, and internal errors."""
    config = resolve(document.path, overrides)
    checks = _checks(config, enabled_codes(config, document.path))
    problems: list[list[tuple[str, Problem]]] = []
    crashes: list[str] = []
    for smart_list in document.lists:
        found: list[tuple[str, Problem]] = []
        for code, check, options in checks:
            try:
                for problem in check(smart_list, options):
                    found.append((code, problem))
            except Exception as exc:  # a bug in a check must not hide the other findings
                crashes.append(f"internal error in {code} on {smart_list.name!r} ({document.path}): {exc!r}; please report it")
        problems.append(found)
    return problems, crashes


_CHECKS: dict[tuple[int, frozenset[str]], tuple[Config, list[tuple[str, Any, dict[str, Any]]]]] = {}


def _checks(config: Config, enabled: frozenset[str]) -> list[tuple[str, Any, dict[str, Any]]]:
    """(code, check, options) of the enabled checks, built once per configuration and selection
    (a run has one or a few) rather than once per file."""
    hit = _CHECKS.get((id(config), enabled))
    if hit is not None and hit[0] is config:
        return hit[1]
    checks = [(code, check_for(code), config.options(code)) for code in MODULES if code in enabled]
    _CHECKS[(id(config), enabled)] = (config, checks)
    return checks


def check_file(path: str, explicit: bool, overrides: Overrides) -> Checked:
    """Load one file and run the per-list checks. Positions the findings will need are looked up
    now, so that the file's text need not be kept for the rest of the run (memory).

    The one guard per file: whatever goes wrong inside (a bug, memory, recursion) becomes an
    SL001 for this file and an internal error (exit 2); the other files are still reported."""
    try:
        document = load_file(path, explicit, overrides)
        return _finish(document, *check_document(document, overrides))
    except ConfigError:
        raise  # a usage error for the whole run, reported by the command
    except Exception as exc:
        return failed_file(path, exc)


def failed_file(path: str, exc: BaseException) -> Checked:
    """What is reported for a file that smartlint itself failed on."""
    what = describe_exception(exc)
    document = Document(path, form_of(path) or Form.JSON)
    document.errors.append(InputError(f"smartlint failed on this file ({what}); the other files are reported; please report this bug", Location(path)))
    return document, [], [f"internal error on {path}: {what}; please report it"]


def describe_exception(exc: BaseException) -> str:
    """`Type: message`, short enough for one line whatever the exception holds."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__ must not crash the report of a crash
        text = ""
    text = " ".join(text.split())
    if len(text) > 300:
        text = text[:300] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _positioned(problem: Problem, document: Document) -> Problem:
    if problem.location is None or problem.location.line:
        return problem
    return Problem(problem.message, problem.filter, resolve_position(problem.location, document), problem.severity)


def _check_chunk(chunk: list[tuple[str, bool]], overrides: Overrides) -> list[Checked]:
    """A worker's part: each file loaded, checked and positioned, its text dropped; the pickle
    of the result is what goes back (about a quarter more than it took to make: see WORKER_COST)."""
    return [check_file(path, explicit, overrides) for path, explicit in chunk]


def _finish(document: Document, problems: list[list[tuple[str, Problem]]], crashes: list[str]) -> Checked:
    """Resolve the positions the problems and input errors need, then drop the file's text."""
    problems = [[(code, _positioned(p, document)) for code, p in found] for found in problems]
    document.errors = [replace(e, location=resolve_position(e.location, document)) for e in document.errors]
    document.text = document.positions = None
    return document, problems, crashes


# Measured per file on the bench exports, with checking a file in one process as 1: a worker's
# file costs 1.27 (checking, then pickling the result) and the main process pays 0.11 to unpickle
# it. The main process checks a share of the files itself, sized so that it finishes with the
# workers.
WORKER_COST, UNPICKLE_COST = 1.27, 0.11
MAX_JOBS = 64  # -j beyond this (or beyond the number of files) gains nothing and forks as many


def main_share(jobs: int) -> float:
    """The fraction of the files the main process checks itself when `jobs` processes run."""
    per_worker = WORKER_COST / (jobs - 1)
    return max(0.0, (per_worker - UNPICKLE_COST) / (1 - UNPICKLE_COST + per_worker))


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, which containers and `taskset` narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def default_jobs(files: int, cpus: int | None = None) -> int:
    """One process unless there are many files and at least 3 usable CPUs. A worker's file costs
    1.27 of checking it in the main process, plus 0.11 there to unpickle it, and the analysis and
    output run in the main process alone: on 2 CPUs -j2 took 0.88 of -j1's time on a quiet
    machine and no less on a busy one (10,000 lists, 8.1 s against 8.2 s, for 1.26 times the CPU
    time), so it is never the default there. Few files: a pool costs more than it saves (400
    files: -j2 took 1.14 times -j1)."""
    cpus = usable_cpus() if cpus is None else cpus
    if files < 1000 or cpus < 3:
        return 1
    return min(cpus, 8)


def lint_paths(
    paths: Iterable[str],
    overrides: Overrides = Overrides(),
    export: bool | None = True,
    jobs: int | None = 1,
    progress: Any = None,
) -> Result:
    """Lint files and folders: load every file and run the per-list checks (in `jobs` processes;
    None picks by the number of files), analyse the whole export on the merged model (always when
    `export` is true, never when false, and when None only if it can find something: the
    findings are the same, `Result.analysis` may be None), then apply suppressions and
    severities. The result does not depend on `jobs`."""
    # The model is millions of small acyclic objects: the cyclic garbage collector would scan
    # them over and over as they pile up (measured: 16.4 s -> 10.1 s on 10,000 lists without it).
    # Reference counting still frees everything; collection resumes when the run ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lint_paths(paths, overrides, export, jobs, progress)
    finally:
        if collecting:
            gc.enable()


def _lint_paths(paths: Iterable[str], overrides: Overrides, export: bool | None, jobs: int | None, progress: Any) -> Result:
    result = Result()
    files = list(discover(paths, overrides))
    jobs = default_jobs(len(files)) if jobs is None else max(jobs, 1)
    jobs = max(1, min(jobs, len(files), MAX_JOBS))
    if progress is not None:
        progress.start(len(files))
    checked: list[Checked] = []
    if jobs > 1 and len(files) > 1:
        try:
            checked = _check_parallel(files, overrides, jobs, progress)
        except ConfigError:
            raise
        except Exception:  # noqa: BLE001 - no worker could be started (fork refused, no memory): all here
            jobs = 1
    if jobs == 1 or len(files) <= 1:
        for path, explicit in files:
            checked.append(check_file(path, explicit, overrides))
            if progress is not None:
                progress.advance(1)
    if progress is not None:
        progress.stop()
    if any(document.skipped for document, _, _ in checked):
        result.skipped = [(d.path, d.skipped) for d, _, _ in checked if d.skipped]
        kept = [i for i, (d, _, _) in enumerate(checked) if not d.skipped]
        files, checked = [files[i] for i in kept], [checked[i] for i in kept]

    configs = []
    for (path, _), (document, _, crashes) in zip(files, checked):
        result.documents.append(document)
        result.internal_errors.extend(crashes)
        config = resolve(path, overrides)
        configs.append((config, enabled_codes(config, path)))
    extra: dict[int, list[tuple[str, Problem]]] = {}
    if checked and (export or (export is None and _export_may_report(result.documents, configs[0][0]))):
        from .export import EXPORT_CODES, analyse

        run_config = configs[0][0]
        wanted = frozenset().union(*(enabled for _, enabled in configs)) & frozenset(EXPORT_CODES)
        options = {code: run_config.options(code) for code in EXPORT_CODES}
        result.analysis = analyse(result.lists, options, wanted)
        extra = result.analysis.problems
    offset = 0
    for (document, problems, _), (config, enabled) in zip(checked, configs):
        if extra:
            for i in range(len(document.lists)):
                more = extra.get(offset + i)
                if more:
                    problems[i] = problems[i] + [(c, p) for c, p in more if c in enabled]
        offset += len(document.lists)
        try:
            report_document(document, config, result, enabled, problems)
        except Exception as exc:  # noqa: BLE001 - the per-file guard of the reporting stage
            failed, _, crashes = failed_file(document.path, exc)
            result.internal_errors.extend(crashes)
            report_document(failed, config, result, enabled, [])
    result.findings.sort(key=lambda f: (f.location.path, f.location.line, f.location.column, f.code, f.message))
    return result


def _export_may_report(documents: list[Document], config: Config) -> bool:
    """Whether the whole-export analysis can find anything: repeated filter sets need `min-lists`
    lists (SL401), shared triggers `min-campaigns` campaigns (SL502), and the rest Member of
    Smart List filters. A pre-commit run on a file or two then skips it, and its import. (A new
    export rule must be counted here: tests/test_speed_paths.py compares with the JSON report.)"""
    lists = [s for d in documents for s in d.lists]
    fewest = min(config.options("SL401").get("min-lists", 3), config.options("SL502").get("min-campaigns", 10))
    if len(lists) >= fewest:
        return True
    return any(item.kind == "smart-list" for s in lists for item in s.filters)


def _check_parallel(files: list[tuple[str, bool]], overrides: Overrides, jobs: int, progress: Any) -> list[Checked]:
    """`jobs - 1` worker processes check the first files while the main process checks the rest;
    the result is in the order of `files`, whoever checked what."""
    from concurrent.futures import ProcessPoolExecutor

    own = round(len(files) * main_share(jobs))
    given = files[: len(files) - own]
    workers = jobs - 1
    size = max(1, min(200, len(given) // (workers * 4) or 1))
    chunks = [given[i : i + size] for i in range(0, len(given), size)]
    mine: list[Checked] = []
    theirs: list[Checked] = []
    with ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(_check_chunk, chunk, overrides) for chunk in chunks]  # submitted at once
        # The bar counts the workers' files as their chunks finish, while the main process checks
        # its own: counted only at the end, the bar ran at the main process's pace alone and its
        # time remaining was about twice too long with -j 2.
        finished: list[int] = []  # chunk numbers, appended by the pool's thread (atomic)
        counted: set[int] = set()
        if progress is not None:
            for number, future in enumerate(futures):
                future.add_done_callback(lambda _, number=number: finished.append(number))
        for path, explicit in files[len(given) :]:
            mine.append(check_file(path, explicit, overrides))
            if progress is not None:
                progress.advance(1)
                while len(counted) < len(finished):
                    number = finished[len(counted)]
                    counted.add(number)
                    progress.advance(len(chunks[number]))
        for number, (chunk, future) in enumerate(zip(chunks, futures)):
            try:
                part = future.result()
            except ConfigError:
                raise
            except Exception:  # noqa: BLE001 - a worker died or its result could not travel back:
                # check its files here instead, each under its own guard, so the output is the
                # same as with -j 1
                part = [check_file(path, explicit, overrides) for path, explicit in chunk]
            theirs.extend(part)
            if progress is not None and number not in counted:
                progress.advance(len(part))
    return theirs + mine


def report_document(
    document: Document,
    config: Config,
    result: Result,
    enabled: frozenset[str],
    problems: list[list[tuple[str, Problem]]],
) -> None:
    """Findings for one file from its input errors and, per list, the problems found. Each
    Finding is built once, with its final key: a key repeated within the file gets its occurrence
    number (`#1`, `#2`…) so that every fingerprint (a hash of the key, made when an output asks
    for it) is unique within the file; the key holds no path."""
    found: list[Finding] = []
    seen: dict[str, int] = {}  # key -> how many findings of the file had it before
    meta_of = rules()
    for error in document.errors:
        if error.code == "SL001":
            result.input_errors += 1
        if error.code in enabled:
            found.append(_finding(error.code, config, error.message, error.location, error.list_id, error.list_name, None, seen, meta_of))
    for smart_list, raw in zip(document.lists, problems):
        _findings_for_list(smart_list, raw, config, enabled, found, seen, meta_of)
    if document.text is not None:  # positions not looked up yet (the checked path has dropped the text)
        found = [_with_position(f, document) for f in found]
    result.findings.extend(found)


def _findings_for_list(
    smart_list: SmartList,
    raw: list[tuple[str, Problem]],
    config: Config,
    enabled: frozenset[str],
    out: list[Finding],
    seen: dict[str, int],
    meta_of: dict[str, Any],
) -> None:
    """Append the findings of one list's problems to `out`, less the suppressed ones, and SL005
    for its suppressions that suppressed nothing. Built inline, not through `_finding`: this runs
    for every problem of the export (24,000 at 10,000 lists)."""
    suppressions = smart_list.suppressions
    if suppressions:
        used: set[tuple[int, str]] = set()  # (suppression, selector) that suppressed something
        # the selectors of the list's suppressions, for the whole list or by filter: each problem
        # is compared with its own filter's, and the whole list's are matched once per code
        # (comparing every problem with every suppression was quadratic on a list of thousands of
        # filters)
        list_wide: list[tuple[int, str]] = []
        by_filter: dict[int, list[tuple[int, str]]] = {}
        for index, suppression in enumerate(suppressions):
            target = list_wide if suppression.filter_number is None else by_filter.setdefault(suppression.filter_number, [])
            target.extend((index, selector) for selector in suppression.codes)
        wide_hits: dict[str, list[tuple[int, str]]] = {}
    list_id, list_name = smart_list.id, smart_list.name
    owner = list_id if list_id is not None else list_name  # what the key says of the list
    severities = config.severities
    for code, problem in raw:
        item = problem.filter
        number = item.number if item is not None else None
        if suppressions:
            hits = wide_hits.get(code)
            if hits is None:
                hits = wide_hits[code] = [(i, s) for i, s in list_wide if matches((s,), code)]
                used.update(hits)
            own = [(i, s) for i, s in by_filter.get(number, ()) if matches((s,), code)] if number is not None else []
            used.update(own)
            if hits or own:
                continue
        meta = meta_of[code]
        # no path: a baseline or a report matches (path, fingerprint), with the path made relative
        # to where it is kept (baseline.py, sarif.py), so the fingerprint must not depend on how it
        # was typed
        key = _numbered(f"{owner}|{code}|{item.signature_text}|" if item is not None else f"{owner}|{code}||{problem.message}", seen)
        location = problem.location or (item.location if item is not None else smart_list.location)
        severity = severities.get(code) or problem.severity or meta.severity
        out.append(Finding(code, meta.name, severity, problem.message, location, list_id, list_name, number, key))
    if suppressions and "SL005" in enabled:
        for index, suppression in enumerate(suppressions):
            for selector in suppression.codes:
                if (index, selector) in used:
                    continue
                named = [c for c in meta_of if matches((selector,), c) and not meta_of[c].input_error]
                if not named:
                    why = "it names no rule"
                elif any(c not in enabled for c in named):
                    # a rule this run does not check (--ignore, --select, per-file-ignores) cannot be
                    # judged: the suppression may be what keeps the default run clean (rules/SL005.yaml)
                    continue
                else:
                    why = "nothing was found there to suppress"
                target = f"filter {suppression.filter_number}" if suppression.filter_number else "this list"
                message = f"unused suppression `{selector}` on {target}: {why}; remove it"
                out.append(_finding("SL005", config, message, suppression.location, list_id, list_name, suppression.filter_number, seen, meta_of))


def _numbered(key: str, seen: dict[str, int]) -> str:
    """`key`, or `key#n` when n findings of the file had it before: every fingerprint (a hash of
    the key) is unique within the file."""
    count = seen.get(key, 0)
    seen[key] = count + 1
    return f"{key}#{count}" if count else key


def _finding(code, config: Config, message, location, list_id, list_name, number, seen: dict[str, int], meta_of) -> Finding:
    """A finding not tied to a filter's signature (an input error, SL005), its key numbered as in
    `_findings_for_list`."""
    meta = meta_of[code]
    key = _numbered(f"{list_id if list_id is not None else list_name}|{code}||{message}", seen)
    return Finding(code, meta.name, config.severities.get(code) or meta.severity, message, location, list_id, list_name, number, key)


def _with_position(finding: Finding, document: Document) -> Finding:
    location = resolve_position(finding.location, document)
    return finding if location is finding.location else replace(finding, location=location)


def exit_code(result: Result, fail_on: str) -> int:
    if result.input_errors or result.internal_errors:
        return 2
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings) else 0
