"""What the documents of tests/data/mini.yaml say, checked against the config by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from engine.calendars import Calendar
from engine.pipeline import prepare
from engine.render import BuildOptions, render_files

MINI = Path(__file__).parent / "data" / "mini.yaml"
START = dt.date(2025, 1, 1)


def line_of(text: str) -> int:
    """The line of mini.yaml holding ``text`` (to find a source line independently of the engine)."""
    for number, line in enumerate(MINI.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(text)


@pytest.fixture(scope="module")
def files():
    model = prepare(MINI).model
    result, _ = render_files(model, BuildOptions(formats=("md", "ics"), start=START))
    return {path: data.decode("utf-8") for path, data in result.items() if path.endswith((".md", ".ics"))}


@pytest.fixture(scope="module")
def traced():
    """The traced copy (``build --trace``): 来源 columns and the clauses' sources."""
    model = prepare(MINI).model
    result, _ = render_files(model, BuildOptions(formats=("md",), start=START, trace=True))
    return {path: data.decode("utf-8") for path, data in result.items()}


def doc(files, name: str) -> str:
    matches = [text for path, text in files.items() if path.endswith(f"/{name}.md") or path == f"{name}.md"]
    assert len(matches) == 1, name
    return matches[0]


def test_every_document_is_planned(files):
    mds = sorted(p for p in files if p.endswith(".md"))
    assert len([p for p in mds if p.startswith("章程/")]) == 2           # two committees
    assert len([p for p in mds if p.startswith("轮值表/")]) == 1          # one rotation
    assert len([p for p in mds if p.startswith("上报路径/")]) == 2        # two matter categories
    assert len([p for p in mds if p.startswith("个人职责清单/")]) == 8    # all eight people hold a post
    # bodies with posts: 2 committees, 2 party orgs, 4 grids (every grid has heads), 2 authorities
    assert len([p for p in mds if p.startswith("职责清单/")]) == 10
    assert "index.md" in files


def test_no_placeholder_or_blank_in_any_document(files):
    for path, text in files.items():
        if not path.endswith(".md"):
            continue
        assert "None" not in text and "Undefined" not in text, path
        assert "||" not in text.replace("\\||", ""), path   # no empty table cell
        latin = set(re.findall(r"[A-Za-z_]{3,}", re.sub(r"\([^)]*\)|mini\.yaml|```mermaid[\s\S]*?```", "", text)))
        assert latin <= {"major", "yaml"}, (path, latin)   # 'major' is the config's own attribute value


def test_charter_clauses_are_numbered_and_traced(traced):
    text = doc(traced, "示范大厦楼委会章程")
    numbers = re.findall(r"^\*\*(第[一二三四五六七八九十]+条)\*\*", text, re.M)
    from engine.render.words import ordinal_clause

    assert numbers == [ordinal_clause(n) for n in range(1, len(numbers) + 1)]
    appendix = re.findall(r"^\| (第[一二三四五六七八九十]+条) \| mini\.yaml:(\d+) \|", text, re.M)
    assert [n for n, _ in appendix] == numbers
    traced = dict(appendix)
    clause = re.search(r"^\*\*(第\S+条)\*\*　党建指导员由赵一", text, re.M).group(1)
    assert int(traced[clause]) == line_of("id: c-1-party")


def test_charter_content(files):
    text = doc(files, "示范大厦楼委会章程")
    assert "## 第一章　总则" in text and "附则" in text
    assert "共两栋楼宇" in text and "示范大厦一号楼、示范大厦二号楼" in text
    assert "“一长六员”" in text
    assert "须有三分之二以上成员到会" in text and "过半数同意" in text
    assert "按月轮流担任，自2024年1月1日起" in text
    assert "一般问题不出楼宇" in text
    assert "楼宇就餐类事项，由本会楼长受理，3个工作日内办结" in text   # one chain: no case named
    assert "涉税诉求类事项（除严重程度为重大外的情形），由本会党建指导员受理" in text
    # the charter block, chapter by chapter
    chapters = re.findall(r"^## 第\S+章　(\S+)$", text, re.M)
    assert chapters == ["总则", "组成和任期", "产生办法", "成员的权利和义务", "工作机制", "议事规则", "轮值",
                        "事项办理和上报", "党的建设", "经费保障", "章程的修改", "附则"]
    assert "本会成员每届任期三年" in text
    assert "本会成员的产生办法：由成员单位推荐，经示范楼宇联合党支部审核后产生。" in text
    assert "本会成员享有下列权利：（一）参加本会会议，参与议事和表决；（二）对本会工作提出意见和建议。" in text
    assert "本会成员履行下列义务：（一）遵守本章程，执行本会决定；（二）按时参加本会会议。" in text
    assert "本会会议每月召开一次，由楼长召集和主持。" in text
    assert "本会工作经费来源：街道党建工作经费和成员单位自愿资助。" in text
    assert "本章程的修改，由本会会议讨论，须经到会成员三分之二以上同意。" in text
    assert "本章程于2024年1月1日经示范大厦楼委会第一次全体成员会议通过。" in text
    assert "本章程自2024年1月1日起施行。" in text
    assert "＿" not in text and "附：条款来源" not in text and "mini.yaml" not in text   # the filing copy
    assert "《中国共产党支部工作条例（试行）》第十一条" in text   # rule-derived clause cites the article


