"""The collector's pauses: off while a district is built, off the model while a command works
on it, and always back as the caller had it."""

from __future__ import annotations

import gc

import pytest

from engine.gcpause import frozen, kept, paused


@pytest.fixture(autouse=True)
def collector():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_paused_restores_the_callers_setting():
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_kept_freezes_what_was_built_then_collects_what_the_work_makes():
    with kept() as keep:
        assert not gc.isenabled()               # building the model: no collections
        model = [[i] for i in range(1000)]
        keep()
        assert gc.isenabled() and gc.get_freeze_count() >= len(model)
        cycle = []
        cycle.append(cycle)                      # garbage the work makes is still collected
        del cycle
        assert gc.collect() >= 1
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_kept_without_keep_or_after_an_error_restores_everything():
    with pytest.raises(RuntimeError):
        with kept() as keep:
            keep()
            raise RuntimeError("the work failed")
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    with kept():
        pass
    assert gc.isenabled()
    gc.disable()
    with kept() as keep:
        keep()
        assert not gc.isenabled()               # a caller who turned it off keeps it off
    assert not gc.isenabled()


def test_frozen_holds_what_exists_and_settle_freezes_what_survives():
    before = [[i] for i in range(500)]
    with frozen() as settle:
        assert gc.get_freeze_count() >= len(before)
        made = [[i] for i in range(500)]         # what the work keeps ...
        cycle = []
        cycle.append(cycle)                      # ... and garbage it makes
        del cycle
        frozen_before = gc.get_freeze_count()
        settle()                                 # the garbage is collected, what survives is frozen
        assert gc.get_freeze_count() >= frozen_before + len(made)
    assert gc.get_freeze_count() == 0


def test_frozen_inside_kept_leaves_the_model_frozen_until_kept_ends():
    with kept() as keep:
        model = [[i] for i in range(500)]
        keep()
        with frozen():
            pass
        assert gc.get_freeze_count() >= len(model)  # kept still holds the model
    assert gc.get_freeze_count() == 0
