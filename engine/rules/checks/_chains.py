"""Escalation chains, as the escalation checks read them."""

from __future__ import annotations

from typing import Iterator

from ...model import STEP_LEVELS, limits



def chains(model) -> Iterator[tuple[str, dict, int, dict]]:
    """``(matter id, matter, chain index, chain)`` for every chain of every matter."""
    for ident, matter in model.entities["matters"].items():
        for index, chain in enumerate(matter["escalation"]):
            yield ident, matter, index, chain


def rank(level: str) -> int:
    return STEP_LEVELS.index(level)


def hours(limit: dict | str) -> float | None:
    """The hours a limit stands for: a working day counts as 7/5 calendar days (a week of five);
    ``immediately`` none; None for a limit not stated (it has no length to compare)."""
    found = limits.seconds(limit)
    return None if found is None else found / 3600


def describe(limit: dict | str) -> str:
    unit, value = limits.unit_of(limit)
    return unit.replace("_", " ") if value is None else f"{value} {unit.replace('_', ' ')}"


def is_default(chain: dict) -> bool:
    return not chain.get("when")


def bodies(model, handler_body: str, level: str, memo: dict) -> dict:
    """Building → the body ``handler_body`` names for a matter raised there at ``level`` (None: none).

    Steps of many matters name the same bodies; ``memo`` (one per check run) keeps each answer.
    """
    key = ("bodies", handler_body, level)
    if key not in memo:
        memo[key] = {b: model.body_for(handler_body, b, level) for b in model.entities["buildings"]}
    return memo[key]


def groups(model, handler_body: str, level: str, memo: dict) -> dict:
    """Body → the sorted buildings for which ``handler_body`` at ``level`` names it (None: no such body)."""
    key = ("groups", handler_body, level)
    if key not in memo:
        grouped: dict = {}
        for building, body in sorted(bodies(model, handler_body, level, memo).items()):
            grouped.setdefault(body, []).append(building)
        memo[key] = grouped
    return memo[key]
