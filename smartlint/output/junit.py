"""`--format junit`: JUnit XML for CI systems that show test reports: one test suite per file, one
failing test case per finding, one passing case for a clean file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..engine import Result


def render(result: Result) -> str:
    by_path = defaultdict(list)
    for finding in result.findings:
        by_path[finding.location.path].append(finding)
    root = ET.Element("testsuites", name="smartlint", tests="0", failures="0")
    total = failures = 0
    for document in result.documents:
        findings = by_path.get(document.path, [])
        suite = ET.SubElement(root, "testsuite", name=document.path, tests=str(max(len(findings), 1)), failures=str(len(findings)))
        if not findings:
            ET.SubElement(suite, "testcase", name="smartlint", classname=document.path)
            total += 1
        for finding in findings:
            where = f"{finding.location.line}:{finding.location.column}" if finding.location.line else "-"
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{finding.code} {finding.name} ({finding.list_name or document.path})",
                classname=document.path,
            )
            failure = ET.SubElement(case, "failure", message=finding.message, type=finding.severity)
            failure.text = f"{finding.location.path}:{where} {finding.code} [{finding.severity}] {finding.message}"
            total += 1
            failures += 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
