"""Every matter category of every shipped district routes from every building."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.route import RouteError, route
from engine.gate import open_district
from engine.session import Session
from engine.route.workdays import OfficeHours

DISTRICTS = Path(__file__).resolve().parents[1] / "configs" / "districts"
SHIPPED = sorted(p.name for p in DISTRICTS.iterdir() if p.suffix == ".yaml" or p.is_dir()) if DISTRICTS.is_dir() else []


@pytest.mark.parametrize("name", SHIPPED)
def test_every_matter_routes_from_every_building_of_its_scope(name):
    model = open_district(DISTRICTS / name, Session()).model
    assert model is not None
    office = OfficeHours.parse(model.district.get("office_hours"))
    values = (model.data.get("attributes") or {}).get("severity", {}).get("values") or [None]
    at = dt.datetime(2025, 9, 30, 16, 45)  # the eve of the National Day week
    routed = 0
    for building in model.entities["buildings"]:
        for matter in model.entities["matters"]:
            if not model.matter_applies(matter, building):
                with pytest.raises(RouteError, match="does not arise in building"):
                    route(model, building, matter, at, {})
                continue
            routed += 1
            for severity in values:
                found = route(model, building, matter, at, {"severity": severity} if severity else {})
                start = at
                for step in found.steps:
                    assert step.start == start
                    assert any(h.holder for h in step.handlers)
                    if step.limit[1] is None:  # 第一时间: due as it starts; 时限未载: no due time, nor any later
                        assert step.deadline == (step.start if step.limit[0] == "immediately" else None)
                        start = step.deadline
                        continue
                    assert step.deadline > step.start
                    if step.limit[0] == "working_days":
                        assert step.deadline.time() == office.end
                        assert step.deadline.date() >= dt.date(2025, 10, 9) or step.deadline.date() < dt.date(2025, 10, 1)
                    start = step.deadline
    assert routed >= len(model.entities["matters"])  # every matter arises somewhere
