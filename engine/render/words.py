"""The Chinese words documents use for the config's enumerations, numbers, dates and limits.

Every function here turns one config value into the text a sub-district reads. An unknown
value raises ``KeyError``: the schema has already rejected it, so reaching one is a bug.
"""

from __future__ import annotations

import datetime as dt

from ..model import days, limits

_DIGITS = "零一二三四五六七八九"

GRID_LEVELS = {"block": "街区网格", "cluster": "楼群网格", "building": "楼宇网格", "micro": "微网格"}
STEP_LEVELS = {"building": "楼宇", "cluster": "楼群", "block": "街区", "community": "社区", "subdistrict": "街道",
               "district": "区", "city": "市"}
AUTHORITY_LEVELS = {"subdistrict": "街道", "district": "区", "city": "市"}
BUILDING_KINDS = {"office": "写字楼", "mall": "商场", "mixed": "商住综合", "industrial": "产业园", "other": "其他"}
PERIODS = {"week": "周", "month": "月", "quarter": "季度", "half_year": "半年", "year": "年", "day": "日"}
#: Days of the week, Monday first (datetime's weekday()).
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
#: A rotation's holiday policy (engine.model.HOLIDAY_POLICIES) as a roster says it.
HOLIDAY_POLICIES = {"shift": "轮换日遇法定节假日或休息日的，顺延至下一个工作日",
                    "keep": "轮换日遇法定节假日或休息日的，照常轮换",
                    "skip": "法定节假日和休息日不安排值守，当日轮次不再补排"}
#: How often, as (what comes before the verb, what comes after it): 每月 + 召开 + 一次.
_FREQUENCIES = {"as_needed": ("根据工作需要不定期", ""), "irregular": ("不定期", ""), "daily": ("每日", "一次"), "weekly": ("每周", "一次"),
                "monthly": ("每月", "一次"), "quarterly": ("每季度", "一次"), "half_yearly": ("每半年", "一次"),
                "yearly": ("每年", "一次")}
FREQUENCIES = {key: before + after for key, (before, after) in _FREQUENCIES.items()}
DECISIONS = {"majority": "经到会成员过半数同意", "two_thirds": "经到会成员三分之二以上同意",
             "consensus": "经到会成员协商一致"}
_QUORUMS = ((0.5, "半数以上"), (2 / 3, "三分之二以上"), (0.67, "三分之二以上"), (0.75, "四分之三以上"),
            (0.8, "五分之四以上"), (1.0, "全体"))


def number(n: int) -> str:
    """A count in Chinese numerals, as clauses write it: 3 → 三, 12 → 十二, 105 → 一百零五."""
    if n < 0 or n >= 10000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    text, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            text += ("零" if zero and text else "") + _DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return text


def count(n: int) -> str:
    """A count before a measure word: 2 → 两 (两栋), otherwise as ``number``."""
    return "两" if n == 2 else number(n)


def ordinal_clause(n: int) -> str:
    """第一条, 第二条 …"""
    return f"第{number(n)}条"


def ordinal_chapter(n: int) -> str:
    return f"第{number(n)}章"


def item(n: int) -> str:
    """（一）, （二） … as lists inside a clause number them."""
    return f"（{number(n)}）"


def date(value: str | dt.date) -> str:
    """2024-01-01 → 2024年1月1日; a day without its year, --05-08 → 5月8日 (as the source says it)."""
    if days.yearless(value):
        month, day_of_month = days.month_day(value)
        return f"{month}月{day_of_month}日"
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.year}年{day.month}月{day.day}日"


#: A frequency's bound as the report words it, before the verb: 每季度至少召开一次.
BOUNDS = {"at_least": "至少", "at_most": "至多", "exactly": ""}


def frequency(value, verb: str = "") -> str:
    """monthly → 每月一次; {times: 2, per: month} → 每月两次; with a verb, the verb where Chinese
    puts it: monthly, 召开 → 每月召开一次; as_needed, 开展 → 根据工作需要不定期开展; irregular, 召开 →
    不定期召开; a bound before the verb, as written: {times: 1, per: quarter, bound: at_least}, 召开
    → 每季度至少召开一次."""
    if isinstance(value, str):
        before, after = _FREQUENCIES[value]
        return f"{before}{verb}{after}"
    times = value["times"]
    count = "两" if times == 2 else number(times)
    return f"每{PERIODS[value['per']]}{BOUNDS[value.get('bound', 'exactly')]}{verb}{count}次"


TENURES = {"full_time": "专职", "part_time": "兼职"}
#: How a post's holder can be reached, as the report says it.
REACHABLE = {"around_the_clock": "24小时开机"}


def temporary(ends: str | None) -> str:
    """A temporary body as a document says it: 临时设立，2020年6月30日撤销; 临时设立，撤销日期＿＿＿
    when the config states none (the rule body-temporary says so)."""
    return f"临时设立，{date(ends)}撤销" if ends else f"临时设立，撤销日期{BLANK_DATE}"


def term(since: str | None, until: str | None) -> str:
    """A post's term as a duty list says it: 2020年2月27日起任职; 任职至2021年6月30日;
    2020年2月27日至2021年6月30日任职."""
    if since and until:
        return f"{date(since)}至{date(until)}任职"
    if since:
        return f"{date(since)}起任职"
    return f"任职至{date(until)}"


