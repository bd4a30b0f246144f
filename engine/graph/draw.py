"""Pictures: dot text rendered to SVG or PNG by Graphviz's ``dot`` program.

Graphviz is a program, not a Python library; ``dot`` is looked up on PATH. When it is
missing, :class:`GraphvizMissing` says which package to install.
"""

from __future__ import annotations

import re
import shutil
import subprocess

FORMATS = ("svg", "png")
INSTALL = ("Graphviz's 'dot' program is needed to draw svg or png, and it was not found on PATH. "
           "Install the graphviz package (Debian/Ubuntu: apt-get install graphviz; "
           "Fedora: dnf install graphviz; macOS: brew install graphviz; Windows: winget install graphviz), "
           "or write --format dot and render it elsewhere.")
#: Longest a drawing may take, in seconds.
TIMEOUT = 300


#: Han characters, kana and hangul: text no Latin font can show.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def missing_font(dot_text: str) -> str:
    """The language (``zh``, ``ja``, ``ko``) of text in ``dot_text`` that no installed font
    shows, as fontconfig (which Graphviz draws with) sees it; "" when every script has a font
    or fontconfig cannot be asked. Without one, Graphviz draws empty boxes without a word."""
    if not _CJK.search(dot_text):
        return ""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ""
    try:
        done = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return "" if done.returncode != 0 or done.stdout.strip() else "zh"


class DrawError(RuntimeError):
    """The picture could not be made; the message says why and what to do."""


class GraphvizMissing(DrawError):
    def __init__(self):
        super().__init__(INSTALL)


def render(dot_text: str, fmt: str, program: str = "dot") -> bytes:
    """``dot_text`` drawn as ``fmt`` (svg or png)."""
    if fmt not in FORMATS:
        raise ValueError(f'no such picture format: "{fmt}"')
    executable = shutil.which(program)
    if executable is None:
        raise GraphvizMissing()
    try:
        done = subprocess.run([executable, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DrawError(f"running {executable} failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise DrawError(f"{executable} could not draw the graph: {message}")
    return done.stdout
