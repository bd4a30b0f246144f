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
    "diff.refused": {"en": "not compared: these errors keep it from being built (exit 2; 1 with --exit-code)",
                     "zh": "未比较：以下错误使配置无法建立模型（退出码 2；加 --exit-code 时为 1）"},
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
    "baseline.stale": {"en": "{count} entr(ies) of the baseline {path} match no finding (fixed, or their words "
                             "changed); remove them with --prune-baseline:",
                       "zh": "基线 {path} 中有{count}条记录没有对应的问题（已修复，或问题的文字已变）；"
                             "可加 --prune-baseline 删除："},
    "baseline.stale-entry": {"en": "  {file}: {rule} for {target}{times}", "zh": "  {file}：{rule}，对象 {target}{times}"},
    "baseline.pruned": {"en": "removed {count} entr(ies) that match no finding from the baseline {path}:",
                        "zh": "已从基线 {path} 删除{count}条没有对应问题的记录："},
    "baseline.unchecked": {"en": "{count} entr(ies) of the baseline are for files this run did not check; kept",
                           "zh": "基线中有{count}条记录属于本次未检查的文件，予以保留"},
    "baseline.missing": {"en": "{path}: no such baseline file; create it with --write-baseline {path}",
                         "zh": "{path}：基线文件不存在；可用 --write-baseline {path} 生成"},
    "baseline.unreadable": {"en": "{path}: cannot read the baseline: {error}", "zh": "{path}：无法读取基线：{error}"},
    "baseline.invalid-json": {"en": "{path}: not a loushi baseline (invalid JSON: {error})",
                              "zh": "{path}：不是 loushi 基线文件（JSON 无效：{error}）"},
    "baseline.not-one": {"en": "{path}: not a loushi baseline (expected {{\"loushi-baseline\": {format}, "
                               "\"findings\": [...]}}); write one with --write-baseline",
                         "zh": "{path}：不是 loushi 基线文件（应为 {{\"loushi-baseline\": {format}, "
                               "\"findings\": [...]}}）；可用 --write-baseline 生成"},
    "baseline.newer-format": {"en": "{path}: a baseline of format {version}, written by a newer loushi; this loushi "
                                    "reads format {format}: upgrade loushi, or write the baseline again with "
                                    "--write-baseline",
                              "zh": "{path}：基线格式为 {version}，由更新版本的 loushi 写成；本版本只能读取格式 {format}："
                                    "请升级 loushi，或用 --write-baseline 重新生成基线"},
    "baseline.unknown-format": {"en": "{path}: the baseline format {version} is not one loushi ever wrote (this "
                                      "loushi reads format {format}); write the baseline again with --write-baseline",
                                "zh": "{path}：基线格式 {version} 不是 loushi 写过的格式（本版本读取格式 {format}）；"
                                      "请用 --write-baseline 重新生成基线"},
    "baseline.bad-entry": {"en": "{path}: entry {number} is not a baseline entry (needs file, rule, target, path, "
                                 "message)",
                           "zh": "{path}：第{number}条不是基线记录（需要 file、rule、target、path、message）"},
    "baseline.both": {"en": "give --baseline FILE or --write-baseline FILE, not both",
                      "zh": "--baseline FILE 与 --write-baseline FILE 只能给一个"},
    "baseline.prune-alone": {"en": "--prune-baseline goes with --baseline FILE (the file it rewrites)",
                             "zh": "--prune-baseline 须与 --baseline FILE 同用（它改写的就是该文件）"},
    "baseline.changed": {"en": "{path}: the baseline changed while loushi ran; nothing written: run again",
                         "zh": "{path}：运行期间基线文件被改动，未写入；请重新运行"},
    # rules test: one example that does not do what it claims, and the summary
    "rtest.ok": {"en": "ok", "zh": "通过"},
    "rtest.note": {"en": " ({note})", "zh": "（{note}）"},
    "rtest.fail": {"en": "FAIL", "zh": "未通过"},
    "rtest.kind-fail": {"en": "failing example {number}", "zh": "违规示例 {number}"},
    "rtest.kind-pass": {"en": "passing example {number}", "zh": "合规示例 {number}"},
    "rtest.broken": {"en": "the example cannot be built: {error}", "zh": "示例无法构建：{error}"},
    "rtest.problems": {"en": "the example's district has errors before the rule runs: {findings}",
                       "zh": "示例的街道配置在规则运行前就有错误：{findings}"},
    "rtest.silent": {"en": "a failing example that finds nothing: the rule gives no finding on it",
                     "zh": "违规示例没有触发规则：规则对它没有给出任何问题"},
    "rtest.fires": {"en": "a passing example on which the rule gives {count} finding(s)",
                    "zh": "合规示例却触发了规则，共{count}条问题"},
    "rtest.missing": {"en": "expected, not found: {expected}", "zh": "预期的问题没有出现：{expected}"},
    "rtest.unexpected": {"en": "found, not expected: {finding}", "zh": "出现了未预期的问题：{finding}"},
    "rtest.found": {"en": "the rule found ({count}):", "zh": "规则给出的问题（{count}条）："},
    "rtest.summary": {"en": "{cases} example(s) in {packs} pack(s): {passed} passed, {failed} failed; "
                            "{broken} pack problem(s)",
                      "zh": "{packs}个规则包，{cases}个示例：{passed}个通过，{failed}个未通过；规则包问题{broken}处"},
    "rtest.no-packs": {"en": "{path}: no rule pack here (a pack file, or a folder of *.yaml packs)",
                       "zh": "{path}：这里没有规则包（应为规则包文件，或含 *.yaml 规则包的文件夹）"},
    "rtest.lies": {"en": "✗ {reason}", "zh": "✗ {reason}"},
    "list.more": {"en": "… and {count} more", "zh": "……另有{count}项"},
    # rule ids of the stages before the rules (rules explain / list --all)
    "stage.title": {"en": "{id}  (from: {stage}; level {level})", "zh": "{id}（来自：{stage}；级别 {level}）"},
    "stage.action": {"en": "What to do: {action}", "zh": "怎么办：{action}"},
    "stage.gate": {"en": "Not a rule of a pack: the rules: block of a district cannot disable or suppress it.",
                   "zh": "不属于任何规则包：街道配置的 rules: 不能停用或豁免它。"},
    "rule.gate": {"en": "A check of the gate: a district's rules: block cannot disable, suppress or re-level it.",
                  "zh": "属于入口检查：街道配置的 rules: 不能停用、豁免或调整它。"},
    "stage.heading": {"en": "Findings of the stages before the rules (not disableable, not suppressible):",
                      "zh": "规则之前各阶段的检查结果（不可停用，不可豁免）："},
    # build --templates
    "templates.unknown": {"en": "{name} replaces no shipped template", "zh": "{name} 不对应任何内置模板"},
    "templates.unknown-close": {"en": "{name} replaces no shipped template; did you mean {close}?",
                                "zh": "{name} 不对应任何内置模板；是否应为 {close}？"},
    "templates.known": {"en": "a file in {folder} replaces the shipped template of the same name (loushi's "
                              "templates/ folder); name a partial of your own _name.md",
                        "zh": "{folder} 中的文件按同名替换内置模板（loushi 的 templates/ 文件夹）；"
                              "自己的片段模板请以下划线开头命名，如 _footer.md"},
    # suppression-unused: why a suppression matches nothing
    "suppress.fixed": {"en": "what it suppressed is fixed: remove the suppression",
                       "zh": "所豁免的问题已修复：请删除此豁免"},
    "suppress.no-target": {"en": "the district has no '{target}': check the target's spelling, or remove the "
                                 "suppression",
                           "zh": "本街道配置中没有“{target}”：请检查 target 的拼写，或删除此豁免"},
    "suppress.no-target-close": {"en": "the district has no '{target}' (did you mean '{close}'?): check the "
                                       "target's spelling",
                                 "zh": "本街道配置中没有“{target}”（是否应为“{close}”？）：请检查 target 的拼写"},
    "suppress.rule-off": {"en": "the rule {rule} does not run in this district (disabled, or its pack is not in "
                                "rules.extends): the suppression has nothing to match",
                          "zh": "规则 {rule} 在本街道配置中不运行（已停用，或其规则包不在 rules.extends 中）："
                                "此豁免无从生效"},
    # graph
    "graph.no-font": {"en": "loushi graph: warning: no installed font has Chinese characters (fc-list :lang=zh finds "
                            "none), so Graphviz drew their boxes empty; install one (Debian/Ubuntu: apt-get install "
                            "fonts-noto-cjk) and draw again",
                      "zh": "loushi graph：警告：系统未安装含中文字符的字体（fc-list :lang=zh 无结果），Graphviz 画出的"
                            "文字为空框；请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk）后重新生成"},
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
    "build.conflicts": {"en": "loushi: {path}: not built: {count} file(s) in {out} would be overwritten or removed, "
                              "and loushi did not write them or they were edited by hand since; nothing was changed:",
                        "zh": "loushi：{path}：未生成：输出目录 {out} 中有{count}个文件将被覆盖或删除，但它们不是 loushi 写的，"
                              "或写入后被手工改过；未做任何改动："},
    "build.conflict.edited": {"en": "  {file} (edited by hand)", "zh": "  {file}（已被手工修改）"},
    "build.conflict.unknown": {"en": "  {file} (not written by loushi)", "zh": "  {file}（不是 loushi 写的）"},
    "build.conflicts-hint": {"en": "move them away, or run again with --force to overwrite them",
                             "zh": "请先把它们移走，或加 --force 重新运行以覆盖"},
    "build.forced": {"en": "{out}: overwrote or removed {count} file(s) edited by hand or not written by loushi (--force)",
                     "zh": "{out}：已覆盖或删除{count}个手工改过或不是 loushi 写的文件（--force）"},
    "build.manifest-unreadable": {"en": "{out}: its manifest {manifest} cannot be read: every file is made anew, "
                                        "and the files already there count as not written by loushi",
                                  "zh": "{out}：清单 {manifest} 无法读取：全部文件重新生成，目录中已有的文件按非 loushi 所写处理"},
    "build.manifest-foreign": {"en": "{out}: its manifest {manifest} was not written by this version of loushi: "
                                     "every file is made anew, and the files already there count as not written by loushi",
                               "zh": "{out}：清单 {manifest} 不是本版本 loushi 写的：全部文件重新生成，"
                                     "目录中已有的文件按非 loushi 所写处理"},
    "init.exists": {"en": "{path} exists; give --force to overwrite it",
                    "zh": "{path} 已存在；如需覆盖请加 --force"},
    # writing a file a person owns (engine/writing.py)
    "write.changed": {"en": "{path} was changed while loushi was working on it (by an editor or another run); "
                            "nothing written: run the command again",
                      "zh": "{path} 在 loushi 处理期间被修改（编辑器或另一次运行）；未写入，请重新运行"},
    "write.busy": {"en": "{path} is being written by another loushi run (waited {wait:g} s); nothing written: "
                         "run the command again when it is done",
                   "zh": "另一个 loushi 进程正在写入 {path}（已等待 {wait:g} 秒）；未写入，请待其结束后重新运行"},
    "migrate.version": {"en": "format version {old} → {new}", "zh": "格式版本 {old} → {new}"},
    "migrate.limit": {"en": "time limit hours: {hours} written as {unit}: {amount}",
                      "zh": "时限 hours: {hours} 改写为 {unit}: {amount}"},
    "migrate.notice": {"en": "this config is format version 1; it was upgraded to version 2 in memory ({count} further "
                             "change(s))",
                       "zh": "此配置为格式版本 1，已在内存中升级为版本 2（另有 {count} 处改动）"},
    "migrate.hint": {"en": "run `loushi migrate {file}` to rewrite the file as version 2 (comments and layout kept)",
                     "zh": "运行 `loushi migrate {file}` 把文件改写为版本 2（注释与排版保留）"},
    "migrate.unknown-version": {"en": "loushi: {found} is not a format version loushi knows (1 or 2)",
                                "zh": "loushi: {found} 不是已知的格式版本（1 或 2）"},
    "migrate.unknown-hint": {"en": "write `loushi: 2` for the current format, `loushi: 1` for the old one",
                             "zh": "当前格式写 `loushi: 2`，旧格式写 `loushi: 1`"},
    "migrate.unreadable": {"en": "the file cannot be rewritten keeping its layout: {reason}",
                           "zh": "无法在保留排版的前提下改写此文件：{reason}"},
    "migrate.file-unchanged": {"en": "nothing to change but the version", "zh": "除版本外无需改动"},
    "migrate.current": {"en": "{path}: already format version 2; nothing written",
                        "zh": "{path}：已是格式版本 2，未写入"},
    "migrate.written": {"en": "{path}: migrated to format version 2 ({count} file(s) written)",
                        "zh": "{path}：已升级为格式版本 2（写入 {count} 个文件）"},
    "migrate.dry-run": {"en": "{path}: would be migrated to format version 2; nothing written (--dry-run)",
                        "zh": "{path}：将升级为格式版本 2；未写入（--dry-run）"},
    "migrate.changed": {"en": "{path} was changed by someone else while it was being migrated; nothing written to it, "
                              "run loushi migrate again",
                        "zh": "{path} 在升级过程中被他人改动，未写入；请重新运行 loushi migrate"},
    "write.waiting": {"en": "waiting for another loushi run to finish writing {path} ...",
                      "zh": "等待另一个 loushi 进程写完 {path}……"},
    "write.failed": {"en": "cannot write {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
    # loushi.toml (engine/project.py)
    "project.unreadable": {"en": "cannot read the project file: {reason}", "zh": "无法读取项目文件：{reason}"},
    "project.unreadable-hint": {"en": "save loushi.toml as UTF-8 text", "zh": "请将 loushi.toml 保存为 UTF-8 文本"},
    "project.not-toml": {"en": "not valid TOML: {reason}", "zh": "不是有效的 TOML：{reason}"},
    "project.not-toml-hint": {"en": "see https://toml.io for the syntax", "zh": "语法见 https://toml.io"},
    "project.unknown-table": {"en": "unknown setting '{key}'", "zh": "未知的设置项 '{key}'"},
    "project.unknown-table-hint": {"en": "loushi.toml knows: {known}", "zh": "loushi.toml 可用的设置：{known}"},
    "project.not-a-table": {"en": "'{key}' must be a table: [{key}]", "zh": "'{key}' 应为一个表：[{key}]"},
    "project.not-a-table-hint": {"en": "write [{key}] on a line of its own, its keys below it",
                                 "zh": "单独一行写 [{key}]，其下逐行写各项"},
    "project.unknown-limit": {"en": "unknown limit '{key}' in [limits]", "zh": "[limits] 中没有名为 '{key}' 的限制"},
    "project.unknown-limit-hint": {"en": "the limits are: {known} (docs/ledger.md, \"Limits\")",
                                   "zh": "可设置的限制：{known}（见 docs/ledger.md「Limits」）"},
    "project.bad-limit": {"en": "[limits] {key} must be a whole number above 0, not {value}",
                          "zh": "[limits] {key} 应为大于 0 的整数，而不是 {value}"},
    "project.bad-limit-hint": {"en": "for example (the default): {key} = {default}",
                               "zh": "例如（默认值）：{key} = {default}"},
    # ledgers that cannot be read (engine/ledger/guard.py, read.py)
    "ledger.encrypted": {"en": "the workbook is encrypted (password-protected): loushi cannot read it",
                         "zh": "工作簿已加密（设有打开密码），无法读取"},
    "ledger.encrypted-hint": {"en": "open it in Excel or WPS, remove the password (File → Info → Protect Workbook → "
                                    "Encrypt with Password: clear it) and save it as .xlsx",
                              "zh": "请在 Excel 或 WPS 中打开，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）"
                                    "后另存为 .xlsx"},
    "ledger.binary-xls": {"en": "an old binary Excel workbook (.xls, Excel 97-2003), not an .xlsx file",
                          "zh": "这是旧版二进制 Excel 工作簿（.xls，Excel 97-2003），不是 .xlsx 文件"},
    "ledger.binary-xls-hint": {"en": "open it in Excel or WPS and save it as Excel Workbook (.xlsx)",
                               "zh": "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿（.xlsx）”"},
    "ledger.not-a-zip": {"en": "not an Excel workbook: an .xlsx file is a zip archive, this file is not one "
                               "(a web page or text saved under the name?)",
                         "zh": "不是 Excel 工作簿：.xlsx 文件是 zip 压缩包，而此文件不是（可能是改了扩展名的网页或文本）"},
    "ledger.not-a-zip-hint": {"en": "open it in Excel or WPS and save it as Excel Workbook (.xlsx), or save the "
                                    "table as CSV UTF-8",
                              "zh": "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿（.xlsx）”或“CSV UTF-8”"},
    "ledger.damaged": {"en": "the workbook is damaged: {reason}", "zh": "工作簿已损坏：{reason}"},
    "ledger.damaged-hint": {"en": "ask for the file again, or open it in Excel or WPS (which may repair it) and save it",
                            "zh": "请重新获取该文件，或在 Excel / WPS 中打开（可尝试修复）后重新保存"},
    "ledger.not-a-workbook": {"en": "a zip archive, but not an Excel workbook (it has no xl/workbook.xml)",
                              "zh": "是 zip 压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）"},
    "ledger.not-a-workbook-hint": {"en": "check that the right file was sent; save the ledger as .xlsx",
                                   "zh": "请确认文件无误，并将台账保存为 .xlsx"},
    "ledger.inflated": {"en": "the workbook inflates to more than {limit:,} bytes ({size:,} bytes, {member}); "
                              "refused before reading it",
                        "zh": "工作簿解压后超过 {limit:,} 字节（{size:,} 字节，{member}），已在读取前拒绝"},
    "ledger.inflated-hint": {"en": "a zip bomb, or a genuinely huge workbook: if it is genuine, raise the limit in "
                                   "loushi.toml: [limits] inflated_bytes = ...",
                             "zh": "可能是“压缩炸弹”；如确为真实的大文件，可在 loushi.toml 中调高 [limits] inflated_bytes"},
    "ledger.entities": {"en": "{member} declares a DTD or entities ({reason}): refused, a workbook never does",
                        "zh": "{member} 含有 DTD 或实体声明（{reason}），已拒绝：正常的工作簿不会有"},
    "ledger.entities-hint": {"en": "the file was made to attack XML readers (\"billion laughs\", XXE) or was "
                                   "damaged: open it in Excel or WPS and save it again, or ask for it again",
                             "zh": "该文件可能被构造用于攻击 XML 解析（“十亿笑声”、XXE）或已损坏：请在 Excel / WPS 中"
                                   "重新保存，或重新获取"},
    "ledger.bad-xml": {"en": "{member} is not well-formed XML: {reason}", "zh": "{member} 不是格式正确的 XML：{reason}"},
    "ledger.bad-xml-hint": {"en": "open it in Excel or WPS and save it again as .xlsx",
                            "zh": "请在 Excel 或 WPS 中打开后重新保存为 .xlsx"},
    "ledger.rows": {"en": "the sheet has more than {limit:,} rows with values (limit: rows)",
                    "zh": "工作表有值的行超过 {limit:,} 行（限制项：rows）"},
    "ledger.rows-hint": {"en": "split the sheet, or raise the limit in loushi.toml: [limits] rows = ...",
                         "zh": "请拆分工作表，或在 loushi.toml 中调高 [limits] rows"},
    "ledger.cells": {"en": "the sheet has more than {limit:,} cells with values (limit: cells)",
                     "zh": "工作表有值的单元格超过 {limit:,} 个（限制项：cells）"},
    "ledger.cells-hint": {"en": "split the sheet, or raise the limit in loushi.toml: [limits] cells = ...",
                          "zh": "请拆分工作表，或在 loushi.toml 中调高 [limits] cells"},
    "ledger.text": {"en": "a cell of {length:,} characters, more than {limit:,} (limit: text_length)",
                    "zh": "单元格有 {length:,} 个字符，超过 {limit:,}（限制项：text_length）"},
    "ledger.text-hint": {"en": "shorten the text, or raise the limit in loushi.toml: [limits] text_length = ...",
                         "zh": "请缩短内容，或在 loushi.toml 中调高 [limits] text_length"},
    "ledger.csv-size": {"en": "the file has {size:,} bytes, more than {limit:,} (limit: inflated_bytes)",
                        "zh": "文件有 {size:,} 字节，超过 {limit:,}（限制项：inflated_bytes）"},
    "ledger.csv-size-hint": {"en": "split the file, or raise the limit in loushi.toml: [limits] inflated_bytes = ...",
                             "zh": "请拆分文件，或在 loushi.toml 中调高 [limits] inflated_bytes"},
    "ledger.csv-broken": {"en": "the CSV text cannot be read here: {reason}", "zh": "此处的 CSV 内容无法读取：{reason}"},
    "ledger.csv-broken-hint": {"en": "check the quotes and the length of the cell; save the table again as CSV UTF-8",
                               "zh": "请检查引号与单元格长度，并重新保存为“CSV UTF-8”"},
    "ledger.uncomputed": {"en": "a formula nobody computed: the file was saved without its values",
                          "zh": "公式未计算：请在 Excel 中打开并保存，或粘贴为数值"},
    "ledger.uncomputed-hint": {"en": "open it in Excel and save it (Excel computes the formulas), or paste the "
                                     "column as values",
                               "zh": "在 Excel 中打开并保存（Excel 会计算公式），或将该列“选择性粘贴 → 数值”"},
    "ledger.macros": {"en": "a macro-enabled workbook: its macros are never run; its cells are read as last saved",
                      "zh": "启用宏的工作簿：宏不会运行，只读取最后保存的单元格内容"},
    "ledger.macros-hint": {"en": "save it as .xlsx to say so without this note",
                           "zh": "如不需要宏，可另存为 .xlsx"},
    # import
    "import.changed": {"en": "the config was changed during the import; nothing written: run it again",
                       "zh": "配置在导入期间被修改，请重新运行"},
    "import.changed-hint": {"en": "someone (an editor, another run) saved the config after loushi read it; "
                                  "their change is kept",
                            "zh": "loushi 读取配置之后，有人（编辑器或另一次运行）保存了它；其修改已保留"},
    # the language server (engine/lsp)
    "lsp.first-defined": {"en": "first defined here", "zh": "首次定义于此"},
    "lsp.rename-bad-id": {"en": "'{id}' is not an id: letters, digits, CJK characters, '-', '_' or '.'",
                          "zh": "“{id}”不能作为 id：只能用字母、数字、汉字和 - _ ."},
    "lsp.rename-taken": {"en": "the id '{id}' is already used by {what}", "zh": "id “{id}”已被{what}使用"},
    "lsp.hover-id": {"en": "**{what}** `{id}`\n\ndefined at {where}; named in {uses} places",
                     "zh": "**{what}** `{id}`\n\n定义于 {where}；被引用 {uses} 处"},
    "lsp.hover-post": {"en": "- {role}: {count}, from {sources}", "zh": "- {role}：{count} 名，来源 {sources}"},
    "lsp.action-replace": {"en": "Change to '{word}'", "zh": "改为“{word}”"},
    "lsp.action-suppress": {"en": "Suppress {rule} here (write the reason)", "zh": "抑制 {rule}（请填写理由）"},
    "lsp.started": {"en": "loushi language server {version}", "zh": "loushi 语言服务器 {version}"},
    # calendar (engine/calendars.py)
    "calendar.estimated": {"en": "the holidays of {year} are not published yet: estimated",
                           "zh": "{year}年放假安排尚未公布，按推算"},
    "calendar.estimated-past": {"en": "no official holiday data for {year}: estimated",
                                "zh": "{year}年无官方放假安排数据，按推算"},
    "calendar.shape": {"en": "a calendar file is a mapping with a list under `years:`",
                       "zh": "日历文件应为映射，`years:` 下为各年的列表"},
    "calendar.key": {"en": "unknown key '{key}' (known: {known})", "zh": "未知的键“{key}”（可用：{known}）"},
    "calendar.entry": {"en": "a year's entry is a mapping with `year:`, `holidays:` and `workdays:`",
                       "zh": "每一年应为映射，含 `year:`、`holidays:` 和 `workdays:`"},
    "calendar.year": {"en": "'{value}' is not a year from {first} to {last}", "zh": "“{value}”不是{first}至{last}之间的年份"},
    "calendar.list": {"en": "`{key}:` is a list", "zh": "`{key}:` 应为列表"},
    "calendar.holiday": {"en": "a holiday is a date, or {{name, date}}, or {{name, from, to}}",
                         "zh": "节假日应写为日期，或 {{name, date}}，或 {{name, from, to}}"},
    "calendar.date": {"en": "'{value}' is not a date written YYYY-MM-DD", "zh": "“{value}”不是 YYYY-MM-DD 格式的日期"},
    "calendar.outside": {"en": "{date} is not in {year} (nor in the December before)",
                         "zh": "{date} 不在{year}年内（也不在上一年12月）"},
    "calendar.range": {"en": "the holiday from {first} to {last} ends before it starts or is longer than {longest} days",
                       "zh": "节假日自{first}至{last}：结束早于开始，或超过{longest}天"},
    "calendar.both": {"en": "{date} is listed both as a holiday and as a working day",
                      "zh": "{date} 同时列为放假和上班"},
    "calendar.twice": {"en": "the year {year} is declared again (first at {where}): one entry per year",
                       "zh": "{year}年重复声明（首次见 {where}）：每年只写一处"},
    "calendar.clash": {"en": "{date} is a holiday in one entry and a working day in another ({where})",
                       "zh": "{date} 在一处为放假、在另一处（{where}）为上班"},
    "calendar.hint": {"en": "write each year as the State Council's notice gives it; see docs/calendar.md",
                      "zh": "请按国务院办公厅通知逐年填写，见 docs/calendar.md"},
}
