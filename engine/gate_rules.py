"""The ids of the gate's checks (engine/gate.py): what a district's ``rules:`` block cannot
disable, suppress, re-level or configure, and what a baseline cannot accept.

A module of its own so that the gate and the rules stage (which lists and explains every id,
engine/rules/stages.py) both read them without the rules stage importing the gate.
"""

from __future__ import annotations

#: Loader and source checks: the district's files cannot be read or put together.
LOADER_RULES = frozenset((
    "path-missing", "path-not-one-district",
    "yaml-read", "yaml-empty", "yaml-encoding", "yaml-syntax", "yaml-depth", "yaml-key", "yaml-alias-bomb",
    "yaml-documents", "yaml-merge-key", "yaml-duplicate-key", "yaml-control-character", "yaml-tag",
    "include-missing", "include-outside", "include-self", "include-shape",
    "project-config",
))
#: The schema check.
SCHEMA_RULE = "schema"
#: The notice that a version-1 district was read by upgrading it in memory (engine.migrate).
FORMAT_RULE = "format-v1"
#: The model's checks: an id used twice, a reference to nothing, a kind no model declares.
MODEL_RULES = frozenset(("duplicate-id", "reference", "kinds"))
#: The project's calendar files (engine/calendars.py): a wrong one would count days wrongly.
CALENDAR_RULES = frozenset(("calendar-file",))
#: A ``rules:`` block naming a gate check under disable, suppress, levels or options.
NOT_A_RULE = "not-a-rule"
#: Every gate check, by the rule id its findings carry.
GATE_RULES = LOADER_RULES | {SCHEMA_RULE, FORMAT_RULE, NOT_A_RULE} | MODEL_RULES | CALENDAR_RULES
