"""会议记录: a meeting-record form per body whose kind names one, and per party organisation for
each meeting its kind keeps on record; the 议事规则 from the config, a blank and a rule where
it says nothing; the template a kind names, shipped or the project's own."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from engine import render
from engine.gate import open_district
from engine.pipeline import Options, prepare, validate
from engine.render import BuildOptions, render_files
from engine.render.plan import plan
from engine.render.context import Window
from engine.session import Session

from variants import write_variant

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini.yaml"
SHUIGUOHU = ROOT / "configs" / "districts" / "shuiguohu"
START = dt.date(2025, 1, 1)
FOLDER = "会议记录"


@pytest.fixture(scope="module")
def files():
    result, _ = render_files(prepare(MINI).model, BuildOptions(formats=("md", "html", "docx"), start=START))
    return result


@pytest.fixture(scope="module")
def session():
    """One session for the module's many small variants (the schema and kinds read once)."""
    return Session()


def variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    return write_variant(MINI, tmp_path / "mini.yaml", *changes)


def records(model) -> dict[str, object]:
    """The planned 会议记录 documents of ``model``, by title."""
    return {d.title: d for d in plan(model, Window(START, 12)) if d.kind == "minutes"}


def md(files, title: str) -> str:
    return files[f"{FOLDER}/{title}.md"].decode("utf-8")


def test_a_committee_record_states_the_rules_its_config_gives(files):
    text = md(files, "示范大厦楼委会会议记录")
    assert "**会议名称**：示范大厦楼委会会议" in text
    for heading in ("一、到会情况", "二、议题", "三、讨论情况", "四、决定事项", "五、签字"):
        assert f"## {heading}" in text
    assert "**主持人**：＿＿＿" in text and "**记录人**：＿＿＿" in text
    # mini's c-1: quorum 0.67, decision majority; said as its charter says them, citing it
    assert "议事规则：本会会议须有三分之二以上成员到会方可召开（《示范大厦楼委会章程》）" in text
    assert "表决规则：会议作出决定，须经到会成员过半数同意（《示范大厦楼委会章程》）" in text
    assert "| 同意 | 反对 | 弃权 | 表决结果 |" in text
    # the members as the config names them, placeholders as they are (the document is marked 示例)
    assert "应到7人" in text and "| 1 | 楼长 | 李四（示例） |" in text
    assert text.count("□出席　□缺席") == 7 + 2
    assert "**示例：" in text


def test_a_person_holding_two_posts_is_one_row_and_counted_once(files):
    text = md(files, "示范广场楼务会会议记录")
    assert "| 楼宇党组织书记、产权方代表 | 李四（示例） |" in text
    assert "应到4人" in text   # five posts, four people


def test_a_rule_the_config_leaves_out_is_a_blank_and_charter_blanks_names_it(files, tmp_path):
    text = md(files, "示范广场楼务会会议记录")   # c-2 has no meetings: block
    assert "议事规则：本会会议须有＿＿＿成员到会方可召开。" in text   # no article cited beside a blank
    assert "表决规则：会议作出决定，须经到会成员＿＿＿同意。" in text
    path = variant(tmp_path, ("    - {rule: charter-blanks, target: c-2,", "    - {rule: charter-blanks, target: c-9,"))
    report = validate([path], Options(today=dt.date(2025, 6, 1)))
    (district,) = report.districts
    blanks = [f for f in district.findings if f.rule == "charter-blanks" and f.target == "c-2"]
    assert blanks and "到会人数" in blanks[0].message and "表决规则" in blanks[0].message


def test_the_quorum_and_decision_follow_the_config(tmp_path):
    path = variant(tmp_path, ("quorum: 0.67, decision: majority", "quorum: 0.5, decision: two_thirds"))
    result, _ = render_files(prepare(path).model, BuildOptions(formats=("md",), start=START))
    text = md(result, "示范大厦楼委会会议记录")
    assert "须有半数以上成员到会方可召开" in text and "须经到会成员三分之二以上同意" in text


def test_a_branchs_general_meeting_cites_article_eleven(files):
    text = md(files, "示范物业公司党支部党员大会会议记录")
    assert "（每季度至少一次；本年度第＿＿次）" in text
    assert "应到会有表决权的党员（正式党员）4人" in text   # u-pm's full members; the probationary one has no vote
    assert ("议事规则：有表决权的到会人数超过应到会有表决权人数的半数，方可召开"
            "（《中国共产党支部工作条例（试行）》（2018）第十一条）") in text
    assert "表决规则：讨论决定事项，须经应到会有表决权的党员超过半数同意（《中国共产党支部工作条例（试行）》（2018）第十一条）" in text
    assert "| 1 | 书记 | 吴六（示例） |" in text
    assert text.count("□出席　□缺席") == 4   # a row for each of the four: the secretary and three to fill in


def test_each_shipped_body_kind_gets_the_record_its_data_names(tmp_path, session):
    from engine.model import shipped_kinds

    catalog, _ = shipped_kinds(session)
    meeting = {k.id for k in catalog.bodies.values() if k.record}
    assert {"building_committee", "building_affairs_board", "building_council", "joint_conference"} <= meeting
    assert not catalog.bodies["head_system"].record   # a 楼长制 holds no meetings of its own
    for kind in sorted(catalog.bodies):
        path = variant(tmp_path, ("kind: building_affairs_council", f"kind: {kind}"))
        found = records(open_district(path, session).model)
        if catalog.bodies[kind].record:
            assert found["示范广场楼务会会议记录"].template == catalog.bodies[kind].record, kind
        else:
            assert "示范广场楼务会会议记录" not in found, kind


