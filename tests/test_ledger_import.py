"""``loushi import``: realistic ledgers of a few hundred rows into a fresh config and into a
hand-commented copy of mini; a second import changes nothing; a shipped district comes back
from ledgers built out of it."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import exitcodes
from engine.cli import cli
from engine.pipeline import validate
from engine.load.sources import read_district

from ledger_build import district_ledgers, workbook

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
SHIPPED = sorted((ROOT / "configs" / "districts").glob("*.yaml"))
CHANGFENG = ROOT / "configs" / "districts" / "changfeng" / "district.yaml"
#: A 区 of two 街道, each with a 社区, and one building placed in neither yet.
PLACED = """\
loushi: 2
district:
  id: placed
  name: 试点区
rules:
  suppress:
    - {rule: building-one-cluster, reason: 未划网格}
subdistricts:
  - {id: sd-east, name: 东街道}
  - {id: sd-west, name: 西街道}
communities:
  - {id: c-lake, name: 湖滨社区, subdistrict: sd-east}
  - {id: c-hill, name: 山前社区, subdistrict: sd-west}
buildings:
  - {id: b-1, name: 甲楼}
"""
FRESH = """\
# 新建街道: zones and grids written by hand; the ledgers bring the rest.
loushi: 2
district:
  id: fresh
  name: 新建街道
zones:
  - {id: z-1, name: 东片}
grids:
  - {id: g-block, name: 东街区网格, level: block, zone: z-1}
  - {id: g-c1, name: 一号楼群网格, level: cluster, parent: g-block}
  - {id: g-c2, name: 二号楼群网格, level: cluster, parent: g-block}
"""
LEDGER_FIELDS = {"buildings": ("name", "zone", "community", "subdistrict", "owner", "property_manager", "address",
                               "kind"),
                 "units": ("name", "building", "kind", "party_members"),
                 "people": ("name", "affiliation", "party", "party_since", "phone"),
                 "party_orgs": ("name", "kind", "form", "units", "parent", "secretary", "last_election", "members")}


def run(*args):
    return CliRunner().invoke(cli, ["import", *map(str, args)])


def realistic(path: Path, zone: str = "东片", buildings: int = 30, units_per: int = 7) -> Path:
    """A workbook of 30 buildings, 210 units, 210 people and 40 party organisations: the
    sizes of a real sub-district's ledgers, with a title row above each table."""
    clusters = ("一号楼群网格", "二号楼群网格")
    rows_b = [["楼宇名称", "所属片区", "所属楼群", "物业公司", "地址", "楼宇类型"]]
    rows_u = [["单位名称", "所在楼宇", "单位类型", "正式党员数", "预备党员数"]]
    rows_p = [["姓名", "所属单位", "职务", "政治面貌", "入党时间", "联系电话"]]
    rows_o = [["党组织名称", "类别", "单建联建", "覆盖单位", "书记", "换届时间"]]
    for b in range(1, buildings + 1):
        building = f"台账大厦{b:02d}号楼"
        rows_b.append([building, zone, clusters[b % 2], f"台账物业{b:02d}公司", f"台账路{b}号", "商务楼宇"])
        names = [f"台账物业{b:02d}公司"] + [f"台账{b:02d}{u:02d}科技有限公司" for u in range(1, units_per)]
        for u, unit in enumerate(names):
            rows_u.append([unit, building, "物业公司" if u == 0 else "企业", (b * 7 + u) % 9, u % 2])
            rows_p.append([f"台{b:02d}{u:02d}员", unit, "负责人", "中共党员" if u % 3 else "群众",
                           f"20{u:02d}-07-01" if u % 3 else None, f"1380000{b:02d}{u:02d}"])
        if b <= 20:
            rows_o.append([f"{names[1]}党支部", "党支部", "单建", names[1], f"台{b:02d}01员", "2024-03-01"])
            rows_o.append([f"{building}联合党支部", "党支部", "联建", "、".join(names[2:]), f"台{b:02d}02员",
                           "2023-06-01"])
    return workbook(path, {"楼宇台账": rows_b, "企业台账": rows_u, "人员名册": rows_p, "党组织台账": rows_o},
                    title="台账街道楼宇台账（2025年）")


