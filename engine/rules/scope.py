"""Scope: the names a data rule's condition and message can use.

Besides the entity (under its kind's singular name, e.g. ``unit``, and as ``item``) and the
rule's options, a rule sees these helpers over the model. They are plain functions returning
plain values, so the sandbox lets a rule call them and nothing else.
"""

from __future__ import annotations

import datetime as dt

from .expr import trusted

#: The name an entity of each kind goes by in a condition.
SINGULAR = {"zones": "zone", "authorities": "authority", "grids": "grid", "buildings": "building",
            "units": "unit", "party_orgs": "party_org", "people": "person", "roles": "role",
            "mechanisms": "mechanism", "committees": "committee", "groups": "group",
            "service_points": "service_point", "matters": "matter"}

#: Term of office in years of a party organisation whose kind and entry state none.
DEFAULT_TERM_YEARS = 3

#: helper name → one line for ``rules explain`` and docs/rules.md.
HELPERS = {
    "get(kind, id)": "the entity of that kind and id, or none",
    "full_members(x)": "full party members of a unit or party organisation (its own figure, else the sum of its units)",
    "all_members(x)": "full and probationary party members of a unit or party organisation",
    "committee_size(org)": "people on a party organisation's committee: secretary, deputies and members, each once",
    "orgs_of_unit(id, form)": "ids of the party organisations that list the unit (of that form: single or joint)",
    "units_in(id)": "ids of the units in a building",
    "clusters_of(id)": "ids of the cluster grids listing a building",
    "committees_of(id)": "ids of the committees covering a building",
    "party_orgs_of(id)": "ids of the party organisations covering a building, nearest first",
    "building_party_orgs(id)": "ids of the party organisations open to every unit of a building: those listing it "
                               "under buildings, not a single unit's own organisation",
    "form_of(org)": "a party organisation's form as written, else single for one unit and joint for more",
    "posts_of(id)": "the posts of a body (each with id, role, holder, body)",
    "posts_held_by(id)": "the posts a person holds",
    "kind_of_org(org)": "a party organisation's kind as data: label, rank, tier, term_years, temporary (none if undeclared)",
    "term_end(org)": "the date a party organisation's term ends (last election + term: its term_years, else 5 "
                     "for a committee or a community or village organisation, 3 for a branch), or none",
    "full_since(person)": "the date a person became a full member (转正): full_since, else one year after "
                          "party_since (the probation is one year), or none",
    "add_years(date, n)": "the date n years after a date (28 February for 29 February)",
    "date(text)": "a YYYY-MM-DD text as a date, to compare with another",
    "days_until(date)": "days from `today` to a date (negative when past)",
    "years_since(date)": "whole years from a date to `today`",
    "today": "the date the rules run as of (`--today`)",
}


def helpers(model, today: dt.date) -> dict:
    """The helper functions of :data:`HELPERS`, bound to ``model`` and ``today``."""

    def full_members(x):
        return _members(model, x, ("full",))

    def all_members(x):
        return _members(model, x, ("full", "probationary"))

    functions = {
        "get": lambda kind, ident: model.entities.get(kind, {}).get(ident),
        "full_members": full_members,
        "all_members": all_members,
        "orgs_of_unit": lambda ident, form=None: [org for org in model.orgs_of_unit(ident)
                                                  if form is None or _form(model, org) == form],
        "units_in": lambda ident: list(model.units_in(ident)),
        "clusters_of": lambda ident: list(model.clusters_of(ident)),
        "committees_of": lambda ident: list(model.committees_of(ident)),
        "party_orgs_of": lambda ident: list(model.party_orgs_of(ident)),
        "building_party_orgs": lambda ident: [org for org in model.party_orgs_of(ident)
                                              if ident in (model.entities["party_orgs"][org].get("buildings") or [])
                                              and _form(model, org) != "single"],
        "form_of": lambda org: _form(model, org["id"]) if org and org.get("id") in model.entities["party_orgs"] else None,
        "posts_of": lambda ident: list(model.posts_of(ident)),
        "posts_held_by": lambda ident: list(model.posts_held_by(ident)),
        "term_end": lambda org: term_end(org, model),
        "kind_of_org": lambda org: _party_kind(model, org),
        "full_since": full_since,
        "add_years": lambda day, years: add_years(_date(day), years) if day else None,
        "date": lambda day: _date(day) if day else None,
        "committee_size": committee_size,
        "days_until": lambda day: (_date(day) - today).days if day else None,
        "years_since": lambda day: _years(_date(day), today) if day else None,
    }
    return {**{name: trusted(function) for name, function in functions.items()}, "today": today}


def _party_kind(model, org):
    kind = model.kinds.party_orgs.get(org.get("kind")) if org else None
    return None if kind is None else {"id": kind.id, "label": kind.label, "rank": kind.rank, "tier": kind.tier,
                                      "term_years": kind.term_years, "temporary": kind.temporary}


def term_end(org, model=None) -> dt.date | None:
    """When ``org``'s term ends: its last election plus its term (its own ``term_years``, else its
    kind's), or None without an election."""
    if not org or not org.get("last_election"):
        return None
    kind = model.kinds.party_orgs.get(org.get("kind")) if model is not None else None
    years = org.get("term_years") or (5 if org.get("setting") else None) \
        or (kind.term_years if kind is not None else None) or DEFAULT_TERM_YEARS
    return add_years(_date(org["last_election"]), years)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def full_since(person) -> dt.date | None:
    """When ``person`` became a full member: ``full_since``, else a year after ``party_since``."""
    if not person:
        return None
    if person.get("full_since"):
        return _date(person["full_since"])
    return add_years(_date(person["party_since"]), 1) if person.get("party_since") else None


def committee_size(org) -> int:
    people = ([org["secretary"]] if org.get("secretary") else []) + list(org.get("deputy_secretaries") or [])
    return len(set(people) | set(org.get("committee") or []))


def _members(model, entity, levels: tuple) -> int:
    if not entity:
        return 0
    own = entity.get("members") or entity.get("party_members")
    if own:
        return sum(own.get(level, 0) for level in levels)
    return sum(_members(model, model.entities["units"].get(u), levels) for u in entity.get("units") or [])


def _form(model, org: str) -> str:
    entity = model.entities["party_orgs"][org]
    return entity.get("form") or ("single" if len(entity.get("units") or []) == 1 else "joint")


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _years(start: dt.date, today: dt.date) -> int:
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


def names(kind: str | None, options) -> set[str]:
    """Every name a data rule over ``kind`` with ``options`` may use."""
    base = {h.split("(")[0] for h in HELPERS} | {"item", "id", "district"} | set(options)
    return base | ({SINGULAR[kind]} if kind else set())
