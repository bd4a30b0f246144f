"""Unit tests of the document pieces: Chinese words, safe names, Markdown subset, iCalendar."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.render import markdown, words
from engine.render.environment import md_escape
from engine.render.output import MAX_STEM, check_paths, OutputError, safe_name, unique_names


@pytest.mark.parametrize("n, text", [(0, "零"), (1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (27, "二十七"),
                                     (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1074, "一千零七十四")])
def test_number(n, text):
    assert words.number(n) == text


def test_count_says_liang_for_two():
    assert words.count(2) == "两" and words.count(3) == "三" and words.count(12) == "十二"


def test_ordinals_and_dates():
    assert words.ordinal_clause(21) == "第二十一条"
    assert words.ordinal_chapter(3) == "第三章"
    assert words.item(2) == "（二）"
    assert words.date("2024-01-09") == "2024年1月9日"


@pytest.mark.parametrize("value, text", [
    ("monthly", "每月一次"), ("quarterly", "每季度一次"), ({"times": 2, "per": "month"}, "每月两次"),
    ({"times": 3, "per": "half_year"}, "每半年三次"), ("as_needed", "根据工作需要不定期")])
def test_frequency(value, text):
    assert words.frequency(value) == text


@pytest.mark.parametrize("value, text", [({"hours": 24}, "24小时"), ({"hours": 0.5}, "0.5小时"),
                                         ({"days": 7}, "7个自然日"), ({"working_days": 3}, "3个工作日")])
def test_limit(value, text):
    assert words.limit(value) == text


@pytest.mark.parametrize("share, text", [(0.5, "半数以上"), (0.67, "三分之二以上"), (2 / 3, "三分之二以上"),
                                         (0.6, "百分之六十以上"), (1, "全体")])
def test_quorum(share, text):
    assert words.quorum(share) == text


@pytest.mark.parametrize("text, expected", [
    ("../../etc/passwd", "_.._etc_passwd"), ("a/b\\c", "a_b_c"), ("CON", "_CON"), ("nul.txt", "_nul.txt"),
    ("COM1", "_COM1"), ("x\x00y", "x_y"), ("...", "_"), ("", "_"), (" 楼委会 ", "楼委会"), (".hidden", "hidden"),
    ("a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h")])
def test_safe_name(text, expected):
    assert safe_name(text) == expected


def test_safe_name_is_bounded_and_never_a_path():
    name = safe_name("楼" * 500)
    assert len(name) == MAX_STEM and len(name.encode()) < 255
    for text in ("..", "/", "a/../b", "\\\\server\\share", "LPT9.docx"):
        result = safe_name(text)
        assert "/" not in result and "\\" not in result and result not in (".", "..")
        assert result.split(".")[0].upper() not in ("CON", "LPT9")


def test_unique_names_ignore_case():
    assert unique_names(["A", "a", "A", "b"]) == ["A", "a-2", "A-3", "b"]


@pytest.mark.parametrize("path", ["../x.md", "/abs.md", "a//b.md", "a/./b.md", "a\\b.md", "a/\x00.md"])
def test_check_paths_refuses_escapes(path):
    with pytest.raises(OutputError):
        check_paths({path: b""})


def test_markdown_tokens():
    tokens = markdown.parser().parse("# 标题\n\n## 第一章　总则\n\n第一行\n第二行\n\n- 甲\n- 乙\n\n| a | b \\| c |\n"
                                     "| --- | --- |\n| 1 | 2 |\n\n```mermaid\nflowchart TD\n```\n")
    opening = [t.type for t in tokens if t.nesting == 1 and t.type not in ("list_item_open", "tr_open", "th_open",
                                                                          "td_open", "thead_open", "tbody_open")]
    assert opening == ["heading_open", "heading_open", "paragraph_open", "bullet_list_open", "paragraph_open",
                       "paragraph_open", "table_open"]
    inline = [markdown.plain(t) for t in tokens if t.type == "inline"]
    assert inline[:3] == ["标题", "第一章　总则", "第一行第二行"]  # a soft break joins Chinese lines
    assert inline[5:] == ["a", "b | c", "1", "2"]
    assert tokens[-1].type == "fence" and tokens[-1].info == "mermaid"


def _inline(text: str):
    tokens = markdown.parser().parse(text)
    return next(t for t in tokens if t.type == "inline")


@pytest.mark.parametrize("text", ["A|B *x* _y_ [z](w) <br> #1 \\", "- 列表", "1. 编号", "=HYPERLINK(\"x\")",
                                  "司法所<img src=x onerror=alert(1)>", "![图](http://x)", "&lt;b&gt;", "~~删除~~",
                                  "# 标题", "`代码`", "<https://example.invalid>", "+1", "12) 项"])
def test_md_escape_round_trips_and_makes_no_markup(text):
    inline = _inline(md_escape(text))
    assert markdown.plain(inline) == text
    assert [c.type for c in inline.children] == ["text"] * len(inline.children)


def test_md_escape_keeps_a_table_row_on_one_line():
    cell = md_escape("第一行\n第二行 | 第三列")
    assert "\n" not in cell
    tokens = markdown.parser().parse(f"| {cell} | x |\n| --- | --- |\n")
    assert [markdown.plain(t) for t in tokens if t.type == "inline"] == ["第一行 第二行 | 第三列", "x"]


def test_md_escape_drops_the_indent_that_would_make_code():
    tokens = markdown.parser().parse(md_escape("    缩进") + "\n")
    assert [t.type for t in tokens][:1] == ["paragraph_open"]


def test_flow_nodes_of_a_linear_chart():
    code = ('flowchart TD\n  start(["受理"])\n  s1["第一步<br/>楼长"]\n  done(["办结"])\n'
            '  start --> s1\n  s1 -->|办结| done\n')
    assert markdown.flow_nodes(code) == [("", "受理"), ("", "第一步<br/>楼长"), ("办结", "办结")]
    assert markdown.flow_nodes("graph LR\n  a --> b\n  c --> d\n") == []


def test_window_end():
    from engine.render.context import Window

    window = Window(dt.date(2025, 11, 1), 3)
    assert window.end == dt.date(2026, 2, 1) and window.last == dt.date(2026, 1, 31)



@pytest.mark.parametrize("digests", [{}, {"a.md": ("ab" * 32, 3, "k1")},
                                     {'章程/引号"与\\反斜杠.md': ("cd" * 32, 10, None), "b.md": ("ef" * 32, 0, "0f" * 16)},
                                     {"tab\there.md": ("01" * 32, 1), "line\u2028sep\u00a0nbsp\U0001f600.md": ("23" * 32, 2),
                                      "ctrl\x1f\x7f.md": ("45" * 32, 3)},
                                     {"轮值表/甲.ics": ("67" * 32, 4, "k2", {"b@loushi": ("89" * 16, 2), "a\"@x": ("ab" * 16, 0)}),
                                      "c.md": ("cd" * 32, 5, "k3", None)}])
@pytest.mark.parametrize("build, documents", [(None, 0), ("9a" * 16, 12)])
def test_manifest_is_the_json_of_its_entries(digests, build, documents):
    import json

    from engine.render.output import manifest

    entries = [{"path": p, "sha256": s, "size": n, **({"key": k[0]} if k and k[0] else {}),
                **({"events": {u: list(m) for u, m in sorted(k[1].items())}} if len(k) > 1 and k[1] else {})}
               for p, (s, n, *k) in sorted(digests.items())]
    expected = {"generator": "loushi", "manifest": 2, "build": build, "documents": documents, "files": entries}
    assert json.loads(manifest(digests, build, documents)) == expected
    assert manifest(digests, build, documents) == (json.dumps(expected, ensure_ascii=False, indent=2) + "\n").encode()
