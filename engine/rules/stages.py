"""Stage findings: the rule ids loushi prints that no rule pack holds.

Reading a file (``yaml-*``), finding a district's files (``path-*``, ``include-*``), checking
the format (``schema``), loading rule packs (``rule-pack``) and evaluating them
(``rule-error``), building documents (``kind-template``), routing a batch (``route-batch``) and importing ledgers (``ledger-*``,
``mapping-shape``, ``import-*``) each report findings under an id of their own. Every such id
has an entry here, in Chinese and English, so that ``loushi rules explain ID`` works for every
id loushi can print, and ``loushi rules list --all`` lists them beside the packs' rules.

These findings come before the rules (or outside them): a district's ``rules:`` block cannot
disable or suppress them, since a config that cannot be read, or does not follow the format,
cannot be judged by any rule.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..gate_rules import GATE_RULES
from ..i18n import text


@dataclass(frozen=True)
class Stage:
    """One stage finding's id, where it comes from, and what it means (``{"zh": …, "en": …}``)."""

    id: str
    stage: str
    level: str
    summary: dict
    action: dict


#: Where each stage's findings come from, in both languages.
STAGE_NAMES = {
    "load": {"zh": "读取 YAML", "en": "reading YAML"},
    "sources": {"zh": "查找街道配置的文件", "en": "finding a district's files"},
    "schema": {"zh": "配置格式（JSON Schema）", "en": "the config format (JSON Schema)"},
    "rules": {"zh": "规则包", "en": "rule packs"},
    "model": {"zh": "构建模型（编号与引用）", "en": "building the model (ids and references)"},
    "route": {"zh": "批量分流（loushi route --batch）", "en": "batch routing (loushi route --batch)"},
    "import": {"zh": "台账导入（loushi import）", "en": "ledger import (loushi import)"},
    "migrate": {"zh": "格式升级（loushi migrate）", "en": "format migration (loushi migrate)"},
    "orders": {"zh": "工单核对（loushi orders）", "en": "work-order check (loushi orders)"},
    "render": {"zh": "生成文书（loushi build）", "en": "building documents (loushi build)"},
}


def _stage(ident: str, stage: str, level: str, zh: str, en: str, do_zh: str, do_en: str) -> Stage:
    return Stage(ident, stage, level, {"zh": zh, "en": en}, {"zh": do_zh, "en": do_en})


