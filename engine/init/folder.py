"""A consultant's project folder, scaffolded: ``loushi init --folder DIR``.

Three files, each commented, that validate clean as written:

* ``loushi.toml``: the project file, every key commented out (the defaults are the folders
  beside it, see ``engine/project.py``);
* ``models/<id>.yaml``: one governance model of the project's own, a copy of the model chosen
  (a shipped one by default) under a new id, each key explained;
* ``district.yaml``: a district scaffold (``engine.init.scaffold``) whose committee follows
  that model.

Nothing is written when any of them exists, unless ``force``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..project import FILE_NAME

#: The model a new project starts from when none is named.
DEFAULT_BASE = "yizhang-liuyuan"

PROJECT_FILE = """\
# loushi 项目文件（loushi project file）
# loushi 从街道配置所在的文件夹逐级向上查找 loushi.toml（如 ruff、black 查找各自的配置），
# 本文件夹及其下各文件夹中的配置都属于这个项目：每个命令都使用这里的治理模式、规则包、模板和日历。
# loushi looks for loushi.toml from a config's folder upwards; every command uses the models,
# rule packs, templates and calendars it names for every config below it.
#
# 不写下列各键时，使用本文件旁边的 models/、rules/、templates/、calendars/ 文件夹（有哪个用哪个）。
# 写了某个键，就只用它列出的文件夹（可列多个，路径相对于本文件；所列文件夹必须存在）。
# Without a key, the folder of that name beside this file is used when it exists; a key names
# other folders instead (one, or a list; relative to this file; each must exist).
#
# 治理模式（议事机构的组成，*.yaml），例如与其他项目共用的一个文件夹：
# governance models (*.yaml), e.g. with a folder shared by several projects:
# models = ["models", "../共享治理模式"]
#
# 规则包（*.yaml），对本项目的每个街道运行：
# rule packs (*.yaml), run on every district of the project:
# rules = ["rules"]
#
# 文档模板：与随 loushi 发布的模板同名的文件替换之（见 docs/documents.md）：
# document templates, each replacing the shipped one of its name:
# templates = ["templates"]
#
# 日历（工作日、节假日）：
# calendars (working days, holidays):
# calendars = ["calendars"]
#
# 读取台账的上限（见 docs/ledger.md「Limits」）：
# how much of a ledger loushi reads (docs/ledger.md, "Limits"):
# [limits]
# rows = 2_000_000
"""

#: What each key of a model says, for the comments of a model scaffold.
MODEL_COMMENTS = {
    "id": "id：街道配置中 committees[].model 写的就是它；在本项目用到的所有治理模式中唯一。\n"
          "id: what a committee's `model` names; unique among every model the project uses.",
    "name": "name：模式的名称，写进章程（“本会按照‘……’模式组建”）。\n"
            "name: the model's name, as the charters write it.",
    "summary": "summary：一句话说明此模式的组成，写进章程。\nsummary: the composition in a sentence, for the charters.",
    "source": "source：出处（文件、报道、年份）。\nsource: where the model is written down (a document, a report, a year).",
    "committee_kinds": "committee_kinds：此模式适用的议事机构类别。\ncommittee_kinds: the kinds of body the model is for.",
    "rotating_head": "rotating_head：楼长由成员单位轮值。\nrotating_head: the head rotates among the member units.",
    "members_min": "members_min / members_max：担任岗位的不同人数的下限 / 上限。\n"
                   "members_min / members_max: how many distinct people hold the posts.",
    "grid_heads": "grid_heads：所覆盖楼宇的楼宇网格各设几名网格长。\ngrid_heads: heads of each building grid it covers.",
    "posts": "posts：每个岗位：role（岗位编号，在街道配置的 roles 中命名）、人数 min / max、\n"
             "来源 from（authority:<级别>、authority-kind:<文字>、unit:<单位类别>、any；见 rules/models/README.md），\n"
             "rotating: true 表示该岗位由成员单位轮值。\n"
             "posts: each post's role, how many (min, max), where its holder comes from (from), and whether it rotates.",
}


class FolderExists(Exception):
    """Files of the scaffold exist already (and ``force`` was not given): ``paths``."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        super().__init__(", ".join(str(p) for p in paths))


@dataclass(frozen=True)
class Plan:
    """The files of a project folder, by path, and the model's id."""

    files: dict
    model_id: str


def model_text(base: dict, model_id: str, command: str) -> str:
    """The text of a model of the project's own: ``base``'s keys under the id ``model_id``, each
    with what it says."""
    lines = [f"# 治理模式（governance model）：{base.get('name', base['id'])}（本项目）",
             f"# 本文件由 `{command}` 生成，复制自治理模式 {base['id']}，可按本街道的实际改写：",
             "# 改写后运行 `loushi models explain " + model_id + "` 查看其组成，`loushi validate` 检查街道配置。",
             f"# Made by `{command}` from the model {base['id']}; edit it to the district's practice.",
             ""]
    data = {**{key: value for key, value in base.items()}, "id": model_id,
            "name": f"{base.get('name', base['id'])}（本项目）"}
    for key, value in data.items():
        comment = MODEL_COMMENTS.get(key if key != "members_max" else "members_min")
        if comment and not (key == "members_max" and "members_min" in data):
            lines += [f"# {line}" for line in comment.splitlines()]
        flow = None if isinstance(value, (dict, list)) else False  # lists of scalars in brackets
        lines.append(yaml.safe_dump({key: _plain(value)}, allow_unicode=True, sort_keys=False,
                                    default_flow_style=flow, width=100).rstrip())
    return "\n".join(lines) + "\n"


def _plain(value):
    """``value`` as plain dicts, lists and scalars (a loaded model keeps positions on its nodes)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def plan(folder: Path, district: str, model: str, model_id: str) -> Plan:
    """The files of the project folder ``folder``: loushi.toml, ``models/<model_id>.yaml``
    (``model``'s text) and district.yaml (``district``)."""
    return Plan({folder / FILE_NAME: PROJECT_FILE, folder / "models" / f"{model_id}.yaml": model,
                 folder / "district.yaml": district}, model_id)


def existing(files, force: bool) -> list[Path]:
    """The files that exist and would be replaced (none with ``force``)."""
    return [] if force else [path for path in files if path.exists()]
