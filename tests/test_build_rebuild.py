"""A rebuild renders only what changed, and never overwrites a file edited by hand or not
written by loushi unless told to (``--force``); the manifest that makes both possible."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.pipeline import prepare
from engine.render import BuildOptions, build
from engine.render.output import LEGACY_MANIFEST, MANIFEST, Conflict, Tree

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "data" / "mini.yaml"
START = dt.date(2025, 1, 1)
OPTIONS = BuildOptions(formats=("md", "html", "ics"), start=START)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file: its bytes, inode and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def rendered(monkeypatch):
    """The documents rendered (by title) and the calendars made, as the build asks the writers."""
    import engine.render.writers as render
    from engine.render.writers import ics

    made = {"documents": [], "calendars": []}
    real_render, real_calendar = render.render, ics.calendar

    def spy_render(env, name, context):
        made["documents"].append(context["title"])
        return real_render(env, name, context)

    def spy_calendar(district, roster, *more):
        made["calendars"].append(roster.title)
        return real_calendar(district, roster, *more)

    monkeypatch.setattr(render, "render", spy_render)
    monkeypatch.setattr(ics, "calendar", spy_calendar)
    return made


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def city_text() -> str:
    """A 12-building city from the benchmark's generator."""
    return _generator().district(range(12), 12, 0)


