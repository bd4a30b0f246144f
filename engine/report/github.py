"""GitHub Actions workflow commands: one annotation per finding, on its file and line.

``::error file=F,line=L,col=C,title=RULE::message`` (``warning`` for warnings, ``notice`` for
info), escaped as the runner expects, then the summary line as plain text.
"""

from __future__ import annotations

from .summary import summary_line

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report) -> str:
    lines = []
    for item in report.findings:
        props = [f"file={_property(item.file)}"]
        if item.line >= 1:
            props += [f"line={item.line}", f"col={max(item.column, 1)}"]
        props.append(f"title={_property('loushi ' + item.rule)}")
        message = item.message + (f"\nhint: {item.hint}" if item.hint else "")
        lines.append(f"::{COMMANDS[item.level]} {','.join(props)}::{_data(message)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
