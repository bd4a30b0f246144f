"""Render: a district's documents (charters, duty lists, rosters, escalation paths, an index)
in Markdown, HTML and Word, written atomically into an output folder.

``build_paths(paths, out, options)`` is what ``loushi build`` calls: it loads each district,
stops at config errors (returned as findings), renders one document at a time into a staging
folder and swaps it in when all are made (see ``output.Tree``). ``build(model, out, options)``
does the same for a model already built. A rebuild renders only the files whose inputs
changed (see ``keys``), and stops at files edited by hand unless ``force`` is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import yaml

from .. import lazy
from ..gate import District, draft_mark, open_district
from ..load.sources import discover, district_id, duplicate_districts
from ..resources import models_dir
from ..session import Session
from . import ics, keys
from .context import Builder, Ledger, Window
from .documents import plan
from .environment import RenderError, render
from .environment import environment as template_environment  # engine.render.environment stays the module
from .markdown import tidy
from .output import Conflict, OutputError, Tree, WriteResult, safe_name

# Imported by the builds that ask for them: Markdown builds do not load python-docx or openpyxl.
html = lazy.module("engine.render.html")
docx = lazy.module("engine.render.docx")
ledger_export = lazy.module("engine.ledger.export")

FORMATS = ("md", "html", "docx", "ics")  # ics: the rosters as calendars


@dataclass
class BuildOptions:
    """What a build takes besides the district: formats, template override, roster window."""

    formats: tuple[str, ...] = FORMATS
    templates: str | Path | None = None
    start: dt.date = field(default_factory=lambda: dt.date.today().replace(day=1))
    months: int = 12
    #: Called once with the number of documents, then once per document rendered.
    progress: Callable[[int], None] | None = None
    total: Callable[[int], None] | None = None
    #: Overwrite (or remove) files of the output folder edited by hand or not written by loushi.
    force: bool = False
    #: Build even when the config has error-level findings (``--draft``) ...
    draft: bool = False
    #: ... and print this line at the top of every document (``草稿：配置有N个错误``).
    mark: str = ""


@dataclass
class BuildResult:
    """One district's build: where it went, what was written, or why nothing was."""

    path: str
    out: Path
    documents: int = 0
    files: WriteResult = field(default_factory=WriteResult)
    findings: list = field(default_factory=list)
    fatal: bool = False
    error: str = ""
    #: Files that stopped the build (see ``output.Conflict``): (path, "edited" | "unknown").
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    mark: str = ""  # a draft's mark, printed at the top of every document

    @property
    def ok(self) -> bool:
        return not self.error and not self.fatal and not any(f.level == "error" for f in self.findings)


def build_paths(paths, out: str | Path, options: BuildOptions, session: Session | None = None) -> list[BuildResult]:
    """Build every district named by ``paths``; several districts go to ``out/<district id>``.

    Each district goes through the gate (:func:`engine.gate.open_district`): a rejected one,
    or one with error-level findings, is not built unless ``options.draft``; a draft's
    documents say at their top how many errors the config has."""
    session = session or Session()
    districts, problems = discover(paths)
    if problems:
        return [BuildResult(str(p.file), Path(out), findings=[p], fatal=True) for p in problems]
    results = []
    seen: list[tuple[str, tuple | None]] = []
    for main in districts:
        opened = open_district(main, session)
        target = Path(out)
        model = getattr(opened, "model", None)
        seen.append((opened.path, district_id(model.source) if model is not None else None))
        clash = [f for f in duplicate_districts(seen) if f.file in opened.files]  # its documents would replace the first one's
        if len(districts) > 1 and model is not None:
            target = target / safe_name(model.id)
        if not isinstance(opened, District) or (opened.errors and not options.draft) or clash:
            errors = [f for f in opened.findings if f.level == "error"] + clash
            results.append(BuildResult(opened.path, target, findings=sorted(errors or list(opened.findings)),
                                       fatal=opened.fatal))
            continue
        marked = replace(options, mark=draft_mark(opened)) if options.draft else options
        results.append(build(opened.model, target, marked))
    return results


