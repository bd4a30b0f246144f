"""``loushi lsp`` end to end: a client starts the server as an editor does (pytest-lsp), opens a
district of several files, types, and reads diagnostics, completion, hover, definition,
references, rename and code actions back. What the server says is compared with what the gate
says of the same text (``loushi validate`` prints the same findings)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types as lsp  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from engine import catalogs  # noqa: E402
from engine.gate import District, open_district  # noqa: E402
from engine.lsp import context  # noqa: E402
from engine.resources import schema_path  # noqa: E402
from engine.session import Options, Session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DISTRICT = ROOT / "configs" / "districts" / "changfeng"
#: The Chinese of the district schema's descriptions (the server speaks Chinese).
SCHEMA_ZH = catalogs.messages("zh", "schema")
SCRIPT = Path(sys.executable).with_name("loushi")
COMMAND = [str(SCRIPT), "--lang", "zh", "lsp"] if SCRIPT.exists() else \
    [sys.executable, "-c", "import sys; from engine.cli import run; sys.argv[0] = 'loushi'; run()", "--lang", "zh", "lsp"]


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(
        text_document=lsp.TextDocumentClientCapabilities(
            publish_diagnostics=lsp.PublishDiagnosticsClientCapabilities(related_information=True)))))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "changfeng"
    shutil.copytree(DISTRICT, target)
    return target


def _open(client: LanguageClient, path: Path) -> str:
    uri = from_fs_path(str(path))
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=path.read_text(encoding="utf-8"))))
    return uri


def _replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [lsp.TextDocumentContentChangeWholeDocument(text=text)]))


async def _diagnostics_for(client: LanguageClient, uri: str, seconds: float = 60) -> list[lsp.Diagnostic]:
    """The next diagnostics the server publishes for ``uri`` (the client keeps the last of each
    file; a test clears it with ``_forget`` before the edit it waits on)."""
    for _ in range(int(seconds * 20)):
        if uri in client.diagnostics:
            return client.diagnostics.pop(uri)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostics for {uri} in {seconds} s")


def _gate(folder: Path, texts: dict | None = None):
    return open_district(folder / "district.yaml", Session(), texts=texts)


def _a_use_in_a_fragment(folder: Path):
    """An id defined in one file and named in a fragment of another, from the gate's model."""
    opened = _gate(folder)
    assert isinstance(opened, District)
    from engine.lsp.index import build
    index = build(opened.model)
    for ident, uses in sorted(index.uses.items()):
        defined = index.definitions.get(ident)
        if defined and any(Path(u.file).parent.name == "clusters" and u.file != defined.file for u in uses):
            use = next(u for u in uses if Path(u.file).parent.name == "clusters" and u.file != defined.file)
            return ident, defined, use, index
    raise AssertionError("the district names no id across files")


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostics_are_the_gates_findings_at_the_same_places(client, folder):
    main = folder / "district.yaml"
    uri = _open(client, main)
    diagnostics = await _diagnostics_for(client, uri)
    opened = _gate(folder)
    expected = sorted((f.line - 1, f.rule) for f in opened.findings if Path(f.file).resolve() == main.resolve())
    assert expected, "changfeng's main file has findings (infos) to compare"
    assert sorted((d.range.start.line, d.code) for d in diagnostics) == expected
    assert all(d.source == "loushi" for d in diagnostics)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_broken_reference_is_reported_as_typed_and_cleared_when_fixed(client, folder):
    ident, defined, use, _ = _a_use_in_a_fragment(folder)
    fragment = Path(use.file)
    uri = _open(client, fragment)
    await _diagnostics_for(client, uri)
    lines = fragment.read_text(encoding="utf-8").split("\n")
    row = use.line - 1
    lines[row] = lines[row][:use.column - 1] + ident + "-x" + lines[row][use.column - 1 + len(ident):]
    _replace_all(client, uri, "\n".join(lines), 2)
    diagnostics = await _diagnostics_for(client, uri)
    broken = [d for d in diagnostics if d.code == "reference"]
    assert len(broken) == 1
    assert broken[0].severity == lsp.DiagnosticSeverity.Error
    assert broken[0].range.start == lsp.Position(row, use.column - 1)
    assert broken[0].range.end == lsp.Position(row, use.column - 1 + len(ident) + 2)
    assert broken[0].data == {"suggestion": ident}  # the fix's word, as data (not read from the hint)
    # the gate says the same of the same text
    texts = {fragment.resolve(): "\n".join(lines)}
    assert [(f.line, f.column) for f in _gate(folder, texts).findings if f.rule == "reference"] == [(use.line, use.column)]
    # a did-you-mean fix is offered, and applying it clears the finding
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri), range=broken[0].range,
        context=lsp.CodeActionContext(diagnostics=broken)))
    fixes = [a for a in actions if a.edit and ident in str(a.title)]
    assert fixes, [a.title for a in actions]
    edit = fixes[0].edit.changes[uri][0]
    assert edit.new_text == ident
    _replace_all(client, uri, fragment.read_text(encoding="utf-8"), 3)
    assert [d for d in await _diagnostics_for(client, uri) if d.code == "reference"] == []


