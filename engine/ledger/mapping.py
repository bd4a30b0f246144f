"""The column mapping: which ledger column fills which field of which entity.

Four ledgers are known (``KINDS``): 楼宇台账 (buildings), 企业台账 (units), 人员名册 (people)
and 党组织台账 (party_orgs). A building's place is a column like its 楼群: 所属社区 and 所属街道
name one of the district's ``communities`` and ``subdistricts`` (by id or name). Each field has the Chinese headers that work out of the box
(``HEADERS``); a sheet's kind is the kind whose name column (楼宇名称, 单位名称, 姓名,
党组织名称) its header row holds, the leftmost if several. Cells of enumerated fields are
read through ``VALUES`` (企业 → enterprise, 联建 → joint ...); the ids themselves are
accepted too. Party organisation kinds are data (rules/kinds/ and a district's ``kinds:``):
their labels (党支部, 联合党委 ...) and ids are read as the kinds in effect say
(:meth:`Mapping.add_kinds`). Each field has an English header too (``HEADERS_EN``: what
``--lang en`` templates write). A mapping file (YAML, see docs/ledger.md) adds headers and values, and can
name a sheet's kind and header row::

    columns:
      units: {name: [企业全称], party_full: [党员人数]}
    values:
      unit_kind: {民营企业: enterprise}
    sheets:
      企业名录: {kind: units, header_row: 3}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from .. import schema as schema_words
from ..i18n import text as said
from ..load import load_file, locate
from .read import Problem, Sheet, column_letter

KINDS = ("buildings", "units", "people", "party_orgs")
LEDGER_NAMES = {"buildings": "楼宇台账", "units": "企业台账", "people": "人员名册", "party_orgs": "党组织台账"}
LEDGER_NAMES_EN = {"buildings": "Buildings", "units": "Units", "people": "People", "party_orgs": "Party organisations"}
#: The sheets of a blank ledger (engine/ledger/template.py) that hold no ledger: its notes and
#: the lists its drop-downs offer, in either language. An import passes over them.
TEMPLATE_SHEETS = frozenset(("填写说明", "下拉列表", "Instructions", "Lists"))
#: kind → field → headers that name it out of the box (the first is the documented one).
HEADERS = {
    "buildings": {"name": ["楼宇名称", "楼宇"], "id": ["楼宇编号"], "zone": ["所属片区", "片区"],
                  "cluster": ["所属楼群", "楼群"], "community": ["所属社区", "所在社区", "社区"],
                  "subdistrict": ["所属街道", "所在街道", "街道"], "owner": ["产权单位", "产权方"],
                  "property_manager": ["物业公司", "物业服务企业", "物业单位"], "address": ["地址", "楼宇地址"],
                  "kind": ["楼宇类型"]},
    "units": {"name": ["单位名称", "企业名称"], "id": ["单位编号", "企业编号"], "building": ["所在楼宇", "所属楼宇"],
              "kind": ["单位类型", "企业类型"], "party_full": ["正式党员数", "正式党员"],
              "party_probationary": ["预备党员数", "预备党员"]},
    "people": {"name": ["姓名"], "id": ["人员编号"], "affiliation": ["所属单位", "工作单位", "所在单位"], "title": ["职务"],
               "party": ["政治面貌"], "party_since": ["入党时间"], "phone": ["联系电话", "电话"]},
    "party_orgs": {"name": ["党组织名称"], "id": ["党组织编号"], "kind": ["类别", "党组织类别"],
                   "form": ["单建联建", "组建方式"], "units": ["覆盖单位"], "secretary": ["书记"],
                   "parent": ["上级党组织"], "last_election": ["换届时间"], "members_full": ["正式党员数"],
                   "members_probationary": ["预备党员数"]},
}
#: kind → field → its English header (read as well as the Chinese ones).
HEADERS_EN = {
    "buildings": {"name": "Building name", "id": "Building id", "zone": "Zone", "cluster": "Cluster grid",
                  "community": "Community", "subdistrict": "Subdistrict", "owner": "Owner", "property_manager": "Property manager", "address": "Address",
                  "kind": "Building kind"},
    "units": {"name": "Unit name", "id": "Unit id", "building": "Building", "kind": "Unit kind",
              "party_full": "Full party members", "party_probationary": "Probationary party members"},
    "people": {"name": "Name", "id": "Person id", "affiliation": "Affiliation", "title": "Title",
               "party": "Party status", "party_since": "Joined the party", "phone": "Phone"},
    "party_orgs": {"name": "Party organisation name", "id": "Party organisation id", "kind": "Kind",
                   "form": "Single or joint", "units": "Units covered", "secretary": "Secretary",
                   "parent": "Parent organisation", "last_election": "Last election",
                   "members_full": "Full members", "members_probationary": "Probationary members"},
}
#: (kind, field) → the value table its cells are read through.
ENUM_FIELDS = {("buildings", "kind"): "building_kind", ("units", "kind"): "unit_kind",
               ("people", "party"): "party", ("party_orgs", "kind"): "party_kind",
               ("party_orgs", "form"): "form"}
VALUES = {
    "building_kind": {"商务楼宇": "office", "写字楼": "office", "办公楼": "office", "商场": "mall",
                      "商业综合体": "mall", "综合体": "mixed", "商住混合": "mixed", "产业园": "industrial",
                      "园区": "industrial", "厂房": "industrial", "其他": "other"},
    "unit_kind": {"企业": "enterprise", "社会组织": "ngo", "产权单位": "owner", "产权方": "owner",
                  "物业": "property", "物业公司": "property", "物业服务企业": "property",
                  "律师事务所": "law_firm", "律所": "law_firm", "社区": "community", "居委会": "community",
                  "社区居委会": "community", "事业单位": "institution", "机关": "government",
                  "政府机关": "government", "其他": "other"},
    "party": {"中共党员": "full", "党员": "full", "正式党员": "full", "中共预备党员": "probationary",
              "预备党员": "probationary", "群众": "none", "共青团员": "none", "民主党派": "none",
              "无党派人士": "none", "无": "none"},
    "party_kind": {"党工委": "working_committee", "综合党委": "umbrella_committee", "党委": "committee",
                   "党总支": "general_branch", "联合党总支": "general_branch",
                   "党支部": "branch", "联合党支部": "branch", "区委": "district_committee",
                   "街道党委": "subdistrict_committee", "商圈党委": "business_district_committee",
                   "临时党支部": "temporary_branch"},
    "form": {"单建": "single", "单独组建": "single", "联建": "joint", "联合组建": "joint"},
}
#: The enum ids the schema accepts, per value table.
ENUM_IDS = {"building_kind": ("office", "mall", "mixed", "industrial", "other"),
            "unit_kind": ("enterprise", "ngo", "owner", "property", "law_firm", "community", "institution",
                          "government", "other"),
            "party": ("full", "probationary", "none"),
            "party_kind": ("district_committee", "working_committee", "subdistrict_committee", "umbrella_committee",
                           "business_district_committee", "joint_committee", "committee", "general_branch", "branch",
                           "temporary_branch"),
            "form": ("single", "joint")}
#: The rule of a sheet with headers and no rows, passed over (a warning); when no sheet of the
#: ledgers has rows, each such sheet is the error ``ledger-empty``.
BLANK_RULE = "ledger-blank-sheet"
#: How far down a sheet the header row is looked for.
HEADER_SEARCH = 10


@dataclass
class Table:
    """A sheet read as one ledger: its kind, header row and which column holds which field."""

    sheet: Sheet
    kind: str
    header_row: int
    columns: dict[str, int]           # field → column index
    headers: dict[int, str]           # column index → header text

    def records(self):
        """(row number, {field: (value, column)}) for every row below the header."""
        for number, values in self.sheet.rows:
            if number <= self.header_row:
                continue
            yield number, {f: (values[c], c) for f, c in self.columns.items() if c in values}


@dataclass
class Mapping:
    """Headers and values: the defaults, with a mapping file's additions first."""

    headers: dict[str, dict[str, list[str]]] = field(default_factory=lambda: {
        k: {f: [*h, HEADERS_EN[k][f]] for f, h in v.items()} for k, v in HEADERS.items()})
    values: dict[str, dict[str, str]] = field(default_factory=lambda: {k: dict(v) for k, v in VALUES.items()})
    sheets: dict[str, dict] = field(default_factory=dict)
    #: value table → the ids it accepts (the party organisation kinds grow with the kinds in effect).
    ids: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(ENUM_IDS))
    #: value table → id → the label a list offers for it (a kind's own label).
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    #: (kind, field) and (table, text) pairs a mapping file gave (they win over the defaults).
    given: set = field(default_factory=set)

    def add_kinds(self, kinds: dict[str, str]) -> None:
        """Read party organisation kinds as ``kinds`` (id → label: the shipped kinds and the
        district's) say: each id and label is a known value; a label a mapping file maps
        otherwise keeps the mapping file's meaning."""
        table = "party_kind"
        self.ids[table] = tuple(dict.fromkeys((*self.ids[table], *kinds)))
        for ident, label in kinds.items():
            self.labels.setdefault(table, {})[ident] = label
            if (table, label) not in self.given:
                self.values[table][label] = ident

    def header(self, kind: str, name: str, lang: str) -> str:
        """The header a blank ledger writes for field ``name`` of ``kind``: a mapping file's
        first, else the documented Chinese one, or the English one in English."""
        if (kind, name) in self.given:
            return self.headers[kind][name][0]
        return HEADERS_EN[kind][name] if lang == "en" else HEADERS[kind][name][0]

    def choices(self, table: str, lang: str) -> list[str]:
        """What a blank ledger's drop-down offers for ``table``: one value per id, its label
        (Chinese: the kind's own label, else the first text read as it), or the id in English."""
        if lang == "en":
            return list(self.ids[table])
        first: dict[str, str] = {}
        for said, ident in self.values[table].items():
            first.setdefault(ident, said)
        own = self.labels.get(table, {})
        return list(dict.fromkeys(own.get(i) or first.get(i) or i for i in self.ids[table]))

    def field_of(self, kind: str, header: str) -> str | None:
        for name, headers in self.headers[kind].items():
            if header in headers:
                return name
        return None

    def enum(self, table: str, text: str) -> str | None:
        if text in self.ids[table]:
            return text
        return self.values[table].get(text)

    def table(self, sheet: Sheet, lang: str = "zh") -> tuple[Table | None, list[Problem]]:
        """The ledger ``sheet`` holds, or why it is none (in ``lang``)."""
        if not sheet.rows:
            return None, [Problem(sheet.where(), "error", "ledger-empty", said("ledger.empty", lang),
                                  said("ledger.empty-hint", lang))]
        spec = self.sheets.get(sheet.name if sheet.name is not None else Path(sheet.book).stem, {})
        found = self._header(sheet, spec)
        if found is None:
            names = "、".join(self.headers[k]["name"][0] for k in KINDS)
            return None, [Problem(sheet.where(), "error", "ledger-header",
                                  said("ledger.no-header", lang, names=names, rows=HEADER_SEARCH),
                                  said("ledger.no-header-hint", lang))]
        kind, row, headers = found
        columns = {}
        for column, text in sorted(headers.items()):
            name = self.field_of(kind, text)
            if name is not None and name not in columns:
                columns[name] = column
        table = Table(sheet, kind, row, columns, headers)
        problems = _merged(sheet, row, lang)
        if not any(number > row for number, _ in sheet.rows):
            # a blank ledger's sheet nobody needed: passed over while another sheet has rows
            # (engine/ledger/apply.py says so, or refuses when no sheet has any)
            return None, problems + [Problem(sheet.where(row, 1), "warning", BLANK_RULE,
                                             said("ledger.no-rows", lang), said("ledger.empty-hint", lang))]
        return table, problems

    def _header(self, sheet: Sheet, spec: dict) -> tuple[str, int, dict[int, str]] | None:
        for number, values in sheet.rows:
            if spec.get("header_row") and number != spec["header_row"]:
                continue
            if number > HEADER_SEARCH and not spec.get("header_row"):
                return None
            headers = {c: str(v) for c, v in values.items() if isinstance(v, str)}
            kinds = [spec["kind"]] if spec.get("kind") else KINDS
            hits = sorted((c, k) for k in kinds for c, text in headers.items() if self.field_of(k, text) == "name")
            if hits:
                return hits[0][1], number, headers
        return None