def _config(tmp_path: Path, text: str, name: str = "city.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- renders only what changed ---------------------------------------------------------------

def test_an_unchanged_rebuild_renders_and_writes_nothing(tmp_path, rendered):
    out = tmp_path / "out"
    first = build(prepare(MINI).model, out, OPTIONS)
    assert first.ok and rendered["documents"] and rendered["calendars"]
    before = snapshot(out)
    rendered["documents"].clear(), rendered["calendars"].clear()
    again = build(prepare(MINI).model, out, OPTIONS)
    assert again.ok and again.documents == first.documents
    assert rendered == {"documents": [], "calendars": []}
    assert again.files.written == [] and again.files.removed == []
    assert snapshot(out) == before                  # same bytes, same inodes, same mtimes


def test_a_config_edit_that_changes_no_document_renders_none(tmp_path, rendered):
    config = _config(tmp_path, MINI.read_text(encoding="utf-8"), "mini.yaml")
    out = tmp_path / "out"
    assert build(prepare(config).model, out, OPTIONS).ok
    before = snapshot(out)
    rendered["documents"].clear(), rendered["calendars"].clear()
    with config.open("a", encoding="utf-8") as handle:
        handle.write("# 一条注释：文件变了，文件生成的内容没有变\n")   # the whole build's key changes
    again = build(prepare(config).model, out, OPTIONS)
    assert again.ok and rendered == {"documents": [], "calendars": []}
    assert again.files.written == [MANIFEST]        # the manifest records the new config's key
    after = snapshot(out)
    assert {p: v for p, v in after.items() if p != MANIFEST} == {p: v for p, v in before.items() if p != MANIFEST}


def test_a_one_building_edit_renders_only_what_shows_that_building(tmp_path, city_text, rendered):
    config = _config(tmp_path, city_text)
    out = tmp_path / "out"
    options = BuildOptions(formats=("md", "html"), start=START)
    assert build(prepare(config).model, out, options).ok
    before = snapshot(out)
    total = len(rendered["documents"])
    rendered["documents"].clear()
    edited, count = re.subn(r"(- \{id: b-00002, name: [^,]+),", r"\1（东塔）,", city_text)
    assert count == 1
    config.write_text(edited, encoding="utf-8")
    result = build(prepare(config).model, out, options)
    assert result.ok
    again = list(rendered["documents"])
    # the files whose bytes a build from scratch changes: exactly those rendered and written again
    scratch = tmp_path / "scratch"
    assert build(prepare(config).model, scratch, options).ok
    fresh = snapshot(scratch)
    changed = {p for p in fresh if p != MANIFEST and fresh[p][0] != before[p][0]}
    assert changed and set(result.files.written) == changed | {MANIFEST}
    assert {Path(p).stem for p in changed} == set(again)
    assert all("（东塔）" in fresh[p][0].decode() for p in changed)
    assert len(again) < total / 5
    after = snapshot(out)
    assert all(after[p] == before[p] for p in before if p not in changed and p != MANIFEST)   # not touched


def test_changed_templates_render_everything_again(tmp_path, rendered):
    templates = tmp_path / "templates"
    templates.mkdir()
    out = tmp_path / "out"
    options = BuildOptions(formats=("md",), start=START, templates=templates)
    assert build(prepare(MINI).model, out, options).ok
    total = len(rendered["documents"])
    rendered["documents"].clear()
    (templates / "duties.md").write_text('{% extends "shipped/duties.md" %}{% block summary %}改{% endblock %}\n',
                                         encoding="utf-8")
    result = build(prepare(MINI).model, out, options)
    assert result.ok and len(rendered["documents"]) == total
    assert result.files.written and all("职责清单" in p or p == MANIFEST for p in result.files.written)


# -- files edited by hand, or not written by loushi ------------------------------------------

def test_a_hand_edited_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "out"
    assert build(prepare(MINI).model, out, OPTIONS).ok
    [roster] = sorted((out / "轮值表").glob("*.md"))[:1]
    roster.write_text(roster.read_text(encoding="utf-8") + "\n手工补充的说明\n", encoding="utf-8")
    before = snapshot(out)
    later = BuildOptions(formats=("md", "html", "ics"), start=dt.date(2025, 6, 1))   # the roster changes
    stopped = build(prepare(MINI).model, out, later)
    name = roster.relative_to(out).as_posix()
    assert not stopped.ok and stopped.conflicts == [(name, "edited")] and name in stopped.error
    assert snapshot(out) == before                  # nothing changed, not even the other files
    forced = build(prepare(MINI).model, out, BuildOptions(later.formats, start=later.start, force=True))
    assert forced.ok and forced.files.forced == [(name, "edited")] and name in forced.files.written
    assert "手工补充的说明" not in roster.read_text(encoding="utf-8")
    assert build(prepare(MINI).model, out, later).ok  # written by loushi again: no conflict


def test_a_hand_edited_file_stops_even_an_unchanged_rebuild(tmp_path, rendered):
    out = tmp_path / "out"
    assert build(prepare(MINI).model, out, OPTIONS).ok
    index = out / "index.md"
    index.write_bytes(index.read_bytes().replace("目录".encode(), "目錄".encode()))
    before = snapshot(out)
    rendered["documents"].clear()
    stopped = build(prepare(MINI).model, out, OPTIONS)
    assert stopped.conflicts == [("index.md", "edited")] and snapshot(out) == before
    assert len(rendered["documents"]) == 1           # only the edited file's document was made again


def test_a_file_loushi_did_not_write_is_refused_under_a_name_it_wants(tmp_path):
    out = tmp_path / "out"
    md = BuildOptions(formats=("md",), start=START)
    assert build(prepare(MINI).model, out, md).ok
    (out / "index.html").write_text("<p>我的首页</p>", encoding="utf-8")
    before = snapshot(out)
    both = BuildOptions(formats=("md", "html"), start=START)
    stopped = build(prepare(MINI).model, out, both)
    assert stopped.conflicts == [("index.html", "unknown")] and snapshot(out) == before
    forced = build(prepare(MINI).model, out, BuildOptions(both.formats, start=START, force=True))
    assert forced.ok and forced.files.forced == [("index.html", "unknown")]
    assert "我的首页" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_hand_edited_file_is_not_removed_without_force(tmp_path):
    out = tmp_path / "out"
    assert build(prepare(MINI).model, out, BuildOptions(formats=("md", "html"), start=START)).ok
    (out / "index.html").write_text("<p>改过</p>", encoding="utf-8")
    md = BuildOptions(formats=("md",), start=START)   # html is no longer made: its files would go
    before = snapshot(out)
    stopped = build(prepare(MINI).model, out, md)
    assert stopped.conflicts == [("index.html", "edited")] and snapshot(out) == before
    forced = build(prepare(MINI).model, out, BuildOptions(md.formats, start=START, force=True))
    assert forced.ok and "index.html" in forced.files.removed and not (out / "index.html").exists()


# -- the manifest ----------------------------------------------------------------------------

def test_the_manifest_lists_each_file_with_its_digest_and_key(tmp_path):
    out = tmp_path / "out"
    result = build(prepare(MINI).model, out, OPTIONS)
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert data["generator"] == "loushi" and data["manifest"] == 2 and data["documents"] == result.documents
    assert isinstance(data["build"], str) and len(data["build"]) == 32
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {MANIFEST}
    assert {entry["path"] for entry in data["files"]} == on_disk
    assert all(len(entry["key"]) == 32 for entry in data["files"])
    import hashlib

    assert all(hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
               for entry in data["files"])


@pytest.mark.parametrize("text, problem", [
    (b"{not json", "unreadable"),
    (b'{"generator": "loushi", "manifest": 2, "build": null, "documents": 0, "files": [{"path": 1}]}', "unreadable"),
    (b'{"generator": "loushi", "manifest": 2, "build": null, "documents": 0, "files": '
     b'[{"path": "../escape.md", "sha256": "00", "size": 1}]}', "unreadable"),
    (b'{"generator": "loushi", "manifest": 2, "files": {"index.md": 1}}', "unreadable"),
    (b"\xff\xfe\x00", "unreadable"),
    (b'{"generator": "another tool", "files": []}', "foreign"),
    (b'{"generator": "loushi", "manifest": 99, "files": []}', "foreign"),
    (b"[]", "foreign"),
], ids=["broken", "bad-entry", "escaping-path", "files-not-a-list", "binary", "other-tool", "newer", "a-list"])
def test_a_corrupt_or_foreign_manifest_rebuilds_everything(tmp_path, rendered, text, problem):
    out = tmp_path / "out"
    assert build(prepare(MINI).model, out, OPTIONS).ok
    total = len(rendered["documents"])
    (out / MANIFEST).write_bytes(text)
    rendered["documents"].clear()
    result = build(prepare(MINI).model, out, OPTIONS)
    assert result.ok, result.error
    assert result.files.manifest_problem == problem and len(rendered["documents"]) == total
    assert result.files.written == [MANIFEST]       # the same bytes: nothing else rewritten
    assert json.loads((out / MANIFEST).read_bytes())["manifest"] == 2
    rendered["documents"].clear()
    assert build(prepare(MINI).model, out, OPTIONS).ok and rendered["documents"] == []


def test_with_a_corrupt_manifest_a_changed_file_counts_as_not_loushis(tmp_path):
    out = tmp_path / "out"
    assert build(prepare(MINI).model, out, OPTIONS).ok
    (out / MANIFEST).write_text("{", encoding="utf-8")
    (out / "index.md").write_text("谁写的？", encoding="utf-8")
    before = snapshot(out)
    stopped = build(prepare(MINI).model, out, OPTIONS)
    assert stopped.conflicts == [("index.md", "unknown")] and snapshot(out) == before


def test_the_manifest_of_loushi_0_1_is_read_then_replaced(tmp_path):
    out = tmp_path / "out"
    assert build(prepare(MINI).model, out, OPTIONS).ok
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    legacy = {"generator": "loushi", "files": [{k: e[k] for k in ("path", "sha256", "size")} for e in data["files"]]}
    (out / LEGACY_MANIFEST).write_text(json.dumps(legacy, ensure_ascii=False), encoding="utf-8")
    (out / MANIFEST).unlink()
    (out / MANIFEST).parent.rmdir()
    (out / "index.md").write_text("改过", encoding="utf-8")
    assert build(prepare(MINI).model, out, OPTIONS).conflicts == [("index.md", "edited")]   # it still knows
    result = build(prepare(MINI).model, out, BuildOptions(OPTIONS.formats, start=START, force=True))
    assert result.ok and LEGACY_MANIFEST in result.files.removed and not (out / LEGACY_MANIFEST).exists()
    assert (out / MANIFEST).exists()


def test_a_folder_without_a_manifest_is_used_only_with_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("mine", encoding="utf-8")
    (out / "notes.txt").write_text("mine too", encoding="utf-8")
    assert "not empty" in build(prepare(MINI).model, out, OPTIONS).error
    result = build(prepare(MINI).model, out, BuildOptions(OPTIONS.formats, start=START, force=True))
    assert result.ok and result.files.forced == [("index.md", "unknown")] and result.files.kept == ["notes.txt"]


# -- the tree on its own ---------------------------------------------------------------------

def test_tree_fresh_and_put(tmp_path):
    out = tmp_path / "out"
    with Tree(out) as tree:
        tree.put("a.md", b"A", "ka")
        tree.put("b.md", b"B", None)
    with Tree(out) as tree:
        assert tree.fresh("a.md", "ka") and not tree.fresh("b.md", None)
        tree.put("b.md", b"B")
    assert tree.result.unchanged == [MANIFEST, "a.md", "b.md"] and tree.result.written == []
    with Tree(out) as tree:
        assert not tree.fresh("a.md", "other key")
        tree.put("a.md", b"A2", "other key")
    assert tree.result.written == [MANIFEST, "a.md"]
    (out / "a.md").write_bytes(b"A3")                 # by hand
    with pytest.raises(Conflict) as stopped:
        with Tree(out) as tree:
            assert not tree.fresh("a.md", "other key")  # not what loushi wrote
            tree.put("a.md", b"A2", "other key")
    assert stopped.value.files == [("a.md", "edited")] and (out / "a.md").read_bytes() == b"A3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]   # no staging left behind


def test_tree_fresh_keeps_names_unique_ignoring_case(tmp_path):
    from engine.render.output import OutputError

    out = tmp_path / "out"
    with Tree(out) as tree:
        tree.put("A.md", b"1", "k")
    with pytest.raises(OutputError, match="both named"):
        with Tree(out) as tree:
            assert tree.fresh("A.md", "k")
            tree.put("a.md", b"2", "k")


def test_tree_carry_needs_every_file_intact(tmp_path):
    out = tmp_path / "out"
    with Tree(out) as tree:
        tree.put("a.md", b"A", "k")
        tree.build, tree.documents = "whole", 1
    with Tree(out) as tree:
        assert not tree.carry("another") and tree.carry("whole") and tree.documents == 1
    assert tree.result.written == [] and tree.result.unchanged == [MANIFEST, "a.md"]
    (out / "a.md").unlink()
    with Tree(out) as tree:
        assert not tree.carry("whole")
        tree.put("a.md", b"A", "k")
    assert tree.result.written == [MANIFEST, "a.md"] and (out / "a.md").read_bytes() == b"A"


# -- the command -----------------------------------------------------------------------------

def test_cli_lists_the_files_in_chinese_and_stops_then_force_overwrites(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner(env={"LOUSHI_LANG": None, "LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": None, "LANG": None})
    args = ["build", str(MINI), "-o", str(out), "-f", "md", "--start", "2025-01", "-q"]
    assert runner.invoke(cli, args).exit_code == exitcodes.OK
    (out / "index.md").write_text("改过", encoding="utf-8")
    stopped = runner.invoke(cli, args)
    assert stopped.exit_code == exitcodes.UNUSABLE
    assert "index.md（已被手工修改）" in stopped.output and "--force" in stopped.output
    assert (out / "index.md").read_text(encoding="utf-8") == "改过"
    english = runner.invoke(cli, ["--lang", "en", *args])
    assert "index.md (edited by hand)" in english.output and english.exit_code == exitcodes.UNUSABLE
    forced = runner.invoke(cli, [*args, "--force"])
    assert forced.exit_code == exitcodes.OK and "--force" in forced.output
    assert (out / "index.md").read_text(encoding="utf-8") != "改过"
