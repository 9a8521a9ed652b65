"""`--format github`: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from ..engine import Result

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: Result) -> str:
    lines = []
    for finding in result.findings:
        loc = finding.location
        props = [f"file={_property(loc.path)}"]
        if loc.line:
            props.append(f"line={loc.line}")
            if loc.column:
                props.append(f"col={loc.column}")
        props.append(f"title={_property(finding.code + ' ' + finding.name)}")
        where = f" ({finding.list_name})" if finding.list_name else ""
        lines.append(f"::{COMMAND[finding.severity]} {','.join(props)}::{_data(finding.code + ' ' + finding.message + where)}")
    return "".join(line + "\n" for line in lines)
