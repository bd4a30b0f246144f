"""The shipped districts under the shipped packs: every error and warning fixed or suppressed with a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.pipeline import Options, validate

DISTRICTS = Path(__file__).resolve().parents[1] / "configs" / "districts"
PATHS = sorted([p for p in DISTRICTS.glob("*.yaml")] + [p for p in DISTRICTS.iterdir() if p.is_dir()]) \
    if DISTRICTS.is_dir() else []


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_shipped_district_is_clean_under_every_pack(path):
    report = validate([path], Options(today=dt.date(2025, 6, 1)))
    (district,) = report.districts
    assert not district.fatal
    assert set(district.summary["packs"]) == {"structure", "models", "party", "coverage", "escalation", "workload"}
    loud = [f"{f.file}:{f.line}: {f.message} ({f.rule})" for f in district.findings if f.level != "info"]
    assert loud == []
