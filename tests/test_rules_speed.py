"""Rules stay linear on a city-sized district: per-entity work does not touch the disk."""

from __future__ import annotations

from types import SimpleNamespace

from engine.rules import govmodels


def test_governance_models_are_listed_once_per_check_run(monkeypatch):
    calls = []
    real = govmodels.models
    monkeypatch.setattr(govmodels, "models", lambda extra=None, session=None: calls.append(extra) or real(extra, session))
    ctx = SimpleNamespace(extra=None, session=None)
    found = [govmodels.of(ctx, {"model": "yizhang-liuyuan"}) for _ in range(50)]
    assert calls == [None]
    assert all(spec is not None and spec["id"] == "yizhang-liuyuan" for spec in found)
    assert govmodels.of(ctx, {"model": "no-such-model"}) is None
    assert govmodels.of(SimpleNamespace(extra=None, session=None), {"model": "louwuhui"})["id"] == "louwuhui"
    assert len(calls) == 2
