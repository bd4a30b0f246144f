"""Markdown: the text the templates make, as the ``.md`` file."""

from __future__ import annotations

from . import Writer as Base


class Writer(Base):
    extension = "md"

    def document(self, doc, page):
        return [(f"{doc.path}.md", page.text.encode("utf-8"))]
