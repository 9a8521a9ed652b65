"""`--format github`: GitHub Actions workflow commands, one annotation per finding. GitHub shows an
annotation on a file only when `file=` is the path relative to the repository root (no `./`), so
paths are made relative to `$GITHUB_WORKSPACE` (the checkout) or, outside Actions, the working
directory. Values are escaped as the Actions toolkit does (`escapeData`, `escapeProperty`)."""

from __future__ import annotations

import os

from ..engine import Result
from . import escape_controls, relative_inside

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    # CR and LF are the workflow command's own escapes; every other control character is shown
    # as its escape (the Actions log renders ANSI escapes)
    return escape_controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(path: str, root: str | None = None) -> str:
    """`path` relative to the repository root with `/` separators; absolute when outside it."""
    base = os.path.abspath(root or os.environ.get("GITHUB_WORKSPACE") or os.getcwd())
    return (relative_inside(path, base) or os.path.abspath(path)).replace(os.sep, "/")


def render(result: Result) -> str:
    lines = []
    paths: dict[str, str] = {}
    root = os.path.abspath(os.environ.get("GITHUB_WORKSPACE") or os.getcwd())  # once, not per file
    for finding in result.findings:
        loc = finding.location
        path = paths.get(loc.path)
        if path is None:
            path = paths[loc.path] = repository_path(loc.path, root)
        props = [f"file={_property(path)}"]
        if loc.line:
            props.append(f"line={loc.line}")
            if loc.column:
                props.append(f"col={loc.column}")
        props.append(f"title={_property(finding.code + ' ' + finding.name)}")
        where = f" ({finding.list_name})" if finding.list_name else ""
        lines.append(f"::{COMMAND[finding.severity]} {','.join(props)}::{_data(finding.code + ' ' + finding.message + where)}")
    return "".join(line + "\n" for line in lines)
