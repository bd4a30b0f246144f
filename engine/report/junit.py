"""JUnit XML: one test suite per district, one test case per finding, and one passing case for
a district without any. A finding is a failure only when it fails the run (at or above
``--fail-on``, errors by default); any other passes with its message, so a CI server never
shows a failed test for a run that exited 0.

CI servers that show test reports (Jenkins, GitLab) display it without a plug-in.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

def render(report, *, fail_on: str = "error") -> str:
    root = ET.Element("testsuites", name="loushi validate")
    for district in report.districts:
        _suite(root, district.path, district.findings, fail_on)
    if report.problems:
        _suite(root, "command line", report.problems, fail_on)
    root.set("tests", str(sum(int(s.get("tests")) for s in root)))
    root.set("failures", str(sum(int(s.get("failures")) for s in root)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(root, name: str, findings, fail_on: str) -> None:
    failing = [f for f in findings if f.at_least(fail_on)]
    suite = ET.SubElement(root, "testsuite", name=name, tests=str(max(len(findings), 1)),
                          failures=str(len(failing)), errors="0", skipped="0")
    if not findings:
        ET.SubElement(suite, "testcase", classname="loushi", name=f"{name}: no findings")
    for item in findings:
        case = ET.SubElement(suite, "testcase", classname=f"loushi.{item.rule}",
                             name=item.where, file=item.file, line=str(item.line))
        text = item.message + (f"\nhint: {item.hint}" if item.hint else "")
        if not item.at_least(fail_on):
            ET.SubElement(case, "system-out").text = f"[{item.level}] {text}"
        else:
            failure = ET.SubElement(case, "failure", message=item.message, type=item.level)
            failure.text = text