def test_party_records_follow_the_kind_of_organisation(tmp_path, session):
    # seven full members make a branch committee; party groups a 党小组会
    path = variant(tmp_path, ("party_members: {full: 4, probationary: 1}", "party_members: {full: 8, probationary: 1}"),
                   ("secretary: p-wu, last_election", "secretary: p-wu, party_groups: 2, last_election"))
    found = records(open_district(path, session).model)
    assert {"示范物业公司党支部党员大会会议记录", "示范物业公司党支部委员会会议记录",
            "示范物业公司党支部党小组会会议记录"} <= set(found)
    committee = found["示范物业公司党支部委员会会议记录"].values["record"]
    assert committee.quorum == "须有超过半数的支部委员到会，方可召开" and committee.blanks == ("decision",)
    assert not hasattr(committee, "decision_basis") and "第十二条" in committee.quorum_basis
    general = found["示范物业公司党支部党员大会会议记录"].values["record"]
    assert general.expected == 8 and len(general.members) + general.spare == 8 and not general.sheet
    group = found["示范物业公司党支部党小组会会议记录"].values["record"]
    assert group.members == () and group.blanks == ("quorum", "decision")   # a blank roll, rules unstated
    report = validate([path], Options(today=dt.date(2025, 6, 1)))
    (district,) = report.districts
    said = sorted(f.message for f in district.findings if f.rule == "meeting-rules-blank")
    assert len(said) == 2 and any("党小组会" in m and "到会人数要求、表决规则" in m for m in said)
    # a branch of 80 full members: fifty rows, the rest on a sheet of their own
    path = variant(tmp_path, ("party_members: {full: 4, probationary: 1}", "party_members: {full: 80}"))
    big = records(open_district(path, session).model)["示范物业公司党支部党员大会会议记录"].values["record"]
    assert len(big.members) + big.spare == 50 and big.sheet
    # a party committee keeps no record the regulations describe; the district may declare one
    path = variant(tmp_path, ("kind: branch, form: single", "kind: committee, form: single"))
    assert not [t for t in records(open_district(path, session).model) if t.startswith("示范物业公司党支部")]
    own = ("  name: 示范街道\n", "  name: 示范街道\n  org_life:\n    meetings:\n      committee:\n"
           "        - {kind: committee_meeting, name: 党委会议, every: month, record: party-meeting-record.md,\n"
           "           quorum: 须有半数以上委员到会, decision: 须经应到会委员半数以上同意, source: 本街道党工委规定}\n")
    path = variant(tmp_path, ("kind: branch, form: single", "kind: committee, form: single"), own)
    record = records(open_district(path, session).model)["示范物业公司党支部党委会议记录"].values["record"]
    assert record.decision == "须经应到会委员半数以上同意" and record.decision_basis == "本街道党工委规定"


def test_html_and_word_records(files):
    import docx

    html = files[f"{FOLDER}/示范大厦楼委会会议记录.html"].decode("utf-8")
    assert "须有三分之二以上成员到会方可召开" in html
    assert '<a href="../章程/示范大厦楼委会章程.html">' in html   # filed with its body's documents
    index = files["index.html"].decode("utf-8")
    assert "、会议记录</h2>" in index and ">示范大厦楼委会会议记录</a>" in index
    document = docx.Document(io.BytesIO(files[f"{FOLDER}/示范物业公司党支部党员大会会议记录.docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "第十一条" in text and document.sections[0].header.paragraphs[0].text == "示例"
    assert len(document.tables) == 2
    compat = document.settings.element.xpath("//w:compatSetting[@w:name='compatibilityMode']")
    assert [c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") for c in compat] == ["15"]


def test_a_kind_of_the_consultants_own_names_its_own_template(tmp_path):
    """A project folder (loushi.toml) whose governance model declares a body kind with its own
    record template in the project's templates/ folder."""
    project = tmp_path / "project"
    shutil.copytree(SHUIGUOHU, project)
    model = project / "models" / "louyu-lishihui.yaml"
    text = model.read_text(encoding="utf-8").replace(
        "body_kinds: [building_council]",
        "body_kinds:\n  - {id: tower_council, label: 楼宇议事理事会, serves: {min: 1}, record: council-record.md}")
    model.write_text(text, encoding="utf-8")
    district = project / "district.yaml"
    text = district.read_text(encoding="utf-8")
    assert text.count("kind: building_council\n    model: louyu-lishihui") == 1
    text = text.replace("kind: building_council\n    model: louyu-lishihui", "kind: tower_council\n    model: louyu-lishihui")
    district.write_text(text.replace("under: [building_council]", "under: [tower_council]"), encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates" / "council-record.md").write_text(
        '{% extends "shipped/meeting-record.md" %}\n{% block agenda %}\n## 二、议题（理事会协商事项）\n\n1. {{ blank }}\n'
        "{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "out"
    (result,) = render.build_paths([project], out, BuildOptions(("md",), start=START), Session())
    assert result.ok, (result.error, [str(f) for f in result.findings])
    text = (out / FOLDER / "长城汇楼宇理事会会议记录.md").read_text(encoding="utf-8")
    assert "## 二、议题（理事会协商事项）" in text
    assert "议事规则：本会会议须有＿＿＿成员到会方可召开" in text   # the config gives frequency only
    assert "| 1 | 牵头人（楼宇党委书记） |" in text


def test_shuiguohus_council_as_shipped(tmp_path):
    found = records(prepare(SHUIGUOHU / "district.yaml").model)
    council = found["长城汇楼宇理事会会议记录"]
    assert council.template == "meeting-record.md"
    assert council.values["record"].held == "每季度至少召开一次" and council.values["record"].blanks == ("quorum", "decision")
