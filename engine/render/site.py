"""The HTML build as a small site: the navigation around each page.

Every page but the index gets a breadcrumb at its top (街道 › the body it belongs to › the
document) and, at its foot, the other documents of the same body, the previous and the next
document of the same kind, and a way back to the index (返回目录); the index gets its
breadcrumb only. The words are messages (``site.*``) in the build's language; every name and
title is escaped here, every link is relative (the folder opens from the disk, no server).

A page's neighbours come from the plan's list of documents (``Run.documents``), kept by the
build anyway: the previous and next are the documents beside it when they are of its kind (the
plan keeps each kind together), the body's documents come from one table of positions by body,
made once per build. Nothing of a page is kept once it is written.

Which body a document belongs to: a charter its committee's, a duty list its body's, a roster
its owner's (a committee, a service point), an organisational-life plan and a 会议记录 their
body's (a party organisation, a committee); a person's list the bodies they hold posts in (the
first one in the breadcrumb). An escalation path belongs to no body: its breadcrumb names its
kind.
"""

from __future__ import annotations

import hashlib
from html import escape

from .. import i18n
from .environment import href

#: The language tag of loushi's words around a page, by language. A page's own text (its
#: ``<html lang>``) is Chinese: the documents are; the navigation says its language where it
#: differs, so a screen reader or a browser's translation reads each part as what it is.
LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en"}
DOCUMENT_LANGUAGE = "zh"

#: The kinds whose documents make up a body's set (a person's list links to them, they do not
#: list every person).
BODY_DOCUMENTS = ("charter", "duties", "roster", "orglife", "minutes")


def bodies(doc) -> list[tuple[str, str]]:
    """The bodies ``doc`` belongs to, as (id, name), the main one first; [] for none."""
    values = doc.values
    record = None
    if doc.kind == "charter":
        record = values.get("committee")
    elif doc.kind == "duties":
        record = values.get("body")
    elif doc.kind == "roster" and doc.roster is not None:
        ident = str(getattr(doc.roster, "id", "")).rpartition(".")[0]
        return [(ident, str(getattr(doc.roster, "owner", "")))] if ident else []
    elif doc.kind == "orglife" and values.get("plan") is not None:
        plan = values["plan"]
        return [(str(plan.id).rpartition(".")[0], str(plan.org))]
    elif doc.kind == "minutes" and values.get("record") is not None:
        record = values["record"]
        return [(str(getattr(record, "org_id", record.id)), str(record.name))]
    elif doc.kind == "person":
        found: dict[str, str] = {}
        for post in getattr(values.get("person"), "posts", ()):
            ident = getattr(post, "body_id", None)
            if ident is not None and ident not in found:
                found[ident] = str(getattr(post, "body", ident))
        return list(found.items())
    if record is None or getattr(record, "id", None) is None:
        return []
    return [(str(record.id), str(getattr(record, "name", record.id)))]


def relative(source: str, target: str) -> str:
    """The link from the page of document ``source`` to the page of document ``target`` (both
    paths relative to the output folder, without extension), encoded as an ``href``."""
    here = source.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return href("/".join([".."] * (len(here) - common) + there[common:]), ".html")