_ENTRIES = (
    # reading a file (engine/load.py)
    _stage("yaml-read", "load", "error", "文件无法读取：不存在、是文件夹或设备，或超过大小上限。",
           "The file cannot be read: it does not exist, is a folder or a device, or is over the size limit.",
           "检查路径，指向一个 YAML 文件。", "Check the path; name a YAML file."),
    _stage("yaml-empty", "load", "error", "文件是空的，没有 YAML 文档。", "The file is empty: it holds no YAML document.",
           "写入街道配置，或用 loushi init 生成骨架。", "Write the district's config, or start one with loushi init."),
    _stage("yaml-syntax", "load", "error", "YAML 语法错误：缩进、引号、冒号或别名写错。",
           "A YAML syntax error: indentation, quotes, colons or an alias written wrongly.",
           "按提示的行列修改；含冒号或 # 的文字加引号。",
           "Fix the line and column given; quote text that holds a colon or #."),
    _stage("yaml-depth", "load", "error", "嵌套层数超过上限。", "Nesting deeper than the limit.",
           "把深层结构拆开，用 id 互相引用。", "Flatten the structure and refer to entries by id."),
    _stage("yaml-encoding", "load", "error", "文件不是有效的 UTF-8（或声明的编码）。",
           "The file is not valid UTF-8 (or the encoding it declares).",
           "用 UTF-8 重新保存文件。", "Save the file again as UTF-8."),
    _stage("yaml-key", "load", "error", "映射或别名被用作键。", "A mapping, a list or an alias used as a key.",
           "把键写成普通文字。", "Write the key out as plain text."),
    _stage("yaml-alias-bomb", "load", "error", "别名展开后的值过多（别名炸弹）。",
           "Aliases expand to too many values (an alias bomb).",
           "把重复部分写出来，或少用嵌套别名。", "Write the repeated parts out, or use fewer nested aliases."),
    _stage("yaml-documents", "load", "error", "一个文件里有多个 YAML 文档（第二个 ---）。",
           "The file holds more than one YAML document (a second `---`).",
           "一个文件写一个街道；用 include: 拆分。", "Put one district in a file; split a district with `include:`."),
    _stage("yaml-merge-key", "load", "error", "不支持合并键（<<:）。", "Merge keys (`<<:`) are not supported.",
           "把键写出来，或用 id 共享实体。", "Write the keys out, or share whole entities by id."),
    _stage("yaml-duplicate-key", "load", "error", "同一映射里的键重复，第二个会被忽略。",
           "A key repeated in one mapping; the second one would be ignored.",
           "删去其中一个，或合并两者。", "Remove one of the two, or merge them."),
    _stage("yaml-control-character", "load", "error", "文字里有任何文档都无法显示的控制字符。",
           "The text holds a control character that no document can show.",
           "删去该字符（常见于从其他软件复制的文字）。", "Delete the character (often pasted from another program)."),
    _stage("yaml-invisible-character", "load", "error", "文字里有看不见却改变显示的字符（如 U+202E 反向字符）。",
           "The text holds a character that changes how it shows without being seen (such as U+202E).",
           "不带该字符重新输入文字（常随网页或聊天中复制的文字而来）。",
           "Retype the text without it (it often comes with text copied from a web page or a chat)."),
    _stage("yaml-tag", "load", "error", "不允许的 YAML 标签（!!python 等），或标签与值不符。",
           "A YAML tag that is not allowed (!!python …), or a value its tag does not fit.",
           "删去标签，写成普通的值。", "Drop the tag and write a plain value."),
    # finding a district's files (engine/sources.py, engine/usable.py)
    _stage("path-missing", "sources", "error", "命令行给出的路径不存在。", "A path given on the command line does not exist.",
           "检查路径。", "Check the path."),
    _stage("path-not-one-district", "sources", "error", "此处应为一个街道配置，却找到零个或多个。",
           "One district was expected here, and none or several were found.",
           "指向街道的主文件，或只含该街道的文件夹。", "Name the district's main file, or a folder holding only that district."),
    _stage("include-missing", "sources", "error", "include 的模式匹配不到任何文件。", "An `include:` pattern matches no file.",
           "检查模式；路径相对于主文件所在文件夹。", "Check the pattern; it is relative to the main file's folder."),
    _stage("include-outside", "sources", "error", "include 指向街道文件夹之外。", "An `include:` reaches outside the district's folder.",
           "把被引用的文件放进街道文件夹。", "Move the included files into the district's folder."),
    _stage("include-self", "sources", "error", "include 引用了主文件自身。", "An `include:` names the main file itself.",
           "只 include 街道的其他文件。", "Include only the other files of the district."),
    _stage("include-folder", "sources", "error", "include 指向一个文件夹，而不是文件。", "An `include:` names a folder, not files.",
           "写出文件夹中的文件，如 clusters/*.yaml。", "Name the files in it, e.g. `clusters/*.yaml`."),
    _stage("include-not-yaml", "sources", "error", "include 指向的不是 .yaml 或 .yml 文件。",
           "An `include:` names a file that is not a .yaml or .yml file.",
           "只 include 街道的 YAML 文件。", "Include only the district's YAML files."),
    _stage("include-not-file", "sources", "error", "include 指向的不是普通文件（设备、管道等）。",
           "An `include:` names something that is not a regular file (a device, a pipe …).",
           "只 include 街道的 YAML 文件。", "Include only the district's YAML files."),
    _stage("district-duplicate", "sources", "error", "一次运行中给出的两个街道配置使用了同一个街道 id。",
           "Two districts given in one run have the same district id.",
           "给每个街道不同的 id，或分开运行。", "Give each district its own id, or run loushi on them separately."),
    _stage("include-shape", "sources", "error", "被引用的文件不是实体列表的映射，或含有只能写在主文件里的键。",
           "An included file is not a mapping of entity lists, or holds a key only the main file may hold.",
           "被引用的文件只写 buildings:、people: 等列表。", "Give an included file only lists such as `buildings:` and `people:`."),
    # the format (engine/schema)
    _stage("schema", "schema", "error", "配置不符合街道配置格式：缺少必填字段、类型不对或有未知字段。",
           "The config does not follow the district config format: a required field missing, a wrong type "
           "or an unknown field.",
           "按提示修改；loushi schema 输出完整格式，docs/format.md 有说明。",
           "Fix it as the hint says; `loushi schema` prints the format and docs/format.md describes it."),
    # rule packs (engine/rules)
    _stage("rule-pack", "rules", "error", "规则包或治理模式文件损坏：不符合规则包格式，或表达式无法编译。",
           "A rule pack or a governance model is broken: it does not follow the pack format, or an "
           "expression does not compile.",
           "按提示的文件和行修改；loushi rules test 检查规则包及其示例。",
           "Fix the file and line given; `loushi rules test` checks a pack and its examples."),
    # building the model (engine/model): the gate's checks of ids and references
    _stage("duplicate-id", "model", "error", "同一个编号在配置中用了两次。",
           "An id is used twice in the config.",
           "给其中一个换一个唯一的编号，并改掉引用它的地方。",
           "Give one of them an id of its own, and change the places that refer to it."),
    _stage("reference", "model", "error", "某个字段引用的编号在配置中不存在（人员、单位、网格、党组织等）。",
           "A field names an id the config does not define (a person, unit, grid, party organisation ...).",
           "按提示改成已有的编号，或补上被引用的条目。",
           "Use an existing id, as the hint suggests, or add the entry it names."),
    # the project's calendar (engine/calendars.py): checked by the gate
    _stage("calendar-file", "model", "error", "项目 calendars/ 文件夹中的日历文件有误（未知的键、错误的日期、同一天既放假又上班、同一年写了两次）。",
           "A calendar file in the project's calendars/ folder is wrong (an unknown key, a wrong date, a day both "
           "off and worked, a year written twice).",
           "按提示改正该文件的该行；日历格式见 docs/calendar.md。",
           "Fix the file at the line given; docs/calendar.md describes the format."),
    _stage("not-a-rule", "rules", "error", "街道配置的 rules: 试图停用、豁免或调整一项规则之前的检查。",
           "A district's `rules:` block tries to disable, suppress or re-level a check that runs before the rules.",
           "删去这一项：这些检查不是规则，配置必须先通过它们。",
           "Remove the entry: these checks are not rules, and every config must pass them."),
    _stage("rule-error", "rules", "error", "规则的表达式对某个实体无法求值。",
           "A rule's expression could not be evaluated for an entity.",
           "修改规则（用 is defined 处理可能缺少的字段），或修改该实体。",
           "Fix the rule (guard a field that may be missing with `is defined`), or the entity."),
    # batch routing (engine/route_io.py)
    _stage("route-batch", "route", "error", "批量分流的输入文件有一行无法使用。", "A line of a batch routing input cannot be used.",
           "按提示的行修改输入文件。", "Fix the line of the input file given."),
    # ledger import (engine/ledger)
    _stage("ledger-missing", "import", "error", "台账文件不存在。", "The ledger file does not exist.",
           "检查路径。", "Check the path."),
    _stage("ledger-format", "import", "error", "不是 loushi 能读的台账格式。", "Not a ledger format loushi reads.",
           "另存为 .xlsx 或 .csv。", "Save it as .xlsx or .csv."),
    _stage("ledger-unreadable", "import", "error", "工作簿无法读取。", "The workbook cannot be read.",
           "用表格软件打开并重新保存。", "Open it in a spreadsheet program and save it again."),
    _stage("ledger-encoding", "import", "warning", "CSV 不是 UTF-8 文本（按 GB18030 读取，或无法读取）。",
           "A CSV that is not UTF-8 text (read as GB18030, or not readable).",
           "另存为 UTF-8 的 CSV。", "Save the CSV as UTF-8."),
    _stage("ledger-empty", "import", "error", "工作表或某行为空。", "A sheet or a row is empty.",
           "填写内容，或删除该表/行。", "Fill it in, or delete it."),
    _stage("ledger-blank-sheet", "import", "warning", "工作表只有表头、没有数据行：导入时跳过。",
           "A sheet has only its header and no rows: the import passes over it.",
           "填写它，或删除该表。", "Fill it in, or delete the sheet."),
    _stage("ledger-header", "import", "error", "找不到含名称列的表头行。", "No header row with a name column was found.",
           "加上表头，或用 --mapping 指定列。", "Add the headers, or map the columns with --mapping."),
    _stage("ledger-merged", "import", "error", "合并单元格：只有第一个单元格有值。", "Merged cells: only the first cell holds a value.",
           "取消合并，把值填到每个单元格。", "Unmerge the cells and fill each one."),
    _stage("ledger-missing-name", "import", "error", "某行缺少名称。", "A row has no name.",
           "填写名称，或删除该行。", "Fill the name, or delete the row."),
    _stage("ledger-not-a-name", "import", "error", "名称列的值不像名称。", "A value in the name column is not a name.",
           "改正该单元格。", "Correct the cell."),
    _stage("ledger-not-a-count", "import", "error", "应为数量的单元格不是数字。", "A cell that holds a count is not a number.",
           "填写整数。", "Write a whole number."),
    _stage("ledger-not-a-date", "import", "error", "应为日期的单元格不是日期。", "A cell that holds a date is not a date.",
           "写成 YYYY-MM-DD。", "Write it as YYYY-MM-DD."),
    _stage("ledger-unknown-value", "import", "error", "单元格的值不在允许的取值之中。", "A cell's value is not one of the known values.",
           "改用提示中的取值。", "Use one of the values the hint lists."),
    _stage("ledger-not-text", "import", "error", "应为文字的单元格是其他类型的值。", "A cell that holds text holds another kind of value.",
           "改成文字。", "Write it as text."),
    _stage("ledger-bad-id", "import", "error", "该值不能用作 id。", "The value cannot be an id.",
           "id 只用小写字母、数字和连字符。", "Use lowercase letters, digits and hyphens in ids."),
    _stage("ledger-duplicate", "import", "error", "台账中同一实体出现两次。", "The same entity appears twice in the ledgers.",
           "删除或合并重复的行。", "Delete or merge the repeated rows."),
    _stage("ledger-unknown-reference", "import", "error", "单元格引用的实体在台账和配置中都不存在。",
           "A cell names an entity that neither the ledgers nor the config hold.",
           "检查拼写，或先导入被引用的实体。", "Check the spelling, or import the entity it names first."),
    _stage("mapping-shape", "import", "error", "列映射文件（--mapping）不符合其格式。", "The column mapping file (--mapping) does not follow its format.",
           "按提示的行修改映射文件。", "Fix the mapping file at the line given."),
    _stage("import-config-unusable", "import", "error", "要导入的街道配置无法使用或无法写入。",
           "The district config to import into cannot be used or written.",
           "先让 loushi validate 通过，或检查写入权限。", "Make `loushi validate` pass first, or check the permissions."),
    _stage("import-invalid", "import", "error", "导入后的配置将不合格，因此没有写入。",
           "The config would be invalid after the import, so nothing was written.",
           "按提示修改台账后重新导入。", "Fix the ledgers as the findings say, and import again."),
    _stage("import-other-file", "import", "warning", "实体位于街道的另一个文件中，导入时在原处更新。",
           "An entity lies in another file of the district; the import updates it there.",
           "无需处理；如需移动请手工修改。", "Nothing to do; move it by hand if you want it elsewhere."),
    # hostile and broken ledgers (engine/ledger/guard.py), the project's limits (engine/project.py)
    _stage("ledger-encrypted", "import", "error", "工作簿已加密（设有打开密码）。",
           "The workbook is encrypted (password-protected).",
           "在 Excel 或 WPS 中取消密码后另存为 .xlsx。", "Remove the password in Excel or WPS and save it as .xlsx."),
    _stage("ledger-xml-entities", "import", "error", "工作簿的 XML 含有 DTD 或实体声明（“十亿笑声”、XXE）。",
           "An XML part of the workbook declares a DTD or entities (\"billion laughs\", XXE).",
           "重新获取文件，或在 Excel / WPS 中重新保存。", "Ask for the file again, or save it again in Excel or WPS."),
    _stage("ledger-limit", "import", "error", "文件超过读取上限（解压字节、行、单元格或单元格字数）。",
           "The file is past a limit (bytes inflated, rows, cells or characters in a cell).",
           "拆分文件；如确属真实数据，在 loushi.toml 的 [limits] 中调高该项。",
           "Split the file; if it is genuine, raise that limit under [limits] in loushi.toml."),
    _stage("ledger-formula-uncomputed", "import", "error", "公式未计算：单元格只有公式，没有保存的值。",
           "A formula nobody computed: the cell holds a formula and no saved value.",
           "请在 Excel 中打开并保存，或粘贴为数值。", "Open it in Excel and save it, or paste the column as values."),
    _stage("ledger-macros", "import", "warning", "启用宏的工作簿：宏不会运行，只读取单元格。",
           "A macro-enabled workbook: its macros are never run; its cells are read.",
           "无需处理；不需要宏时可另存为 .xlsx。", "Nothing to do; save it as .xlsx if the macros are not needed."),
    _stage("project-config", "sources", "error",
           "项目文件 loushi.toml 无法使用（语法、未知的设置项、取值，或所列的文件夹不存在）。",
           "The project file loushi.toml cannot be used (its syntax, an unknown setting, a value, or a folder it "
           "names that does not exist).",
           "按提示改正所示的行。", "Correct the line it names, as the hint says."),
    _stage("import-busy", "import", "error", "另一个 loushi 进程正在写入该配置，等待超时。",
           "Another loushi run is writing the config, for longer than the wait.",
           "待其结束后重新运行。", "Run the import again when it is done."),
    _stage("import-changed-meanwhile", "import", "error", "配置在导入期间被修改，未写入。",
           "The config was changed during the import; nothing written.",
           "重新运行导入；对方的修改已保留。", "Run the import again; the other change is kept."),
    # the format version (engine/migrate) and the kinds catalogue (engine/model/kinds.py)
    _stage("format-v1", "schema", "info", "配置按第 1 版格式书写，已在内存中升级为第 2 版后再检查；文件未改动。",
           "The config is written in format version 1; it was upgraded to version 2 in memory and checked; "
           "the file is unchanged.",
           "运行 loushi migrate 把文件改写为第 2 版（注释与排版保留）。",
           "Run loushi migrate to rewrite the file as version 2 (comments and layout kept)."),
    _stage("kinds", "model", "error",
           "种类声明（kinds:，或项目、内置的种类文件）有误：不符合格式，或同一 id 已以不同内容声明。",
           "A kinds declaration (kinds:, or a project's or loushi's kinds file) is wrong: it does not follow "
           "the format, or the same id is already declared differently.",
           "按提示改正；同一种类只声明一次，或换一个 id。", "Correct it as the hint says; declare a kind once, or use another id."),
    _stage("migrate", "migrate", "error",
           "loushi migrate 无法改写该文件：无法在保留排版的前提下读取，或 loushi: 写的不是已知的格式版本。",
           "loushi migrate cannot rewrite the file: it cannot be read keeping its layout, or loushi: names a "
           "format version loushi does not know.",
           "写 loushi: 2（现行格式）或 loushi: 1（旧格式），并先让 loushi validate 能读取该文件。",
           "Write loushi: 2 (the current format) or loushi: 1 (the old one), and make the file readable to "
           "loushi validate first."),
    # a work-order export (engine/orders)
    _stage("orders-empty", "orders", "error", "工单导出表没有任何行。", "The work-order export has no rows.",
           "检查导出的是否为工单表。", "Check that the export is the work-order sheet."),
    _stage("orders-column", "orders", "error", "表头中找不到工单所需的列（编号、受理时间、楼宇、诉求类别等）。",
           "The header row lacks a column a work order needs (its number, received time, building, category …).",
           "在街道配置的 work_orders: columns: 中写明导出表的列名。",
           "Name the export's columns under work_orders: columns: in the district config."),
    _stage("orders-blank", "orders", "error", "工单的必填单元格为空。", "A cell a work order needs is empty.",
           "补全导出表，或在系统中补录后重新导出。", "Fill the cell, or complete the order in the system and export again."),
    _stage("orders-time", "orders", "error", "时间单元格无法读取，或早于受理时间。",
           "A time cell cannot be read, or is before the order was received.",
           "写成 2025-03-01 09:30 的形式。", "Write it as 2025-03-01 09:30."),
    _stage("orders-building", "orders", "error", "工单所写的楼宇不在该街道配置中。",
           "The order's building is not in the district config.",
           "检查楼宇名称，或把该楼宇加入配置。", "Check the building's name, or add the building to the config."),
    _stage("orders-category", "orders", "error", "工单的诉求类别对应不到任何事项。",
           "The order's category matches no matter.",
           "在 work_orders: categories: 中把该类别对应到一个事项。",
           "Map the category to a matter under work_orders: categories:."),
    _stage("orders-limits", "orders", "error", "工单对应的事项没有规定响应和办结时限。",
           "The order's matter sets no response or resolution limit for work orders.",
           "在该事项下写 work_order:（response、resolution）。",
           "Give the matter a work_order: block (response, resolution)."),
    _stage("orders-route", "orders", "error", "按街道的分流规则无法为该工单找到处理路径。",
           "The district's escalation rules give no path for the order.",
           "按提示补全该事项的分流规则。", "Complete the matter's escalation as the hint says."),
    # building documents (engine/render)
    _stage("kind-template", "render", "error",
           "某类机构（或党组织的会议）指定的章程、制度或会议记录模板，在所有模板文件夹中都找不到；生成文书前即停止，一份也不写。",
           "The charter, system or meeting-record template a kind (or a party organisation's meeting) names is in "
           "no template folder; the build stops before writing any document.",
           "把模板放进项目的 templates/ 文件夹或 --templates 指定的文件夹，或改正该类别 template:/record: 中的文件名。",
           "Put the template in the project's templates/ folder or the --templates folder, or correct the file name "
           "under the kind's template:/record:."),
)

