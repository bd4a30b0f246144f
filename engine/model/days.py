"""Days a source gives without their year ("5月8日"): written ``--MM-DD`` (ISO 8601 without the
year) where the schema takes a day (``founded``, a post's ``since`` and ``until``).

Such a day is printed as the source says it (5月8日), and never compared: whether a term has
ended, or runs forwards, cannot be judged from it, so route does not judge a term by it and the
rules that compare dates say they cannot (never a confident wrong answer)."""

from __future__ import annotations

import datetime as dt


def yearless(value) -> bool:
    """Whether ``value`` is a day without its year (``--05-08``)."""
    return isinstance(value, str) and value.startswith("--")


def month_day(value: str) -> tuple[int, int]:
    """``--05-08`` → (5, 8)."""
    return int(value[2:4]), int(value[5:7])


def dated(value) -> str | None:
    """``value`` as an ISO date to compare (``YYYY-MM-DD``), or None: not given, or no year."""
    if value is None or value == "" or yearless(value):
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)
