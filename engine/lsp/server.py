"""``loushi lsp``: a language server over standard input and output (pygls).

An editor sends the text of every open file as it is typed; the server checks the district the
file belongs to through the same gate as ``loushi validate`` (``engine.gate.open_district``,
with the editor's unsaved texts read instead of the disk) and publishes its findings for every
file of the district. A check waits for a pause in typing (``DEBOUNCE`` seconds) and runs off
the event loop, so completion and hover answer while it runs, from the last district that
passed the gate.

A file that does not parse while it is being typed gets its one syntax diagnostic; the other
files keep theirs, and completion, hover, definition and rename keep answering from the last
good state. Nothing the client sends stops the server: a request it cannot answer gets an
empty answer, and a failure of a check is logged, not raised.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..findings import Finding
from ..gate import GATE_RULES, District, Rejected, open_district
from ..i18n import text as say
from ..load.pieces import Memo
from ..load.sources import COLLECTIONS, DISTRICT_FILE
from ..project import ProjectError
from ..rules import docs as rules_docs
from ..rules import govmodels
from ..rules import packs as rule_packs
from ..rules import stages
from ..schema import in_language, schema
from ..session import Options, Session
from . import context
from .index import Index, Spot
from .index import build as build_index

#: Seconds of quiet after an edit before the district is checked again.
DEBOUNCE = 0.3
_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
             "info": lsp.DiagnosticSeverity.Information}
_AT_FILE = re.compile(r"(?:at|位于)\s+(\S+?):(\d+)\s*$")
_ID = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]*$")
_WORD = re.compile(r"[A-Za-z0-9_.\-\u4e00-\u9fff]+")


@dataclass
class State:
    """What the server knows of one district: its files, the findings published per file, the
    last model that passed the gate (what completion and navigation answer from, its index
    made when first asked for), and what the gate keeps from one check to the next (``memo``:
    the files' pieces and the entries the schema found clean, ``engine.load.pieces``)."""

    main: Path
    files: tuple[str, ...] = ()
    published: dict[str, list[Finding]] = field(default_factory=dict)
    district: District | None = None
    generation: int = 0
    task: asyncio.Task | None = None
    memo: Memo = field(default_factory=Memo)
    _index: Index | None = None

    @property
    def index(self) -> Index:
        """Where each id of the last good district is defined and named."""
        if self._index is None:
            self._index = build_index(self.district.model) if self.district is not None else Index()
        return self._index


class LoushiServer(LanguageServer):
    """The server: one session for the whole run, one :class:`State` per district."""

    def __init__(self, lang: str = "zh", today: dt.date | None = None):
        super().__init__("loushi", __version__)
        self.lang = lang
        self.today = today
        self.session = self._new_session()
        self.states: dict[Path, State] = {}
        self.lock = asyncio.Lock()

    def _new_session(self) -> Session:
        options = Options(lang=self.lang) if self.today is None else Options(today=self.today, lang=self.lang)
        return Session(options)

    # -- the districts ------------------------------------------------------------------------
    def main_of(self, path: Path) -> Path | None:
        """The main file of the district ``path`` belongs to; None for a file that is not part
        of a district (a rule pack, a governance model, loushi.toml)."""
        if path.name == DISTRICT_FILE:
            return path
        for folder in path.parents:
            if (folder / DISTRICT_FILE).is_file():
                return folder / DISTRICT_FILE
            if (folder / "loushi.toml").is_file():
                break
        head = self._text(path)[:4000]
        return path if re.search(r"(?m)^(loushi|district)\s*:", head) else None

    def _text(self, path: Path) -> str:
        document = self.workspace.text_documents.get(from_fs_path(str(path)) or "")
        if document is not None:
            return document.source
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def open_texts(self) -> dict[Path, str]:
        texts = {}
        for uri, document in list(self.workspace.text_documents.items()):
            path = to_fs_path(uri)
            if path:
                texts[Path(path).resolve()] = document.source
        return texts

    def schedule(self, path: Path, delay: float = DEBOUNCE) -> None:
        main = self.main_of(path)
        if main is None:
            return
        state = self.states.setdefault(main, State(main))
        state.generation += 1
        if state.task is not None and not state.task.done():
            state.task.cancel()
        state.task = asyncio.ensure_future(self._check_later(state, state.generation, delay))

    async def _check_later(self, state: State, generation: int, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            async with self.lock:
                if generation != state.generation:
                    return
                texts = self.open_texts()
                opened = await asyncio.to_thread(checked, state.main, self.session, texts, state.memo)
                self.publish(state, opened)
        except asyncio.CancelledError:
            return
        except Exception as exc:  # a check that fails must not stop the server
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"loushi: {type(exc).__name__}: {exc}"))

    async def check_now(self, path: Path) -> None:
        """Check the district of ``path`` at once (a save; the tests)."""
        main = self.main_of(path)
        if main is None:
            return
        state = self.states.setdefault(main, State(main))
        state.generation += 1
        await self._check_later(state, state.generation, 0)

    def publish(self, state: State, opened: District | Rejected) -> None:
        by_file: dict[str, list[Finding]] = {}
        for finding in opened.findings:
            by_file.setdefault(finding.file or str(state.main), []).append(finding)
        if isinstance(opened, District):
            state.district = opened
            state._index = None
        files = set(opened.files) | {str(state.main)}
        if getattr(opened, "fatal", False):
            # a file that does not parse: its syntax problem; every other file keeps what it had
            broken = {f.file for f in opened.findings}
            files = {f for f in state.published if f not in broken} | broken
            for name in files - broken:
                by_file[name] = state.published.get(name, [])
        for name in sorted(set(state.published) | files):
            findings = by_file.get(name, [])
            self._send(name, findings)
        state.published = {name: by_file.get(name, []) for name in files}
        state.files = tuple(sorted(files))

    def _send(self, name: str, findings: list[Finding]) -> None:
        path = Path(name)
        uri = from_fs_path(str(path.resolve() if path.is_absolute() else path.absolute()))
        if uri is None:
            return
        lines = self._text(path).split("\n")
        diagnostics = [self.diagnostic(f, lines) for f in findings]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))

    def diagnostic(self, finding: Finding, lines: list[str]) -> lsp.Diagnostic:
        message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
        related = None
        found = _AT_FILE.search(finding.message)
        if found and finding.rule == "duplicate-id":
            other = Path(found.group(1))
            uri = from_fs_path(str(other if other.is_absolute() else other.absolute()))
            line = max(int(found.group(2)) - 1, 0)
            if uri:
                related = [lsp.DiagnosticRelatedInformation(
                    lsp.Location(uri, lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0))),
                    say("lsp.first-defined", self.lang))]
        return lsp.Diagnostic(range=span(lines, finding.line, finding.column, finding.target),
                              message=message, severity=_SEVERITY.get(finding.level, lsp.DiagnosticSeverity.Error),
                              code=finding.rule, source="loushi", related_information=related,
                              data={"suggestion": finding.suggestion} if finding.suggestion else None)

    def state_of(self, uri: str) -> State | None:
        path = to_fs_path(uri)
        if not path:
            return None
        main = self.main_of(Path(path))
        return self.states.get(main) if main is not None else None