@pytest.mark.asyncio(loop_scope="module")
async def test_a_half_typed_file_gets_one_syntax_diagnostic_and_the_last_good_state_answers(client, folder):
    main = folder / "district.yaml"
    uri = _open(client, main)
    await _diagnostics_for(client, uri)
    text = main.read_text(encoding="utf-8")
    _replace_all(client, uri, text + "\nunfinished: [a, \n", 2)
    diagnostics = await _diagnostics_for(client, uri)
    assert [d.code for d in diagnostics] == ["yaml-syntax"]
    ident, defined, use, index = _a_use_in_a_fragment(folder)
    fragment_uri = _open(client, Path(use.file))
    await _diagnostics_for(client, fragment_uri)
    found = await client.text_document_definition_async(lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(fragment_uri), position=lsp.Position(use.line - 1, use.column)))
    assert found and found[0].range.start.line == defined.line - 1


@pytest.mark.asyncio(loop_scope="module")
async def test_definition_references_and_rename_across_the_files_of_a_district(client, folder):
    ident, defined, use, index = _a_use_in_a_fragment(folder)
    uri = _open(client, Path(use.file))
    await _diagnostics_for(client, uri)
    where = lsp.TextDocumentIdentifier(uri)
    at = lsp.Position(use.line - 1, use.column - 1 + len(ident) // 2)
    found = await client.text_document_definition_async(lsp.DefinitionParams(text_document=where, position=at))
    assert [(Path(l.uri).name, l.range.start.line, l.range.start.character) for l in found] == \
        [(Path(defined.file).name, defined.line - 1, defined.column - 1)]
    refs = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=where, position=at, context=lsp.ReferenceContext(include_declaration=True)))
    assert len(refs) == len(index.everywhere(ident)) >= 2
    edit = await client.text_document_rename_async(lsp.RenameParams(text_document=where, position=at, new_name=ident + "-renamed"))
    files = {Path(from_uri).name for from_uri in edit.changes}
    assert len(files) >= 2 and sum(len(e) for e in edit.changes.values()) == len(refs)
    # applied on disk, the district still passes the gate with the new id everywhere
    for file_uri, edits in edit.changes.items():
        path = Path(file_uri.removeprefix("file://"))
        lines = path.read_text(encoding="utf-8").split("\n")
        for change in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            row, start, end = change.range.start.line, change.range.start.character, change.range.end.character
            assert lines[row][start:end] == ident
            lines[row] = lines[row][:start] + change.new_text + lines[row][end:]
        path.write_text("\n".join(lines), encoding="utf-8")
    after = _gate(folder)
    assert isinstance(after, District) and ident + "-renamed" in after.model.kind_of and ident not in after.model.kind_of
    with pytest.raises(Exception):
        await client.text_document_rename_async(lsp.RenameParams(text_document=where, position=at, new_name="not an id"))


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_offers_keys_ids_and_rule_ids(client, folder):
    main = folder / "district.yaml"
    uri = _open(client, main)
    await _diagnostics_for(client, uri)
    text = main.read_text(encoding="utf-8").rstrip("\n")
    typed = text + "\npeople:\n  - id: p-new\n    na\n" if "\npeople:" not in text else None
    if typed is None:
        typed = text + "\n"
    _replace_all(client, uri, typed, 2)
    await _diagnostics_for(client, uri)
    lines = typed.split("\n")
    # a key inside a list item of people
    row = next(i for i, line in enumerate(lines) if line == "    na") if "    na" in lines else None
    if row is not None:
        items = await client.text_document_completion_async(lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri), position=lsp.Position(row, 6)))
        labels = {i.label for i in items.items}
        assert "name" in labels and "id" not in labels
        # each key's description in the server's language (the schema file's own are English)
        [name] = [i for i in items.items if i.label == "name"]
        assert name.documentation == "名称，即文书中印出的。"
        assert all(re.search("[\u4e00-\u9fff]", i.documentation) for i in items.items if i.documentation)
    # ids where a reference is expected: a post's holder offers people
    opened = _gate(folder)
    people = set(opened.model.entities["people"])
    holder_text = "\n".join(lines) + "\ncommittees:\n  - id: c-new\n    posts:\n      - role: x\n        holder: "
    _replace_all(client, uri, holder_text, 3)
    last = holder_text.split("\n")
    items = await client.text_document_completion_async(lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri), position=lsp.Position(len(last) - 1, len(last[-1]))))
    labels = {i.label for i in items.items}
    assert people and labels == people
    assert all(i.detail for i in items.items)


