"""Rules stay linear on a city-sized district: per-entity work does not touch the disk."""

from __future__ import annotations

from types import SimpleNamespace

from engine.rules import govmodels


def test_governance_models_are_listed_once_per_check_run(monkeypatch):
    calls = []
    real = govmodels.models
    monkeypatch.setattr(govmodels, "models", lambda extra=None, session=None: calls.append(extra) or real(extra, session))
    def ctx():
        return SimpleNamespace(extra=None, session=None, model=SimpleNamespace(source=SimpleNamespace(path=None)))

    run = ctx()
    found = [govmodels.of(run, {"model": "yizhang-liuyuan"}) for _ in range(50)]
    assert len(calls) == 1
    assert all(spec is not None and spec["id"] == "yizhang-liuyuan" for spec in found)
    assert govmodels.of(run, {"model": "no-such-model"}) is None
    assert len(calls) == 1
    assert govmodels.of(ctx(), {"model": "louwuhui"})["id"] == "louwuhui"
    assert len(calls) == 2
