"""What happens if a person or a unit leaves: the staffing question of a district.

``compute(model, person=...)`` or ``compute(model, unit=...)`` (an id, or several leaving at
once) returns plain, sorted data:

- **posts vacated**: posts the person holds; for a unit, posts held by the people affiliated
  with it and posts it sends (``from:``). A rotating post (轮值) is vacated only when no turn
  is left to anyone staying; otherwise the turns lost are listed;
- **committees below their model**: roles whose filled posts drop below the minimum of the
  committee's governance model (``rules/models/*.yaml``), and member counts below
  ``members_min`` (distinct people holding its posts), where this departure is what takes them below or further below;
- **escalation steps left without a handler**: per matter category, chain and step, the
  buildings where the step had a holder before and has none after;
- **party organisations affected**, and the **buildings affected**: every building served by
  a body that loses a post or a member, where an escalation step goes unhandled, or where the
  unit stood.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import i18n
from ..rules.govmodels import models


class UnknownSubject(LookupError):
    """The person or unit named is not in the district."""


def _ids(value) -> list[str]:
    """One id, or several, as a list without repeats (in the order given)."""
    if value is None:
        return []
    return list(dict.fromkeys([value] if isinstance(value, str) else value))


def compute(model, person=None, unit=None, models: dict | None = None) -> dict:
    """The impact of the people ``person`` and the units ``unit`` (an id, or several) leaving at
    once; ``models`` by id (default: shipped). ``subject`` is given when one leaves, ``subjects``
    always."""
    subjects = _subjects(model, _ids(person), _ids(unit))
    units = {ident for kind, ident in subjects if kind == "units"}
    people = {ident for kind, ident in subjects if kind == "people"}
    people |= {p for p, entity in model.entities["people"].items() if entity.get("affiliation") in units}
    vacated, turns = _vacated(model, people, units)
    gaps = escalation_gaps(model, vacated)
    if models is None and getattr(model, "governance", None):  # the models the gate checked it against
        models = dict(model.governance)
    below = committees_below(model, vacated, governance_models() if models is None else models)
    orgs = party_orgs_affected(model, vacated, units)
    named = [{"kind": "person" if kind == "people" else "unit", "id": ident,
              "name": model.entities[kind][ident]["name"]} for kind, ident in subjects]
    result = {
        "district": {"id": model.id, "name": model.name},
        "subjects": named,
        "people_leaving": sorted(people),
        "posts_vacated": [_post_row(model, model.posts[p]) for p in sorted(vacated)],
        "rotation_turns_lost": turns,
        "committees_below_model": below,
        "committees_losing_members": sorted(c for c, e in model.entities["committees"].items()
                                            if units & set(e.get("member_units") or [])),
        "escalation_gaps": gaps,
        "party_orgs_affected": orgs,
        "buildings_affected": buildings_affected(model, vacated, units, gaps, turns),
        "party_members_lost": _members_lost(model, units),
    }
    if len(named) == 1:
        result["subject"] = named[0]
    return result


def _subjects(model, people: list[str], units: list[str]) -> list[tuple[str, str]]:
    if not people and not units:
        raise UnknownSubject(i18n.text("impact.no-subject", model.lang))
    subjects = [("people", p) for p in people] + [("units", u) for u in units]
    for kind, ident in subjects:
        if ident not in model.entities[kind]:
            hint = model.suggest(ident, (kind,))
            raise UnknownSubject(i18n.text(f"impact.no-such.{kind}", model.lang, id=ident)
                                 + (i18n.text("impact.no-such-hint", model.lang, hint=hint) if hint else ""))
    return subjects


# -- posts --------------------------------------------------------------------------------------
def _vacated(model, people: set, units: set) -> tuple[set, list[dict]]:
    """The ids of posts left without a holder, and the rotation turns lost."""
    vacated, turns = set(), []
    for post in model.posts.values():
        gone = post.holder in people or post.source in units
        rotation = model.rotation_of(post.id)
        if rotation is None:
            if gone and post.holder is not None:
                vacated.add(post.id)
            continue
        lost = [i for i, turn in enumerate(rotation["turns"]) if turn.get("holder", post.holder) in people
                or turn.get("member") in units]
        turns.extend({"post": post.id, "body": post.body, "turn": i + 1, "member": rotation["turns"][i].get("member"),
                      "holder": rotation["turns"][i].get("holder", post.holder)} for i in lost)
        if lost and len(lost) == len(rotation["turns"]):
            vacated.add(post.id)
    return vacated, turns


def _post_row(model, post) -> dict:
    return {"post": post.id, "title": model.post_title(post), "role": post.role, "body": post.body,
            "body_kind": post.body_kind, "holder": post.holder}


def _filled(model, body: str, vacated: set) -> tuple[dict, dict]:
    """Filled posts of ``body`` by role: before and after the departure."""
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for post in model.posts_of(body):
        if post.holder is not None:
            before[post.role] = before.get(post.role, 0) + 1
            after[post.role] = after.get(post.role, 0) + (post.id not in vacated)
    return before, after


# -- committees against their governance model ----------------------------------------------------
def governance_models(extra: str | Path | None = None) -> dict[str, dict]:
    """The governance models by id: the shipped ones (``rules/models/*.yaml``) and ``extra``'s
    (a folder); a command takes the district's own with ``govmodels.of_district``.

    Read by the rule engine's loader, so impact and the *models* rule pack see the same models;
    a file that does not read as a model is left out (the rule pack reports it).
    """
    return models(str(extra) if extra is not None else None)


def committees_below(model, vacated: set, models: dict) -> list[dict]:
    """Each role (or the member count) of a committee that this departure takes below its model."""
    rows = []
    touched = sorted({model.posts[p].body for p in vacated if model.posts[p].body_kind == "committees"})
    for committee in touched:
        spec = models.get(model.entities["committees"][committee].get("model"))
        if spec is None:
            continue
        before, after = _filled(model, committee, vacated)
        for need in spec.get("posts") or []:
            role, least = need["role"], need.get("min", 0)
            if after.get(role, 0) < least and after.get(role, 0) < before.get(role, 0):
                rows.append(_below(model, committee, spec, role, least, before.get(role, 0), after.get(role, 0)))
        least = spec.get("members_min")
        was, now = _members(model, committee, set()), _members(model, committee, vacated)
        if least and now < least and now < was:
            rows.append(_below(model, committee, spec, None, least, was, now))
    return rows


def _members(model, committee: str, vacated: set) -> int:
    """The distinct people holding a post of ``committee`` that is not in ``vacated``."""
    return len({p.holder for p in model.posts_of(committee) if p.holder is not None and p.id not in vacated})


def _below(model, committee: str, spec: dict, role: str | None, least: int, before: int, after: int) -> dict:
    return {"committee": committee, "name": model.entities["committees"][committee]["name"],
            "model": spec["id"], "model_name": spec.get("name", spec["id"]),
            "role": role, "role_name": model.role_name(role) if role else "成员人数",
            "min": least, "before": before, "after": after}


# -- escalation ----------------------------------------------------------------------------------
def escalation_gaps(model, vacated: set) -> list[dict]:
    """Steps whose handler had a holder before and has none after, with the buildings concerned."""
    rows = []
    roles = {model.posts[p].role for p in vacated}
    for matter, entity in sorted(model.entities["matters"].items()):
        for number, chain in enumerate(entity["escalation"], 1):
            for step, entry in enumerate(chain["steps"], 1):
                if entry["handler"]["role"] not in roles:
                    continue  # no post of this step's role leaves
                lost = [b for b in model.buildings_of_matter(matter) if _step_lost(model, entry, b, vacated)]
                if lost:
                    rows.append({"matter": matter, "name": entity["name"], "chain": number, "step": step,
                                 "level": entry["level"], "body": entry["handler"]["body"],
                                 "role": entry["handler"]["role"], "role_name": model.role_name(entry["handler"]["role"]),
                                 "buildings": lost})
    return rows


def _step_lost(model, entry, building: str, vacated: set) -> bool:
    handlers = [p for p in model.handlers(entry["handler"], building, entry["level"]) if p.holder is not None]
    return bool(handlers) and all(p.id in vacated for p in handlers)


# -- party organisations and buildings -------------------------------------------------------------
def party_orgs_affected(model, vacated: set, units: set) -> list[dict]:
    """Party organisations that lose a post or a unit; ``dissolved`` when no unit or building is left."""
    rows = []
    for org, entity in sorted(model.entities["party_orgs"].items()):
        posts = sorted(p for p in vacated if model.posts[p].body == org)
        lost = sorted(units & set(entity.get("units") or []))
        if not posts and not lost:
            continue
        left = [u for u in entity.get("units") or [] if u not in units]
        rows.append({"party_org": org, "name": entity["name"], "posts_vacated": posts, "units_lost": lost,
                     "dissolved": bool(lost) and not left and not entity.get("buildings")})
    return rows


def buildings_affected(model, vacated: set, units: set, gaps: list[dict], turns: list[dict]) -> list[str]:
    """Every building served by a body losing a post, turn or member; with a gap; or where a unit leaves."""
    bodies = {model.posts[p].body for p in vacated} | {t["body"] for t in turns}
    bodies |= {c for c, e in model.entities["committees"].items() if units & set(e.get("member_units") or [])}
    bodies |= {o for o, e in model.entities["party_orgs"].items() if units & set(e.get("units") or [])}
    found = {b for gap in gaps for b in gap["buildings"]}
    for building, entity in model.entities["buildings"].items():
        if bodies & _serving(model, building):
            found.add(building)
        if units & {entity.get("owner"), entity.get("property_manager")}:
            found.add(building)
    found.update(model.entities["units"][u]["building"] for u in units if model.entities["units"][u].get("building"))
    return sorted(found)


def _serving(model, building: str) -> set:
    """The committees, party organisations and grids that serve ``building``."""
    grids = {model.grid_of(building, level) for level in ("building", "cluster", "block")}
    grids.update(model.micro_grids(building))
    return {*model.committees_of(building), *model.party_orgs_of(building), *(g for g in grids if g)}


def _members_lost(model, units: set) -> dict:
    full = sum(model.unit_members(u)[0] for u in units)
    probationary = sum(model.unit_members(u)[1] for u in units)
    return {"full": full, "probationary": probationary}


# -- output --------------------------------------------------------------------------------------
def render_json(impact: dict) -> str:
    return json.dumps(impact, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_text(impact: dict, lang: str = "zh") -> str:
    """The impact as a short report, its headings in ``lang`` (names and ids as the config has them)."""
    say = lambda key, **values: i18n.text(f"impact.text.{key}", lang, **values)  # noqa: E731
    who = _listed((say("person" if s["kind"] == "person" else "unit", name=s["name"], id=s["id"])
                   for s in impact["subjects"]), lang)
    title = "title-together" if len(impact["subjects"]) > 1 else "title"
    lines = [say(title, district=impact["district"]["name"], who=who), ""]
    lines.append(say("posts", count=len(impact["posts_vacated"])))
    lines += ["  " + say("post", body=row["body"], title=row["title"], post=row["post"]) for row in impact["posts_vacated"]]
    if impact["rotation_turns_lost"]:
        lines.append(say("turns", count=len(impact["rotation_turns_lost"])))
        lines += ["  " + say("turn", post=t["post"], turn=t["turn"], member=t["member"] or t["holder"])
                  for t in impact["rotation_turns_lost"]]
    lines.append(say("below", count=len(impact["committees_below_model"])))
    lines += ["  " + say("below-row", name=r["name"], committee=r["committee"], model=r["model_name"], role=r["role_name"],
                         before=r["before"], after=r["after"], least=r["min"]) for r in impact["committees_below_model"]]
    lines.append(say("gaps", count=len(impact["escalation_gaps"])))
    lines += ["  " + say("gap", name=g["name"], matter=g["matter"], chain=g["chain"], step=g["step"],
                         level=i18n.word("level", g["level"], lang), role=g["role_name"],
                         buildings=_some(g["buildings"], lang=lang)) for g in impact["escalation_gaps"]]
    lines += _org_lines(impact, lang)
    lines.append(say("buildings", count=len(impact["buildings_affected"]),
                     buildings=_some(impact["buildings_affected"], lang=lang) or say("none")))
    return "\n".join(lines) + "\n"


def _listed(names, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def _some(ids: list[str], shown: int = 12, lang: str = "zh") -> str:
    """The first ``shown`` ids, and how many there are in all (the JSON output lists every one)."""
    listed = ", ".join(ids[:shown])
    return listed if len(ids) <= shown else i18n.text("impact.text.more", lang, ids=listed, count=len(ids))


def _org_lines(impact: dict, lang: str = "zh") -> list[str]:
    say = lambda key, **values: i18n.text(f"impact.text.{key}", lang, **values)  # noqa: E731
    lines = [say("orgs", count=len(impact["party_orgs_affected"]))]
    for row in impact["party_orgs_affected"]:
        parts = [say("org-posts", posts=", ".join(row["posts_vacated"])) if row["posts_vacated"] else "",
                 say("org-units", units=", ".join(row["units_lost"])) if row["units_lost"] else "",
                 say("org-dissolved") if row["dissolved"] else ""]
        lines.append("  " + say("org", name=row["name"], id=row["party_org"],
                                what=("；" if lang == "zh" else "; ").join(p for p in parts if p)))
    if impact["committees_losing_members"]:
        lines.append(say("losing", committees=", ".join(impact["committees_losing_members"])))
    members = impact["party_members_lost"]
    if members["full"] or members["probationary"]:
        lines.append(say("members", full=members["full"], probationary=members["probationary"]))
    return lines