def checked(main: Path, session: Session, texts: dict, memo: Memo) -> District | Rejected:
    """The district through the gate, without Python's cycle collector walking the server's
    whole heap meanwhile. A server holds a district's values and its memo (at 10,000 buildings,
    millions of objects) from one check to the next, and every check makes as many again: the
    collector's full passes over all of them were a third of a re-check's time there. A
    district's values are freed as soon as nothing refers to them (they hold no cycles), so the
    collector is off while the gate runs, and what is alive afterwards is moved out of its sight
    (``gc.freeze``); it still collects what is made afterwards."""
    gc.disable()
    try:
        return open_district(main, session, texts=texts, memo=memo)
    finally:
        gc.enable()
        gc.freeze()


def span(lines: list[str], line: int, column: int, word: str = "") -> lsp.Range:
    """The editor range of the text a finding points at: the word at its line and column (a
    quoted scalar without its quotes; ``word`` when it stands there), in UTF-16 units."""
    row = max(line - 1, 0)
    text = lines[row] if row < len(lines) else ""
    start = min(max(column - 1, 0), len(text))
    if start < len(text) and text[start] in "\"'":
        quote = text[start]
        close = text.find(quote, start + 1)
        start, end = start + 1, close if close > start else len(text)
    elif word and text.startswith(word, start):
        end = start + len(word)
    else:
        match = re.compile(r"[^\s,#\[\]{}:]+(?::[^\s,#\[\]{}]+)*").match(text, start)
        end = match.end() if match else start
        if end == start:
            end = len(text.rstrip())
    if line < 1:
        return lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    return lsp.Range(lsp.Position(row, _units(text, start)), lsp.Position(row, _units(text, max(end, start))))


