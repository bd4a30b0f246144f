"""A consultant's project folder, and what every command must do with it (shared by
tests/test_project_folder.py, in this process, and tests/test_project_install.py, from a
non-editable install in a fresh virtual environment).

The folder is made by ``loushi init --folder proj`` (loushi.toml, models/ with the project's
own model, district.yaml); to it are added a rule pack in rules/ and a charter template in
templates/. Every command then runs inside the folder with no flag naming any of them: each
check below fails when the command does not take the project's model (or pack, or template).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, NamedTuple

import yaml

#: The project's own model, as ``loushi init --folder`` names it.
MODEL = "local-yizhang-liuyuan"
MODEL_NAME = "一长六员（本项目）"
#: The line the project's charter template adds.
TEMPLATE_MARK = "本章程按本项目的模板生成。"
RULE = "local-building-name"

PACK = """\
pack: local
description: 本项目自己的规则（a project's own rule pack）。
rules:
  - id: local-building-name
    summary: 楼宇名称不超过 40 个字。
    level: warning
    message: "楼宇 {{ building.id }} 的名称超过 40 个字"
    description: 本项目要求楼宇名称简短。
    rationale: 楼宇名称写进每一份文件。
    for_each: buildings
    condition: building.name | length <= 40
    field: name
    examples:
      fail:
        note: 名称过长。
        change:
          - {at: /buildings/b-1/name, set: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"}
      pass:
        note: The base district.
"""


class Result(NamedTuple):
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def make(run: Run, root: Path, shipped_templates: Path) -> Path:
    """The project folder ``root/proj``, made with ``run`` (which runs loushi in ``root``)."""
    made = run("init", "--folder", "proj", "--name", "测试街道", cwd=root)
    assert made.code == 0, made.err
    folder = root / "proj"
    (folder / "rules").mkdir()
    (folder / "rules" / "local.yaml").write_text(PACK, encoding="utf-8")
    (folder / "templates").mkdir()
    charter = (shipped_templates / "charter.md").read_text(encoding="utf-8")
    assert "{% block body %}\n" in charter
    (folder / "templates" / "charter.md").write_text(
        charter.replace("{% block body %}\n", f"{{% block body %}}\n{TEMPLATE_MARK}\n\n", 1), encoding="utf-8")
    return folder


def _district(folder: Path) -> dict:
    return yaml.safe_load((folder / "district.yaml").read_text(encoding="utf-8"))


def _holder(folder: Path, role: str) -> str:
    [committee] = _district(folder)["committees"]
    return next(post["holder"] for post in committee["posts"] if post["role"] == role)


def _ok(result: Result) -> Result:
    assert result.code == 0, f"exit {result.code}\n{result.out}\n{result.err}"
    return result


def check_validate(run: Run, folder: Path) -> None:
    report = json.loads(_ok(run("validate", "-f", "json", "district.yaml", cwd=folder)).out)
    findings = [f for d in report["districts"] for f in d["findings"]]
    assert not [f for f in findings if f["level"] == "error"], findings
    # the project's pack ran: a building name over 40 characters is its warning
    text = (folder / "district.yaml").read_text(encoding="utf-8")
    long = folder / "long" / "district.yaml"
    long.parent.mkdir(exist_ok=True)
    name = _district(folder)["buildings"][0]["name"]
    long.write_text(text.replace(f"name: {name}", "name: " + "长" * 41, 1), encoding="utf-8")
    report = json.loads(run("validate", "-f", "json", "long/district.yaml", cwd=folder).out)
    assert RULE in {f["rule"] for d in report["districts"] for f in d["findings"]}


def check_build(run: Run, folder: Path) -> None:
    _ok(run("build", "district.yaml", "-o", "out", "-f", "md", cwd=folder))
    charters = list((folder / "out" / "章程").glob("*.md"))
    assert charters
    text = charters[0].read_text(encoding="utf-8")
    assert MODEL_NAME in text and TEMPLATE_MARK in text


def check_graph(run: Run, folder: Path) -> None:
    result = _ok(run("graph", "district.yaml", "-f", "json", cwd=folder))
    assert json.loads(result.out)


def check_stats(run: Run, folder: Path) -> None:
    assert json.loads(_ok(run("stats", "district.yaml", "-f", "json", cwd=folder)).out)


def check_impact(run: Run, folder: Path) -> None:
    holder = _holder(folder, "property_officer")
    found = json.loads(_ok(run("impact", "district.yaml", "--person", holder, "-f", "json", cwd=folder)).out)
    below = found["committees_below_model"]
    assert [row["model"] for row in below] == [MODEL] and below[0]["role"] == "property_officer"


def check_route(run: Run, folder: Path) -> None:
    district = _district(folder)
    matter = district["matters"][0]["id"]
    building = district["buildings"][0]["id"]
    result = _ok(run("route", "district.yaml", "--building", building, "--matter", matter,
                     "--at", "2025-03-03 10:00", "-f", "json", cwd=folder))
    assert json.loads(result.out)


def check_diff(run: Run, folder: Path) -> None:
    text = (folder / "district.yaml").read_text(encoding="utf-8")
    holder = _holder(folder, "property_officer")
    new = folder / "new" / "district.yaml"
    new.parent.mkdir(exist_ok=True)
    new.write_text(text.replace(f"holder: {holder}", "holder: null", 1), encoding="utf-8")
    report = json.loads(_ok(run("diff", "district.yaml", "new/district.yaml", "-f", "json", cwd=folder)).out)
    assert "model-posts" in json.dumps(report, ensure_ascii=False), report  # the project's model's check


def check_init(run: Run, folder: Path) -> None:
    _ok(run("init", "--model", MODEL, "-o", "second/district.yaml", cwd=folder))
    assert f"model: {MODEL}" in (folder / "second" / "district.yaml").read_text(encoding="utf-8")
    _ok(run("validate", "second/district.yaml", cwd=folder))


def check_import(run: Run, folder: Path) -> None:
    cluster = next(g["name"] for g in _district(folder)["grids"] if g["level"] == "cluster")
    ledger = folder / "楼宇台账.csv"
    ledger.write_bytes(f"楼宇名称,所属楼群,地址\n新楼,{cluster},东路1号\n".encode("utf-8-sig"))
    result = _ok(run("import", "楼宇台账.csv", "--into", "district.yaml", "--dry-run", cwd=folder))
    assert "新楼" in result.out


def check_rules(run: Run, folder: Path) -> None:
    assert RULE in _ok(run("rules", "list", cwd=folder)).out
    assert "40" in _ok(run("rules", "explain", RULE, cwd=folder)).out
    tested = _ok(run("rules", "test", "-f", "json", cwd=folder)).out
    assert RULE in tested
    assert RULE in _ok(run("rules", "docs", cwd=folder)).out


def check_schema(run: Run, folder: Path) -> None:
    assert MODEL in json.dumps(json.loads(_ok(run("schema", cwd=folder)).out), ensure_ascii=False)


def check_models(run: Run, folder: Path) -> None:
    listed = _ok(run("models", "list", cwd=folder)).out
    line = next(line for line in listed.splitlines() if line.startswith(MODEL))
    assert str(Path("models") / f"{MODEL}.yaml") in line and MODEL_NAME in line
    explained = _ok(run("models", "explain", MODEL, cwd=folder)).out
    assert "property_officer" in explained and f"{MODEL}.yaml" in explained


CHECKS = {name.removeprefix("check_"): function for name, function in list(globals().items())
          if name.startswith("check_")}