class Site:
    """The navigation of one build's pages (``documents``: the plan, in order; ``lang``: the
    language of loushi's words around them)."""

    def __init__(self, documents, lang: str):
        self.documents = documents
        self.lang = "" if lang == DOCUMENT_LANGUAGE else f' lang="{LANGUAGE_TAGS.get(lang, lang)}"'
        words = ("crumbs", "pager", "back", "related", "related-person")
        self.words = {word: escape(i18n.text(f"site.{word}", lang)) for word in words}
        #: 上一篇：… and 下一篇：…, each as the words before and after the title.
        self.steps = {}
        for word in ("previous", "next"):
            said = i18n.text(f"site.{word}", lang, title="\0")
            self.steps[word] = tuple(escape(part) for part in said.split("\0", 1))
        self.kinds = {kind: escape(i18n.text(f"site.kind.{kind}", lang))
                      for kind in ("charter", "duties", "person", "roster", "escalation", "orglife", "minutes")}
        #: The positions of each body's documents (charters, duty lists, rosters, plans, records), by body id.
        self.groups: dict[str, list[int]] = {}
        for position, doc in enumerate(documents):
            if doc.kind in BODY_DOCUMENTS:
                for ident, _ in bodies(doc)[:1]:
                    self.groups.setdefault(ident, []).append(position)
        self.index = next((d for d in reversed(documents) if d.kind == "index"), None)

    def navigation(self, position: int) -> tuple[str, str]:
        """The HTML before the document at ``position`` (the breadcrumb) and after it (the
        pager and the body's other documents)."""
        doc = self.documents[position]
        district = getattr(doc.values.get("district"), "name", "")
        if doc.kind == "index" or self.index is None:
            return self._crumbs([(escape(str(district)), None), (escape(doc.title), None)]), ""
        home = relative(doc.path, self.index.path)
        owned = bodies(doc)
        crumbs = [(escape(str(district)), home)]
        if owned:
            first = self.groups.get(owned[0][0], [])[:1]   # the body's first document: its charter, else its list
            target = self.documents[first[0]] if first and first[0] != position else None
            crumbs.append((escape(owned[0][1]), relative(doc.path, target.path) if target is not None else None))
        else:
            crumbs.append((self.kinds.get(doc.kind, escape(doc.kind)), None))
        crumbs.append((escape(doc.title), None))
        return self._crumbs(crumbs), self._pager(doc, position, owned, home)

    def key(self, position: int) -> str:
        """A digest of the navigation of the page at ``position`` (a rebuild makes the page
        again when its neighbours change)."""
        before, after = self.navigation(position)
        return hashlib.blake2b(f"{before}\0{after}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _crumbs(self, items: list[tuple[str, str | None]]) -> str:
        parts = []
        for number, (text, link) in enumerate(items):
            if number == len(items) - 1:
                parts.append(f'<li aria-current="page">{text}</li>')
            elif link is not None:
                parts.append(f'<li><a href="{escape(link)}">{text}</a></li>')
            else:
                parts.append(f"<li>{text}</li>")
        return (f'<nav class="site crumbs"{self.lang} aria-label="{self.words["crumbs"]}"><ol>{"".join(parts)}</ol>'
                '</nav>\n')

    def _pager(self, doc, position: int, owned: list[tuple[str, str]], home: str) -> str:
        seen = {position}
        related = []
        for ident, _ in owned:
            for other in self.groups.get(ident, ()):
                if other not in seen:
                    seen.add(other)
                    target = self.documents[other]
                    related.append(f'<li><a href="{escape(relative(doc.path, target.path))}">'
                                   f"{escape(target.title)}</a></li>")
        parts = ['<nav class="site pager"{} aria-label="{}">'.format(self.lang, self.words["pager"])]
        if related:
            title = self.words["related-person" if doc.kind == "person" else "related"]
            parts.append(f'<p class="related-title">{title}</p><ul class="related">{"".join(related)}</ul>')
        steps = []
        before = self.documents[position - 1] if position > 0 else None
        after = self.documents[position + 1] if position + 1 < len(self.documents) else None
        if before is not None and before.kind == doc.kind:
            steps.append(self._step("prev", "previous", doc, before))
        steps.append(f'<a class="back" href="{escape(home)}">{self.words["back"]}</a>')
        if after is not None and after.kind == doc.kind:
            steps.append(self._step("next", "next", doc, after))
        parts.append(f'<p class="steps">{"".join(steps)}</p></nav>\n')
        return "".join(parts)

    def _step(self, rel: str, word: str, doc, other) -> str:
        """The link to the previous or next document ``other``: 上一篇：its title."""
        words = self.steps[word]
        return (f'<a rel="{rel}" href="{escape(relative(doc.path, other.path))}">'
                f'{words[0]}{escape(other.title)}{words[1] if len(words) > 1 else ""}</a>')
