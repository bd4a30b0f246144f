"""The output formats, read back by the programs that consume them: SARIF against the official
2.1.0 schema (../shared/corpora), .ics with the ``icalendar`` library, Mermaid with Mermaid's
own parser under node (.ci/node_modules, installed by .ci/run), JUnit as a CI server counts it.
And the command line around them: NO_COLOR and --color, ``-`` for standard input with
--stdin-filename, a warning when Graphviz has no font for the text, and the fragment schema.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.session import Session

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
SARIF_SCHEMA = ROOT.parent / "shared" / "corpora" / "sarif" / "sarif-schema-2.1.0.json"
PARSER = ROOT / ".ci" / "mermaid-parse.mjs"
NODE_MODULES = ROOT / ".ci" / "node_modules"
SHIPPED = sorted([*ROOT.glob("configs/districts/*.yaml"), *(p.parent for p in ROOT.glob("configs/districts/*/district.yaml"))])


def invoke(*args: str, input: bytes | str | None = None, env: dict | None = None, session: Session | None = None):
    """``loushi --lang en ARGS``; in ``session`` when given (``cli.main(args, obj=session)``)."""
    result = CliRunner().invoke(cli, ["--lang", "en", *args], input=input, env=env, obj=session)
    assert result.exit_code != exitcodes.INTERNAL, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def broken(folder: Path, shift: int = 0) -> Path:
    """mini with a building in two cluster grids (a rule's error: a dangling reference would stop
    the district at the gate, before any rule) and a wrong declared figure (a warning), its
    lines moved down by ``shift`` comment lines."""
    text = MINI.read_text(encoding="utf-8").replace("buildings: [b-3], heads: [p-sun]}",
                                                    "buildings: [b-3, b-1], heads: [p-sun]}", 1)
    text = text.replace("buildings: 3\n", "buildings: 4\n", 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)  # the repository's root
    path = folder / "configs" / "d.yaml"
    path.parent.mkdir(exist_ok=True)
    lines = text.splitlines(keepends=True)
    path.write_text("".join(lines[:5] + ["# moved\n"] * shift + lines[5:]), encoding="utf-8")
    return path


# -- SARIF -------------------------------------------------------------------------------------

def sarif(folder: Path, monkeypatch, shift: int = 0, cwd: Path | None = None) -> dict:
    path = broken(folder, shift)
    monkeypatch.chdir(cwd or path.parent)
    result = invoke("validate", "-f", "sarif", "--today", "2025-01-01", os.path.relpath(path))
    assert result.exit_code == exitcodes.FINDINGS
    return json.loads(result.output)


def test_sarif_fingerprints_stay_when_findings_move_to_other_lines(tmp_path, monkeypatch):
    before = sarif(tmp_path / "a", monkeypatch)["runs"][0]["results"]
    after = sarif(tmp_path / "b", monkeypatch, shift=7)["runs"][0]["results"]
    assert len(before) == len(after) >= 2
    lines = [(r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in before]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [n + 7 for n in lines]
    prints = [r["partialFingerprints"] for r in before]
    assert prints == [r["partialFingerprints"] for r in after]
    assert len({p["loushiFinding/v1"] for p in prints}) == len(prints)  # each finding its own


def test_sarif_fingerprints_change_with_the_finding(tmp_path, monkeypatch):
    first = sarif(tmp_path / "a", monkeypatch)["runs"][0]["results"]
    path = broken(tmp_path / "b")
    path.write_text(path.read_text(encoding="utf-8").replace("[b-3, b-1]", "[b-3, b-2]"), encoding="utf-8")
    monkeypatch.chdir(path.parent)
    second = json.loads(invoke("validate", "-f", "sarif", "d.yaml").output)["runs"][0]["results"]
    rule = lambda results: {r["ruleId"]: r["partialFingerprints"] for r in results}  # noqa: E731
    assert rule(first)["building-one-cluster"] != rule(second)["building-one-cluster"]
    assert rule(first)["declared-figures"] == rule(second)["declared-figures"]


@pytest.mark.parametrize("where", ["configs", ".", "outside"])
def test_sarif_uris_are_relative_to_the_repository_root(tmp_path, monkeypatch, where):
    cwd = {"configs": None, ".": tmp_path / "r", "outside": tmp_path}[where]
    log = sarif(tmp_path / "r", monkeypatch, cwd=cwd)
    run = log["runs"][0]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        if where == "outside":  # the working folder is in no repository: it is the root
            assert location == {"uri": "r/configs/d.yaml", "uriBaseId": "%SRCROOT%"}
        else:
            assert location == {"uri": "configs/d.yaml", "uriBaseId": "%SRCROOT%"}


def test_sarif_uri_of_a_file_outside_the_repository_is_absolute(tmp_path, monkeypatch):
    from engine.report.sarif import artifact

    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    assert artifact(str(tmp_path / "other" / "d 1#.yaml"), tmp_path / "repo") == {
        "uri": (tmp_path / "other" / "d 1#.yaml").as_uri()}
    assert artifact(str(tmp_path / "repo" / "楼 1.yaml"), tmp_path / "repo") == {
        "uri": "%E6%A5%BC%201.yaml", "uriBaseId": "%SRCROOT%"}


@pytest.mark.skipif(not SARIF_SCHEMA.exists(), reason="the SARIF 2.1.0 schema (../shared/corpora/sarif) is not beside the project")
@pytest.mark.parametrize("shift", [0, 3])
def test_sarif_is_valid_against_the_official_schema(tmp_path, monkeypatch, shift):
    from jsonschema import Draft4Validator  # the schema's own draft

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    log = sarif(tmp_path / "r", monkeypatch, shift)
    assert list(Draft4Validator(schema).iter_errors(log)) == []
    clean = invoke("validate", "-f", "sarif", str(MINI))
    assert list(Draft4Validator(schema).iter_errors(json.loads(clean.output))) == []


# -- JUnit ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fail_on, failures, code", [("error", 1, 1), ("warning", 2, 1), ("info", 2, 1)])
def test_junit_fails_only_what_fails_the_run(tmp_path, fail_on, failures, code):
    path = broken(tmp_path)
    result = invoke("validate", "-f", "junit", "--fail-on", fail_on, "--today", "2025-01-01", str(path))
    assert result.exit_code == code
    root = ET.fromstring(result.output.encode("utf-8"))
    assert int(root.get("failures")) == len(root.findall(".//failure")) == failures


def test_junit_of_a_run_that_exits_0_has_no_failure(tmp_path):
    path = broken(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("[b-3, b-1]", "[b-3]"), encoding="utf-8")
    result = invoke("validate", "-f", "junit", "--today", "2025-01-01", str(path))
    assert result.exit_code == exitcodes.OK
    root = ET.fromstring(result.output.encode("utf-8"))
    assert root.get("failures") == "0" and root.findall(".//failure") == []
    assert any("[warning]" in (out.text or "") for out in root.iter("system-out"))


# -- iCalendar --------------------------------------------------------------------------------------

def test_ics_reads_back_with_icalendar_and_is_the_same_on_every_run(tmp_path):
    icalendar = pytest.importorskip("icalendar")
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert invoke("build", str(MINI), "-o", str(out), "-f", "ics", "--start", "2024-01", "--months", "3").exit_code == 0
        runs.append({p.relative_to(out): p.read_bytes() for p in sorted((out / "轮值表").rglob("*.ics"))})
    assert runs[0] == runs[1] and runs[0]
    for data in runs[0].values():
        calendar = icalendar.Calendar.from_ical(data)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 3
        for event in events:
            assert event["SEQUENCE"] == 0
            assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED")
            assert str(event.decoded("DTSTAMP").date()) == "2024-01-01"  # the rotation's start, not the clock
            assert event.decoded("DTSTART") < event.decoded("DTEND")
        assert [str(e["SUMMARY"]).split("：")[1][:3] for e in events] == ["示范置", "示范物", "示范律"]


def test_ics_of_a_month_end_rotation_turns_on_the_roster_day(tmp_path):
    icalendar = pytest.importorskip("icalendar")
    path = tmp_path / "d.yaml"
    text = MINI.read_text(encoding="utf-8")
    path.write_text(text.replace("      start: 2024-01-01", "      on_holiday: keep\n      start: 2024-01-31"), encoding="utf-8")
    out = tmp_path / "out"
    assert invoke("build", str(path), "-o", str(out), "-f", "ics", "--start", "2024-01", "--months", "3").exit_code == 0
    (data,) = [p.read_bytes() for p in (out / "轮值表").rglob("*.ics")]
    starts = [str(e.decoded("DTSTART")) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert starts[:3] == ["2024-01-31", "2024-02-29", "2024-03-31"]
    # by default (shift) the turn due on Sun 31 Mar 2024 is handed over on Mon 1 Apr
    path.write_text(text.replace("start: 2024-01-01", "start: 2024-01-31"), encoding="utf-8")
    assert invoke("build", str(path), "-o", str(out), "-f", "ics", "--start", "2024-01", "--months", "4",
                  "--force").exit_code == 0
    (data,) = [p.read_bytes() for p in (out / "轮值表").rglob("*.ics")]
    starts = [str(e.decoded("DTSTART")) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert starts[:3] == ["2024-01-31", "2024-02-29", "2024-04-01"]


# -- Mermaid, with Mermaid's parser ---------------------------------------------------------------

def mermaid_parser():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: Mermaid's parser cannot run")
    if not (NODE_MODULES / "mermaid").is_dir() or not (NODE_MODULES / "jsdom").is_dir():
        pytest.skip("mermaid and jsdom are not in .ci/node_modules (.ci/run installs them with npm)")

    def parse(texts: list[str]) -> list[str | None]:
        done = subprocess.run([node, str(PARSER)], input=json.dumps(texts), capture_output=True, text=True,
                              timeout=600, check=False)
        if done.returncode != 0:
            pytest.skip(f"Mermaid's parser could not start under node: {done.stderr.strip()[-300:]}")
        return json.loads(done.stdout)

    return parse


def test_every_shipped_view_is_mermaid_that_mermaid_accepts_or_a_clear_error():
    parse = mermaid_parser()
    texts, names = [], []
    session = Session()  # the 44 commands share the schema and packs, made once
    for config in [*SHIPPED, MINI, ROOT / "tests" / "cases" / "positive" / "hostile-names.yaml"]:
        for view in ("org", "grid", "escalation", "all"):
            result = invoke("graph", str(config), "-f", "mermaid", "--view", view, session=session)
            if result.exit_code == exitcodes.UNUSABLE:
                assert "Mermaid draws at most 500" in result.output, result.output
                continue
            assert result.exit_code == exitcodes.OK
            texts.append(result.output)
            names.append((config.name, view))
    assert len(texts) >= 20
    assert [(name, error) for name, error in zip(names, parse(texts)) if error] == []


def test_the_mermaid_edge_limit_is_where_mermaid_puts_it(monkeypatch):
    parse = mermaid_parser()
    from engine.graph import build, export, views
    from engine.gate import District, open_district

    opened = open_district(ROOT / "configs" / "districts" / "lujiazui.yaml", Session())
    assert isinstance(opened, District)
    graph = views.view(build(opened.model), "escalation")
    limit = export.MERMAID_MAX_EDGES
    assert graph.number_of_edges() > limit + 1
    edges = lambda g: list(g.edges(keys=True) if g.is_multigraph() else g.edges())  # noqa: E731
    graph = graph.copy()
    graph.remove_edges_from(edges(graph)[limit + 1:])
    with pytest.raises(export.TooLarge, match="at most 500"):
        export.to_mermaid(graph)
    monkeypatch.setattr(export, "MERMAID_MAX_EDGES", 10 ** 6)
    over = export.to_mermaid(graph)  # what loushi would write without its check
    graph.remove_edges_from(edges(graph)[limit:])
    at_limit = export.to_mermaid(graph)
    first, second = parse([over, at_limit])
    assert first and "limit" in first.lower()
    assert second is None


def test_mermaid_in_built_documents_is_accepted(tmp_path):
    parse = mermaid_parser()
    import re

    texts = []
    for config in (MINI, ROOT / "configs" / "districts" / "qianfoshan.yaml"):
        out = tmp_path / config.stem
        assert invoke("build", str(config), "-o", str(out), "-f", "md", "--start", "2024-01", "--months", "1").exit_code == 0
        for page in sorted(out.rglob("*.md")):
            texts += re.findall(r"```mermaid\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    assert texts
    assert [error for error in parse(texts) if error] == []


# -- Graphviz without a font for the text ---------------------------------------------------------

def fake_tools(folder: Path, fonts: str) -> dict:
    """A ``dot`` that writes an empty picture and an ``fc-list`` that lists ``fonts``, first on PATH."""
    folder.mkdir()
    for name, body in (("dot", "cat >/dev/null; printf '<svg/>'"), ("fc-list", f"printf '{fonts}'")):
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.mark.parametrize("fonts, warned", [("", True), ("Noto Sans CJK SC\\n", False)])
def test_a_warning_when_graphviz_has_no_font_for_the_text(tmp_path, fonts, warned):
    if os.name != "posix":
        pytest.skip("the stand-in programs are shell scripts")
    env = fake_tools(tmp_path / "bin", fonts)
    out = tmp_path / "g.svg"
    result = invoke("graph", str(MINI), "-f", "svg", "-o", str(out), env=env)
    assert result.exit_code == exitcodes.OK and out.read_bytes() == b"<svg/>"
    assert ("fonts-noto-cjk" in result.output) is warned


def test_no_font_warning_for_latin_text_or_without_fontconfig(tmp_path):
    from engine.graph.draw import missing_font

    assert missing_font('digraph { a [label="abc"] }') == ""
    env = fake_tools(tmp_path / "bin", "")
    old = os.environ["PATH"]
    try:
        os.environ["PATH"] = env["PATH"]
        assert missing_font('digraph { a [label="楼宇"] }') == "zh"
        os.environ["PATH"] = str(tmp_path / "nothing")
        assert missing_font('digraph { a [label="楼宇"] }') == ""
    finally:
        os.environ["PATH"] = old


# -- colour -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, env, coloured", [
    ((), {}, False),                               # not a terminal
    (("--color",), {}, True),
    (("--color",), {"NO_COLOR": "1"}, True),       # the flag wins over the environment
    (("--no-color",), {}, False),
])
def test_color_flags_and_no_color(tmp_path, args, env, coloured):
    path = broken(tmp_path)
    result = invoke("validate", *args, str(path), env=env)
    assert ("\x1b[" in result.output) is coloured


def test_no_color_is_honoured_on_a_terminal():
    from engine.cli import color_wanted

    class Terminal:
        def isatty(self):
            return True

    old = os.environ.pop("NO_COLOR", None)
    try:
        assert color_wanted(None, Terminal()) is True
        os.environ["NO_COLOR"] = "1"
        assert color_wanted(None, Terminal()) is False
        assert color_wanted(True, Terminal()) is True
        os.environ["NO_COLOR"] = ""  # empty: as if not set (no-color.org)
        assert color_wanted(None, Terminal()) is True
    finally:
        os.environ.pop("NO_COLOR", None)
        if old is not None:
            os.environ["NO_COLOR"] = old


# -- standard input ------------------------------------------------------------------------------

def test_validate_reads_standard_input_named_by_stdin_filename(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("date: 2023-06-29", "date: 2023-02-30")
    result = invoke("validate", "-", "--stdin-filename", "configs/mini.yaml", input=text.encode("utf-8"))
    assert result.exit_code == exitcodes.FINDINGS
    assert "configs/mini.yaml:12:51: [error]" in result.output
    unnamed = invoke("validate", "-", input=text.encode("utf-8"))
    assert "<stdin>:12:51: [error]" in unnamed.output


def test_standard_input_finds_its_includes_beside_stdin_filename(tmp_path):
    (tmp_path / "part.yaml").write_text("zones:\n  - {id: z-west, name: 西片}\n", encoding="utf-8")
    text = MINI.read_text(encoding="utf-8").replace("zones:\n", "include: [part.yaml]\nzones:\n")
    result = invoke("validate", "-f", "json", "-", "--stdin-filename", str(tmp_path / "d.yaml"), input=text)
    data = json.loads(result.output)
    assert result.exit_code == exitcodes.OK and data["districts"][0]["files"] == [str(tmp_path / "d.yaml"),
                                                                                 str(tmp_path / "part.yaml")]


@pytest.mark.parametrize("command", [("stats",), ("graph",), ("impact", "--person", "p-li"),
                                     ("route", "-b", "b-1", "-m", "mt-canteen", "--at", "2024-05-06 10:00"),
                                     ("build", "-o", "{out}", "-f", "md")])
def test_commands_reading_one_config_take_standard_input(tmp_path, command):
    args = [a.format(out=tmp_path / "out") for a in command]
    text = MINI.read_bytes()
    from_file = invoke(*args[:1], str(MINI), *args[1:])
    from_stdin = invoke(*args[:1], "-", *args[1:], input=text)
    assert from_stdin.exit_code == from_file.exit_code == exitcodes.OK
    if command[0] != "build":
        assert from_stdin.output == from_file.output
    empty = invoke(*args[:1], "-", "--stdin-filename", "x.yaml", *args[1:], input=b"---\n")
    assert empty.exit_code == exitcodes.UNUSABLE and "x.yaml:1:1: [error]" in empty.output


# -- the fragment schema -------------------------------------------------------------------------

def test_the_fragment_schema_is_the_district_lists_and_nothing_else():
    from engine.resources import fragment_schema_path, schema_path
    from engine.load.sources import COLLECTIONS

    district = json.loads(schema_path().read_text(encoding="utf-8"))
    fragment = json.loads(fragment_schema_path().read_text(encoding="utf-8"))
    assert set(fragment["properties"]) == set(COLLECTIONS)
    assert all(fragment["properties"][k] == district["properties"][k] for k in COLLECTIONS)
    assert fragment["$defs"] == district["$defs"] and fragment["additionalProperties"] is False
    assert invoke("schema", "--fragment").output == fragment_schema_path().read_text(encoding="utf-8")
    assert invoke("schema").output == schema_path().read_text(encoding="utf-8")


def test_shipped_fragments_point_at_the_fragment_schema_and_follow_it():
    from engine.load import load_file
    from engine.schema import strict_validator

    fragments = sorted({fragment for main in (ROOT / "configs" / "districts").glob("*/district.yaml")
                        for pattern in load_file(main).data.get("include") or []
                        for fragment in main.parent.glob(pattern)})
    assert fragments
    for path in fragments:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.name == "fragment-v2.schema.json" and target.exists(), path
        validator = strict_validator(json.loads(target.read_text(encoding="utf-8")))
        assert list(validator.iter_errors(load_file(path).data)) == [], path
    main = load_file(ROOT / "configs" / "districts" / "changfeng" / "district.yaml").data
    first = (ROOT / "configs" / "districts" / "changfeng" / "district.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith("district-v2.schema.json")
    assert list(validator.iter_errors(main))  # loushi:, district: ... are not a fragment's
