"""The session owns what a run reads once and uses many times (docs/architecture.md): the
project's settings, the expression environment, the templates. Each is made on first use,
kept for the session, and never shared with another session."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.pipeline import validate_one
from engine.project import ProjectError
from engine.render import environment as templates
from engine.rules import expr, packs
from engine.rules import govmodels
from engine.session import Options, Session


def _project(folder, rows: int):
    (folder / "loushi.toml").write_text(f"[limits]\nrows = {rows}\n", encoding="utf-8")


def test_project_settings_are_read_once_per_session_from_the_nearest_loushi_toml(tmp_path):
    _project(tmp_path, 7)
    nested = tmp_path / "districts" / "east"
    nested.mkdir(parents=True)
    config = nested / "district.yaml"
    config.write_text("loushi: 1\n", encoding="utf-8")
    session = Session()
    first = session.project(config)
    assert first.file == tmp_path / "loushi.toml" and first.limits.rows == 7
    _project(tmp_path, 9)  # changed during the run: the run keeps what it read
    assert session.project(config) is first
    assert session.project(nested) is first  # the config's folder is the same project
    assert Session().project(config).limits.rows == 9  # a new run reads it again


def test_a_project_file_that_cannot_be_used_is_an_error_on_every_ask(tmp_path):
    (tmp_path / "loushi.toml").write_text("[limits]\nrowz = 1\n", encoding="utf-8")
    session = Session()
    for _ in range(2):
        with pytest.raises(ProjectError) as caught:
            session.project(tmp_path)
        assert (caught.value.line, caught.value.key) == (2, "unknown-limit")


def test_the_expression_environment_is_the_sessions():
    one, other = Session(), Session()
    assert expr.expressions(one) is expr.expressions(one)
    assert expr.expressions(one) is not expr.expressions(other)
    assert expr.expressions(None) is not expr.expressions(None)  # no session: nothing kept
    # the rule catalog compiles its rules in the session's environment
    catalog = packs.catalog((), one)
    assert catalog.rules and all(rule.expressions is expr.expressions(one) for rule in catalog.rules.values())


def test_the_templates_are_the_sessions_and_compiled_once(tmp_path):
    session = Session()
    env = templates.kept(session, None)
    assert templates.kept(session, None) is env
    assert templates.kept(Session(), None) is not env
    (tmp_path / "charter.md").write_text("x\n", encoding="utf-8")
    assert templates.kept(session, tmp_path) is not env  # another template folder, another environment
    assert templates.kept(session, str(tmp_path)) is templates.kept(session, tmp_path)
    template = env.get_template("charter.md")
    assert env.get_template("charter.md") is template


def test_one_session_serves_many_districts_as_a_new_one_serves_each(tmp_path):
    """A run validates many districts in one session (the fuzz tests, ``validate`` of a folder,
    the language server): each must get what a new session gives it, whatever came before, a
    project with its own governance models (水果湖, 金融街) or a district the schema rejects."""
    root = Path(__file__).resolve().parents[1]
    broken = tmp_path / "broken.yaml"
    broken.write_text((root / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
                      .replace("buildings: [b-1, b-2]", "buildings: [b-1, b-9]"), encoding="utf-8")
    districts = [root / "configs" / "districts" / "shuiguohu" / "district.yaml", root / "tests" / "data" / "mini.yaml",
                 broken, root / "configs" / "districts" / "jinrongjie" / "district.yaml",
                 root / "configs" / "districts" / "changfeng" / "district.yaml", root / "tests" / "data" / "mini.yaml"]
    shared = Session()
    for path in districts:
        alone = validate_one(path, Session())
        assert validate_one(path, shared) == alone, path
    assert any(f.level == "error" and "b-9" in f.message for f in validate_one(broken, shared).findings)


def test_commands_share_the_session_their_caller_passes(tmp_path):
    """``cli.main(args, obj=session)``: a caller running several commands in one process (an
    editor, a test) gives them its session, and they use what it has read."""
    config = tmp_path / "d.yaml"
    config.write_text((Path(__file__).resolve().parents[1] / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    _project(tmp_path, 7)
    session = Session()
    assert session.project(config).limits.rows == 7
    (tmp_path / "loushi.toml").write_text("[limits]\nrowz = 1\n", encoding="utf-8")  # after the session read it
    runner = CliRunner()
    alone = runner.invoke(cli, ["validate", str(config)])
    assert alone.exit_code == exitcodes.UNUSABLE and "rowz" in alone.output  # a new run reads the file again
    shared = runner.invoke(cli, ["validate", str(config)], obj=session)
    assert shared.exit_code == exitcodes.OK, shared.output


def test_a_shared_session_speaks_each_commands_language():
    """What a session made for a Chinese run is not what an English run then says: each command
    in the caller's session speaks its own --lang, as a new run does."""
    district = str(Path(__file__).resolve().parents[1] / "configs" / "districts" / "shuiguohu")
    session, runner = Session(), CliRunner()
    chinese = runner.invoke(cli, ["--lang", "zh", "validate", district], obj=session).output
    english = runner.invoke(cli, ["--lang", "en", "validate", district], obj=session).output
    assert english == runner.invoke(cli, ["--lang", "en", "validate", district]).output
    assert chinese == runner.invoke(cli, ["--lang", "zh", "validate", district]).output != english


def test_a_models_kind_clash_is_said_in_each_runs_language(tmp_path):
    """The kinds a project's models add are kept per language: a model that declares a shipped
    kind differently is named in Chinese to a Chinese run, then in English to an English run
    over the same session."""
    models = tmp_path / "models"
    models.mkdir()
    (models / "clash.yaml").write_text(
        "id: clash\nname: 冲突\nsummary: 测试\nsource: 测试\n"
        "body_kinds:\n  - {id: building_committee, label: 别的楼委会}\n"
        "roles:\n  - {id: building_head, name: 楼长}\nposts:\n  - {role: building_head, exact: 1, from: [any]}\n",
        encoding="utf-8")
    chinese = Session(Options(lang="zh"))
    english = chinese.with_options(Options(lang="en"))
    said = {}
    for lang, session in (("zh", chinese), ("en", english)):
        _, findings = govmodels.catalog(str(models), session)
        clashes = [f.message for f in findings if "building_committee" in f.message]
        assert clashes, (lang, [f.message for f in findings])
        said[lang] = clashes
    fresh = [f.message for f in govmodels.catalog(str(models), Session(Options(lang="en")))[1]
             if "building_committee" in f.message]
    assert said["en"] == fresh != said["zh"]
