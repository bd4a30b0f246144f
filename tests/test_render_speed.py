"""A person's roster turns come from an index made once per build, the same turns in the
same order as a scan of every roster would give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.pipeline import prepare
from engine.render.plan import governance_models
from engine.render.context import Builder, Window

ROOT = Path(__file__).resolve().parents[1]


def _scan(rosters, ident):
    return [(roster.title, period.begin_text, period.end_text, period.turn.member)
            for roster in rosters for period in roster.periods if getattr(period.turn, "holder_id", None) == ident]


def test_turns_by_holder_matches_a_scan_of_every_roster():
    model = prepare(ROOT / "tests" / "data" / "mini.yaml").model
    builder = Builder(model, Window(dt.date(2024, 1, 1), 12), governance_models())
    rosters = builder.rotations()
    people = list(model.entities["people"])
    seen = 0
    for ident in people:
        turns = builder.holdings(ident, rosters).turns
        assert [(t.roster, t.begin_text, t.end_text, t.member) for t in turns] == _scan(rosters, ident)
        seen += len(turns)
    assert seen == 12  # mini's one rotation: a turn a month
    assert builder.turns_by_holder(rosters) is builder.turns_by_holder(rosters)
    assert builder.turns_by_holder(list(rosters)) is not builder.turns_by_holder(rosters)