#: Every stage finding's entry, by id.
STAGES: dict[str, Stage] = {entry.id: entry for entry in _ENTRIES}


def gate_ids() -> frozenset[str]:
    """The ids a district's ``rules:`` block cannot disable or suppress, nor a baseline accept:
    the gate's checks (engine/gate_rules.py)."""
    return GATE_RULES


def listing(lang: str) -> str:
    """One line per stage finding: id, level, stage, whether it is a gate check, and its summary."""
    lang = lang if lang in ("zh", "en") else "en"
    width = max(len(ident) for ident in STAGES)
    gate, mark = gate_ids(), {"zh": "不可停用", "en": "gate"}[lang]
    # the stage by its id in English (as the listing always said it), by its name in Chinese
    named = {stage: stage if lang == "en" else names[lang] for stage, names in STAGE_NAMES.items()}
    column = max(10, *(_width(name) for name in named.values()))
    lines = [f"{s.id:<{width}}  {s.level:<7}  {_pad(named[s.stage], column)}  {mark if s.id in gate else '':<8}  "
             f"{s.summary[lang]}" for s in sorted(STAGES.values(), key=_order)]
    return "\n".join(lines) + "\n"


def _width(said: str) -> int:
    """The columns ``said`` takes on a terminal (a CJK character two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in said)


def _pad(said: str, width: int) -> str:
    return said + " " * (width - _width(said))


def _order(entry: Stage) -> tuple:
    return (list(STAGE_NAMES).index(entry.stage), entry.id)


def explain(entry: Stage, lang: str) -> str:
    """What a stage finding means and what to do, in ``lang`` (a Chinese reader meets no English
    unless asking for it, nor an English one Chinese)."""
    lang = lang if lang in ("zh", "en") else "en"
    parts = [text("stage.title", lang, id=entry.id, stage=STAGE_NAMES[entry.stage][lang], level=entry.level), "",
             entry.summary[lang], text("stage.action", lang, action=entry.action[lang]), ""]
    parts.append(text("stage.gate", lang))
    return "\n".join(parts).rstrip() + "\n"
