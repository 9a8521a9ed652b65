"""The `smartlint` command. Each command imports what it needs when it runs, so that start-up
pays only for the command used."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer

app = typer.Typer(
    name="smartlint",
    help="Lint Marketo smart lists for slow filters, and analyse whole exports.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


class ConvertTo(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _usage_error(message: str) -> "typer.Exit":
    typer.echo(f"smartlint: error: {message}", err=True)
    return typer.Exit(2)


def _refuse_inputs(paths: List[Path], **outputs: Optional[Path]) -> None:
    """Nothing the user gave is rewritten: an output that is one of the files named to be read
    is a usage error (folders' files are kept out of the run instead: see `lint`)."""
    import os

    named = {os.path.realpath(p) for p in paths if os.path.isfile(p)}
    for option, output in outputs.items():
        if output is not None and os.path.realpath(output) in named:
            raise _usage_error(f"refusing to overwrite {output}, which is one of the files to read; choose another {option.replace('_', '-')}")


def _selectors(values: Optional[List[str]]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"smartlint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """smartlint: lint Marketo smart lists the way ruff lints Python."""


@app.command(short_help="Lint smart lists: exit 0 clean, 1 findings, 2 bad input.")
def lint(
    paths: Optional[List[Path]] = typer.Argument(None, readable=False, show_default=False, help="Files or folders (*.json, *.yaml, *.yml, *.smartlist); `-` reads one file from standard input [default: the current folder, or standard input with --stdin-filename]."),
    format: Optional[LintFormat] = typer.Option(None, "--format", "--output-format", help="Output format [default: text, or github under GitHub Actions]."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", "--output-file", metavar="FILE", help="Write the report to this file instead of standard output."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="RULES", help="Rules to check (codes, prefixes, names, groups, ALL); replaces the configured selection."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="RULES", help="Rules to skip, added to the configured ones."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", metavar="RULES", help="Rules to check on top of the selection."),
    fail_on: Optional[Severity] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 [default: warning]."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings (input errors still exit 2)."),
    statistics: bool = typer.Option(False, "--statistics", help="Print the number of findings per rule instead of the findings."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE", help="Report only findings that are not in this baseline file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", metavar="FILE", help="Record the current findings in this file and exit 0 (2 if a file could not be read)."),
    jobs: Optional[int] = typer.Option(None, "-j", "--jobs", min=1, metavar="N", help="Worker processes [default: 1, or every usable core (up to 8) for 1,000 files or more on 3 cores or more]."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this configuration file instead of searching for one."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", metavar="PATTERNS", help="Files and folders to skip (glob patterns); replaces the configured and default ones."),
    extend_exclude: Optional[List[str]] = typer.Option(None, "--extend-exclude", metavar="PATTERNS", help="Files and folders to skip, added to the configured and default ones."),
    force_exclude: Optional[bool] = typer.Option(None, "--force-exclude/--no-force-exclude", help="Apply the exclusions to files named on the command line too, and skip named files that are not smart lists (for pre-commit, which names every changed file)."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", metavar="PATH", help="The name of the file read from standard input (`-`): it decides the form, the configuration and the path reported."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print the findings and nothing else: no summary, notes or warnings."),
) -> None:
    """Lint smart lists. Exit 0: clean; 1: findings; 2: an input or usage error."""
    import os

    from .config import ConfigError, Overrides, exclude_patterns, resolve
    from .engine import exit_code, lint_paths
    from .output.progress import Progress

    if not paths:  # as ruff: the current folder, or standard input when --stdin-filename names it
        paths = [Path("-" if stdin_filename is not None else ".")]
    _refuse_inputs(paths, __output=output, __write_baseline=write_baseline)
    try:
        from glob import escape

        own_files = tuple(escape(os.path.abspath(p)) for p in (output, baseline, write_baseline) if p is not None)
        overrides = Overrides(
            config_file=str(config) if config else None,
            select=_selectors(select) or None,
            ignore=_selectors(ignore),
            extend_select=_selectors(extend_select),
            fail_on=fail_on.value if fail_on else None,
            exclude=exclude_patterns(_selectors(exclude), "--exclude", "command line", ".") if exclude else None,
            # smartlint's own output and baseline are never linted
            extend_exclude=exclude_patterns(_selectors(extend_exclude), "--extend-exclude", "command line", ".") + own_files,
            force_exclude=force_exclude,
        )
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None
    if format is None:
        format = LintFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else LintFormat.text
    names = [str(p) for p in paths]
    if "-" in names:
        if names.count("-") > 1:
            raise _usage_error("`-` (standard input) can be given once")
        names[names.index("-")] = _read_stdin(stdin_filename)
    elif stdin_filename is not None:
        raise _usage_error("--stdin-filename names what `-` reads; give `-` among the paths")
    try:
        overrides.validate()
        run_config = resolve(names[0], overrides)
        # only the JSON report shows the export analysis's costs; other outputs need its findings
        export = True if format is LintFormat.json and not statistics else None
        result = lint_paths(names, overrides, export=export, jobs=jobs, progress=Progress())
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None
    _notes(result, quiet)

    if write_baseline is not None:
        from .output.baseline import write

        count = write(result, write_baseline)
        if not quiet:
            typer.echo(f"smartlint: wrote {count} finding{'s' if count != 1 else ''} to the baseline {write_baseline}", err=True)
        raise typer.Exit(2 if result.input_errors or result.internal_errors else 0)
    if baseline is not None:
        from .output.baseline import BaselineError, compare

        try:
            comparison = compare(result, str(baseline))
        except BaselineError as exc:
            raise _usage_error(str(exc)) from None
        result.findings = comparison.new
        for entry in comparison.fixed if not quiet else ():
            typer.echo(f"fixed since the baseline: {entry['path']} {entry['code']} {entry.get('list_name') or ''}: {entry['message']}", err=True)

    from .output.files import output_stream

    with output_stream(output) as stream:
        if statistics:
            _print_statistics(result, stream)
        elif format is LintFormat.text:
            from .output.text import render as render_text

            render_text(result, stream, summary=not quiet)
        else:
            renderer = {
                LintFormat.json: "json_report",
                LintFormat.sarif: "sarif",
                LintFormat.github: "github",
                LintFormat.junit: "junit",
            }[format]
            import importlib

            module = importlib.import_module(f".output.{renderer}", __package__)
            if format is LintFormat.junit:
                stream.write(module.render(result, run_config.fail_on))  # failures follow --fail-on
            elif hasattr(module, "write"):
                module.write(result, stream)  # piece by piece
            else:
                stream.write(module.render(result))
    code = exit_code(result, run_config.fail_on)
    raise typer.Exit(0 if exit_zero and code == 1 else code)


def _read_stdin(name: str | None) -> str:
    """Read standard input as the file `name` (or `-`), for the loaders; its form is the name's,
    or guessed from the first character when there is no name."""
    from .sources import form_of, give, guess_form

    data = sys.stdin.buffer.read()
    path = name or "-"
    give(path, data, form_of(path) or guess_form(data))
    return path


def _print_statistics(result, stream) -> None:
    from collections import Counter

    from .catalog import rules

    counts = Counter(f.code for f in result.findings)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        meta = rules()[code]
        stream.write(f"{count:>6}  {code}  {meta.name:<28} [{meta.severity}]\n")
    stream.write(f"{sum(counts.values()):>6}  findings in total\n")


class ReportFormat(str, Enum):
    json = "json"
    html = "html"
    csv = "csv"


def _notes(result: Any, quiet: bool = False, input_errors: bool = False) -> None:
    """What a run tells on standard error, whatever its output: internal errors, files skipped as
    no smart lists, no lists at all, and (for `report`, whose output is a file) each input error."""
    from .output import escape_controls as safe

    for message in result.internal_errors:
        typer.echo(safe(f"smartlint: {message}"), err=True)
    if input_errors:
        for finding in result.findings:
            if finding.code == "SL001":
                typer.echo(safe(f"smartlint: {finding.location} {finding.code} {finding.message}"), err=True)
    for path, why in result.skipped if not quiet else ():
        typer.echo(safe(f"smartlint: note: skipped {path}: {why}"), err=True)
    if not quiet and not result.input_errors and not any(d.lists for d in result.documents):
        # as ruff's "No Python files found": exit 0 (a pre-commit run whose changed files are all
        # excluded must pass), but loud enough that a CI job pointed at the wrong folder is seen
        typer.echo("smartlint: warning: No smart lists found under the given path(s); check the paths and `exclude`", err=True)


@app.command(short_help="The whole-export report for dashboards: JSON, HTML or CSV.")
def report(
    paths: List[Path] = typer.Argument(..., readable=False, help="The export: files or folders."),
    format: Optional[ReportFormat] = typer.Option(None, "--format", "--output-format", help="json for dashboards, html for people, csv (the list table) for spreadsheets [default: from the -o file's suffix (.html/.htm, .csv, .json), else json]."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write the report to this file instead of standard output; its suffix picks the format when --format is not given."),
    compare: Optional[Path] = typer.Option(None, "--compare", metavar="FILE", help="A previous JSON report: show what changed since, and carry its history of totals on."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="RULES", help="Rules to check (codes, prefixes, names, groups, ALL); replaces the configured selection."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="RULES", help="Rules to skip, added to the configured ones."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this configuration file instead of searching for one."),
    jobs: Optional[int] = typer.Option(None, "-j", "--jobs", min=1, metavar="N", help="Worker processes [default: as for lint]."),
) -> None:
    """The whole-export report: lists ranked by cost, findings by rule, repeated filter sets with
    recipes, the Member of Smart List graph and all findings. Exit 0 whatever the findings (`lint`
    is the gate); 2 when a file could not be read or on a usage error."""
    from .config import ConfigError, Overrides
    from .engine import lint_paths
    from .output.progress import Progress
    from .output.report import PreviousReportError, build, load_previous

    _refuse_inputs(paths, __output=output)
    if format is None:  # `-o report.html` means the page, as the user named it; any other suffix keeps JSON
        suffix = output.suffix.lower() if output is not None else ""
        format = {".html": ReportFormat.html, ".htm": ReportFormat.html, ".csv": ReportFormat.csv}.get(suffix, ReportFormat.json)
    overrides = Overrides(config_file=str(config) if config else None, select=_selectors(select) or None, ignore=_selectors(ignore))
    try:
        previous = load_previous(str(compare)) if compare is not None else None
        overrides.validate()
        # the same loading and checking as lint, in as many processes
        result = lint_paths([str(p) for p in paths], overrides, jobs=jobs, progress=Progress())
    except (ConfigError, PreviousReportError) as exc:
        raise _usage_error(str(exc)) from None
    document = build(result, previous)
    if format is ReportFormat.html:
        from .output.html import render

        text = render(document)
    elif format is ReportFormat.csv:
        from .output.report import render_csv

        text = render_csv(document)
    else:
        from .output.json_report import dumps

        text = dumps(document)
    from .output.files import write_output

    write_output(output, text)
    _notes(result, input_errors=True)  # after the report is written: it holds them too
    raise typer.Exit(2 if result.input_errors or result.internal_errors else 0)


@app.command(short_help="Convert smart lists between the JSON, YAML and text forms.")
def convert(
    path: Path = typer.Argument(..., readable=False, help="A smart-list file: .json, .yaml, .yml or .smartlist (without a suffix, its form is told by its first characters)."),
    to: ConvertTo = typer.Option(..., "--to", help="The form to write."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to this file instead of standard output (never the input file)."),
) -> None:
    """Convert smart lists between the JSON, YAML and text forms. Exit 0: converted; 1: converted,
    but a list's advanced filter logic does not parse (SL002, printed); 2: the file cannot be read
    as smart lists (SL001, printed; nothing is written), or a usage error."""
    from .sources import load
    from .sources.dump import to_json, to_text, to_yaml

    _refuse_inputs([path], __output=output)
    document = load(str(path), positions=True)
    for error in document.errors:
        typer.echo(f"{error.location} {error.code} {error.message}", err=True)
    if any(e.code == "SL001" for e in document.errors):
        raise typer.Exit(2)
    text = {ConvertTo.text: to_text, ConvertTo.json: to_json, ConvertTo.yaml: to_yaml}[to](document.lists)
    if to is ConvertTo.yaml:
        import re

        lone = re.search("[\ud800-\udfff]", to_json(document.lists))
        if lone:  # JSON and the text form escape it (\ud800); YAML has no way to write it
            raise _usage_error(f"{path}: a string holds the lone surrogate \\u{ord(lone.group()):04x}, which is not a character and which YAML cannot hold; convert --to json or text, or fix the string")
    from .output.files import write_output

    write_output(output, text)
    if document.errors:
        raise typer.Exit(1)


class PullOnly(str, Enum):
    smart_lists = "smart-lists"
    campaigns = "campaigns"


@app.command(short_help="Export the smart lists of a Marketo instance, ready for `lint`.")
def pull(
    out: Path = typer.Option(..., "--out", metavar="FOLDER", help="Folder to write smart-lists/<id>.json and campaigns/<id>.json into."),
    base_url: Optional[str] = typer.Option(None, "--base-url", metavar="URL", help="The instance's REST URL [default: $MARKETO_BASE_URL], e.g. https://123-ABC-456.mktorest.com"),
    folder: Optional[int] = typer.Option(None, "--folder", metavar="ID", help="Only assets in the folder with this id (a folder's id, not a program's)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE-TIME", help="Only assets updated since this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z (Marketo's earliestUpdatedAt)."),
    only: Optional[PullOnly] = typer.Option(None, "--only", help="Only smart lists, or only campaign smart lists."),
    concurrency: int = typer.Option(10, "--concurrency", min=1, max=10, metavar="N", help="Calls in flight at once (Marketo allows 10)."),
    window: float = typer.Option(20.0, "--rate-window", hidden=True, help="Seconds per 100 calls (tests shorten it)."),
    backoff: float = typer.Option(1.0, "--backoff", hidden=True, help="First retry delay in seconds."),
    retries: int = typer.Option(6, "--retries", hidden=True, min=0, max=20, help="Retries of a failed call."),
    timeout: float = typer.Option(30.0, "--timeout", hidden=True, min=0.01, help="Seconds to connect, or between two reads."),
    deadline: float = typer.Option(40.0, "--deadline", hidden=True, min=0.01, help="Seconds for a whole call, body included."),
    max_bytes: int = typer.Option(64 * 1024 * 1024, "--max-response-bytes", hidden=True, min=1024, help="Largest answer read."),
    max_pages: int = typer.Option(1000, "--max-pages", hidden=True, min=1, help="Pages browsed per asset type at most."),
) -> None:
    """Export smart lists and campaign smart lists from a Marketo instance, ready for `lint`.
    Credentials come only from MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET (or a prompt). Exit 0:
    all pulled; 1: some assets failed, or the pull stopped (access refused, the daily quota; what
    was fetched is kept: run it again to go on); 2: --out cannot be written, or a usage error (no
    instance URL or credentials)."""
    import gc
    import os

    gc.enable()  # off for the other commands (see __main__); a long pull makes reference cycles

    base = base_url or os.environ.get("MARKETO_BASE_URL")
    if not base:
        raise _usage_error("no instance: set MARKETO_BASE_URL or pass --base-url")
    if not base.startswith(("https://", "http://")):
        raise _usage_error("--base-url must start with https://")
    client_id = os.environ.get("MARKETO_CLIENT_ID")
    client_secret = os.environ.get("MARKETO_CLIENT_SECRET")
    if not (client_id and client_secret):
        if not sys.stdin.isatty():
            raise _usage_error("set MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET (credentials are read only from the environment)")
        client_id = client_id or typer.prompt("Marketo client id")
        client_secret = client_secret or typer.prompt("Marketo client secret", hide_input=True)
    from .marketo.pull import run

    done = [0]

    def tick(label: str) -> None:
        done[0] += 1
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done[0]} assets")
            sys.stderr.flush()

    summary = run(base, client_id, client_secret, out, only=only.value if only else None, folder=folder, since=since,
                  concurrency=concurrency, window=window, backoff=backoff, retries=retries, timeout=timeout,
                  deadline=deadline, max_bytes=max_bytes, max_pages=max_pages, progress=tick)
    if sys.stderr.isatty():
        sys.stderr.write("\r")
    if summary.unusable:
        typer.echo(f"error: {summary.unusable}", err=True)
        raise typer.Exit(2)
    for warning in summary.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for failure in summary.failed:
        typer.echo(f"failed: {failure}", err=True)
    if summary.quota:
        typer.echo(f"stopped: {summary.stopped}; what was fetched is kept, run the same command again tomorrow to go on", err=True)
    elif summary.stopped:
        typer.echo(f"stopped: {summary.stopped}" + ("; what was fetched is kept" if summary.written or summary.skipped else ""), err=True)
    typer.echo(f"pulled into {out}: {summary.written} written, {summary.skipped} unchanged, {len(summary.failed)} failed, {summary.calls} API calls")
    raise typer.Exit(1 if summary.failed or summary.stopped else 0)


@app.command("rules", short_help="List every rule: code, name, severity and summary.")
def rules_command(
    format: ListFormat = typer.Option(ListFormat.text, "--format", "--output-format", help="Output format."),
) -> None:
    """List every rule: code, name, default severity and summary."""
    from .catalog import rules

    catalog = rules()
    if format is ListFormat.json:
        import json

        data = [
            {"code": m.code, "name": m.name, "severity": m.severity, "groups": list(m.groups), "summary": m.summary, "options": m.options,
             "sources": [{"title": t, "url": u} for t, u in m.sources]}
            for m in catalog.values()
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if not sys.stdout.isatty():  # piped: one line per rule, so that grep and cut find whole summaries
        width = max(len(m.name) for m in catalog.values())
        for meta in catalog.values():
            sys.stdout.write(f"{meta.code}  {meta.name:<{width}}  {meta.severity:<7}  {meta.summary}\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("Code", "Name", "Severity", "Summary", box=None, show_edge=False)
    for meta in catalog.values():
        table.add_row(meta.code, meta.name, meta.severity, meta.summary)
    Console(highlight=False).print(table)


@app.command(short_help="Explain a rule: why it matters, an example, what to use instead.")
def explain(code: str = typer.Argument(..., help="A rule code (SL102) or name (values.contains-over-limit).")) -> None:
    """Explain a rule: what it does, why it matters, an example and what to use instead."""
    from .catalog import rules
    from .docs import rule_markdown

    for meta in rules().values():
        if code.upper() == meta.code or code.lower() == meta.name:
            from rich.console import Console
            from rich.markdown import Markdown

            Console().print(Markdown(rule_markdown(meta)))
            return
    raise _usage_error(f"unknown rule `{code}` (see `smartlint rules`)")


@app.command("config", short_help="Print the effective configuration for a path, and its source.")
def config_command(
    path: Path = typer.Argument(Path("."), help="Show the configuration that applies to this file or folder."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this configuration file instead of searching for one."),
) -> None:
    """Print the effective configuration for a path, and where it came from."""
    import json

    from .config import ConfigError, Overrides, enabled_codes, resolve

    try:
        effective = resolve(str(path), Overrides(config_file=str(config) if config else None))
    except ConfigError as exc:
        raise _usage_error(str(exc)) from None
    from .catalog import rules

    data = {
        "source": effective.source or "(defaults: no configuration file found)",
        "select": list(effective.select),
        "extend-select": list(effective.extend_select),
        "ignore": list(effective.ignore),
        "fail-on": effective.fail_on,
        "max-file-bytes": effective.max_file_bytes,
        "exclude": list(effective.exclude),
        "extend-exclude": list(effective.extend_exclude),
        "force-exclude": effective.force_exclude,
        "activity-retention-months": effective.options("SL206")["activity-retention-months"],
        "per-file-ignores": {p: list(c) for p, c in effective.per_file_ignores},
        "enabled": sorted(enabled_codes(effective)),
        "rules": {
            code: {"severity": effective.severity(code), **effective.options(code)}
            for code in rules()
            if rules()[code].options or code in effective.severities
        },
    }
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


class _Command(typer.core.TyperCommand):
    """Usage shows arguments as `PATHS...` and `[PATH]` (typer 0.28 writes `{paths}...`)."""

    def collect_usage_pieces(self, ctx):  # type: ignore[no-untyped-def]
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                pieces.extend(param.get_usage_pieces(ctx))
                continue
            name = (param.metavar or param.name or "").upper() + ("..." if param.nargs != 1 else "")
            pieces.append(name if param.required else f"[{name}]")
        return pieces


for _info in app.registered_commands:
    _info.cls = _Command  # every command is a plain TyperCommand here


def main() -> None:
    sys.exit(run())


def run(args: Optional[List[str]] = None) -> int:
    """The command line, as a function returning its exit code; the one guard at the top of every
    command. Whatever escapes a command (a bug, memory, recursion) ends in a one-line message and
    exit 2 (1 means findings only), never a traceback; SMARTLINT_DEBUG=1 shows the traceback."""
    import os

    from .output.files import OutputError, install_stdout

    install_stdout()
    try:
        app(args=args, prog_name="smartlint")  # also under `python -m smartlint`
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    except OutputError as exc:
        typer.echo(f"smartlint: error: {exc}", err=True)
        code = 2
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # noqa: BLE001 - the guard
        from .config import ConfigError
        from .engine import describe_exception

        if isinstance(exc, ConfigError):  # a usage error a command did not expect
            typer.echo(f"smartlint: error: {exc}", err=True)
            return 2
        if os.environ.get("SMARTLINT_DEBUG"):
            import traceback

            traceback.print_exc()
        typer.echo(f"smartlint: internal error: {describe_exception(exc)}; please report it (SMARTLINT_DEBUG=1 shows where)", err=True)
        code = 2
    try:
        sys.stdout.flush()
    except OutputError as exc:  # the last of the output could not be written either
        typer.echo(f"smartlint: error: {exc}", err=True)
        code = 2
    except (OSError, ValueError):
        code = 2
    return code