def build(model, out: str | Path, options: BuildOptions) -> BuildResult:
    """Render every document of ``model`` whose inputs changed since the build ``out`` holds,
    and write them into ``out``, one at a time."""
    result = BuildResult(model.source.path, Path(out), mark=options.mark)
    tree = Tree(Path(out), force=options.force)
    try:
        with tree:
            program = keys.program(options)
            whole = keys.whole(program, model, options)
            if tree.carry(whole):   # the same config, options and program: nothing to render
                result.documents = tree.documents
            else:
                result.documents = render_into(model, options, tree.put, tree.fresh, program)
                tree.build, tree.documents = whole, result.documents
    except RenderError as exc:
        result.error = str(exc) + (f" [config {exc.origin}]" if exc.origin and exc.origin not in str(exc) else "")
    except Conflict as exc:
        result.error, result.conflicts = str(exc), exc.files
    except OutputError as exc:
        result.error = str(exc)
    result.files = tree.result
    return result


def render_files(model, options: BuildOptions) -> tuple[dict[str, bytes], int]:
    """Every file of the build, by path relative to the output folder, and the document count."""
    files: dict[str, bytes] = {}
    count = render_into(model, options, lambda path, data, key=None: files.__setitem__(path, data))
    return files, count


def render_into(model, options: BuildOptions, put: Callable[..., None],
                fresh: Callable[[str, str | None], bool] | None = None, program: str = "") -> int:
    """Render every document of ``model``, handing each file to ``put(path, bytes, key)`` as soon
    as it is made (a document's context is made just before it is rendered, and dropped after);
    returns the number of documents. With ``fresh``, a file for which ``fresh(path, key)`` says
    so is not made (a document none of whose files is due is not rendered); ``program`` is the
    key of what renders (``keys.program``)."""
    env = template_environment(options.templates)
    window = Window(options.start, options.months)
    builder = Builder(model, window, governance_models())
    docs = plan(builder)
    if options.total:
        options.total(len(docs))
    created = config_date(model)
    district = builder.district()
    for doc in docs:
        context = {"district": district, "title": doc.title, "window": window, "draft": options.mark,
                   **doc.values()}
        due = _outputs(doc, options.formats)
        made = {}
        if fresh is not None:
            digest = keys.context(context)
            made = {path: keys.document(program, fmt, path, digest, doc.kind, doc.template,
                                        created.isoformat(), model.id) for path, fmt in due}
            due = [(path, fmt) for path, fmt in due if not fresh(path, made[path])]
        if due:
            context["ledger"] = Ledger()
            for path, data in _formats(env, doc, context, due, created, model.id):
                put(path, data, made.get(path))
        doc.make = doc.context = None  # rendered: only its title and path are read again (the index)
        if options.progress:
            options.progress(1)
    if "xlsx" in options.formats:  # duty lists and rosters as Excel workbooks (engine/ledger/export.py)
        for path, data in ledger_export.workbooks(model, options).items():
            put(path, data, None)
    return len(docs)


def _outputs(doc, formats) -> list[tuple[str, str]]:
    """The files of ``doc`` in ``formats``: (path, format)."""
    due = [(f"{doc.path}.{fmt}", fmt) for fmt in ("md", "html", "docx") if fmt in formats]
    if doc.roster is not None and "ics" in formats:
        due.append((f"{doc.path}.ics", "ics"))
    return due


def _formats(env, doc, context: dict, due, created: dt.datetime, district_id: str):
    """The files ``due`` of ``doc``, rendered from ``context``: (path, bytes) each."""
    text = None
    for path, fmt in due:
        if fmt == "ics":
            yield path, ics.calendar(district_id, doc.roster)
            continue
        if text is None:
            text = tidy(render(env, doc.template, context))
        if fmt == "md":
            yield path, text.encode("utf-8")
        elif fmt == "html":
            yield path, html.page(env, text, doc.title, doc.kind).encode("utf-8")
        elif fmt == "docx":
            yield path, docx.document(text, doc.title, doc.kind, created)


def governance_models() -> dict[str, dict]:
    """The shipped governance models' names and summaries, by id."""

    result = {}
    for path in sorted(models_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "id" in data:
            result[data["id"]] = {k: str(data[k]) for k in ("name", "summary") if data.get(k)}
    return result


def config_date(model) -> dt.datetime:
    """The documents' date (Word's created/modified): the newest date the config states."""
    dates = [s.get("date") for s in model.district.get("sources") or []]
    for entity in model.entities["committees"].values():
        dates += [entity.get("founded"), (entity.get("rotation") or {}).get("start")]
    for entity in model.entities["party_orgs"].values():
        dates.append(entity.get("last_election"))
    for entity in model.entities["service_points"].values():
        dates.append((entity.get("duty") or {}).get("start"))
    valid = sorted(d for d in dates if isinstance(d, str) and len(d) == 10)
    day = dt.date.fromisoformat(valid[-1]) if valid else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
