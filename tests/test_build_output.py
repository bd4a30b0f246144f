"""Output discipline: atomic, minimal, reproducible writes; safe names; nothing of yours lost."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from engine.pipeline import prepare
from engine.render import BuildOptions, build
from engine.render.output import MANIFEST, OutputError, write_tree

MINI = Path(__file__).parent / "data" / "mini.yaml"
OPTIONS = BuildOptions(formats=("md", "html"), start=dt.date(2025, 1, 1))


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def model():
    return prepare(MINI).model


def test_rebuild_changes_nothing_and_rewrites_nothing(model, tmp_path):
    out = tmp_path / "out"
    first = build(model, out, OPTIONS)
    assert first.ok and first.files.written and not first.files.unchanged
    before = snapshot(out)
    second = build(prepare(MINI).model, out, OPTIONS)
    assert second.ok and not second.files.written and not second.files.removed
    assert snapshot(out) == before           # same bytes, same inodes, same mtimes


def test_manifest_lists_every_file(model, tmp_path):
    out = tmp_path / "out"
    build(model, out, OPTIONS)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {MANIFEST}
    assert listed == on_disk


def test_only_changed_files_are_rewritten(model, tmp_path):
    out = tmp_path / "out"
    build(model, out, OPTIONS)
    before = snapshot(out)
    # a later start moves the rosters, the turns in the duty lists and the rotating handlers; its
    # twelve months now reach into 2026, so the 2026 org-life plans are new and the index lists them;
    # the pages filed with each party organisation (its duty list, its 会议记录) link them too
    later = BuildOptions(formats=("md", "html"), start=dt.date(2025, 2, 1))
    result = build(model, out, later)
    assert {Path(p).parent.name for p in result.files.written} == {"轮值表", "个人职责清单", "上报路径", ".loushi",
                                                                    "组织生活计划", "职责清单", "会议记录", ""}
    assert not [p for p in result.files.written if p.startswith(("职责清单/", "会议记录/")) and p.endswith(".md")]
    # the 2025 plans say the same (their HTML pages link to the new 2026 ones, so only those change)
    assert not [p for p in result.files.written if "2025年度" in p and p.endswith(".md")]
    assert [p for p in result.files.written if "2026年度" in p and p.endswith(".md")]
    assert MANIFEST in result.files.written
    after = snapshot(out)
    unchanged = [p for p in after if p not in result.files.written]
    assert unchanged and all(after[p] == before[p] for p in unchanged)


@pytest.mark.parametrize("files, size", [(1, 2**30), (3, 2**30), (10**6, 1)], ids=["one", "three", "by-bytes"])
def test_files_written_in_bursts_are_the_files_written_at_once(model, tmp_path, monkeypatch, files, size):
    at_once = tmp_path / "at-once"
    build(model, at_once, OPTIONS)
    from engine.render import output

    monkeypatch.setattr(output, "BURST_FILES", files)
    monkeypatch.setattr(output, "BURST_BYTES", size)
    out = tmp_path / "out"
    build(model, out, OPTIONS)
    assert {p: v[0] for p, v in snapshot(out).items()} == {p: v[0] for p, v in snapshot(at_once).items()}
    before = snapshot(out)
    result = build(model, out, BuildOptions(formats=("md", "html"), start=dt.date(2025, 2, 1)))
    after = snapshot(out)
    assert result.files.written and result.files.unchanged
    assert all(after[p] == before[p] for p in result.files.unchanged)   # carried over, not rewritten
    assert all(after[p][0] != before[p][0] for p in result.files.written if p in before)


def test_failed_build_leaves_previous_output(model, tmp_path):
    out = tmp_path / "out"
    build(model, out, OPTIONS)
    before = snapshot(out)
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "duties.md").write_text("{{ body.nothing }}\n", encoding="utf-8")
    result = build(model, out, BuildOptions(formats=("md",), templates=broken, start=dt.date(2025, 3, 1)))
    assert not result.ok and "duties.md:1" in result.error
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "templates"]   # no staging left behind


def test_interrupted_write_leaves_previous_output(model, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(model, out, OPTIONS)
    before = snapshot(out)
    from engine.render import output

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "_replace", crash)
    with pytest.raises(KeyboardInterrupt):
        build(model, out, BuildOptions(formats=("md",), start=dt.date(2025, 3, 1)))
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_files_you_added_are_kept(model, tmp_path):
    out = tmp_path / "out"
    build(model, out, OPTIONS)
    (out / "批注.txt").write_text("mine", encoding="utf-8")
    result = build(model, out, BuildOptions(formats=("md",), start=dt.date(2025, 1, 1)))
    assert result.files.kept == ["批注.txt"] and result.files.removed
    assert (out / "批注.txt").read_text(encoding="utf-8") == "mine"
    assert not list(out.rglob("*.html"))


def test_refuses_a_folder_it_did_not_write(model, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    result = build(model, out, OPTIONS)
    assert not result.ok and "not empty" in result.error
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_never_replaces_a_file_of_yours(tmp_path):
    out = tmp_path / "out"
    write_tree({"a.md": b"1"}, out)
    (out / "b.md").write_bytes(b"mine")
    with pytest.raises(OutputError, match="not written by loushi"):
        write_tree({"a.md": b"1", "b.md": b"2"}, out)
    assert (out / "b.md").read_bytes() == b"mine"


def test_output_path_that_is_a_file(model, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = build(model, target, OPTIONS)
    assert not result.ok and "not a folder" in result.error


def test_hostile_names_stay_inside_the_output(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("name: 示范大厦楼委会", "name: ../../逃逸/CON")
    text = text.replace("name: 赵一（示例）", 'name: "NUL"').replace("name: 钱二（示例）", 'name: "nul"')
    text = text.replace("name: 楼宇就餐", 'name: "a\\\\b/c:d*e?f|g<h>i"')
    config = tmp_path / "mini.yaml"
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = build(prepare(config).model, out, OPTIONS)
    assert result.ok, result.error
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(out in p.parents or p == config for p in written)
    names = {p.name for p in out.rglob("*")}
    assert "_.._逃逸_CON章程.md" in names
    stems = [p.name.split(".")[0].upper() for p in out.rglob("*")]
    assert not {"CON", "NUL", "AUX"} & set(stems)
    persons = sorted(p.name for p in (out / "个人职责清单").glob("*.md") if p.name.upper().startswith("NUL"))
    assert persons == ["NUL职责清单.md", "nul职责清单-2.md"]    # unique even on a case-insensitive disk


def test_markup_in_names_is_printed_as_written(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("name: 楼宇就餐", 'name: "就餐 | *午餐* <b>#1</b>"')
    config = tmp_path / "mini.yaml"
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert build(prepare(config).model, out, OPTIONS).ok
    [page] = [p for p in (out / "上报路径").glob("*.html") if "午餐" in p.name]
    html = page.read_text(encoding="utf-8")
    assert "<h1>就餐 | *午餐* &lt;b&gt;#1&lt;/b&gt;分流上报路径</h1>" in html
    assert "<b>" not in html


def test_a_write_that_fails_midway_stops_the_build_and_keeps_the_previous_output(model, tmp_path, monkeypatch):
    import errno
    import threading

    from engine.render import output

    out = tmp_path / "out"
    build(model, out, OPTIONS)
    before = snapshot(out)
    threads = threading.active_count()
    monkeypatch.setattr(output, "BURST_FILES", 2)   # many bursts: the failure comes in the middle of the build
    written = []

    def put(self, path, data):
        if len(written) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        return real(self, path, data)

    real = output.Tree._put
    monkeypatch.setattr(output.Tree, "_put", put)
    result = build(model, out, BuildOptions(formats=("md", "html"), start=dt.date(2025, 3, 1)))
    assert not result.ok and "No space left on device" in result.error and str(out) in result.error
    assert len(written) == 5                         # nothing written after the failure
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]   # no staging left behind
    assert threading.active_count() == threads       # nothing left running


def test_a_render_error_after_written_bursts_leaves_nothing_behind(model, tmp_path, monkeypatch):
    import time

    from engine.render import output

    out = tmp_path / "out"
    monkeypatch.setattr(output, "BURST_FILES", 1)
    real = output.Tree._put

    def slow(self, path, data):
        time.sleep(0.01)                             # slow writes: several bursts before rendering fails
        return real(self, path, data)

    monkeypatch.setattr(output.Tree, "_put", slow)
    broken = tmp_path / "templates"
    broken.mkdir()
    (broken / "roster.md").write_text("{{ roster.nothing }}\n", encoding="utf-8")
    result = build(model, out, BuildOptions(formats=("md",), templates=broken, start=dt.date(2025, 3, 1)))
    assert not result.ok and "roster.md:1" in result.error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["templates"]   # nothing made, nothing left
