"""No write is lost or torn: files a person owns are rewritten under a lock, checked to be
still what was read, flushed and replaced atomically; outputs never sit half-written under
their final name. Imports run at the same time all land, or say they did not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes, writing
from engine.cli import cli
from engine.ledger.apply import ImportOptions, import_ledgers
from ledger_build import one_building

CONFIG = one_building("concurrent", "并发街道", "# 并发街道: written by hand; imports add units to it.\n")
CHANGED = "配置在导入期间被修改，请重新运行"


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "district.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _ledger(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text(f"单位名称,所在楼宇\n{name},甲楼\n", encoding="utf-8")
    return path


def _litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


# -- the mechanism ------------------------------------------------------------------------

def test_rewrite_replaces_the_file_keeps_its_mode_and_leaves_nothing_beside_it(tmp_path):
    path = tmp_path / "owned.yaml"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    assert writing.rewrite(path, lambda old: old + b"new\n") is True
    assert path.read_bytes() == b"old\nnew\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert writing.rewrite(path, lambda old: old) is False  # the same bytes: not written
    assert _litter(tmp_path) == []


def test_a_file_changed_while_held_is_not_overwritten(tmp_path):
    path = tmp_path / "owned.yaml"
    path.write_bytes(b"mine\n")

    def edit(old):
        path.write_bytes(b"an editor saved this\n")  # what an editor does, without the lock
        return old + b"loushi's change\n"

    with pytest.raises(writing.ChangedMeanwhile):
        writing.rewrite(path, edit)
    assert path.read_bytes() == b"an editor saved this\n"
    assert _litter(tmp_path) == []


def test_a_file_made_while_held_is_not_overwritten(tmp_path):
    path = tmp_path / "new.yaml"

    def edit(old):
        assert old is None
        path.write_bytes(b"made by someone else\n")
        return b"loushi's\n"

    with pytest.raises(writing.ChangedMeanwhile):
        writing.rewrite(path, edit)
    assert path.read_bytes() == b"made by someone else\n"


def test_a_second_writer_waits_then_gives_up(tmp_path):
    path = tmp_path / "owned.yaml"
    path.write_bytes(b"x\n")
    waited = []
    with writing.hold(path):
        with pytest.raises(writing.Busy):
            writing.rewrite(path, lambda old: b"y\n", wait=0.2, on_wait=lambda: waited.append(True))
    assert waited == [True] and path.read_bytes() == b"x\n"


def test_no_lock_is_made_where_there_is_no_folder(tmp_path):
    with pytest.raises(writing.CannotLock):
        writing.rewrite(tmp_path / "no" / "such.yaml", lambda old: b"x\n")
    assert not (tmp_path / "no").exists()


def test_a_write_interrupted_before_the_replace_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "owned.yaml"
    path.write_bytes(b"old\n")

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(writing.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writing.rewrite(path, lambda old: b"new\n")
    assert path.read_bytes() == b"old\n"
    assert _litter(tmp_path) == []


def test_an_output_whose_writing_fails_leaves_the_old_output(tmp_path):
    out = tmp_path / "routes.csv"
    out.write_text("old routes\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with writing.output_file(out, "w", encoding="utf-8") as handle:
            handle.write("half of the new routes\n")
            raise RuntimeError("stopped half way")
    assert out.read_text(encoding="utf-8") == "old routes\n"
    with writing.output_file(out, "w", encoding="utf-8") as handle:
        handle.write("new routes\n")
    assert out.read_text(encoding="utf-8") == "new routes\n"
    assert _litter(tmp_path) == []


def test_a_link_is_followed_and_a_pipe_is_written_into_never_replaced(tmp_path):
    import threading

    real = tmp_path / "real.yaml"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert writing.rewrite(link, lambda old: old + b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"old\nnew\n"
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    writing.write_output(pipe, b"routes\n")
    reader.join(timeout=30)
    assert received == [b"routes\n"] and writing.special(pipe)
    assert _litter(tmp_path) == []


# -- import -------------------------------------------------------------------------------

def test_imports_at_the_same_time_all_land_or_say_they_did_not(tmp_path):
    """Six imports of six ledgers into one config, as separate processes started together:
    every one that says "written" has its unit in the file, every other one says why not."""
    config = _config(tmp_path)
    names = [f"并发单位{i}" for i in range(6)]
    env = dict(os.environ, LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    env.pop("LOUSHI_LANG", None)  # the locale says Chinese (tests/conftest.py sets English)
    runs = [subprocess.Popen([sys.executable, "-c", "from engine.cli import run; run()", "import",
                              str(_ledger(tmp_path, name)), "--into", str(config), "--force"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
            for name in names]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    text = config.read_text(encoding="utf-8")
    written = 0
    for name, (code, err) in zip(names, results):
        if code == exitcodes.OK and ("written" in err or "已写入" in err):
            assert name in text, f"{name} reported written but is not in the file:\n{err}"
            written += 1
        else:
            assert code == exitcodes.FINDINGS and (CHANGED in err or "另一个 loushi 进程正在写入" in err), err
    assert written >= 1, results
    assert text.startswith(CONFIG.rstrip("\n"))  # what was there is kept
    assert _litter(tmp_path) == []


def test_an_import_whose_config_changes_meanwhile_writes_nothing_and_says_so(tmp_path, monkeypatch):
    import engine.ledger.apply as apply

    config = _config(tmp_path)
    ledger = _ledger(tmp_path, "新单位")
    validate = apply._new_errors

    def edited_meanwhile(target, temp, *rest):
        with open(config, "a", encoding="utf-8") as handle:  # an editor saves while loushi validates
            handle.write("# 编辑器里加的一行\n")
        return validate(target, temp, *rest)

    monkeypatch.setattr(apply, "_new_errors", edited_meanwhile)
    result = CliRunner().invoke(cli, ["--lang", "zh", "import", str(ledger), "--into", str(config), "--force"])
    assert result.exit_code == exitcodes.FINDINGS, result.output
    assert CHANGED in result.output and "written" not in result.output
    text = config.read_text(encoding="utf-8")
    assert text.endswith("# 编辑器里加的一行\n") and "新单位" not in text
    monkeypatch.undo()
    english = import_ledgers([ledger], config, ImportOptions(force=True, lang="en"))
    assert english.status == "written"  # with nobody editing, the same import goes through


def test_an_import_waits_for_another_writer_and_gives_up_in_time(tmp_path):
    config = _config(tmp_path)
    with writing.hold(config):
        outcome = import_ledgers([_ledger(tmp_path, "新单位")], config,
                                 ImportOptions(force=True, lang="zh", lock_wait=0.2))
    assert outcome.status == "failed"
    assert [p.rule for p in outcome.errors] == ["import-busy"]
    assert "另一个 loushi 进程正在写入" in outcome.errors[0].message
    assert config.read_text(encoding="utf-8") == CONFIG


def test_an_import_killed_before_the_replace_leaves_the_config_intact(tmp_path):
    config = _config(tmp_path)
    ledger = _ledger(tmp_path, "新单位")
    script = textwrap.dedent(f"""
        import os, signal
        from engine import writing
        from engine.ledger.apply import ImportOptions, import_ledgers
        writing.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        import_ledgers([{str(ledger)!r}], {str(config)!r}, ImportOptions(force=True))
    """)
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert config.read_text(encoding="utf-8") == CONFIG
    # the next run is not blocked by the killed one's lock (the system freed it)
    assert import_ledgers([ledger], config, ImportOptions(force=True)).status == "written"
    assert "新单位" in config.read_text(encoding="utf-8")


# -- the other writers --------------------------------------------------------------------

def test_init_over_an_existing_file_is_refused_then_replaced_atomically(tmp_path):
    target = tmp_path / "district.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["init", "-m", "louwuhui", "-o", str(target)])
    assert refused.exit_code == exitcodes.UNUSABLE and target.read_text(encoding="utf-8") == "# mine\n"
    forced = CliRunner().invoke(cli, ["init", "-m", "louwuhui", "-o", str(target), "--force"])
    assert forced.exit_code == exitcodes.OK, forced.output
    assert "loushi:" in target.read_text(encoding="utf-8")
    assert _litter(tmp_path) == []


def test_a_baseline_changed_while_written_is_refused(tmp_path, monkeypatch):
    config = _config(tmp_path)
    path = tmp_path / "baseline.json"
    result = CliRunner().invoke(cli, ["validate", str(config), "--write-baseline", str(path)])
    assert result.exit_code == exitcodes.OK, result.output
    written = path.read_text(encoding="utf-8")
    assert '"loushi-baseline": 1' in written and _litter(tmp_path) == []
    replace = writing.Held.replace

    def changed_meanwhile(held, data):
        path.write_text("edited by hand\n", encoding="utf-8")  # between loushi's read and its replace
        return replace(held, data)

    monkeypatch.setattr(writing.Held, "replace", changed_meanwhile)
    path.write_text('{"loushi-baseline": 1, "findings": []}\n', encoding="utf-8")  # to be replaced
    refused = CliRunner().invoke(cli, ["--lang", "en", "validate", str(config), "--write-baseline", str(path)])
    assert refused.exit_code == exitcodes.UNUSABLE and "the baseline changed while loushi ran" in refused.output
    assert path.read_text(encoding="utf-8") == "edited by hand\n"
