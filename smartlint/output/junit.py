"""`--format junit`: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure),
valid against the Jenkins xunit plugin's junit-10.xsd. One test suite per file; one test case
per finding, named uniquely within its suite; a finding at or above `--fail-on` is a `<failure>`,
a file that could not be read (SL001) an `<error>`, and a finding below the threshold a passing
case with the finding in `<system-out>` (so `--fail-on error` shows info findings without failing
the report); a clean file is one passing case."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from ..engine import SEVERITY_RANK, Result

# characters XML 1.0 cannot hold, even escaped: shown as \xNN so that nothing is lost
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def render(result: Result, fail_on: str = "warning") -> str:
    threshold = SEVERITY_RANK[fail_on]
    by_path = defaultdict(list)
    for finding in result.findings:
        by_path[finding.location.path].append(finding)
    root = ET.Element("testsuites", name="smartlint")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for document in result.documents:
        findings = by_path.get(document.path, [])
        path = _xml(document.path)
        suite = ET.SubElement(root, "testsuite", name=path)
        counts = {"tests": max(len(findings), 1), "failures": 0, "errors": 0}
        if not findings:
            ET.SubElement(suite, "testcase", name="smartlint", classname=path)
        names: dict[str, int] = {}
        for finding in findings:
            loc = finding.location
            where = f"{loc.line}:{loc.column}" if loc.line else "-"
            name = f"{finding.code} {finding.name} ({finding.list_name or document.path}"
            name += f", filter {finding.filter})" if finding.filter else ")"
            seen = names.get(name, 0)
            names[name] = seen + 1
            if seen:
                name += f" #{seen + 1}"  # the same rule twice on one filter: still a unique name
            case = ET.SubElement(suite, "testcase", name=_xml(name), classname=path)
            text = _xml(f"{loc.path}:{where} {finding.code} [{finding.severity}] {finding.message}")
            if finding.code == "SL001":
                element, counts["errors"] = "error", counts["errors"] + 1
            elif SEVERITY_RANK[finding.severity] >= threshold:
                element, counts["failures"] = "failure", counts["failures"] + 1
            else:
                ET.SubElement(case, "system-out").text = text
                continue
            ET.SubElement(case, element, message=_xml(finding.message), type=finding.severity).text = text
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
