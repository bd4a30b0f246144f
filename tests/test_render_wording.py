"""The wording of every shipped district's documents, and of the totals an index states.

An office files the documents as they come out, so the Chinese must read as an office writes
it: no word said twice in a row (机制机制, 网格网格长), no bare frequency ending a sentence
(根据工作需要不定期。), no "（其他情形）" naming a case by what it is not, no rule the config does
not give (另行制定); names ending （示例） are marked, never printed as plain facts; the filing
copy carries no 来源 column, the traced one (``--trace``) does; and a total says whether it is
the district's (a declared figure) or what this config holds (本配置收录).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from engine.gate import open_district
from engine.pipeline import Options, prepare, validate
from engine.render import BuildOptions, render_files
from engine.session import Session

ROOT = Path(__file__).resolve().parent.parent
DISTRICTS = {path.stem if path.suffix else path.name: path
             for path in sorted((ROOT / "configs" / "districts").iterdir())
             if path.suffix == ".yaml" or (path / "district.yaml").is_file()}
MINI = Path(__file__).parent / "data" / "mini.yaml"
START = dt.date(2026, 1, 1)
#: A CJK word of two characters or more said twice in a row.
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
#: Wording that says nothing, or invents what the config does not say.
FILLER = ("根据工作需要不定期。", "不定期。", "（其他情形）", "其他情形）", "（一般情形）", "另行制定", "根据工作需要召开")
#: A frequency with no verb ending a sentence: 建立X机制，每月一次。
BARE_FREQUENCY = re.compile(r"，每[日周月年季度半]{1,3}[一两二三四五六七八九十]+次。")
MARK = "**示例："


def _path(name: str) -> Path:
    path = DISTRICTS[name]
    return path if path.suffix else path / "district.yaml"


def _markdown(path: Path, trace: bool = False) -> dict[str, str]:
    model = prepare(path).model
    files, _ = render_files(model, BuildOptions(("md",), start=START, months=12, trace=trace))
    return {name: data.decode("utf-8") for name, data in files.items()}


@pytest.fixture(scope="module", params=sorted(DISTRICTS))
def shipped(request):
    return request.param, _markdown(_path(request.param))


def _prose(text: str) -> str:
    """A document without its flow-chart code (labels there repeat the table's cells)."""
    return re.sub(r"```mermaid[\s\S]*?```", "", text)


def test_no_word_is_said_twice_in_a_row(shipped):
    name, files = shipped
    found = {path: DOUBLED.findall(_prose(text)) for path, text in files.items()}
    assert {path: words for path, words in found.items() if words} == {}, name


def test_no_filler_and_no_case_named_by_what_it_is_not(shipped):
    name, files = shipped
    for path, text in files.items():
        assert not [f for f in FILLER if f in text], (name, path)
        assert not BARE_FREQUENCY.search(text), (name, path, BARE_FREQUENCY.search(text).group())


def test_a_mechanism_is_named_once(shipped):
    _, files = shipped
    charters = [text for path, text in files.items() if path.startswith("章程/")]
    if not charters:  # a config without committees (a 区 whose reports name none) writes no charter
        assert "楼宇委员会0个" in files["index.md"]
        return
    assert not any("机制机制" in text for text in charters)
    assert any(re.search(r"建立\S+机制(（示例）)?[，。]", text) for text in charters)


def test_placeholder_names_are_marked_never_silent(shipped):
    """Every document showing a name that ends （示例） carries the 示例 mark under its title;
    a document without one does not."""
    name, files = shipped
    for path, text in files.items():
        shows = "（示例）" in text.split("\n", 1)[1].replace("名称带“（示例）”", "")
        assert (MARK in text) == shows or (MARK in text and "（示例）" in text.split("\n", 1)[0]), (name, path)


def test_placeholder_names_give_a_warning(shipped):
    name, files = shipped
    if not any(MARK in text for text in files.values()):
        pytest.skip(f"{name} names no placeholder")
    report = validate([DISTRICTS[name]], Options(today=dt.date(2026, 1, 1)))
    (district,) = report.districts
    findings = [f for f in district.findings if f.rule == "placeholder-names"]
    assert findings and all(f.level == "warning" for f in findings)
    assert all("（示例）" in f.message for f in findings)


def test_the_filing_copy_has_no_source_columns(shipped):
    name, files = shipped
    for path, text in files.items():
        assert "来源 |" not in text and "附：条款来源" not in text, (name, path)
        assert not re.search(r"\.yaml:\d+", text), (name, path)


def test_the_traced_copy_names_every_row_and_clause_source():
    traced = _markdown(_path("qianfoshan"), trace=True)
    charters = [text for path, text in traced.items() if path.startswith("章程/")]
    assert charters and all("## 附：条款来源" in text for text in charters)
    for path, text in traced.items():
        for table in re.findall(r"^\| 序号 \|.*$|^\| 期次 \|.*$|^\| 步骤 \|.*$", text, re.M):
            assert table.endswith("| 来源 |"), (path, table)
        rows = [line for line in text.splitlines() if re.match(r"^\| (\d+|第\S+[期步]) \|", line)]
        assert all(re.search(r"\| \S+\.yaml:\d+ \|$", row) for row in rows), path


def test_a_charter_leaves_what_the_config_does_not_say_blank_and_a_rule_says_so():
    files = _markdown(_path("nanjingxilu"))
    charter = next(text for path, text in files.items() if path.startswith("章程/"))
    assert "本会成员每届任期＿＿＿年" in charter and "本会工作经费来源：＿＿＿。" in charter
    assert "本章程自＿＿＿＿年＿＿月＿＿日起施行。" in charter
    report = validate([DISTRICTS["nanjingxilu"]], Options(today=dt.date(2026, 1, 1)))
    blanks = [f for f in report.districts[0].findings if f.rule == "charter-blanks"]
    committees = sum(1 for path in files if path.startswith("章程/"))
    assert len(blanks) == committees and all("施行日期" in f.message for f in blanks)


# -- totals (issue #18 item 7) ---------------------------------------------------------------

def _index(tmp_path, declared: str | None) -> str:
    text = MINI.read_text(encoding="utf-8")
    block = re.search(r"^  declared:\n(    .*\n)+", text, re.M)   # mini's own: buildings 3, committees 2
    text = text.replace(block.group(), "" if declared is None else f"  declared:\n{declared}", 1)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    opened = open_district(path, Session())
    assert not opened.errors, opened.findings
    files, _ = render_files(opened.model, BuildOptions(("md",), start=START))
    return files["index.md"].decode("utf-8")


def test_without_declared_figures_the_totals_are_what_the_config_holds(tmp_path):
    index = _index(tmp_path, None)
    assert "本配置收录示范街道（示范区）楼宇3栋、楼宇委员会2个" in index
    assert "据来源材料" not in index and "现有" not in index


def test_a_declared_figure_is_the_total_and_the_config_count_is_said_as_such(tmp_path):
    index = _index(tmp_path, "    buildings: {value: 135, compare: false}\n    committees: {value: 9, label: 楼委会, unit: 个, compare: false}\n")
    assert "据来源材料，示范街道（示范区）楼宇135栋、楼委会9个。" in index
    assert "本配置收录楼宇3栋、楼宇委员会2个" in index   # the modelled count, never as the total
    assert "楼宇3栋" not in index.split("本配置收录")[0]


def test_a_declared_figure_keeps_its_own_words(tmp_path):
    index = _index(tmp_path, "    buildings: {value: 285, label: 已建成商务楼宇, unit: 幢, compare: false}\n")
    assert "据来源材料，示范街道（示范区）已建成商务楼宇285幢。" in index
    assert "本配置收录楼宇3栋" in index


def test_figures_an_index_does_not_state_are_left_out(tmp_path):
    index = _index(tmp_path, "    enterprises: {value: 46000, label: 集聚企业, unit: 家, compare: false}\n")
    assert "46000" not in index and "据来源材料" not in index
