"""`--format text`: one line per finding, the filter shown beneath as the Marketo UI shows it,
and a summary. Colour only on a terminal (rich decides; NO_COLOR is honoured)."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.text import Text

from ..engine import Result
from ..sources.dump import rule_lines

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(result: Result, stream: TextIO | None = None) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True)
    filters = {}
    for document, smart_list in result.lists:
        for item in smart_list.filters:
            filters[(document.path, smart_list.id, smart_list.name, item.number)] = item
    for finding in result.findings:
        loc = finding.location
        line = Text()
        line.append(str(loc), style="bold")
        line.append(" ")
        line.append(finding.code, style=STYLE[finding.severity])
        line.append(f" [{finding.severity}] ", style=STYLE[finding.severity])
        line.append(finding.message)
        if finding.list_name is not None:
            line.append(f"  ({finding.list_name})", style="dim")
        console.print(line)
        item = filters.get((loc.path, finding.list_id, finding.list_name, finding.filter)) if finding.filter else None
        if item is not None:
            for text in rule_lines(item, max_values=8, ids=False):
                console.print(Text(f"    │ {text}", style="dim"))
    counts = Counter(f.severity for f in result.findings)
    files = len(result.documents)
    lists = sum(len(d.lists) for d in result.documents)
    if result.findings:
        parts = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in ("error", "warning", "info") if counts[s])
        console.print(Text(f"Found {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} ({parts}) in {lists} list{'s' if lists != 1 else ''} from {files} file{'s' if files != 1 else ''}.", style="bold"))
    else:
        console.print(Text(f"All checks passed: {lists} list{'s' if lists != 1 else ''} in {files} file{'s' if files != 1 else ''}.", style="bold green"))