def time_share(value: dict) -> str:
    """{days: 2, per: week} → 每周两个工作日."""
    days = value["days"]
    return f"每{PERIODS[value['per']]}{'两' if days == 2 else number(days)}个工作日"


def limit(value: dict) -> str:
    """{seconds: 30} → 30秒; {hours: 24} → 24小时; {days: 7} → 7个自然日; {working_days: 3} → 3个工作日:
    in the unit written (see :mod:`engine.model.limits`)."""
    return limits.text(value)


def limit_label(value) -> str:
    """A limit after the word 时限: 时限3个工作日; the words alone: 第一时间, 时限未载."""
    return limit(value) if limits.unit_of(value)[0] in limits.WORDS else f"时限{limit(value)}"


def done_by(value) -> str:
    """When a step is to be closed: 3个工作日内办结; 第一时间办结; 办结时限未载."""
    return _timed(value, "第一时间办结", "办结时限未载", "{}内办结")


def handle_limit(value) -> str:
    """The next step's time as a clause says it: 办理时限3个工作日; 第一时间办理; 办理时限未载."""
    return _timed(value, "第一时间办理", "办理时限未载", "办理时限{}")


def _timed(value, at_once: str, not_stated: str, measured: str) -> str:
    """A clause's words for a limit: ``at_once`` (第一时间), ``not_stated`` (时限未载), or the
    length written into ``measured``."""
    unit = limits.unit_of(value)[0]
    if unit == limits.IMMEDIATELY:
        return at_once
    return not_stated if unit == limits.NOT_STATED else measured.format(limit(value))


def quorum(share: float) -> str:
    """0.67 → 三分之二以上; 0.6 → 百分之六十以上."""
    for value, text in _QUORUMS:
        if abs(share - value) < 0.005:
            return text
    return f"百分之{number(round(share * 100))}以上"


#: The mark of a blank the config does not fill: printed as it is, for a pen to fill in.
BLANK = "＿＿＿"
#: What ends the name of a placeholder (an entry its source does not name).
PLACEHOLDER_MARK = "（示例）"
#: A date the config does not give, as a form prints it.
BLANK_DATE = "＿＿＿＿年＿＿月＿＿日"


def named(name: str, word: str) -> str:
    """A name and the word that says what it is, the word not doubled: (楼宇包联, 机制) →
    楼宇包联机制; (联席会议机制, 机制) → 联席会议机制."""
    name, mark = str(name), ""
    if name.endswith(PLACEHOLDER_MARK):  # 楼委会例会（示例） → 楼委会例会机制（示例）
        name, mark = name[:-len(PLACEHOLDER_MARK)], PLACEHOLDER_MARK
    return (name if name.endswith(word) else name + word) + mark


def meeting_name(body: str, meeting: str = "") -> str:
    """The name of a body's meeting, no word said twice and a placeholder's mark kept at the
    end: (示范大厦楼委会) → 示范大厦楼委会会议; (市南区联席会议) → 市南区联席会议; (某党支部,
    支部党员大会) → 某党支部党员大会; (某党支部（示例）, 党小组会) → 某党支部党小组会（示例）."""
    body, mark = str(body), ""
    if body.endswith(PLACEHOLDER_MARK):
        body, mark = body[:-len(PLACEHOLDER_MARK)], PLACEHOLDER_MARK
    return (joined(body, meeting) if meeting else named(body, "会议")) + mark


def record_title(meeting: str) -> str:
    """A meeting's 会议记录: 示范大厦楼委会会议 → 示范大厦楼委会会议记录; 某党支部党小组会 →
    某党支部党小组会会议记录 (the mark of a placeholder stays at the end)."""
    meeting, mark = str(meeting), ""
    if meeting.endswith(PLACEHOLDER_MARK):
        meeting, mark = meeting[:-len(PLACEHOLDER_MARK)], PLACEHOLDER_MARK
    return named(meeting, "会议") + "记录" + mark


def joined(head: str, tail: str) -> str:
    """Two names run together without saying a word twice: the longest end of ``head`` (two
    characters or more) that starts ``tail`` is said once: (当湖街道, 街道企业服务科负责人) →
    当湖街道企业服务科负责人; (所在楼群网格, 网格长) → 所在楼群网格长."""
    head, tail = str(head), str(tail)
    for size in range(min(len(head), len(tail)), 1, -1):
        if head.endswith(tail[:size]):
            return head + tail[size:]
    return head + tail


def period_span(period: str) -> str:
    """month → 按月."""
    return f"按{PERIODS[period]}"


def matter_label(name: str) -> str:
    """楼宇就餐 → 楼宇就餐类事项; 涉税事项 stays 涉税事项."""
    return name if name.endswith(("事项", "类")) else f"{name}类事项"


def sentence(text: str) -> str:
    """A description as a sentence: a full stop added when it ends without punctuation."""
    text = str(text).rstrip()
    return text if text.endswith(("。", "！", "？", "；", "：", ".", "…", "”", "）")) else text + "。"