def _units(text: str, chars: int) -> int:
    """UTF-16 code units of the first ``chars`` characters of ``text`` (LSP's default)."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text[:chars])


def _chars(text: str, units: int) -> int:
    """Characters of ``text`` covering its first ``units`` UTF-16 code units."""
    count = 0
    for index, char in enumerate(text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def make_server(lang: str = "zh", today: dt.date | None = None) -> LoushiServer:
    server = LoushiServer(lang, today)
    _features(server)
    return server


def _features(server: LoushiServer) -> None:  # noqa: C901 - one handler per LSP request
    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: LoushiServer, params: lsp.DidOpenTextDocumentParams):
        path = to_fs_path(params.text_document.uri)
        if path:
            await ls.check_now(Path(path))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LoushiServer, params: lsp.DidChangeTextDocumentParams):
        path = to_fs_path(params.text_document.uri)
        if path:
            ls.schedule(Path(path))

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: LoushiServer, params: lsp.DidSaveTextDocumentParams):
        path = to_fs_path(params.text_document.uri)
        if not path:
            return
        if ls.main_of(Path(path)) is None:  # a model, a rule pack, loushi.toml: read them again
            ls.session = ls._new_session()
            for main in list(ls.states):
                await ls.check_now(main)
            return
        await ls.check_now(Path(path))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LoushiServer, params: lsp.DidCloseTextDocumentParams):
        path = to_fs_path(params.text_document.uri)
        if path:
            ls.schedule(Path(path), 0)  # the file on disk counts again

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", " ", "-", "["]))
    def completion(ls: LoushiServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        return lsp.CompletionList(is_incomplete=False, items=_complete(ls, params))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: LoushiServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return _hover(ls, params.text_document.uri, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LoushiServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
        spot, state = _spot(ls, params.text_document.uri, params.position)
        if spot is None or spot.ident not in state.index.definitions:
            return []
        return [_location(ls, state.index.definitions[spot.ident])]

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: LoushiServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        spot, state = _spot(ls, params.text_document.uri, params.position)
        if spot is None:
            return []
        defined = state.index.definitions.get(spot.ident)
        return [_location(ls, s) for s in state.index.everywhere(spot.ident)
                if params.context.include_declaration or s != defined]

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: LoushiServer, params: lsp.PrepareRenameParams):
        spot, state = _spot(ls, params.text_document.uri, params.position)
        if spot is None or spot.ident not in state.index.definitions:
            return None
        return _location(ls, spot).range

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    def rename(ls: LoushiServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        spot, state = _spot(ls, params.text_document.uri, params.position)
        if spot is None or spot.ident not in state.index.definitions:
            return None
        new = params.new_name.strip()
        if not _ID.match(new) or len(new) > 128:
            raise ValueError(say("lsp.rename-bad-id", ls.lang, id=new))
        if new != spot.ident and new in state.index.kinds:
            raise ValueError(say("lsp.rename-taken", ls.lang, id=new, what=state.index.describe(new)))
        changes: dict[str, list[lsp.TextEdit]] = {}
        for place in state.index.everywhere(spot.ident):
            location = _location(ls, place)
            changes.setdefault(location.uri, []).append(lsp.TextEdit(location.range, new))
        return lsp.WorkspaceEdit(changes=changes)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: LoushiServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return _actions(ls, params)


# -- completion -------------------------------------------------------------------------------

def _complete(ls: LoushiServer, params: lsp.CompletionParams) -> list[lsp.CompletionItem]:
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    lines = document.source.split("\n")
    row = params.position.line
    column = _chars(lines[row], params.position.character) if row < len(lines) else 0
    cursor = context.cursor_at(document.source, row, column)
    path = to_fs_path(uri) or ""
    state = ls.state_of(uri)
    fragment = state is not None and Path(path).resolve() != state.main.resolve()
    root = _schema(ls)
    items: list[lsp.CompletionItem] = []
    if cursor.key:
        for key, described in sorted(context.keys_at(root, cursor.path).items()):
            if key in cursor.siblings or fragment and not cursor.path and key not in COLLECTIONS:
                continue
            items.append(lsp.CompletionItem(label=key, kind=lsp.CompletionItemKind.Property, detail=described[:80],
                                            documentation=described or None, insert_text=f"{key}: "))
        return items
    if cursor.path[:2] == ("rules", "suppress") and cursor.path[-1] == "rule" or cursor.path[:2] == ("rules", "disable") \
            or cursor.path[:2] == ("rules", "levels"):
        catalog = rule_packs.catalog(ls.session.options.rule_packs, ls.session)
        for ident in sorted(catalog.rules):
            rule = catalog.rules[ident]
            items.append(lsp.CompletionItem(label=ident, kind=lsp.CompletionItemKind.EnumMember,
                                            detail=rule.summary))
        return items
    kinds = context.refers_to(root, cursor.path)
    if kinds and state is not None:
        for ident in state.index.ids(kinds):
            items.append(lsp.CompletionItem(label=ident, kind=lsp.CompletionItemKind.Reference,
                                            detail=state.index.describe(ident)))
        return items
    if cursor.path and cursor.path[-1] == "model":
        for ident, model in sorted(_models(ls, path).items()):
            items.append(lsp.CompletionItem(label=ident, kind=lsp.CompletionItemKind.Module,
                                            detail=str(model.get("name", ""))))
        return items
    for value in context.values_at(root, cursor.path):
        items.append(lsp.CompletionItem(label=value, kind=lsp.CompletionItemKind.EnumMember))
    return items


# -- hover and navigation ---------------------------------------------------------------------

def _word_at(ls: LoushiServer, uri: str, position: lsp.Position) -> tuple[str, lsp.Range] | None:
    document = ls.workspace.get_text_document(uri)
    lines = document.source.split("\n")
    if position.line >= len(lines):
        return None
    text = lines[position.line]
    column = _chars(text, position.character)
    for match in _WORD.finditer(text):
        if match.start() <= column <= match.end():
            return match.group(), lsp.Range(lsp.Position(position.line, _units(text, match.start())),
                                            lsp.Position(position.line, _units(text, match.end())))
    return None


def _spot(ls: LoushiServer, uri: str, position: lsp.Position) -> tuple[Spot | None, State | None]:
    state = ls.state_of(uri)
    path = to_fs_path(uri)
    if state is None or not path:
        return None, state
    document = ls.workspace.get_text_document(uri)
    lines = document.source.split("\n")
    text = lines[position.line] if position.line < len(lines) else ""
    column = _chars(text, position.character) + 1
    wanted = Path(path).resolve()
    for spot in state.index.spots():
        if spot.line == position.line + 1 and spot.column <= column <= spot.column + len(spot.ident) \
                and Path(spot.file).resolve() == wanted:
            return spot, state
    return None, state


def _location(ls: LoushiServer, spot: Spot) -> lsp.Location:
    path = Path(spot.file)
    path = path if path.is_absolute() else path.absolute()
    lines = ls._text(path).split("\n")
    return lsp.Location(from_fs_path(str(path)) or "", span(lines, spot.line, spot.column, spot.ident))


def _models(ls: LoushiServer, path: str) -> dict:
    """The governance models of the project the file at ``path`` belongs to (its loushi.toml),
    with the server's --models; the shipped ones and those while loushi.toml cannot be used
    (the gate's finding on the file says why)."""
    try:
        return govmodels.of_district(path or Path.cwd(), ls.session)
    except ProjectError:
        return govmodels.models(None, ls.session)


def _hover(ls: LoushiServer, uri: str, position: lsp.Position) -> lsp.Hover | None:
    spot, state = _spot(ls, uri, position)
    if spot is not None:
        index = state.index
        defined = index.definitions.get(spot.ident)
        where = f"{Path(defined.file).name}:{defined.line}" if defined else ""
        uses = len(index.uses.get(spot.ident, ()))
        body = say("lsp.hover-id", ls.lang, id=spot.ident, what=index.describe(spot.ident), where=where, uses=uses)
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, body), _location(ls, spot).range)
    found = _word_at(ls, uri, position)
    if found is None:
        return None
    word, where = found
    catalog = rule_packs.catalog(ls.session.options.rule_packs, ls.session)
    if word in catalog.rules:
        body = rules_docs.explain(catalog.rules[word], 80, lang=ls.lang, session=ls.session)
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, f"```text\n{body}```"), where)
    if word in stages.STAGES:
        body = stages.explain(stages.STAGES[word], ls.lang)
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, f"```text\n{body}```"), where)
    model = _models(ls, to_fs_path(uri) or "").get(word)
    if model is not None:
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, _model_text(word, model, ls.lang)), where)
    described = _key_description(ls, uri, where)
    if described:
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, f"`{word}`: {described}"), where)
    return None