def errors(path: Path) -> Counter:
    report = validate([path])
    return Counter((f.rule, f.message) for f in report.findings if f.level == "error")


def entities(path: Path, kind: str) -> dict:
    data = read_district(path).data
    return {e["id"]: {f: e.get(f) for f in LEDGER_FIELDS[kind]} for e in data.get(kind) or []}


@pytest.fixture
def fresh(tmp_path) -> Path:
    config = tmp_path / "fresh.yaml"
    config.write_text(FRESH, encoding="utf-8")
    return config


@pytest.fixture
def mini(tmp_path) -> Path:
    """A copy of mini with comments written by hand among its entries."""
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("buildings:\n  - {id: b-1", "buildings:\n  # 示范大厦: 两栋楼共一个楼委会\n  - {id: b-1")
    text = text.replace("  - {id: u-co, name: 示范社区居委会, building: b-3, kind: community, party_members: {full: 2}}",
                        "  - {id: u-co, name: 示范社区居委会, building: b-3, kind: community, party_members: {full: 2}}"
                        "  # 社区派员\n  # 以下为台账导入的单位")
    config = tmp_path / "mini.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def test_realistic_ledger_into_a_fresh_config(fresh, tmp_path):
    ledger = realistic(tmp_path / "台账.xlsx")
    result = run(ledger, "--into", fresh, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert "buildings: 30 added" in result.output and "units: 210 added" in result.output
    assert not errors(fresh)
    data = read_district(fresh).data
    assert len(data["buildings"]) == 30 and len(data["units"]) == 210
    assert len(data["people"]) == 210 and len(data["party_orgs"]) == 40
    clusters = {g["id"]: list(g.get("buildings") or []) for g in data["grids"]}
    assert len(clusters["g-c1"]) == 15 and len(clusters["g-c2"]) == 15
    assert fresh.read_text(encoding="utf-8").startswith("# 新建街道: zones and grids written by hand")
    units = {u["name"]: u for u in data["units"]}
    assert units["台账0302科技有限公司"]["party_members"] == {"full": (3 * 7 + 2) % 9, "probationary": 0}
    assert units["台账物业01公司"]["kind"] == "property"


def test_second_import_changes_nothing(fresh, tmp_path):
    ledger = realistic(tmp_path / "台账.xlsx")
    assert run(ledger, "--into", fresh, "--force").exit_code == exitcodes.OK
    before = fresh.read_bytes()
    again = run(ledger, "--into", fresh)
    assert again.exit_code == exitcodes.OK, again.output
    assert "unchanged" in again.output and "buildings: 30 same" in again.output
    assert fresh.read_bytes() == before


def test_import_into_mini_keeps_comments_order_and_hand_written_fields(mini, tmp_path):
    ledger = realistic(tmp_path / "台账.xlsx", buildings=6)
    original = mini.read_text(encoding="utf-8")
    result = run(ledger, "--into", mini, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    text = mini.read_text(encoding="utf-8")
    for line in original.splitlines():
        if not line.lstrip().startswith("- {id: g-c"):  # cluster grids gain buildings
            assert line in text, line
    assert text.index("# 社区派员") < text.index("# 以下为台账导入的单位") < text.index("name: 台账物业01公司, building")
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == [line.split(":")[0] for line in original.splitlines() if line and line[0].isalpha()]
    assert not errors(mini) - errors(MINI)
    assert run(ledger, "--into", mini).exit_code == exitcodes.OK
    assert mini.read_text(encoding="utf-8") == text


def test_rows_update_what_they_name_and_nothing_else(mini, tmp_path):
    ledger = workbook(tmp_path / "楼宇.xlsx", {"楼宇": [["楼宇名称", "地址"], ["示范广场", "示范路8号"]]})
    result = run(ledger, "--into", mini, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert "buildings: 1 updated" in result.output
    after = entities(mini, "buildings")
    assert after["b-3"]["address"] == "示范路8号"
    assert after["b-1"] == entities(MINI, "buildings")["b-1"]
    assert entities(mini, "units") == entities(MINI, "units")


def test_counts_are_updated_inside_their_mapping(mini, tmp_path):
    rows = [["单位名称", "正式党员数", "预备党员数"], ["示范置业有限公司", 2, 1], ["示范物业公司", 5, None]]
    result = run(workbook(tmp_path / "u.xlsx", {"企业": rows}), "--into", mini, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    text = mini.read_text(encoding="utf-8")
    assert ("{id: u-owner, name: 示范置业有限公司, building: b-1, kind: owner, "
            "party_members: {full: 2, probationary: 1}}") in text
    assert "{id: u-pm, name: 示范物业公司, building: b-1, kind: property, party_members: {full: 5, probationary: 1}}" in text


def test_without_force_the_diff_is_shown_and_nothing_written(mini, tmp_path):
    ledger = workbook(tmp_path / "l.xlsx", {"楼宇": [["楼宇名称", "地址"], ["示范广场", "示范路8号"]]})
    before = mini.read_bytes()
    result = run(ledger, "--into", mini)
    assert result.exit_code == exitcodes.FINDINGS
    assert "+  - {id: b-3, name: 示范广场, zone: z-east, address: 示范路8号}" in result.output
    assert "--force" in result.output
    assert mini.read_bytes() == before
    dry = run(ledger, "--into", mini, "--dry-run", "--force")
    assert dry.exit_code == exitcodes.OK and "-  - {id: b-3, name: 示范广场, zone: z-east}" in dry.output
    assert mini.read_bytes() == before


def test_a_hand_written_note_is_kept(mini, tmp_path):
    text = mini.read_text(encoding="utf-8").replace(
        "{id: p-zheng, name: 郑七（示例）, affiliation: u-law, placeholder: true}",
        "{id: p-zheng, name: 郑七（示例）, affiliation: u-law, placeholder: true, note: 兼任法律顾问}")
    mini.write_text(text, encoding="utf-8")
    ledger = workbook(tmp_path / "p.xlsx", {"人员": [["姓名", "所属单位", "职务"], ["郑七（示例）", "示范律师事务所", "律师"],
                                                    ["王八（示例）", "示范社区居委会", "主任"]]})
    result = run(ledger, "--into", mini, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    people = {p["id"]: p for p in read_district(mini).data["people"]}
    assert people["p-zheng"]["note"] == "兼任法律顾问"
    assert people["p-wang"]["note"] == "职务：主任"


def test_prune_removes_what_the_ledger_no_longer_lists(fresh, tmp_path):
    full = workbook(tmp_path / "a.xlsx", {"楼宇": [["楼宇名称", "所属楼群"], ["甲楼", "一号楼群网格"], ["乙楼", "二号楼群网格"]]})
    part = workbook(tmp_path / "b.xlsx", {"楼宇": [["楼宇名称", "所属楼群"], ["甲楼", "一号楼群网格"]]})
    assert run(full, "--into", fresh, "--force").exit_code == exitcodes.OK
    kept = run(part, "--into", fresh, "--force")
    assert kept.exit_code == exitcodes.OK and "unchanged" in kept.output
    assert len(entities(fresh, "buildings")) == 2
    pruned = run(part, "--into", fresh, "--force", "--prune")
    assert pruned.exit_code == exitcodes.OK, pruned.output
    assert "buildings: 1 removed, 1 same" in pruned.output
    assert set(entities(fresh, "buildings")) == {"b-甲楼"}
    assert "b-乙楼" not in fresh.read_text(encoding="utf-8")  # gone from its cluster grid too


def test_prune_that_would_break_a_reference_writes_nothing(mini, tmp_path):
    part = workbook(tmp_path / "b.xlsx", {"楼宇": [["楼宇名称", "所属楼群"], ["示范大厦一号楼", "一号楼群网格"]]})
    before = mini.read_bytes()
    result = run(part, "--into", mini, "--force", "--prune")
    assert result.exit_code == exitcodes.FINDINGS
    assert "b-3" in result.output and "nothing imported" in result.output
    assert mini.read_bytes() == before


def test_ids_do_not_depend_on_row_order(fresh, tmp_path):
    rows = [["楼宇名称", "所属楼群"], ["甲楼", "一号楼群网格"], ["乙（东）楼", "一号楼群网格"], ["乙东楼", "二号楼群网格"]]
    one = tmp_path / "one.yaml"
    two = tmp_path / "two.yaml"
    one.write_text(FRESH, encoding="utf-8")
    two.write_text(FRESH, encoding="utf-8")
    run(workbook(tmp_path / "1.xlsx", {"s": rows}), "--into", one, "--force")
    run(workbook(tmp_path / "2.xlsx", {"s": [rows[0]] + rows[:0:-1]}), "--into", two, "--force")
    ids_one, ids_two = set(entities(one, "buildings")), set(entities(two, "buildings"))
    assert ids_one == ids_two and "b-甲楼" in ids_one
    assert len([i for i in ids_one if i.startswith("b-乙东楼-")]) == 2  # the two names clash: both hashed


def test_a_new_config_is_created_only_when_it_validates(tmp_path):
    people = workbook(tmp_path / "p.xlsx", {"人员名册": [["姓名", "政治面貌"], ["张三", "中共党员"]]})
    target = tmp_path / "新区.yaml"
    result = run(people, "--into", target)
    assert result.exit_code == exitcodes.OK, result.output
    assert "{id: p-张三, name: 张三, party: full}" in target.read_text(encoding="utf-8")
    assert not errors(target)
    buildings = workbook(tmp_path / "b.xlsx", {"楼宇台账": [["楼宇名称"], ["一号楼"]]})
    other = tmp_path / "other.yaml"
    refused = run(buildings, "--into", other)
    assert refused.exit_code == exitcodes.FINDINGS and "building-one-cluster" in refused.output
    assert not other.exists()
    nowhere = run(people, "--into", tmp_path / "no" / "such" / "dir.yaml")
    assert nowhere.exit_code == exitcodes.UNUSABLE and "cannot write" in nowhere.output


def test_csv_ledgers_import_like_workbooks(fresh, tmp_path):
    ledger = tmp_path / "楼宇台账.csv"
    ledger.write_bytes("楼宇名称,所属楼群,地址\n甲楼,一号楼群网格,东路1号\n".encode("utf-8-sig"))
    result = run(ledger, "--into", fresh, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert entities(fresh, "buildings")["b-甲楼"]["address"] == "东路1号"


def _skeleton(source: Path, target: Path) -> None:
    """``source`` without the four lists a ledger holds (its other files copied alongside)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    doc = yaml.load(source.read_text(encoding="utf-8"))
    for kind in LEDGER_FIELDS:
        doc.pop(kind, None)
    with target.open("w", encoding="utf-8") as out:
        yaml.dump(doc, out)


@pytest.mark.skipif(not SHIPPED, reason="no single-file district is shipped")
@pytest.mark.parametrize("district", SHIPPED, ids=lambda p: p.stem)
def test_a_shipped_district_comes_back_from_its_ledgers(district, tmp_path):
    """Its four lists written out as ledgers, imported into the config without them: the
    same entities, no more errors than the shipped config has, and a re-import is a no-op."""
    ledgers = workbook(tmp_path / "台账.xlsx", district_ledgers(read_district(district).data))
    skeleton = tmp_path / district.name
    _skeleton(district, skeleton)
    result = run(ledgers, "--into", skeleton, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    for kind in LEDGER_FIELDS:
        assert entities(skeleton, kind) == entities(district, kind), kind
    assert not errors(skeleton) - errors(district)
    again = run(ledgers, "--into", skeleton)
    assert again.exit_code == exitcodes.OK and "unchanged" in again.output


@pytest.mark.skipif(not CHANGFENG.exists(), reason="the Changfeng district is not shipped")
def test_a_district_of_several_files_re_imports_as_a_no_op(tmp_path):
    """Changfeng keeps its buildings in cluster files: importing its own ledgers into the main
    file changes nothing there and nothing elsewhere."""
    folder = Path(shutil.copytree(CHANGFENG.parent, tmp_path / "changfeng"))
    ledgers = workbook(tmp_path / "长风台账.xlsx", district_ledgers(read_district(folder / "district.yaml").data))
    before = {p: p.read_bytes() for p in folder.rglob("*.yaml")}
    result = run(ledgers, "--into", folder / "district.yaml")
    assert result.exit_code == exitcodes.OK, result.output
    assert "unchanged" in result.output
    assert {p: p.read_bytes() for p in folder.rglob("*.yaml")} == before


@pytest.fixture
def placed(tmp_path) -> Path:
    config = tmp_path / "placed.yaml"
    config.write_text(PLACED, encoding="utf-8")
    return config


def test_the_building_ledger_places_buildings_in_their_community_and_subdistrict(placed, tmp_path):
    """所属社区 and 所属街道 name a 社区 and a 街道 by name or id: an existing building is
    placed, a new one is added in its place, and the same ledger again changes nothing."""
    ledger = workbook(tmp_path / "楼宇台账.xlsx", {"楼宇台账": [
        ["楼宇名称", "所属社区", "所属街道"], ["甲楼", "湖滨社区", "东街道"], ["乙楼", "c-hill", "sd-west"],
        ["丙楼", None, "西街道"]]})
    result = run(ledger, "--into", placed, "--force")
    assert result.exit_code == exitcodes.OK, result.output
    assert entities(placed, "buildings") == {
        "b-1": {**dict.fromkeys(LEDGER_FIELDS["buildings"]), "name": "甲楼", "community": "c-lake",
                "subdistrict": "sd-east"},
        "b-乙楼": {**dict.fromkeys(LEDGER_FIELDS["buildings"]), "name": "乙楼", "community": "c-hill",
                  "subdistrict": "sd-west"},
        "b-丙楼": {**dict.fromkeys(LEDGER_FIELDS["buildings"]), "name": "丙楼", "subdistrict": "sd-west"}}
    assert "  - {id: b-1, name: 甲楼, community: c-lake, subdistrict: sd-east}\n" in placed.read_text(encoding="utf-8")
    again = run(ledger, "--into", placed)
    assert again.exit_code == exitcodes.OK and "unchanged" in again.output


def test_an_unknown_subdistrict_or_community_is_an_error_at_its_cell(placed, tmp_path):
    """A 街道 or 社区 the config does not have is named at sheet, row and column, in Chinese,
    with the close name where there is one; nothing is written."""
    ledger = workbook(tmp_path / "楼宇台账.xlsx", {"楼宇台账": [
        ["楼宇名称", "所属社区", "所属街道"], ["甲楼", None, "南街道"], ["乙楼", "湖滨社", "sd-north"]]})
    before = placed.read_bytes()
    result = CliRunner().invoke(cli, ["--lang", "zh", "import", str(ledger), "--into", str(placed), "--force"])
    assert result.exit_code == exitcodes.FINDINGS, result.output
    assert "楼宇台账.xlsx!楼宇台账!C2: [error] 甲楼：配置中没有街道 '南街道' (ledger-unknown-reference)" in result.output
    assert "楼宇台账.xlsx!楼宇台账!B3: [error] 乙楼：配置中没有社区 '湖滨社' (ledger-unknown-reference)" in result.output
    assert "是否应为 '湖滨社区'" in result.output
    assert "楼宇台账.xlsx!楼宇台账!C3: [error] 乙楼：配置中没有街道 'sd-north'" in result.output
    assert placed.read_bytes() == before


def test_a_subdistrict_that_contradicts_the_community_writes_nothing(placed, tmp_path):
    """The ledger's 街道 and 社区 go through the gate like the rest: a 社区 of 东街道 in 西街道
    is refused, and the config is left as it was."""
    ledger = workbook(tmp_path / "楼宇台账.xlsx", {"楼宇台账": [
        ["楼宇名称", "所属社区", "所属街道"], ["甲楼", "湖滨社区", "西街道"]]})
    before = placed.read_bytes()
    result = run(ledger, "--into", placed, "--force")
    assert result.exit_code != exitcodes.OK, result.output
    assert placed.read_bytes() == before
