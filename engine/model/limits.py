"""Time limits: a step's limit in the unit its report gives (30秒, 15分钟, 48小时, 3个工作日, 7天),
or one of two words where the report gives no length.

A limit is exactly one ``unit: amount`` pair, or a word: ``immediately`` (第一时间: the report
says the handler acts at once, with no length) or ``not_stated`` (时限未载: the report states no
limit; nothing is invented). It is kept and printed as written, never turned into another unit
for display ("30秒", not "0.008333小时"); where limits are compared or summed (the escalation
checks) a working day counts as 7/5 calendar days, ``immediately`` as no time at all, and a
limit not stated is left out (it has no length to compare).
"""

from __future__ import annotations

import datetime as dt

#: unit → (Chinese words, English words, seconds it stands for; None: counted on the calendar)
UNITS = {
    "seconds": ("秒", "second(s)", 1),
    "minutes": ("分钟", "minute(s)", 60),
    "hours": ("小时", "hour(s)", 3600),
    "days": ("个自然日", "calendar day(s)", 86400),
    "working_days": ("个工作日", "working day(s)", None),
}
#: A limit written as a word → (Chinese words, English words), as documents and answers print it.
WORDS = {
    "immediately": ("第一时间", "immediately (第一时间)"),
    "not_stated": ("时限未载", "limit not stated (时限未载)"),
}
#: The word of a limit the report does not state.
NOT_STATED = "not_stated"
#: The word of a limit the report gives as 第一时间 (at once).
IMMEDIATELY = "immediately"
#: Seconds a working day stands for where limits are compared: a week of five working days.
WORKING_DAY_SECONDS = 86400 * 7 / 5


def unit_of(limit: dict | str | tuple) -> tuple[str, float | None]:
    """``(unit, amount)`` of a limit; ``(word, None)`` for a limit written as a word."""
    if isinstance(limit, tuple):
        return limit
    if isinstance(limit, str):
        return limit, None
    (unit, value), = limit.items()
    return unit, value


def stated(limit: dict | str | tuple) -> bool:
    """Whether the limit says something of time (every limit but ``not_stated``)."""
    return unit_of(limit)[0] != NOT_STATED


def measured(limit: dict | str | tuple) -> bool:
    """Whether the limit has a length a due time can be counted from (a unit and an amount)."""
    return unit_of(limit)[0] in UNITS


def as_written(limit: dict | str | tuple):
    """The limit as the config writes it: ``{unit: amount}`` or the word (for JSON answers)."""
    unit, value = unit_of(limit)
    return unit if unit in WORDS else {unit: value}


def amount_text(value) -> str:
    """3 → "3"; 1.5 → "1.5"; 2.0 → "2" (as written, without a trailing .0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value)).rstrip("0").rstrip(".")


def text(limit: dict | str | tuple, lang: str = "zh") -> str:
    """{seconds: 30} → 30秒; {working_days: 3} → 3个工作日 (English: 3 working day(s));
    immediately → 第一时间; not_stated → 时限未载."""
    unit, value = unit_of(limit)
    if unit in WORDS:
        zh, en = WORDS[unit]
        return zh if lang == "zh" else en
    zh, en, _ = UNITS[unit]
    return f"{amount_text(value)}{zh}" if lang == "zh" else f"{amount_text(value)} {en}"


def seconds(limit: dict | str | tuple) -> float | None:
    """The seconds a limit stands for (a working day: 7/5 of a calendar day), to compare limits;
    0 for ``immediately``, None for a limit not stated."""
    unit, value = unit_of(limit)
    if unit == IMMEDIATELY:
        return 0.0
    if unit == NOT_STATED:
        return None
    per = UNITS[unit][2]
    return float(value) * (per if per is not None else WORKING_DAY_SECONDS)


def delta(limit: dict | str | tuple) -> dt.timedelta | None:
    """The exact time a limit in clock units adds (none for ``immediately``); None for working
    days (they need a calendar) and for a limit not stated."""
    unit, value = unit_of(limit)
    if unit == IMMEDIATELY:
        return dt.timedelta(0)
    if unit not in UNITS:
        return None
    per = UNITS[unit][2]
    return None if per is None else dt.timedelta(seconds=float(value) * per)