def _schema(ls: LoushiServer) -> dict:
    """The district schema with its descriptions in the server's language (read once per session)."""
    return ls.session.kept(("lsp", "schema", ls.lang), lambda: in_language(schema(), ls.lang))


def _key_description(ls: LoushiServer, uri: str, where: lsp.Range) -> str:
    """The schema's description of the key written at ``where`` (a word followed by its colon),
    in the server's language; empty for a word that is no key the schema describes."""
    source = ls.workspace.get_text_document(uri).source
    line = source.split("\n")[where.end.line]
    end = _chars(line, where.end.character)
    if not line[end:].startswith(":"):
        return ""
    cursor = context.cursor_at(source, where.end.line, end + 1)
    return context.description_at(_schema(ls), cursor.path)


def _model_text(ident: str, model: dict, lang: str) -> str:
    lines = [f"**{model.get('name', ident)}** (`{ident}`)", ""]
    if model.get("summary"):
        lines += [str(model["summary"]), ""]
    for post in model.get("posts", ()):
        if not isinstance(post, dict):
            continue
        low, high = post.get("min"), post.get("max")
        count = f"{low}" if low == high else f"{low}–{high if high is not None else '∞'}"
        sources = "、".join(str(s) for s in post.get("from", ()))
        lines.append(say("lsp.hover-post", lang, role=post.get("role", ""), count=count, sources=sources or "—"))
    return "\n".join(lines)


