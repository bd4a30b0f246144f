"""A consultant's project folder (issue #18, item 1): loushi.toml found by walking up, its
folders of models, packs and templates used by every command, ``loushi init --folder``,
``loushi models``, and the errors of bad input (file, line and column, in Chinese and English).

Every command over a project folder runs here in this process (CliRunner, the current folder
changed to the project); tests/test_project_install.py runs the same checks from an install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import project_scenario as scenario
from engine import discovery, project
from engine.cli import cli
from engine.resources import models_dir, templates_dir
from engine.rules import govmodels
from engine.session import Options, Session

SHIPPED_MODEL = (models_dir() / "yizhang-liuyuan.yaml").read_text(encoding="utf-8")


def run_here(monkeypatch):
    def run(*args, cwd: Path) -> scenario.Result:
        monkeypatch.chdir(cwd)
        result = CliRunner().invoke(cli, ["--lang", "en", *args])
        assert "Traceback" not in result.output, result.output
        return scenario.Result(result.exit_code, result.stdout, result.stderr)
    return run


@pytest.fixture
def folder(tmp_path, monkeypatch):
    return scenario.make(run_here(monkeypatch), tmp_path, templates_dir())


@pytest.mark.parametrize("name", sorted(scenario.CHECKS))
def test_every_command_honours_the_project(folder, monkeypatch, name):
    scenario.CHECKS[name](run_here(monkeypatch), folder)


def test_a_scaffolded_folder_validates_clean_right_away(tmp_path, monkeypatch):
    run = run_here(monkeypatch)
    made = run("init", "--folder", "p", cwd=tmp_path)
    assert made.code == 0 and "district.yaml" in made.err
    assert sorted(p.relative_to(tmp_path / "p").as_posix() for p in (tmp_path / "p").rglob("*")) == [
        "district.yaml", "loushi.toml", "models", f"models/{scenario.MODEL}.yaml"]
    report = json.loads(run("validate", "-f", "json", "--fail-on", "info", "district.yaml", cwd=tmp_path / "p").out)
    # a scaffold's people and units are placeholders (（示例）) and its charter is to be written:
    # said by those two rules, and nothing else
    findings = [f for d in report["districts"] for f in d["findings"]]
    assert {f["rule"] for f in findings} <= {"placeholder-names", "charter-blanks"}
    assert all(f["level"] == "warning" for f in findings)
    toml = (tmp_path / "p" / "loushi.toml").read_text(encoding="utf-8")
    assert all(f"# {key} = " in toml for key in project.FOLDER_KINDS)  # every key, commented
    # a second run writes nothing over the first, and says which files are in the way
    again = run("init", "--folder", "p", cwd=tmp_path)
    assert again.code == 2 and "loushi.toml" in again.err and "--force" in again.err


def write_project(root: Path, toml: str = "", models: dict | None = None) -> Path:
    (root / "loushi.toml").write_text(toml, encoding="utf-8")
    for rel, text in (models or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def model_text(ident: str, name: str = "测试模式") -> str:
    return SHIPPED_MODEL.replace("id: yizhang-liuyuan", f"id: {ident}").replace("name: 一长六员", f"name: {name}")


def found_for(start: Path, **options) -> discovery.Found:
    return discovery.found(Session(Options(**options)), start)


# -- discovery --------------------------------------------------------------------------------

def test_loushi_toml_is_found_walking_up_and_its_default_folders_are_used(tmp_path):
    write_project(tmp_path, "", {"models/a.yaml": model_text("a"), "rules/x.yaml": "pack: x\n"})
    deep = tmp_path / "街道" / "一"
    deep.mkdir(parents=True)
    found = found_for(deep / "district.yaml")
    assert found.project.file == tmp_path / "loushi.toml"
    assert [f.origin for f in found.models] == ["shipped", str(tmp_path / "loushi.toml")]
    assert found.models[1].path == (tmp_path / "models").resolve()
    assert found.packs == ((tmp_path / "rules" / "x.yaml").resolve(),)
    assert found.templates == () and found.calendars == ()  # no templates/ or calendars/ folder


def test_keys_name_other_folders_in_order_and_options_add_to_them(tmp_path):
    write_project(tmp_path, 'models = ["own", "../shared/models"]\ntemplates = "tpl"\ncalendars = ["cal"]\n',
                  {"own/a.yaml": model_text("a"), "../shared/models/b.yaml": model_text("b"),
                   "models/ignored.yaml": model_text("ignored"), "tpl/charter.md": "x", "cal/2025.yaml": "x"})
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "c.yaml").write_text(model_text("c"), encoding="utf-8")
    found = found_for(tmp_path, models=(str(extra),), templates=(str(tmp_path / "tpl2"),))
    paths = [f.path for f in found.models]
    assert paths[1:] == [(tmp_path / "own").resolve(), (tmp_path.parent / "shared" / "models").resolve(), extra.resolve()]
    assert found.models[-1].origin == "--models"
    assert found.templates == ((tmp_path / "tpl2").resolve(), (tmp_path / "tpl").resolve())
    assert found.calendars == ((tmp_path / "cal" / "2025.yaml").resolve(),)
    known = govmodels.models(found)
    assert {"a", "b", "c"} <= set(known) and "ignored" not in known  # a key replaces the default folder
    assert govmodels.origins(found)["b"] == str((tmp_path.parent / "shared" / "models" / "b.yaml").resolve())


def test_without_a_loushi_toml_only_the_shipped_models_and_the_options(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "a.yaml").write_text(model_text("a"), encoding="utf-8")
    found = found_for(tmp_path)
    if found.project.file is not None:
        pytest.skip(f"a loushi.toml above the temporary folder: {found.project.file}")
    assert [f.origin for f in found.models] == ["shipped"]


# -- bad input --------------------------------------------------------------------------------

def test_a_malformed_model_file_is_an_error_at_its_line_and_column(tmp_path, monkeypatch):
    folder = scenario.make(run_here(monkeypatch), tmp_path, templates_dir())
    (folder / "models" / "broken.yaml").write_text("id: broken\nposts:\n  - role: [a\n", encoding="utf-8")
    report = json.loads(run_here(monkeypatch)("validate", "-f", "json", "district.yaml", cwd=folder).out)
    [finding] = [f for d in report["districts"] for f in d["findings"] if "broken.yaml" in f["file"]]
    assert finding["level"] == "error" and finding["line"] == 4 and finding["column"] >= 1
    listed = run_here(monkeypatch)("models", "list", cwd=folder)
    assert listed.code == 1 and "broken.yaml:4:" in listed.out


def test_an_unknown_model_says_did_you_mean_and_the_folders_searched(tmp_path, monkeypatch):
    folder = scenario.make(run_here(monkeypatch), tmp_path, templates_dir())
    text = (folder / "district.yaml").read_text(encoding="utf-8")
    (folder / "district.yaml").write_text(text.replace(f"model: {scenario.MODEL}", "model: local-yizhang-liuyaun"),
                                          encoding="utf-8")
    report = json.loads(run_here(monkeypatch)("validate", "-f", "json", "district.yaml", cwd=folder).out)
    [finding] = [f for d in report["districts"] for f in d["findings"] if f["rule"] == "model-known"]
    assert f"'{scenario.MODEL}'" in finding["hint"] and str(folder / "models") in finding["hint"]
    assert "did you mean" in finding["hint"]   # in the run's language (the suite runs in English)
    for args in (("init", "--model", "local-yizhang-liuyaun"), ("models", "explain", "local-yizhang-liuyaun")):
        result = run_here(monkeypatch)(*args, cwd=folder)
        assert result.code == 2 and f"did you mean '{scenario.MODEL}'" in result.err
        assert str(folder / "models") in result.err and "(shipped)" in result.err


def test_two_models_of_one_id_in_two_folders_name_both_files(tmp_path):
    write_project(tmp_path, 'models = ["a", "b"]\n', {"a/m.yaml": model_text("same"), "b/other.yaml": model_text("same")})
    found = found_for(tmp_path)
    [problem] = govmodels.problems(found)
    assert problem.file == str((tmp_path / "b" / "other.yaml").resolve()) and problem.line == 1
    assert str((tmp_path / "a" / "m.yaml").resolve()) in problem.message
    assert "defined twice" in problem.message and "定义了两次" not in problem.message   # the run's language only
    [chinese] = govmodels.problems(found, Session(Options(lang="zh")))
    assert "定义了两次" in chinese.message and "defined twice" not in chinese.message
    assert govmodels.origins(found)["same"].endswith("m.yaml")  # the first read is kept


def test_a_project_model_with_a_shipped_id_names_both_files(tmp_path):
    write_project(tmp_path, "", {"models/mine.yaml": model_text("yizhang-liuyuan")})
    [problem] = govmodels.problems(found_for(tmp_path))
    assert "mine.yaml" in problem.file and str(models_dir() / "yizhang-liuyuan.yaml") in problem.message


@pytest.mark.parametrize("toml, line, column, words", [
    ('models = "models"\nmodles = ["x"]\n', 2, 1, ("modles", "未知的设置项")),
    ('[limits]\nrows = 10\n\n[folders]\nmodels = "m"\n', 4, 2, ("folders", "未知的设置项")),
    ('models = "nowhere"\n', 1, 1, ("nowhere", "不存在")),
    ('templates = 3\n', 1, 1, ("templates", "文件夹列表")),
    ('models = "models"\nrules = = "x"\n', 2, 9, ("TOML",)),
])
def test_a_bad_loushi_toml_is_an_error_at_its_line(tmp_path, monkeypatch, toml, line, column, words):
    folder = scenario.make(run_here(monkeypatch), tmp_path, templates_dir())
    (folder / "loushi.toml").write_text(toml, encoding="utf-8")
    result = run_here(monkeypatch)("validate", "-f", "json", "district.yaml", cwd=folder)
    [finding] = [f for d in json.loads(result.out)["districts"] for f in d["findings"]]
    assert finding["rule"] == "project-config" and (finding["line"], finding["column"]) == (line, column)
    assert all(word in finding["message"] + finding["hint"] for word in words) and result.code == 2


def test_a_bad_loushi_toml_stops_every_command(tmp_path, monkeypatch):
    folder = scenario.make(run_here(monkeypatch), tmp_path, templates_dir())
    (folder / "loushi.toml").write_text('models = "models"\nmodles = ["x"]\n', encoding="utf-8")
    where = "loushi.toml:2:1"
    run = run_here(monkeypatch)
    for args in (("build", "district.yaml", "-o", "out"), ("stats", "district.yaml"), ("graph", "district.yaml"),
                 ("models", "list"), ("rules", "list"), ("init", "--model", "yizhang-liuyuan"), ("schema",)):
        result = run(*args, cwd=folder)
        assert result.code == 2 and where in result.err, (args, result)


def test_a_folder_key_may_not_name_a_file(tmp_path):
    write_project(tmp_path, 'rules = "pack.yaml"\n', {"pack.yaml": "pack: x\n"})
    with pytest.raises(project.ProjectError) as caught:
        project.load(tmp_path)
    assert caught.value.key == "no-folder" and caught.value.line == 1


def test_options_add_models_on_every_command(tmp_path, monkeypatch):
    """--models adds a folder for one run (no loushi.toml here): validate, build and impact agree."""
    run = run_here(monkeypatch)
    folder = scenario.make(run, tmp_path, templates_dir())
    (folder / "loushi.toml").unlink()
    moved = tmp_path / "elsewhere"
    (folder / "models").rename(moved)
    assert run("validate", "district.yaml", cwd=folder).code == 1  # the model is unknown without it
    assert run("validate", "--models", str(moved), "district.yaml", cwd=folder).code == 0
    assert run("build", "--models", str(moved), "district.yaml", "-o", "out", "-f", "md", cwd=folder).code == 0
    holder = scenario._holder(folder, "property_officer")
    result = run("impact", "--models", str(moved), "district.yaml", "--person", holder, "-f", "json", cwd=folder)
    assert [row["model"] for row in json.loads(result.out)["committees_below_model"]] == [scenario.MODEL]


def test_diff_git_judges_the_committed_side_by_the_same_project(tmp_path, monkeypatch):
    """``diff --git`` reads the committed side from a temporary copy, which has no loushi.toml:
    it still takes the project's models, so no model-known finding comes or goes."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    run = run_here(monkeypatch)
    folder = scenario.make(run, tmp_path, templates_dir())
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tmp_path), "PATH": os.environ["PATH"]}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=folder, check=True, env=env, capture_output=True)
    holder = scenario._holder(folder, "property_officer")
    text = (folder / "district.yaml").read_text(encoding="utf-8")
    (folder / "district.yaml").write_text(text.replace(f"holder: {holder}", "holder: null", 1), encoding="utf-8")
    report = run("diff", "--git", "HEAD", "district.yaml", "-f", "json", cwd=folder)
    assert report.code == 0, report.err
    assert "model-known" not in report.out and "model-posts" in report.out
