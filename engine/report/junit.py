"""JUnit XML: one test suite per district, one test case per finding (a failure for errors and
warnings, passed with its message for info), and one passing case for a district without any.

CI servers that show test reports (Jenkins, GitLab) display it without a plug-in.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..findings import count_by_level


def render(report) -> str:
    root = ET.Element("testsuites", name="loushi validate")
    for district in report.districts:
        _suite(root, district.path, district.findings)
    if report.problems:
        _suite(root, "command line", report.problems)
    counts = count_by_level(report.findings)
    root.set("tests", str(sum(int(s.get("tests")) for s in root)))
    root.set("failures", str(counts["error"] + counts["warning"]))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(root, name: str, findings) -> None:
    failing = [f for f in findings if f.level != "info"]
    suite = ET.SubElement(root, "testsuite", name=name, tests=str(max(len(findings), 1)),
                          failures=str(len(failing)), errors="0", skipped="0")
    if not findings:
        ET.SubElement(suite, "testcase", classname="loushi", name=f"{name}: no findings")
    for item in findings:
        case = ET.SubElement(suite, "testcase", classname=f"loushi.{item.rule}",
                             name=item.where, file=item.file, line=str(item.line))
        text = item.message + (f"\nhint: {item.hint}" if item.hint else "")
        if item.level == "info":
            ET.SubElement(case, "system-out").text = text
        else:
            failure = ET.SubElement(case, "failure", message=item.message, type=item.level)
            failure.text = text