def _merged(sheet: Sheet, header_row: int, lang: str) -> list[Problem]:
    problems = []
    for min_row, min_col, max_row, max_col in sheet.merged:
        if max_row < header_row:
            continue  # a title above the table
        span = column_letter_range(min_col, min_row, max_col, max_row)
        problems.append(Problem(sheet.where(min_row, min_col), "error", "ledger-merged",
                                said("ledger.merged", lang, span=span), said("ledger.merged-hint", lang)))
    return problems


def column_letter_range(min_col: int, min_row: int, max_col: int, max_row: int) -> str:
    return f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"


def load_mapping(path: str | Path | None, lang: str = "zh") -> tuple[Mapping, list[Problem]]:
    """The default mapping, with the mapping file at ``path`` (if any) added; problems in ``lang``."""
    mapping = Mapping()
    if path is None:
        return mapping, []

    doc = load_file(Path(path), str(path))
    if doc.fatal:
        return mapping, [Problem(f.where, "error", f.rule, f.message, f.hint)
                         for f in doc.findings]
    data = doc.data if doc.data is not None else {}
    problems = _check_mapping(data, str(path), lang)
    if not problems:
        _add(mapping, data)
    return mapping, problems


def _check_mapping(data, name: str, lang: str) -> list[Problem]:
    """The mapping file's shape, each mistake at its file:line:col."""

    validator = jsonschema.Draft202012Validator(MAPPING_SCHEMA)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        src, line, col = locate(data, tuple(error.absolute_path))
        message = error.message if lang == "en" else schema_words.describe(error, lang)[0]
        problems.append(Problem(f"{src or name}:{line}:{col}", "error", "mapping-shape", message,
                                said("ledger.mapping-hint", lang)))
    return problems


