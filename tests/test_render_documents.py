"""What the documents of tests/data/mini.yaml say, checked against the config by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

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


def test_charter_clauses_are_numbered_and_traced(files):
    text = doc(files, "示范大厦楼委会章程")
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
    assert "楼宇就餐类事项（一般情形），由楼宇所属委员会楼长受理，3个工作日内办结" in text
    assert "《中国共产党支部工作条例（试行）》第十一条" in text   # rule-derived clause cites the article


def test_charter_without_meetings_or_rotation(files):
    text = doc(files, "示范广场楼务会章程")
    assert "议事规则由本会另行制定" in text
    assert "轮值" not in text.split("## 附")[0].replace("轮值东道主制", "")
    assert "“楼务会”" in text


def test_roster_follows_the_rotation(files):
    text = doc(files, "示范大厦楼委会轮值表")
    rows = re.findall(r"^\| 第(\d+)期 \| (\S+) \| (\S+) \| (\S+) \| (\S+) \|", text, re.M)
    assert len(rows) == 12
    members = ["示范置业有限公司", "示范物业公司", "示范律师事务所"]
    for number, begin, _end, member, _holder in rows:
        month = int(re.match(r"2025年(\d+)月1日", begin).group(1))
        months_since_start = 12 + month - 1        # the rotation starts 2024-01
        assert int(number) == months_since_start + 1
        assert member == members[months_since_start % 3]


def test_roster_calendar(files):
    [calendar] = [t for p, t in files.items() if p.endswith(".ics")]
    assert calendar.count("BEGIN:VEVENT") == 12
    assert "DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250201" in calendar
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
    assert "| 示范大厦一号楼、示范大厦二号楼 | 李四（示例）（轮值） |" in text
    assert "| 示范广场 | 未落实 |" in text
    tax = doc(files, "涉税诉求分流上报路径")
    assert "## 一、严重程度为重大" in tax and "## 二、其他情形" in tax
    assert "| 示范大厦一号楼、示范大厦二号楼 | 赵一（示例） |\n| 示范广场 | 未落实 |" in tax
    assert f"mini.yaml:{line_of('limit: {hours: 48}')}" in tax


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
