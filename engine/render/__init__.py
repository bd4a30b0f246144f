"""Render: a district's documents — charters, duty lists, rosters, escalation paths, an index
— in every format a writer knows, written atomically into an output folder.

Three steps: ``plan.plan`` makes every document as a frozen value (its records, its template,
its place in the folder); each writer of ``writers.WRITERS`` turns a document into files, one
document after another, keeping nothing of it (``Page`` renders its Markdown once for all of
them); ``output.Tree`` takes the files into a staging folder and swaps it in when all are made.

``build_paths(paths, out, options)`` is what ``loushi build`` calls: it loads each district and
stops at config errors (returned as findings). ``build(model, out, options)`` does the same for
a model already built, ``render_files(model, options)`` returns the files instead. A rebuild
renders only the files whose inputs changed (see ``keys``: a file's key takes its document's
``digest``), and stops at files edited by hand unless ``force`` is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .. import discovery
from ..findings import Finding
from ..i18n import text
from ..gate import District, draft_mark, open_district
from ..load.sources import discover, district_id, duplicate_districts
from ..rules import govmodels
from ..session import Session
from .context import Window
from .environment import RenderError
from .environment import template_folders
from . import environment as templates
from .markdown import parser
from . import keys, plan, processes
from .output import Conflict, OutputError, Tree, WriteResult, revision_time, safe_name
from .writers import ALL, WRITERS, Page, Run

#: What a build makes when no format is named (``-f all``).
FORMATS = ALL


@dataclass
class BuildOptions:
    """What a build takes besides the district: formats, template override, roster window."""

    formats: tuple[str, ...] = FORMATS
    #: Template folders searched before the shipped one (one folder, or several in order).
    templates: str | Path | tuple | None = None
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
    #: Processes rendering documents side by side (``processes.workers_for``; 0: one per core
    #: for a big build). The files are the same whatever it is.
    jobs: int = 1
    #: The governance models' names and summaries by id (``plan.governance_models``); None:
    #: the shipped ones. ``build_paths`` sets them, and the templates, from the district's project.
    models: dict | None = None
    #: The traced copy (``--trace``): every table with its 来源 column, every charter with 附：条款来源;
    #: without it, the filing copy an office prints as it is.
    trace: bool = False
    #: The language of the words loushi adds around the documents (the HTML pages' navigation:
    #: 返回目录, 上一篇 …); the documents themselves are Chinese.
    lang: str = "zh"
    #: One 街道 of a 区 (its id; the CLI also takes its name): only its documents and their index.
    subdistrict: str | None = None


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
    districts, problems = discover(paths, session.lang)
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
        problem = _templates_problem(opened.model, options) or _subdistrict_problem(opened.model, options)
        if problem:
            results.append(BuildResult(opened.path, target, error=problem))
            continue
        marked = replace(options, mark=draft_mark(opened)) if options.draft else options
        if options.subdistrict is not None:
            marked = replace(marked, subdistrict=_subdistrict(opened.model, options.subdistrict))
        results.append(build(opened.model, target, for_project(marked, main, session), session))
    return results


def _templates_problem(model, options: BuildOptions) -> str:
    """What is wrong with the build's own template folders (``--templates``): a file that
    replaces no shipped template and is no template a kind in effect names; "" when nothing is."""
    known = plan.named_templates(model)
    problems = [templates.templates_problem(folder, options.lang, known) for folder in template_folders(options.templates)]
    return "\n".join(p for p in problems if p)


def _subdistrict(model, said: str) -> str | None:
    """The id of the 街道 ``said`` names, by id or by its exact name (None: none)."""
    entities = model.entities["subdistricts"]
    if said in entities:
        return said
    named = [ident for ident, entity in entities.items() if entity.get("name") == said]
    return named[0] if len(named) == 1 else None


def _subdistrict_problem(model, options: BuildOptions) -> str:
    """Why ``--subdistrict`` names no 街道 of the config ("" when it names one, or is not given)."""
    said = options.subdistrict
    if said is None or _subdistrict(model, said) is not None:
        return ""
    entities = model.entities["subdistricts"]
    if not entities:
        return text("build.subdistrict-single", options.lang, said=said)
    known = "、".join(f"{entity.get('name', ident)}（{ident}）" for ident, entity in entities.items())
    close = model.closest(said, ("subdistricts",))
    return text("build.subdistrict-unknown", options.lang, said=said, known=known) + (
        "\n" + text("schema.hint.did-you-mean", options.lang, close=close) if close else "")


def for_project(options: BuildOptions, path, session: Session) -> BuildOptions:
    """``options`` with the governance models and template folders of the project the district
    at ``path`` belongs to (``engine/discovery.py``): the options' own folders come first."""
    found = discovery.found(session, path)
    folders = (*template_folders(options.templates), *found.templates)
    models = plan.governance_models(govmodels.models(found, session))
    return replace(options, templates=tuple(dict.fromkeys(folders)) or None, models=models)


def build(model, out: str | Path, options: BuildOptions, session: Session | None = None) -> BuildResult:
    """Render every document of ``model`` whose inputs changed since the build ``out`` holds,
    and write them into ``out``, one at a time (templates from ``session``; a new session when
    not given). A template a kind names that no folder holds stops the build before anything
    is rendered (:func:`missing_templates`)."""
    session = session or Session()
    result = BuildResult(model.source.path, Path(out), mark=options.mark)
    result.findings = missing_templates(model, options, session)
    if result.findings:
        return result
    tree = Tree(Path(out), force=options.force, revised=revision_time())
    try:
        with tree:
            program = keys.program(options)
            whole = keys.whole(program, model, options)
            if tree.carry(whole):   # the same config, options and program: nothing to render
                result.documents = tree.documents
            else:
                result.documents = render_into(model, options, tree.put, tree.fresh, program, session,
                                               tree.revisions)
                tree.build, tree.documents = whole, result.documents
    except RenderError as exc:
        result.error = str(exc) + (f" [config {exc.origin}]" if exc.origin and exc.origin not in str(exc) else "")
    except Conflict as exc:
        result.error, result.conflicts = str(exc), exc.files
    except OutputError as exc:
        result.error = str(exc)
    result.files = tree.result
    return result


