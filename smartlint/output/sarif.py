"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning. Rule descriptors come from rules/;
results carry paths relative to the working directory under %SRCROOT% (a file outside it gets an
absolute `file:` URI and no base) and the finding's line-independent fingerprint, the same as in the
JSON output and the baseline.

GitHub rejects a run of more than 25,000 results and a file of more than 10 MB gzip-compressed
(docs.github.com, "SARIF support for code scanning" and "SARIF results exceed limits"); rules per
run (25,000), tags per rule (20) and locations per result (1,000) are far above what smartlint
writes. Past those limits the most severe results are kept and a warning says how many were
dropped, so that the upload still goes through."""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..catalog import rules
from ..docs import rule_markdown
from ..engine import SEVERITY_RANK, Result
from . import relative_inside

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REPOSITORY = "https://github.com/smartlint/smartlint"
MAX_RESULTS = 25_000  # results per run GitHub accepts
MAX_GZIP_BYTES = 10 * 1024 * 1024  # the gzip-compressed file GitHub accepts


def help_uri(code: str) -> str:
    """The rule's document in the project repository, at the tag of the version that wrote the
    results: rules/SLxxx.yaml is the one source of a rule's docs (`smartlint explain` renders it),
    and pinning the tag keeps the page in step with the rule that fired."""
    return f"{REPOSITORY}/blob/v{__version__}/rules/{code}.yaml"


def _artifact(path: str, root: str) -> dict[str, str]:
    """A relative URI under %SRCROOT%, or for a file outside the root an absolute `file:` URI
    without a base (SARIF §3.4.4: a uriBaseId goes only with a relative reference)."""
    relative = relative_inside(path, root)
    if relative is None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    # the file name's own bytes, %-encoded (a name that is not UTF-8 holds surrogate escapes)
    return {"uri": quote(os.fsencode(relative.replace(os.sep, "/"))), "uriBaseId": "%SRCROOT%"}


def _descriptors(codes: list[str]) -> list[dict[str, Any]]:
    catalog = rules()
    out = []
    for code in codes:
        meta = catalog[code]
        out.append(
            {
                "id": code,
                "name": meta.name,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {"text": f"{meta.what}\n\n{meta.why}"},
                "help": {
                    "text": f"{meta.use_instead}\n\nBad:\n{meta.bad}\nGood:\n{meta.good}",
                    "markdown": rule_markdown(meta),
                },
                "helpUri": help_uri(code),
                "defaultConfiguration": {"level": LEVEL[meta.severity]},
                "properties": {"tags": list(meta.groups)[:20]},
            }
        )
    return out


def build(result: Result, root: str | None = None, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    root = os.path.abspath(root or os.getcwd())
    codes = list(rules())
    index = {code: i for i, code in enumerate(codes)}
    findings = _most_severe(result.findings, max_results)
    artifacts: dict[str, dict[str, str]] = {}
    results = []
    for finding in findings:
        loc = finding.location
        artifact = artifacts.get(loc.path)
        if artifact is None:
            artifact = artifacts[loc.path] = _artifact(loc.path, root)
        region: dict[str, int] = {}
        if loc.line:
            region["startLine"] = loc.line
            if loc.column:
                region["startColumn"] = loc.column
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if region:
            physical["region"] = region
        location: dict[str, Any] = {"physicalLocation": physical}
        if finding.list_name is not None:
            name = finding.list_name + (f" / filter {finding.filter}" if finding.filter else "")
            location["logicalLocations"] = [{"name": name, "kind": "object"}]
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [location],
                # the fingerprint of the JSON output and the baseline, one identity for a finding:
                # it names no file, and need not, since code scanning combines partial
                # fingerprints with the file path and the rule (GitHub's "SARIF support for code
                # scanning"); /v2: v1 hashed the artifact's URI in as well
                "partialFingerprints": {"smartlint/v2": finding.fingerprint},
                "properties": {"pointer": loc.pointer, "listId": finding.list_id},
            }
        )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "smartlint", "version": __version__, "informationUri": REPOSITORY, "rules": _descriptors(codes)}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def _most_severe(findings: list, limit: int) -> list:
    """At most `limit` findings, the most severe first to stay, in their original order."""
    if len(findings) <= limit:
        return findings
    kept = sorted(range(len(findings)), key=lambda i: (-SEVERITY_RANK[findings[i].severity], i))[:limit]
    return [findings[i] for i in sorted(kept)]


def render(result: Result, root: str | None = None, max_results: int = MAX_RESULTS, max_gzip_bytes: int = MAX_GZIP_BYTES) -> str:
    from .json_report import dumps

    total = len(result.findings)
    limit = min(total, max_results)
    while True:
        document = build(result, root, limit)
        text = dumps(document)
        if len(text) <= max_gzip_bytes:  # no smaller when compressed: no need to compress
            break
        size = len(zlib.compress(text.encode("utf-8", "surrogatepass"), 6))  # see output/files.py
        if size <= max_gzip_bytes or limit == 0:
            break
        limit = int(limit * max_gzip_bytes / size * 0.95)  # results are alike in size
    if limit < total:
        sys.stderr.write(
            f"smartlint: warning: SARIF holds the {limit:,} most severe of {total:,} results; {total - limit:,} dropped to stay "
            f"within GitHub code scanning's limits ({max_results:,} results a run, {max_gzip_bytes / 1048576:g} MB gzip-compressed)\n"
        )
    return text
