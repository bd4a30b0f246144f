"""The closing line of every report: how many districts and files, errors, warnings and infos."""

from __future__ import annotations

from ..findings import count_by_level
from ..i18n import text as words


def summary_line(report, lang: str = "en") -> str:
    counts = count_by_level(report.findings)
    files = sum(len(d.files) for d in report.districts)
    text = words("validate.summary", lang, districts=len(report.districts), files=files, errors=counts["error"],
                 warnings=counts["warning"], infos=counts["info"])
    for key in ("suppressed", "baselined"):
        count = sum(d.summary.get(key, 0) for d in report.districts)
        if count:
            text += words(f"validate.{key}", lang, count=count)
    return text
