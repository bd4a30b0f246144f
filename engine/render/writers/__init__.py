"""Writers: one module per output format, each turning planned documents into files.

A writer module (``md.py``, ``html.py``, …; the module's name is the format's name, as
``loushi build -f`` takes it) defines a class ``Writer`` derived from :class:`Writer` here:

* ``paths(doc)`` names the files ``document`` will make (by default one, ``doc.path`` with the
  class's ``extension``); a rebuild asks it which of them are due before rendering anything.
* ``document(doc, page)`` returns the files of one planned document as ``(path, bytes)``
  pairs (``page`` gives the document's Markdown, rendered once for every writer, and its
  parse); it must keep nothing of the document once it has returned.
* ``key(doc, position)`` names what else the files of a document are made from (the HTML
  pages' links to their neighbours), so that a rebuild makes them again when it changes;
* ``finish(documents)`` returns the files made from the whole plan (the workbooks), after
  every document.

``WRITERS`` names the modules of this folder: a new format is one module here, its line in
``WRITERS`` (and in ``engine/cli/build.py``'s choices) and its test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterable

from ... import lazy
from ..context import Ledger
from ..environment import render
from ..markdown import tidy

if TYPE_CHECKING:  # pragma: no cover
    from ..plan import Document

Files = Iterable[tuple[str, bytes]]


@dataclass(frozen=True)
class Run:
    """What every writer of one build shares: the template environment, the district's id and
    date (written into the files instead of the clock), and the roster window."""

    env: Any
    district: str
    created: dt.datetime
    window: Any
    #: The Markdown parser (``markdown.parser()``), made once per build.
    markdown: Any = None
    #: The ``--templates`` folder, if any (a writer may take its own template from there).
    templates: Any = None
    #: A draft's mark (``草稿：配置有N个错误``), printed at the top of every document; "" when clean.
    draft: str = ""
    #: The calendar events' revisions (``output.Revisions``) of a build into a folder; None: all 0.
    revisions: Any = None
    #: The filing copy (False) or the traced one (``build --trace``): 来源 columns and 附：条款来源.
    trace: bool = False
    #: Every document of the plan, in plan order (the HTML pages link their neighbours); None:
    #: documents written one by one, outside a build.
    documents: Any = None
    #: The language of the words loushi adds around a document (the HTML pages' navigation).
    lang: str = "zh"


class Page:
    """A document's Markdown, rendered from its template when a writer first asks, and its
    parse; made per document and dropped after it."""

    def __init__(self, run: Run, doc: "Document", position: int | None = None):
        self.run = run
        self.doc = doc
        #: The document's place in ``run.documents`` (None outside a build).
        self.position = position

    @cached_property
    def text(self) -> str:
        context = {"title": self.doc.title, "ledger": Ledger(), "draft": self.run.draft,
                   "trace": self.run.trace, "sample": self.doc.sample, **self.doc.values}
        return tidy(render(self.run.env, self.doc.template, context))

    @cached_property
    def tokens(self) -> list:
        """The Markdown's tokens (markdown-it-py), parsed once for the HTML and Word writers."""
        return self.run.markdown.parse(self.text)


class Writer:
    """The base of every format's writer (see the module's description)."""

    #: The extension of the one file a document gets in this format ("" for none).
    extension = ""

    def __init__(self, run: Run):
        self.run = run

    def paths(self, doc: "Document") -> list[str]:
        """The files ``document`` makes of ``doc``, before making them (a rebuild asks which are due)."""
        return [f"{doc.path}.{self.extension}"] if self.extension else []

    def document(self, doc: "Document", page: Page) -> Files:
        return ()

    def key(self, doc: "Document", position: int) -> str:
        """What this format's files of ``doc`` (at ``position`` in the plan) are made from besides
        the document itself ("" when nothing): a rebuild makes them again when it changes."""
        return ""

    def finish(self, documents: list["Document"]) -> Files:
        return ()


#: Every format, by name, each a module of this folder loaded when a build asks for it (a
#: Markdown build does not load python-docx or openpyxl). ``loushi build -f`` offers these
#: names and ``all`` (engine/cli/build.py lists them too; a test checks the two agree).
WRITERS = {
    "md": lazy.module("engine.render.writers.md"),
    "html": lazy.module("engine.render.writers.html"),
    "docx": lazy.module("engine.render.writers.docx"),
    "ics": lazy.module("engine.render.writers.ics"),
    "xlsx": lazy.module("engine.render.writers.xlsx"),
}
#: What ``-f all`` builds: every format but the workbooks.
ALL = ("md", "html", "docx", "ics")
