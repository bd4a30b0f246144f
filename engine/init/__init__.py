"""Init: a commented scaffold of a new district config, for one governance model.

``scaffold(model_id, name=..., ident=...)`` reads the model from ``rules/models/`` (its
committee kind, its posts, where each holder must come from, whether the head rotates) and
writes a small district around one committee of that model: a zone, the authorities and units
the posts are drawn from, a block → cluster → building grid, a joint party branch, a person
for every seat, the roles, two working mechanisms and one matter category with its escalation
chains. Every entity a consultant must replace is a placeholder (``placeholder: true``, its
name marked （示例）), and every part carries a comment saying what it is for. The scaffold
validates clean. ``write`` never replaces an existing file unless told to.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .. import discovery, lazy
from ..resources import models_dir
from ..writing import rewrite

gate = lazy.module("engine.gate")  # the self-check of a scaffold, only when one is made

#: Names and duties of the roles the shipped models use.
ROLE_TEXTS = {
    "building_head": ("楼长", ["主持楼委会日常工作", "召集楼委会会议"]),
    "party_instructor": ("党建指导员", ["指导楼宇党组织建设"]),
    "investment_liaison": ("招商联络员", ["对接楼宇招商与企业服务"]),
    "legal_adviser": ("法律顾问", ["为楼内企业提供法律咨询"]),
    "errand_assistant": ("帮办代办员", ["帮办代办企业事项"]),
    "policy_explainer": ("政策宣讲员", ["宣讲惠企政策"]),
    "property_officer": ("物业管理员", ["协调物业服务"]),
    "chair": ("主任", ["主持议事机构全面工作"]),
    "vice_chair": ("副主任", ["协助主任工作，对接街道服务资源"]),
    "enterprise_rep": ("企业代表", ["反映楼内企业诉求"]),
    "employee_rep": ("楼宇员工代表", ["收集楼宇员工诉求"]),
    "market_regulator": ("市场专管员", ["办理市场监管事项"]),
    "tax_officer": ("税务专管员", ["办理涉税事项"]),
    "convener": ("召集人", ["召集楼务会会议"]),
    "party_secretary": ("楼宇党组织书记", ["把方向、管大局"]),
    "property_head": ("物业服务企业负责人", ["落实物业整改"]),
    "owner_rep": ("产权方代表", ["反映产权方意见"]),
    "party_member_rep": ("党员职工代表", ["收集职工诉求"]),
    "micro_grid_head": ("微网格长", ["负责微网格日常联络"]),
    "party_mass_instructor": ("党群指导员", ["指导党群服务工作"]),
    "info_officer": ("社区信息员", ["收集报送楼宇信息"]),
    "board_member": ("理事", ["参与楼事会议事决策"]),
    "commissioner": ("企业服务专员", ["受理楼宇上报事项"]),
}
#: Chinese names of committee kinds, for the committee's own name.
COMMITTEE_NAMES = {"building_committee": "楼委会", "building_affairs_council": "楼务会",
                   "building_affairs_board": "楼事会"}
#: Placeholder names for people, in order.
_SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗"
_DIGITS = "一二三四五六七八九十"
_PLAIN = re.compile(r"[A-Za-z\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff（）、]*\Z|[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ID = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]{0,127}\Z")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}
#: Units every scaffold has, by kind: (id, name, building).
_BASE_UNITS = {"owner": ("u-owner", "示例置业有限公司（示例）", "b-1"),
               "property": ("u-property", "示例物业服务有限公司（示例）", "b-1"),
               "enterprise": ("u-enterprise", "示例科技有限公司（示例）", "b-2")}
_UNIT_NAMES = {"law_firm": "示例律师事务所（示例）", "community": "示例社区居委会（示例）",
               "ngo": "示例社会组织服务中心（示例）", "institution": "示例研究院（示例）",
               "government": "示例政务服务站（示例）", "other": "示例单位（示例）"}


class InitError(Exception):
    """The scaffold cannot be made (an unknown model) or written (the file exists)."""


def models() -> dict[str, dict]:
    """The shipped governance models by id (``rules/models/*.yaml``)."""
    found = {}
    for path in sorted(models_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found[data["id"]] = data
    return found


@dataclass
class _Draft:
    """The entities of a scaffold while it is assembled."""

    model: dict
    authorities: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    rotation: dict | None = None

    def person(self, affiliation: str, **extra) -> str:
        number = len(self.people) + 1
        ident = f"p-{number}"
        name = f"{_SURNAMES[(number - 1) % len(_SURNAMES)]}{_number(number)}（示例）"
        self.people.append({"id": ident, "name": name, "affiliation": affiliation, **extra, "placeholder": True})
        return ident

    def unit(self, kind: str) -> str:
        if kind not in self.units:
            ident, name, building = _BASE_UNITS.get(kind, (f"u-{kind.replace('_', '-')}", _UNIT_NAMES.get(kind, ""), "b-2"))
            self.units[kind] = {"id": ident, "name": name or f"示例{kind}单位（示例）", "building": building,
                                "kind": kind, "placeholder": True}
        return self.units[kind]["id"]

    def authority(self, level: str, kind: str) -> str:
        key = (level, kind)
        if key not in self.authorities:
            ident = "a-office" if key == ("subdistrict", "办事处") else f"a-{len(self.authorities) + 1}"
            name = "示例街道办事处" if ident == "a-office" else f"示例{'区' if level == 'district' else '市' if level == 'city' else '街道'}{kind}部门（示例）"
            self.authorities[key] = {"id": ident, "name": name, "level": level, "kind": kind, "posts": []}
        return self.authorities[key]["id"]

    def source(self, choices: list[str]) -> str:
        """The organisation a holder is drawn from, for the first of a post's ``from`` choices."""
        choice = choices[0] if choices else "any"
        if choice.startswith("authority:"):
            return self.authority(choice.split(":", 1)[1], "办事处" if choice.endswith("subdistrict") else "职能部门")
        if choice.startswith("authority-kind:"):
            return self.authority("district", choice.split(":", 1)[1])
        if choice.startswith("unit:"):
            return self.unit(choice.split(":", 1)[1])
        return self.unit("enterprise")


def _number(n: int) -> str:
    if n <= 10:
        return _DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return (_DIGITS[tens - 1] if tens > 1 else "") + "十" + (_DIGITS[ones - 1] if ones else "")


def scaffold(model_id: str, name: str | None = None, ident: str | None = None,
             known: dict[str, dict] | None = None) -> str:
    """The text of a commented district config for the governance model ``model_id``, one of
    ``known`` (by id, as ``engine.rules.govmodels`` reads them; None: the shipped ones)."""
    known = models() if known is None else known
    if model_id not in known:
        raise InitError(f"no such governance model: '{model_id}' (known: {', '.join(sorted(known))})")
    ident = ident or "example"
    if not _ID.match(ident):
        raise InitError(f"'{ident}' is not a valid id: letters, digits, CJK characters, '-', '_' or '.', "
                        "starting with a letter, digit or CJK character")
    name = " ".join((name or "示例街道").split())
    if not name:
        raise InitError("the name is empty")
    model = known[model_id]
    draft = _Draft(model)
    draft.authority("subdistrict", "办事处")
    for kind in ("owner", "property", "enterprise"):
        draft.unit(kind)
    _seat(draft)
    return _render(draft, name, ident)


def _seat(draft: _Draft) -> None:
    """A post, and a person to hold it, for every seat the model asks for."""
    specs = draft.model.get("posts") or []
    counts = [max(int(spec.get("min", 1) or 1), 1) for spec in specs]
    short = int(draft.model.get("members_min") or 0) - sum(counts)
    for index, spec in enumerate(specs):  # top up to the model's minimum membership
        room = (spec.get("max") or 99) - counts[index]
        extra = max(0, min(short, room))
        counts[index] += extra
        short -= extra
    for spec, count in zip(specs, counts):
        for number in range(1, count + 1):
            _post(draft, spec, number if count > 1 else 0)


def _post(draft: _Draft, spec: dict, number: int) -> None:
    role = spec["role"]
    source = draft.source(list(spec.get("from") or []))
    ident = f"c-1-{role.replace('_', '-')}" + (f"-{number}" if number else "")
    holder = draft.person(source)
    draft.posts.append({"id": ident, "role": role, "holder": holder})
    if spec.get("rotating") and draft.rotation is None:
        draft.rotation = _rotation(draft, spec, ident, source, holder)


def _rotation(draft: _Draft, spec: dict, post: str, first_unit: str, first_holder: str) -> dict:
    """Monthly turns among up to three member units of the kinds the rotating seat may come from."""
    kinds = [c.split(":", 1)[1] for c in spec.get("from") or [] if c.startswith("unit:")]
    units = [first_unit] + [draft.unit(k) for k in ("owner", "property", "enterprise") if k in kinds]
    members = list(dict.fromkeys(units))[:3]
    turns = [{"member": first_unit, "holder": first_holder}]
    turns += [{"member": unit, "holder": draft.person(unit)} for unit in members[1:]]
    return {"post": post, "period": "month", "start": "2024-01-01", "turns": turns}


# -- rendering --------------------------------------------------------------------------------
def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if _PLAIN.match(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


def flow(value) -> str:
    """``value`` as one line of flow-style YAML."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return _scalar(value)


def _items(entries: list[dict], indent: str = "  ") -> list[str]:
    return [f"{indent}- {flow(entry)}" for entry in entries]


def _render(draft: _Draft, name: str, ident: str) -> str:
    parts = [
        _header(draft.model, name),
        _district(name, ident),
        _rules_part(),
        _authorities(draft),
        _grids_part(draft),
        _units_part(draft),
        _people_part(draft),
        _roles_part(draft),
        _committee_part(draft),
        _matters_part(draft),
    ]
    return "\n".join(parts)


def _header(model: dict, name: str) -> str:
    return f"""\
# {name}：楼宇治理配置（loushi 配置格式第 1 版）
#
# 治理模式：{model.get('name', model['id'])}（{model['id']}）
#   {model.get('summary', '')}
#   依据：{model.get('source', '')}
#
# 本文件由 `loushi init --model {model['id']}` 生成，可直接通过 `loushi validate`。
# 标有“（示例）”和 `placeholder: true` 的条目都是占位：换成真实的楼宇、单位和人员后，
# 删去 `placeholder: true`。所有 id 在全街道内唯一，其他条目用 id 相互引用。
# 编辑器补全：运行 `loushi schema > district-v2.schema.json`，并在文件首行写
#   # yaml-language-server: $schema=district-v2.schema.json
loushi: 2
"""


def _district(name: str, ident: str) -> str:
    return f"""\
# 街道：本配置描述的单位。declared 写来源报道给出的数字，validate 会与配置中的实际数量比对。
district:
  id: {_scalar(ident)}
  name: {_scalar(name)}
  parent: 示例区
  city: 示例市
  declared:
    buildings: 2
    committees: 1
  office_hours: {{start: "09:00", end: "17:30"}}   # 按工作日计时限时使用
"""


def _rules_part() -> str:
    return """\
# 规则包：validate 运行的检查。structure 查引用与重复 id；models 按治理模式查议事机构岗位；
# party 查党组织设置与换届；coverage 查网格、议事机构对楼宇的覆盖；escalation 查上报路径；
# workload 查一人多岗。个别结论确需接受时，在 rules.suppress 写明规则、对象和理由。
rules:
  extends: [structure, models, party, coverage, escalation, workload]

# 事项属性：上报链可按属性区分（如重大事项直接上报街道）。
attributes:
  severity: {label: 严重程度, values: [ordinary, major], value_labels: {ordinary: 一般, major: 重大}, default: ordinary}

# 片区：街道内按功能定位划分的区域。
zones:
  - {id: z-1, name: 示例片区（示例）, positioning: 商务楼宇集聚区, placeholder: true}
"""


def _authorities(draft: _Draft) -> str:
    lines = ["# 职能部门：街道办事处及区、市职能部门。岗位（posts）写在所属部门下；上报链的街道一级由此处的",
             "# 企业服务专员受理。", "authorities:"]
    commissioner = draft.person("a-office")
    for authority in draft.authorities.values():
        entry = dict(authority)
        posts = entry.pop("posts")
        if entry["id"] == "a-office":
            posts = [{"id": "a-office-commissioner", "role": "commissioner", "holder": commissioner}]
        if entry["id"] != "a-office":
            entry["placeholder"] = True
        line = "  - " + flow(entry)
        if posts:
            line = line[:-1] + ", posts: [" + ", ".join(flow(p) for p in posts) + "]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _grids_part(draft: _Draft) -> str:
    block, cluster = draft.person("a-office"), draft.person("a-office")
    per_building = max(int(draft.model.get("grid_heads") or 1), 1)  # 2 for dual grid heads (双网格长)
    b1, b2 = ([draft.person("a-office") for _ in range(per_building)] for _ in range(2))
    grids = [
        {"id": "g-block", "name": "示例街区网格（示例）", "level": "block", "zone": "z-1", "heads": [block],
         "placeholder": True},
        {"id": "g-cluster", "name": "示例楼群网格（示例）", "level": "cluster", "parent": "g-block",
         "buildings": ["b-1", "b-2"], "heads": [cluster], "placeholder": True},
        {"id": "g-b1", "name": "示例大厦一号楼网格（示例）", "level": "building", "parent": "g-cluster",
         "building": "b-1", "heads": b1, "placeholder": True},
        {"id": "g-b2", "name": "示例大厦二号楼网格（示例）", "level": "building", "parent": "g-cluster",
         "building": "b-2", "heads": b2, "placeholder": True},
    ]
    buildings = [
        {"id": "b-1", "name": "示例大厦一号楼（示例）", "zone": "z-1", "kind": "office", "owner": "u-owner",
         "property_manager": "u-property", "placeholder": True},
        {"id": "b-2", "name": "示例大厦二号楼（示例）", "zone": "z-1", "kind": "office",
         "property_manager": "u-property", "placeholder": True},
    ]
    return "\n".join([
        "# 网格：街区网格 → 楼群网格 → 楼宇网格（→ 微网格）。heads 是网格长，可写两人（双网格长）。",
        "# 楼群网格用 buildings 列出所辖楼宇，每栋楼只属于一个楼群网格；楼宇网格用 building 指明楼宇。",
        "grids:", *_items(grids), "",
        "# 楼宇：owner 为产权方单位，property_manager 为物业服务单位（均引用下方 units 的 id）。",
        "buildings:", *_items(buildings), ""])


def _units_part(draft: _Draft) -> str:
    units = []
    for index, unit in enumerate(draft.units.values()):
        entry = dict(unit)
        if index < 5:  # a joint branch covers at most five units
            entry["party_members"] = {"full": 1}
        units.append(entry)
    members = [u["id"] for u in units if "party_members" in u]
    secretary = draft.person(members[0], party="full", party_since="2015-07-01")
    org = {"id": "po-joint", "name": "示例楼宇联合党支部（示例）", "kind": "branch", "form": "joint",
           "units": members, "secretary": secretary, "placeholder": True}
    return "\n".join([
        "# 单位：楼内企业、物业、产权方等，building 指所在楼宇；party_members 为正式党员人数。",
        "units:", *_items(units), "",
        "# 党组织：正式党员不足 3 人的单位组建联合党支部（一般不超过 5 个单位）。",
        "# 换届后写 last_election（如 2024-03-01），party 规则包据此提示任期。",
        "party_orgs:", *_items([org]), ""])


def _people_part(draft: _Draft) -> str:
    return "\n".join([
        "# 人员：affiliation 为其所在单位或部门（岗位的派出来源据此判断，也可在岗位上写 from 指明）。",
        "people:", *_items(draft.people), ""])


def _roles_part(draft: _Draft) -> str:
    roles = []
    own = {entry["id"]: (entry["name"], list(entry.get("duties") or ["（请填写职责）"]))
           for entry in draft.model.get("roles") or []}  # the roles a model names, as it names them
    for role in dict.fromkeys([p["role"] for p in draft.posts] + ["commissioner"]):
        name, duties = own.get(role) or ROLE_TEXTS.get(role, (f"{role}（示例）", ["（请填写职责）"]))
        entry = {"id": role, "name": name, "duties": duties}
        if role not in ROLE_TEXTS and role not in own:
            entry["placeholder"] = True
        roles.append(entry)
    mechanisms = [{"id": "m-meeting", "name": "例会", "frequency": "monthly"},
                  {"id": "m-topics", "name": "议题征集", "frequency": {"times": 1, "per": "quarter"}}]
    return "\n".join([
        "# 角色：岗位的职能，duties 生成职责清单。", "roles:", *_items(roles), "",
        "# 工作机制：议事机构运行的制度，frequency 为频次。", "mechanisms:", *_items(mechanisms), ""])


def _committee_part(draft: _Draft) -> str:
    model = draft.model
    listed = model.get("body_kinds") or model.get("committee_kinds") or ["building_committee"]
    kind = listed[0] if isinstance(listed[0], str) else listed[0]["id"]
    label = listed[0]["label"] if isinstance(listed[0], dict) else COMMITTEE_NAMES.get(kind, "议事会")
    lines = [
        f"# 议事机构：按“{model.get('name', model['id'])}”模式设置，覆盖 buildings 所列楼宇（多楼一委时列出多栋）。",
        "# posts 的 role 和人数须符合 rules/models 中该模式的要求；holder 为任职人，空缺写 null。",
        "committees:",
        "  - id: c-1",
        f"    name: 示例大厦{label}（示例）",
        f"    kind: {kind}",
        f"    model: {model['id']}",
        "    buildings: [b-1, b-2]",
        "    party_org: po-joint",
        f"    member_units: {flow(_member_units(draft))}",
        "    posts:", *_items(draft.posts, "      ")]
    if draft.rotation:
        rotation = draft.rotation
        lines += ["    # 轮值：成员单位按月轮流担任（轮值东道主制），turns 依次循环。",
                  "    rotation:", f"      post: {rotation['post']}", f"      period: {rotation['period']}",
                  f"      start: {_scalar(rotation['start'])}", "      turns:", *_items(rotation["turns"], "        ")]
    lines += ["    mechanisms: [m-meeting, m-topics]",
              "    meetings: {frequency: monthly, quorum: 0.67, decision: majority}",
              "    placeholder: true", ""]
    return "\n".join(lines)


def _member_units(draft: _Draft) -> list[str]:
    """The units taking turns when the head rotates; else the units the holders come from."""
    if draft.rotation:
        return [turn["member"] for turn in draft.rotation["turns"]]
    units = {u["id"] for u in draft.units.values()}
    holders = {p["id"]: p["affiliation"] for p in draft.people}
    return list(dict.fromkeys(holders[p["holder"]] for p in draft.posts if holders[p["holder"]] in units))


def _matters_part(draft: _Draft) -> str:
    head = draft.posts[0]["role"] if draft.posts else "commissioner"
    return f"""\
# 事项类别与上报路径：一般问题不出楼宇，逐级上报。每一步写层级、处置主体（committee / grid /
# party_org 指事项所在楼宇的议事机构、网格、党组织，或直接写部门 id）、角色和时限
# （hours、days 自然日或 working_days 工作日，三选一）。when 按事项属性选用不同的链。
matters:
  - id: mt-general
    name: 楼宇一般事项（示例）
    placeholder: true
    escalation:
      - when: {{severity: major}}
        steps:
          - {{level: subdistrict, handler: {{body: a-office, role: commissioner}}, limit: {{hours: 24}}}}
      - steps:
          - {{level: building, handler: {{body: committee, role: {head}}}, limit: {{working_days: 3}}, action: 楼内协商办理}}
          - {{level: cluster, handler: {{body: grid, role: grid_head}}, limit: {{working_days: 2}}, next_when: 超出楼内权限或超时未办结}}
          - {{level: subdistrict, handler: {{body: a-office, role: commissioner}}, limit: {{working_days: 5}}}}
"""


def write(text: str, path: str | Path, force: bool = False) -> Path:
    """Write ``text`` to ``path``; an existing file is replaced only with ``force``, under its
    lock and atomically (``engine.writing.rewrite``: ``ChangedMeanwhile`` if it changed while
    held, ``Busy`` if another run held it too long)."""
    target = Path(path)
    if target.is_dir():
        raise InitError(f"{target} is a folder; give a file name")
    if target.exists() and not force:
        raise InitError(f"{target} exists; give --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)

    def edit(old: bytes | None) -> bytes:
        if old is not None and not force:  # made by someone else since the check above
            raise InitError(f"{target} exists; give --force to overwrite it")
        return text.encode("utf-8")

    rewrite(target, edit)
    return target


def self_check(text: str, session, found=None) -> list:
    """The error-level findings the gate and the rules find in a scaffold ``text`` (none: a
    scaffold validates clean by design, so any is a bug in it). Checked from a file of its
    own in a temporary folder, exactly as ``loushi validate`` would check it, with the models
    of ``found`` (``engine.discovery.Found``: the project it is written into; the project's own
    rule packs may ask for what a scaffold cannot know, and are left to ``validate``)."""
    if found is not None:
        own = tuple(str(folder.path) for folder in found.models if folder.origin != discovery.SHIPPED)
        session = session.with_options(replace(session.options, models=own, models_dir=None))
    with tempfile.TemporaryDirectory(prefix="loushi-init-") as folder:
        path = Path(folder) / "district.yaml"
        path.write_text(text, encoding="utf-8")
        return [f for f in gate.open_district(path, session).findings if f.level == "error"]
