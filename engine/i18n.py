"""Messages in Chinese and English: the CLI's own texts and summaries.

``language()`` picks the language: an explicit ``--lang``, else the environment's locale
(``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``: Chinese when it starts with ``zh``), else
English. ``text(key, lang, **values)`` looks a message up in ``CATALOG`` and fills it in; a
key missing from the catalog is a bug and raises ``KeyError``. Findings keep the words their
rules give them; this catalog is for what the commands themselves say.
"""

from __future__ import annotations

import os
from typing import Mapping

LANGUAGES = ("zh", "en")
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``explicit`` if given, else ``zh`` when the locale is Chinese, else ``en``."""
    if explicit:
        return explicit
    environ = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def text(key: str, lang: str, /, **values) -> str:
    """The message ``key`` in ``lang``, with ``values`` filled in."""
    entry = CATALOG[key]
    return entry[lang if lang in entry else "en"].format(**values)


def word(group: str, name: str, lang: str) -> str:
    """A term of ``group`` (kinds, sections, fields, levels ...) in ``lang``; unknown ones as they are."""
    entry = TERMS.get(group, {}).get(name)
    if entry is None:
        return name
    return entry[0] if lang == "en" else entry[1]


#: Terms, as ``(English, Chinese)``.
TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "district": ("district", "街道"), "people": ("person", "人员"), "posts": ("post", "岗位"),
        "committees": ("committee", "议事机构"), "grids": ("grid", "网格"), "buildings": ("building", "楼宇"),
        "units": ("unit", "单位"), "party_orgs": ("party organisation", "党组织"),
        "authorities": ("authority", "职能部门"), "groups": ("group", "组团"), "roles": ("role", "角色"),
        "mechanisms": ("mechanism", "工作机制"), "service_points": ("service point", "服务阵地"),
        "zones": ("zone", "片区"), "matters": ("matter category", "事项类别"), "sources": ("source", "来源"),
        "findings": ("finding", "检查结果"),
    },
    "section": {
        "district": ("District", "街道"), "people": ("People", "人员"), "posts": ("Posts", "岗位"),
        "committees": ("Committees", "议事机构（楼委会、楼务会、楼事会）"), "grids": ("Grids", "网格"),
        "buildings": ("Buildings", "楼宇"), "units": ("Units", "单位"), "party_orgs": ("Party organisations", "党组织"),
        "authorities": ("Authorities", "职能部门"), "groups": ("Groups", "组团"), "roles": ("Roles", "角色"),
        "mechanisms": ("Working mechanisms", "工作机制"), "service_points": ("Service points", "服务阵地"),
        "zones": ("Zones", "片区"), "matters": ("Matters and escalation", "事项与上报路径"),
        "sources": ("Sources", "来源"), "findings": ("Findings", "检查结果"),
    },
    "field": {
        "buildings": ("coverage", "覆盖楼宇"), "holder": ("holder", "任职人"), "cluster": ("cluster grid", "楼群网格"),
        "parent": ("parent", "上级"), "limit": ("time limit", "时限"), "level": ("level", "层级"),
        "handler": ("handler", "处置主体"), "action": ("action", "处置动作"), "next_when": ("escalates when", "上报条件"),
        "role": ("role", "角色"), "model": ("governance model", "治理模式"), "kind": ("kind", "类型"),
        "units": ("units", "单位"), "member_units": ("member units", "成员单位"), "mechanisms": ("mechanisms", "工作机制"),
        "party_org": ("party organisation", "党组织"), "affiliation": ("affiliation", "所属单位"),
        "building": ("building", "楼宇"), "zone": ("zone", "片区"), "from": ("sent by", "派出单位"),
        "rotation": ("rotation", "轮值安排"), "meetings": ("meetings", "会议制度"), "members": ("members", "成员"),
        "body": ("body", "所属机构"), "note": ("note", "备注"), "rules.extends": ("rule packs", "规则包"),
        "declared": ("declared figures", "申报数字"),
    },
    "level": {
        "building": ("building", "楼宇"), "cluster": ("cluster", "楼群"), "block": ("block", "街区"),
        "subdistrict": ("sub-district", "街道"), "district": ("district", "区"), "city": ("city", "市"),
        "error": ("error", "错误"), "warning": ("warning", "警告"), "info": ("info", "提示"),
    },
    "body": {
        "committee": ("the building's committee", "所在楼宇的议事机构"),
        "party_org": ("the building's party organisation", "所在楼宇的党组织"),
        "grid": ("the building's grid", "所在网格"),
    },
    "side": {"old": ("old", "旧"), "new": ("new", "新")},
    "where": {"default": ("default", "默认")},
}

#: Messages, by key: ``{"en": ..., "zh": ...}``.
CATALOG: dict[str, dict[str, str]] = {
    # diff: one line per change
    "diff.added": {"en": "{kind} {ref} added", "zh": "新增{kind} {ref}"},
    "diff.removed": {"en": "{kind} {ref} removed", "zh": "删除{kind} {ref}"},
    "diff.post-added": {"en": "post {ref} added (holder: {new})", "zh": "新增岗位 {ref}（任职人：{new}）"},
    "diff.post-removed": {"en": "post {ref} removed (was held by {old})", "zh": "删除岗位 {ref}（原任职人：{old}）"},
    "diff.renamed": {"en": "{kind} {ref} renamed: {old} → {new}", "zh": "{kind} {ref} 更名：{old} → {new}"},
    "diff.field": {"en": "{kind} {ref}: {field} {old} → {new}", "zh": "{kind} {ref}：{field} {old} → {new}"},
    "diff.members": {"en": "{kind} {ref}: {field} {delta}", "zh": "{kind} {ref}：{field} {delta}"},
    "diff.reordered": {"en": "{kind} {ref}: {field} reordered: {old} → {new}",
                       "zh": "{kind} {ref}：{field} 顺序调整：{old} → {new}"},
    "diff.reassigned": {"en": "post {ref}: holder {old} → {new}", "zh": "岗位 {ref}：任职人 {old} → {new}"},
    "diff.moved": {"en": "building {ref} moved: cluster grid {old} → {new}",
                   "zh": "楼宇 {ref} 调整楼群网格：{old} → {new}"},
    "diff.chain-added": {"en": "matter category {ref}: escalation chain [{where}] added: {new}",
                         "zh": "事项类别 {ref}：新增上报链［{where}］：{new}"},
    "diff.chain-removed": {"en": "matter category {ref}: escalation chain [{where}] removed (was: {old})",
                           "zh": "事项类别 {ref}：删除上报链［{where}］（原为：{old}）"},
    "diff.step-added": {"en": "matter category {ref}, chain [{where}]: step {step} added: {new}",
                        "zh": "事项类别 {ref}，上报链［{where}］：新增第{step}步：{new}"},
    "diff.step-removed": {"en": "matter category {ref}, chain [{where}]: step {step} removed: {old}",
                          "zh": "事项类别 {ref}，上报链［{where}］：删除第{step}步：{old}"},
    "diff.step-changed": {"en": "matter category {ref}, chain [{where}], step {step}: {field} {old} → {new}",
                          "zh": "事项类别 {ref}，上报链［{where}］第{step}步：{field} {old} → {new}"},
    "diff.chain-field": {"en": "matter category {ref}, chain [{where}]: {field} {old} → {new}",
                         "zh": "事项类别 {ref}，上报链［{where}］：{field} {old} → {new}"},
    "diff.appeared": {"en": "new finding: [{level}] {message} ({rule}) at {at}",
                      "zh": "新增问题：[{level}] {message}（{rule}），位于 {at}"},
    "diff.finding-changed": {"en": "finding changed: [{level}] {old} → {message} ({rule}) at {at}",
                             "zh": "问题变化：[{level}] {old} → {message}（{rule}），位于 {at}"},
    "diff.resolved": {"en": "finding gone: [{level}] {message} ({rule}), was at {at}",
                      "zh": "已消除问题：[{level}] {message}（{rule}），原位于 {at}"},
    # diff: values
    "diff.none": {"en": "none", "zh": "无"},
    "diff.put": {"en": "+ {items}", "zh": "增加 {items}"},
    "diff.taken": {"en": "− {items}", "zh": "减少 {items}"},
    "diff.step": {"en": "{level}: {handler}, {limit}", "zh": "{level}级：{handler}，{limit}"},
    "diff.handler": {"en": "{role} of {body}", "zh": "{body} {role}"},
    "diff.hours": {"en": "{n} hour(s)", "zh": "{n}小时"},
    "diff.days": {"en": "{n} day(s)", "zh": "{n}天"},
    "diff.working_days": {"en": "{n} working day(s)", "zh": "{n}个工作日"},
    # diff: headings and summaries
    "diff.title": {"en": "loushi diff", "zh": "loushi 治理结构变更"},
    "diff.district": {"en": "{name} ({id}): {path}", "zh": "{name}（{id}）：{path}"},
    "diff.district-added": {"en": "district added: {path}", "zh": "新增街道配置：{path}"},
    "diff.district-removed": {"en": "district removed: {path}", "zh": "删除街道配置：{path}"},
    "diff.unbuilt": {"en": "note: the {side} config could not be built into a model; only findings are compared",
                     "zh": "注意：{side}配置未能建立模型，仅比较检查结果"},
    "diff.summary": {"en": "{changes} change(s) in {districts} district(s)", "zh": "{districts}个街道配置，共{changes}处变化"},
    "diff.compared": {"en": "{old} → {new}", "zh": "{old} → {new}"},
    "diff.truncated": {"en": "… and {count} more change(s): run loushi diff locally for all of them",
                       "zh": "……另有{count}处变化未列出，请在本地运行 loushi diff 查看全部"},
    "diff.nothing": {"en": "no governance changes", "zh": "治理结构无变化"},
    # validate
    "validate.summary": {"en": "{districts} district(s), {files} file(s): {errors} error(s), {warnings} warning(s), "
                               "{infos} info",
                         "zh": "{districts}个街道配置，{files}个文件：{errors}个错误，{warnings}个警告，{infos}条提示"},
    "validate.suppressed": {"en": ", {count} suppressed", "zh": "，{count}条已豁免"},
    "validate.baselined": {"en": ", {count} in the baseline", "zh": "，{count}条已在基线中"},
    # baseline
    "baseline.written": {"en": "wrote {count} finding(s) to the baseline {path}",
                         "zh": "已将{count}条问题记入基线 {path}"},
    "baseline.matched": {"en": "{count} finding(s) matched the baseline {path}",
                         "zh": "{count}条问题已在基线 {path} 中，不计入结果"},
    # gate: the checks every district passes before any rule, and drafts
    "gate.disable": {"en": "rules: '{rule}' cannot be disabled: it is checked before any rule runs, not a rule",
                     "zh": "规则设置：不能关闭“{rule}”：它是规则运行前的基本检查，不是规则"},
    "gate.suppress": {"en": "rules: '{rule}' cannot be suppressed: it is checked before any rule runs, not a rule",
                      "zh": "规则设置：不能豁免“{rule}”：它是规则运行前的基本检查，不是规则"},
    "gate.levels": {"en": "rules: the level of '{rule}' cannot be set: it is checked before any rule runs, not a rule",
                    "zh": "规则设置：不能调整“{rule}”的级别：它是规则运行前的基本检查，不是规则"},
    "gate.options": {"en": "rules: '{rule}' takes no options: it is checked before any rule runs, not a rule",
                     "zh": "规则设置：“{rule}”没有选项：它是规则运行前的基本检查，不是规则"},
    "gate.hint": {"en": "remove the entry and fix what '{rule}' reports instead",
                  "zh": "删除这一项，改正“{rule}”指出的问题"},
    "gate.draft": {"en": "Draft: the config has {count} error(s)", "zh": "草稿：配置有{count}个错误"},
    "gate.stopped": {"en": "{path}: not answered: fix the errors above first, or add --draft",
                     "zh": "{path}：未作答：请先改正上面的错误，或加 --draft"},
    # init
    "init.written": {"en": "wrote {path}: a {model} ({name}) district scaffold; next: loushi validate {path}",
                     "zh": "已生成 {path}：{name}（{model}）街道配置骨架；下一步：loushi validate {path}"},
    "init.exists": {"en": "{path} exists; give --force to overwrite it",
                    "zh": "{path} 已存在；如需覆盖请加 --force"},
}
