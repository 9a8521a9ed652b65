"""`--format text`: one line per finding, `path:line:col CODE [severity] message`, the filter shown
beneath as the Marketo UI shows it, and a summary. Colour (rich) only on a terminal; elsewhere
plain lines, written directly (NO_COLOR and FORCE_COLOR are honoured)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TextIO

from ..engine import Result
from . import escape_controls as _safe

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _blocks(result: Result):
    """(finding, filter lines beneath it) in order."""
    if not result.findings:
        return
    from ..sources.dump import rule_lines  # the writers (~2 ms of imports): only when there is a finding to show

    filters = {}
    triggers = {}  # triggers are numbered 1, 2… too: a finding on one (SL502) stands on its line
    for document, smart_list in result.lists:
        for item in smart_list.filters:
            filters[(document.path, smart_list.id, smart_list.name, item.number)] = item
        for item in smart_list.triggers:
            triggers[(document.path, smart_list.id, smart_list.name, item.number)] = item
    for finding in result.findings:
        loc = finding.location
        key = (loc.path, finding.list_id, finding.list_name, finding.filter)
        item = filters.get(key) if finding.filter else None
        trigger = triggers.get(key) if finding.filter else None
        if trigger is not None and ("/triggers/" in loc.pointer or (loc.line and trigger.location.line == loc.line)):
            item = trigger
        yield finding, (rule_lines(item, max_values=8, ids=False) if item is not None else [])


def _recipes(result: Result) -> list[str]:
    """SL401's recipes, once each, after the findings (smartlint.export.recipe)."""
    if result.analysis is None:
        return []
    from ..export.recipe import text_block

    return text_block(result)


def summary_line(result: Result) -> str:
    counts = Counter(f.severity for f in result.findings)
    files = len(result.documents)
    lists = sum(len(d.lists) for d in result.documents)
    where = f"in {_plural(lists, 'list')} from {_plural(files, 'file')}"
    if not result.findings:
        return f"All checks passed: {_plural(lists, 'list')} in {_plural(files, 'file')}."
    parts = ", ".join(
        f"{counts[s]} {s}" if s == "info" else _plural(counts[s], s) for s in ("error", "warning", "info") if counts[s]
    )
    return f"Found {_plural(len(result.findings), 'finding')} ({parts}) {where}."


def _use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def render(result: Result, stream: TextIO | None = None, summary: bool = True) -> None:
    out = stream or sys.stdout
    if not _use_colour(out):
        write = out.write
        for finding, lines in _blocks(result):
            suffix = f"  ({_safe(finding.list_name)})" if finding.list_name is not None else ""
            write(_safe(f"{finding.location} {finding.code} [{finding.severity}] {finding.message}") + suffix + "\n")
            for line in lines:
                write(f"    │ {_safe(line)}\n")
        if summary:  # -q: the findings and nothing else
            for line in _recipes(result):
                write(_safe(line) + "\n")
            write(summary_line(result) + "\n")
        return

    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=True)
    for finding, lines in _blocks(result):
        style = STYLE[finding.severity]
        text = Text()
        text.append(_safe(str(finding.location)), style="bold")
        text.append(" ")
        text.append(finding.code, style=style)
        text.append(f" [{finding.severity}] ", style=style)
        text.append(_safe(finding.message))
        if finding.list_name is not None:
            text.append(f"  ({_safe(finding.list_name)})", style="dim")
        console.print(text)
        for line in lines:
            console.print(Text(f"    │ {_safe(line)}", style="dim"))
    if summary:
        for line in _recipes(result):
            console.print(Text(_safe(line)))
        console.print(Text(summary_line(result), style="bold" if result.findings else "bold green"))
