"""`--format sarif`: SARIF 2.1.0 for code scanning. Rule descriptors come from rules/; results carry
relative paths under %SRCROOT% and a line-independent fingerprint."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..catalog import rules
from ..docs import rule_markdown
from ..engine import Result

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str, root: str) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return Path(absolute).as_uri()
    if relative.startswith(".."):
        return Path(absolute).as_uri()
    return relative.replace(os.sep, "/")


def build(result: Result, root: str | None = None) -> dict[str, Any]:
    root = os.path.abspath(root or os.getcwd())
    catalog = rules()
    codes = list(catalog)
    descriptors = []
    for code in codes:
        meta = catalog[code]
        descriptors.append(
            {
                "id": code,
                "name": meta.name,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {"text": f"{meta.what}\n\n{meta.why}"},
                "help": {
                    "text": f"{meta.use_instead}\n\nBad:\n{meta.bad}\nGood:\n{meta.good}",
                    "markdown": rule_markdown(meta),
                },
                "defaultConfiguration": {"level": LEVEL[meta.severity]},
                "properties": {"tags": list(meta.groups)},
            }
        )
    results = []
    for finding in result.findings:
        loc = finding.location
        region: dict[str, int] = {}
        if loc.line:
            region["startLine"] = loc.line
            if loc.column:
                region["startColumn"] = loc.column
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.path, root), "uriBaseId": "%SRCROOT%"}}
        if region:
            physical["region"] = region
        location: dict[str, Any] = {"physicalLocation": physical}
        if finding.list_name is not None:
            name = finding.list_name + (f" / filter {finding.filter}" if finding.filter else "")
            location["logicalLocations"] = [{"name": name, "kind": "object"}]
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": codes.index(finding.code),
                "level": LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [location],
                "partialFingerprints": {"smartlint/v1": finding.fingerprint},
                "properties": {"pointer": loc.pointer, "listId": finding.list_id},
            }
        )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "smartlint",
                        "version": __version__,
                        "informationUri": "https://github.com/smartlint/smartlint",
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def render(result: Result) -> str:
    from .json_report import dumps

    return dumps(build(result))