def catalog_rule_title(rule: str) -> str:
    from engine.rules import packs
    return packs.catalog(lang="zh").rules[rule].summary.split("\n")[0]  # the server speaks Chinese


def test_the_cursor_path_follows_indentation_in_a_half_typed_file():
    text = ("loushi: 1\ndistrict:\n  id: x\n  na\ncommittees:\n  - id: c1\n    kind: building_committee\n"
            "    mo\n    posts:\n      - role: leader\n        holder: \nunits:\n- id: u\n  bu\nrules:\n  suppress:\n"
            "    - rule: \n")
    cases = {(3, 4): (("district",), True, "na"), (7, 6): (("committees", 0), True, "mo"),
             (10, 16): (("committees", 0, "posts", 0, "holder"), False, ""), (13, 4): (("units", 0), True, "bu"),
             (16, 12): (("rules", "suppress", 0, "rule"), False, "")}
    for (line, column), (path, key, prefix) in cases.items():
        cursor = context.cursor_at(text, line, column)
        assert (cursor.path, cursor.key, cursor.prefix) == (path, key, prefix), (line, column, cursor)
    assert context.cursor_at(text, 7, 6).siblings == {"id", "kind", "posts"}


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_names_the_entity_and_explains_a_rule(client, folder):
    ident, defined, use, index = _a_use_in_a_fragment(folder)
    uri = _open(client, Path(use.file))
    await _diagnostics_for(client, uri)
    hover = await client.text_document_hover_async(lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri), position=lsp.Position(use.line - 1, use.column)))
    assert hover is not None and ident in hover.contents.value and "定义于" in hover.contents.value
    main = folder / "district.yaml"
    main_uri = _open(client, main)
    await _diagnostics_for(client, main_uri)
    lines = main.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if "rule:" in line and "suppress" in line)
    rule = lines[row].split("rule:")[1].split()[0].strip(",}")
    column = lines[row].index(rule) + 2
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(main_uri), position=lsp.Position(row, column)))
    assert hover is not None and rule in hover.contents.value
    assert catalog_rule_title(rule) in hover.contents.value
    # a key: the schema's description of it, in the server's language
    row = next(i for i, line in enumerate(lines) if line.startswith("  name:"))
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(main_uri), position=lsp.Position(row, 3)))
    described = json.loads(schema_path().read_text(encoding="utf-8"))["properties"]["district"]["properties"]["name"]
    assert hover is not None and hover.contents.value == f"`name`: {SCHEMA_ZH[described['description']]}"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_suppression_is_offered_for_a_rule_finding_with_an_empty_reason_to_write(client, tmp_path):
    config = ROOT / "configs" / "districts" / "suncun.yaml"
    target = tmp_path / "suncun.yaml"
    target.write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    uri = _open(client, target)
    diagnostics = await _diagnostics_for(client, uri)
    rule_findings = [d for d in diagnostics if d.code not in ("yaml-syntax", "schema")]
    assert rule_findings, "suncun has a rule finding today (a term due)"
    finding = rule_findings[0]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri), range=finding.range,
        context=lsp.CodeActionContext(diagnostics=[finding])))
    suppress = [a for a in actions if finding.code in a.title and "抑制" in a.title]
    written = target.read_text(encoding="utf-8")
    flow_list = re.search(r"^  suppress: \[(\{[^\n]*\})\]$", written, re.M)
    if "rules: {" in written or flow_list:
        assert suppress == []  # a flow-style rules: block or suppress: list is left alone rather than broken
        text = written.replace("rules: {extends: [structure, models, party, coverage, escalation, workload]}",
                               "rules:\n  extends: [structure, models, party, coverage, escalation, workload]")
        if flow_list:   # one entry: the same entry as a block list
            assert "}, {" not in flow_list.group(1)
            text = text.replace(flow_list.group(0), "  suppress:\n    - " + flow_list.group(1))
        target.write_text(text, encoding="utf-8")
        _replace_all(client, uri, text, 2)
        diagnostics = await _diagnostics_for(client, uri)
        finding = next(d for d in diagnostics if d.code == finding.code)
        actions = await client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri), range=finding.range,
            context=lsp.CodeActionContext(diagnostics=[finding])))
        suppress = [a for a in actions if finding.code in a.title and "抑制" in a.title]
    assert len(suppress) == 1
    (edit,) = suppress[0].edit.changes[uri]
    lines = target.read_text(encoding="utf-8").split("\n")
    row = edit.range.start.line
    lines[row:row] = edit.new_text.rstrip("\n").split("\n")
    text = "\n".join(lines)
    # the entry lands in the rules block, and until a reason is written the district says so
    opened = open_district(target, Session(), texts={target.resolve(): text})
    assert any(f.rule == "schema" and "reason" in f.path for f in opened.findings), opened.findings
    filled = text.replace("  reason:\n", "  reason: 换届已在筹备\n", 1)
    opened = open_district(target, Session(Options(lang="zh")), texts={target.resolve(): filled})
    assert isinstance(opened, District)
    said = finding.message.split("\n")[0]  # the server speaks Chinese: so does the session compared
    before = open_district(target, Session(Options(lang="zh")), texts={target.resolve(): "\n".join(target.read_text(encoding="utf-8").split("\n"))})
    assert any(f.rule == finding.code and f.message == said for f in before.findings)
    assert not any(f.rule == finding.code and f.message == said for f in opened.findings)


