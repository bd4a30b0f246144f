"""Time limits: a step's limit in the unit its report gives (30秒, 15分钟, 48小时, 3个工作日, 7天).

A limit is exactly one ``unit: amount`` pair. It is kept and printed as written, never turned
into another unit for display ("30秒", not "0.008333小时"); where limits are compared or
summed (the escalation checks) a working day counts as 7/5 calendar days.
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
#: Seconds a working day stands for where limits are compared: a week of five working days.
WORKING_DAY_SECONDS = 86400 * 7 / 5


def unit_of(limit: dict) -> tuple[str, float]:
    """``(unit, amount)`` of a limit."""
    (unit, value), = limit.items()
    return unit, value


def amount_text(value) -> str:
    """3 → "3"; 1.5 → "1.5"; 2.0 → "2" (as written, without a trailing .0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value)).rstrip("0").rstrip(".")


def text(limit: dict | tuple, lang: str = "zh") -> str:
    """{seconds: 30} → 30秒; {working_days: 3} → 3个工作日 (English: 3 working day(s))."""
    unit, value = limit if isinstance(limit, tuple) else unit_of(limit)
    zh, en, _ = UNITS[unit]
    return f"{amount_text(value)}{zh}" if lang == "zh" else f"{amount_text(value)} {en}"


def seconds(limit: dict | tuple) -> float:
    """The seconds a limit stands for (a working day: 7/5 of a calendar day), to compare limits."""
    unit, value = limit if isinstance(limit, tuple) else unit_of(limit)
    per = UNITS[unit][2]
    return float(value) * (per if per is not None else WORKING_DAY_SECONDS)


def delta(limit: dict | tuple) -> dt.timedelta | None:
    """The exact time a limit in clock units adds; None for working days (they need a calendar)."""
    unit, value = limit if isinstance(limit, tuple) else unit_of(limit)
    per = UNITS[unit][2]
    return None if per is None else dt.timedelta(seconds=float(value) * per)