def missing_templates(model, options: BuildOptions, session: Session) -> list[Finding]:
    """An error for each template a kind in effect names (``charter.template``, ``record``:
    :func:`plan.kind_templates`) that none of the build's template folders holds, at the key
    naming it, listing the folders searched (in ``options.lang``)."""
    env = templates.kept(session, options.templates)
    shipped = discovery.Folder(templates.templates_dir(), discovery.SHIPPED).said(options.lang)
    searched = "; ".join([*(str(folder) for folder in template_folders(options.templates)), shipped])
    found = []
    for need in plan.kind_templates(model):
        if templates.exists(env, need.name):
            continue
        file, line, column = need.place
        found.append(Finding(str(file), line, column, "error", "kind-template",
                             text("render.kind-template-missing", options.lang, name=need.name, kind=need.kind,
                                  label=need.label, what=text(f"render.kind-template.{need.what}", options.lang),
                                  folders=searched),
                             target=need.kind, hint=text("render.kind-template-missing-hint", options.lang,
                                                         name=need.name)))
    return found


def render_files(model, options: BuildOptions, session: Session | None = None) -> tuple[dict[str, bytes], int]:
    """Every file of the build, by path relative to the output folder, and the document count."""
    files: dict[str, bytes] = {}
    count = render_into(model, options, lambda path, data, key=None: files.__setitem__(path, data), session=session)
    return files, count


def render_into(model, options: BuildOptions, put: Callable[..., None],
                fresh: Callable[[str, str | None], bool] | None = None, program: str = "",
                session: Session | None = None, revisions=None) -> int:
    """Plan the documents of ``model``, then hand each file every chosen writer makes of them
    to ``put(path, bytes, key)`` as soon as it is made, in plan order; returns the number of
    documents. With ``fresh``, a file for which ``fresh(path, key)`` says so is not made (a
    document none of whose files is due is not rendered); ``program`` is the key of what
    renders (``keys.program``). ``options.jobs`` processes render side by side (see
    ``processes``); the files are the same, handed over in the same order. The templates
    (compiled once) and the Markdown parser are the session's; a new session when not given.
    ``revisions`` (``output.Revisions``) numbers the calendars' events from the build before."""
    session = session or Session()
    window = Window(options.start, options.months)
    docs = plan.plan(model, window, options.models, getattr(options, "subdistrict", None))
    if options.total:
        options.total(len(docs))
    created = plan.config_date(model)
    run = Run(templates.kept(session, options.templates), model.id, created, window,
              session.kept("markdown-parser", parser), options.templates,
              options.mark, revisions, options.trace, docs, options.lang)
    writers = [(name, WRITERS[name].Writer(run)) for name in WRITERS if name in options.formats]
    digests = plan.Digests()  # one for the plan: each shared record is spelt once

    def due(position: int, doc) -> tuple[dict[str, str], dict[str, str | None]]:
        """The files of ``doc`` to make (path → writer), and each file's key."""
        wanted = {path: name for name, writer in writers for path in writer.paths(doc)}
        if fresh is None:
            return wanted, {}
        digest = _digest(digests.of(doc), options)
        more = {name: writer.key(doc, position) for name, writer in writers if name in wanted.values()}
        made = {path: keys.document(program, name, path, digest, doc.kind, doc.template, created.isoformat(),
                                    model.id, *([more[name]] if more[name] else []))
                for path, name in wanted.items()}
        return {path: name for path, name in wanted.items() if not fresh(path, made[path])}, made

    def files(task: tuple[int, dict[str, str]]) -> list[tuple[str, bytes, dict | None]]:
        """The due files of one document, rendered, each with its calendar events' revisions
        (made in a worker process, they travel back with the file)."""
        doc, wanted = docs[task[0]], task[1]
        page = Page(run, doc, task[0])
        return [(path, data, revisions.made.get(path) if revisions is not None else None)
                for name, writer in writers if name in wanted.values()
                for path, data in writer.document(doc, page) if path in wanted]

    decided = [due(position, doc) for position, doc in enumerate(docs)]
    tasks = [(index, wanted) for index, (wanted, _) in enumerate(decided) if wanted]
    workers = processes.workers_for(options.jobs, len(tasks))
    made = processes.in_order(workers, tasks, files) if workers > 1 else map(files, tasks)
    done = 0
    for index, _ in tasks:
        for path, data, events in next(made):
            if events is not None:
                revisions.made[path] = events
            put(path, data, decided[index][1].get(path))
        if options.progress:
            options.progress(index + 1 - done)
            done = index + 1
    if options.progress and len(docs) > done:
        options.progress(len(docs) - done)
    for _, writer in writers:
        for path, data in writer.finish(docs):
            put(path, data, None)
    return len(docs)


def _digest(digest: str, options: BuildOptions) -> str:
    """What a document's files are made from: its frozen value (``digest``), a draft's mark if
    any, and whether it is the traced copy."""
    more = f"\0{options.mark}" if options.mark else ""
    return f"{digest}{more}\0trace" if options.trace else f"{digest}{more}"