@pytest.mark.asyncio(loop_scope="module")
async def test_hostile_text_gets_diagnostics_and_the_server_keeps_answering(client, tmp_path):
    target = tmp_path / "district.yaml"
    good = (ROOT / "configs" / "districts" / "suncun.yaml").read_text(encoding="utf-8")
    target.write_text(good, encoding="utf-8")
    uri = _open(client, target)
    await _diagnostics_for(client, uri)
    hostile = ["", "\x00\x01", "a: [" * 500, "\tloushi: 1\n", "\ufeffloushi: 1\n", "loushi: 1\ndistrict: &a [*a]\n",
               "- - - -\n" * 50, "loushi: 2\n" + "x" * 100_000, "😀: 😀\n" * 20]
    for version, text in enumerate(hostile, start=2):
        _replace_all(client, uri, text, version)
        diagnostics = await _diagnostics_for(client, uri)
        assert diagnostics and all(d.source == "loushi" for d in diagnostics), repr(text[:20])
        for d in diagnostics:
            assert d.range.start.line >= 0 and d.range.end.character >= d.range.start.character
    _replace_all(client, uri, good, len(hostile) + 2)
    assert [d.code for d in await _diagnostics_for(client, uri) if d.severity == lsp.DiagnosticSeverity.Error] == []