def _add(mapping: Mapping, data) -> None:
    for kind, fields in (data.get("columns") or {}).items():
        for name, headers in fields.items():
            headers = [headers] if isinstance(headers, str) else list(headers)
            mapping.headers[kind][name] = headers + [h for h in mapping.headers[kind].get(name, []) if h not in headers]
            mapping.given.add((kind, name))
    for table, pairs in (data.get("values") or {}).items():
        mapping.values[table].update({str(k): v for k, v in pairs.items()})
        mapping.given.update((table, str(k)) for k in pairs)
    mapping.sheets.update({str(k): dict(v) for k, v in (data.get("sheets") or {}).items()})


def _mapping_schema() -> dict:
    headers = {"oneOf": [{"type": "string", "minLength": 1},
                         {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}]}
    columns = {kind: {"type": "object", "additionalProperties": False,
                      "properties": {f: headers for f in fields}} for kind, fields in HEADERS.items()}
    values = {table: {"type": "object", "additionalProperties": {"enum": list(ids)}} for table, ids in ENUM_IDS.items()}
    sheet = {"type": "object", "additionalProperties": False,
             "properties": {"kind": {"enum": list(KINDS)}, "header_row": {"type": "integer", "minimum": 1}}}
    return {"type": "object", "additionalProperties": False, "properties": {
        "columns": {"type": "object", "additionalProperties": False, "properties": columns},
        "values": {"type": "object", "additionalProperties": False, "properties": values},
        "sheets": {"type": "object", "additionalProperties": sheet}}}


MAPPING_SCHEMA = _mapping_schema()