def test_charter_without_meetings_or_rotation(files):
    """What the config does not say is a visible blank, never an invented rule."""
    text = doc(files, "示范广场楼务会章程")
    assert "本会会议每＿＿＿召开一次" in text and "须有＿＿＿成员到会" in text
    assert "会议作出决定，须经到会成员＿＿＿同意" in text
    assert "本会成员每届任期＿＿＿年" in text and "本会成员的产生办法：＿＿＿。" in text
    assert "本会成员享有下列权利：＿＿＿。" in text and "本会成员履行下列义务：＿＿＿。" in text
    assert "本会工作经费来源：＿＿＿。" in text and "须经到会成员＿＿＿同意。" in text
    assert "本章程于＿＿＿＿年＿＿月＿＿日经＿＿＿通过。" in text and "本章程自＿＿＿＿年＿＿月＿＿日起施行。" in text
    assert "另行制定" not in text and "根据工作需要" not in text
    assert "轮值" not in text.split("## 附")[0].replace("轮值东道主制", "")
    assert "“楼务会”" in text


def test_roster_follows_the_rotation(files):
    text = doc(files, "示范大厦楼委会轮值表")
    rows = re.findall(r"^\| 第(\d+)期 \| (\S+) \| (\S+) \| (\S+) \| (\S+) \|", text, re.M)
    # 1 January 2025 is a holiday: December's turn holds it, then twelve turns begin in 2025
    assert len(rows) == 13
    members = ["示范置业有限公司", "示范物业公司", "示范律师事务所"]
    calendar = Calendar()
    for number, begin, _end, member, _holder in rows:
        index = int(number) - 1                     # months since the rotation's start, 2024-01
        first = dt.date(2024 + index // 12, index % 12 + 1, 1)
        handover = calendar.working_on_or_after(first)  # on_holiday: shift (the default)
        assert begin == f"{handover.year}年{handover.month}月{handover.day}日"
        assert member == members[index % 3]


def test_roster_calendar(files):
    [calendar] = [t for p, t in files.items() if p.startswith("轮值表/") and p.endswith(".ics")]
    assert calendar.count("BEGIN:VEVENT") == 13
    # period 13 begins on Thursday 2 January 2025 (1 January is 元旦) and ends as 春节 ends, on 4 February
    assert "DTSTART;VALUE=DATE:20250102\r\nDTEND;VALUE=DATE:20250205" in calendar
    assert "DTSTAMP:20240101T000000Z" in calendar
    assert all(line.endswith("\r") or not line for line in calendar.split("\n"))


def test_person_duties_span_bodies(files):
    text = doc(files, "李四（示例）职责清单")
    # p-li: c-1 head, c-2 secretary and owner rep, g-b1 grid head, po-joint secretary
    assert len(re.findall(r"^\| \d+ \|", text.split("## 二")[0], re.M)) == 5
    assert "示范楼宇联合党支部" in text and "一号楼网格" in text
    assert "## 二、轮值安排" in text and text.count("示范置业有限公司") >= 4


def test_escalation_paths(files):
    text = doc(files, "楼宇就餐分流上报路径")
    assert "| 第一步 | 楼宇 | 楼宇所属委员会楼长 | 3个工作日 |" in text
    assert "| 第三步 | 街道 | 示范街道办事处企业服务专员 | 7个自然日 |" in text
    assert "```mermaid" in text and "s3 -->|办结| done" in text
    # b-1 and b-2 share c-1 and the cluster grid g-c1; b-3 has c-2 (no building head) and g-c2
    # the cluster and sub-district steps have the same handlers everywhere: named once, not per row
    assert "- 第二步（各楼宇相同）：孙三（示例）\n- 第三步（各楼宇相同）：赵一（示例）" in text
    assert "| 适用楼宇 | 第一步 |\n| --- | --- |\n" in text
    # the holder on the window's first day, 1 January 2025 (元旦): December's turn still holds
    assert "| 示范大厦一号楼、示范大厦二号楼 | 郑七（示例）（轮值） |" in text
    assert "| 示范广场 | 未落实 |" in text
    tax = doc(files, "涉税诉求分流上报路径")
    assert "## 一、严重程度为重大" in tax and "## 二、除严重程度为重大外的情形" in tax
    assert "| 示范大厦一号楼、示范大厦二号楼 | 赵一（示例） |\n| 示范广场 | 未落实 |" in tax
    assert "mini.yaml" not in tax and "来源" not in tax   # the filing copy


def test_traced_copy_names_each_row_source(traced):
    tax = doc(traced, "涉税诉求分流上报路径")
    assert "| 步骤 | 层级 | 承办岗位 | 办理时限 | 办理内容 | 上报条件 | 来源 |" in tax
    assert f"mini.yaml:{line_of('limit: {hours: 48}')}" in tax
    duties = doc(traced, "示范大厦楼委会岗位职责清单")
    assert f"| mini.yaml:{line_of('id: c-1-party')} |" in duties
    roster = doc(traced, "示范大厦楼委会轮值表")
    assert re.search(r"^\| 第13期 \| .* \| mini\.yaml:\d+ \|$", roster, re.M)


def test_index_links_every_document(files):
    index = files["index.md"]
    links = re.findall(r"\]\(([^)]+)\)", index)
    assert len(links) == len([p for p in files if p.endswith(".md")]) - 1
    for link in links:
        assert link.replace("%20", " ") in files


def test_a_vacancy_is_said_not_left_blank(tmp_path):
    config = tmp_path / "mini.yaml"
    config.write_text(MINI.read_text(encoding="utf-8").replace(
        "{id: c-1-legal, role: legal_adviser, holder: p-zheng}", "{id: c-1-legal, role: legal_adviser, holder: null}"),
        encoding="utf-8")
    model = prepare(config).model
    result, _ = render_files(model, BuildOptions(formats=("md",), start=START))
    charter = result["章程/示范大厦楼委会章程.md"].decode()
    assert re.search(r"\*\*第\S+条\*\*　法律顾问暂缺。主要职责是：（一）提供法律咨询。", charter)
    duties = result["职责清单/示范大厦楼委会岗位职责清单.md"].decode()
    assert "| 法律顾问 | 空缺 | — |" in duties