# -- code actions -----------------------------------------------------------------------------

def _actions(ls: LoushiServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    actions = []
    for diagnostic in params.context.diagnostics:
        if diagnostic.source != "loushi":
            continue
        word = diagnostic.data.get("suggestion") if isinstance(diagnostic.data, dict) else None
        if isinstance(word, str) and word:
            actions.append(lsp.CodeAction(
                title=say("lsp.action-replace", ls.lang, word=word), kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic], is_preferred=True,
                edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(diagnostic.range, word)]})))
        rule = str(diagnostic.code or "")
        if rule and rule not in GATE_RULES and rule not in stages.STAGES:
            edit = _suppression(ls, uri, rule, diagnostic)
            if edit is not None:
                actions.append(lsp.CodeAction(title=say("lsp.action-suppress", ls.lang, rule=rule),
                                              kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic], edit=edit))
    return actions


def _suppression(ls: LoushiServer, uri: str, rule: str, diagnostic: lsp.Diagnostic) -> lsp.WorkspaceEdit | None:
    """An entry under the main file's ``rules: suppress:`` for the finding of ``diagnostic``,
    with an empty ``reason:`` the consultant must fill (until then the schema says so) and an
    expiry 90 days on. None where the ``rules:`` block is written in flow style."""
    state = ls.state_of(uri)
    if state is None:
        return None
    target = _target_of(state, rule, uri, diagnostic)
    main_uri = from_fs_path(str(state.main.resolve())) or ""
    lines = ls._text(state.main).split("\n")
    expires = (ls.session.options.today + dt.timedelta(days=90)).isoformat()
    entry = [f"- rule: {rule}"] + ([f"  target: {target}"] if target else []) + ["  reason:", f"  expires: {expires}"]
    rules_row = next((i for i, t in enumerate(lines) if re.match(r"^rules\s*:", t)), None)
    if rules_row is None:
        end = len(lines) - (1 if lines and lines[-1] == "" else 0)
        block = ["", "rules:", "  suppress:"] + [f"    {line}" for line in entry]
        return _insert(main_uri, end, block)
    if lines[rules_row].split(":", 1)[1].split("#")[0].strip():
        return None  # rules: {…} in flow style: say nothing rather than break it
    row = rules_row + 1
    suppress_row = None
    while row < len(lines) and (not lines[row].strip() or lines[row].startswith((" ", "\t", "#"))):
        if re.match(r"^\s+suppress\s*:", lines[row]):
            suppress_row = row
        row += 1
    end = row
    while end > rules_row + 1 and not lines[end - 1].strip():
        end -= 1
    if suppress_row is None:
        return _insert(main_uri, end, ["  suppress:"] + [f"    {line}" for line in entry])
    if lines[suppress_row].split(":", 1)[1].split("#")[0].strip():
        return None
    indent = len(lines[suppress_row]) - len(lines[suppress_row].lstrip())
    item_end = suppress_row + 1
    while item_end < len(lines) and (not lines[item_end].strip()
                                     or len(lines[item_end]) - len(lines[item_end].lstrip()) > indent
                                     or lines[item_end].lstrip().startswith("- ") and
                                     len(lines[item_end]) - len(lines[item_end].lstrip()) >= indent):
        item_end += 1
    while item_end > suppress_row + 1 and not lines[item_end - 1].strip():
        item_end -= 1
    pad = " " * (indent + 2)
    return _insert(main_uri, item_end, [pad + line for line in entry])


def _insert(uri: str, row: int, block: list[str]) -> lsp.WorkspaceEdit:
    where = lsp.Position(row, 0)
    return lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(lsp.Range(where, where), "\n".join(block) + "\n")]})


def _target_of(state: State, rule: str, uri: str, diagnostic: lsp.Diagnostic) -> str:
    path = to_fs_path(uri)
    for findings in state.published.values():
        for finding in findings:
            if finding.rule == rule and finding.line == diagnostic.range.start.line + 1 and path \
                    and Path(finding.file).resolve() == Path(path).resolve():
                return finding.target
    return ""


def serve(lang: str = "zh") -> None:
    """Run the server on standard input and output until the client says exit."""
    make_server(lang).start_io()
