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


def test_ics_fold_keeps_short_lines_and_folds_long_ones_at_75_octets():
    from engine.render.writers.ics import fold

    assert fold("SUMMARY:楼长轮值") == "SUMMARY:楼长轮值"
    exact = "X" * 75
    assert fold(exact) == exact
    for line in ("DESCRIPTION:" + "楼宇党建" * 40, "A" * 200, "DESCRIPTION:" + "楼" * 21 + "x" * 10):
        physical = fold(line).split("\r\n ")
        assert "".join(physical) == line
        assert len(physical[0].encode("utf-8")) <= 75
        assert all(len(part.encode("utf-8")) <= 74 for part in physical[1:])
