"""Figures of one district: what the config models against what its sources declare, how
far committees, party organisations and grid heads reach, who holds how many posts, and which
posts are vacant.

``compute(model)`` returns plain data (numbers, text, lists, sorted); ``render_text`` and
``render_json`` turn it into a table for people or a document for machines. Every figure can
be checked by hand against the config: a rate is ``covered / total`` with both numbers given.
"""

from __future__ import annotations

import functools
import json
from decimal import ROUND_HALF_UP, Decimal

from .. import i18n

#: Coverage measures of buildings (their names: ``stats.coverage.KEY`` in the catalogs).
COVERAGE = ("committee", "party_org", "grid_head_building", "grid_head_any")
#: How many of the busiest people the text output lists.
BUSIEST = 10


def compute(model) -> dict:
    """Every figure of ``model``, as JSON-ready data."""
    return {
        "district": {"id": model.id, "name": model.name},
        "counts": (rows := counts(model)),
        "declared": reproduced(rows),
        "coverage": coverage(model),
        "posts_per_person": posts_per_person(model),
        "vacancies": vacancies(model),
        **({"subdistricts": subdistricts(model)} if model.multi else {}),
    }


def subdistricts(model) -> dict:
    """A 区 holding several 街道: each 街道's counts (with the figures it declares beside them)
    and building coverage, and the buildings in no 街道. The district's own figures are the total."""
    rows = []
    for ident, entity in sorted(model.entities["subdistricts"].items()):
        modelled = model.counts_in(ident)
        figures_ = []
        for key, entry in sorted(model.declared_in(ident).items()):
            compared = bool(entry["compare"]) and key in modelled
            row = {"key": key, "declared": entry.get("value"), "modelled": modelled.get(key), "compared": compared}
            if entry.get("label"):
                row["label"] = entry["label"]
            if compared:
                row["difference"] = modelled[key] - entry["value"]
            figures_.append(row)
        buildings = model.in_subdistrict("buildings", ident)
        covered = {"committee": [b for b in buildings if not model.committees_of(b)],
                   "party_org": [b for b in buildings if not model.party_orgs_of(b)]}
        rows.append({"id": ident, "name": entity["name"], "counts": modelled, "declared": figures_,
                     "coverage": {key: _rate(len(buildings) - len(missing), len(buildings), missing)
                                  for key, missing in covered.items()}})
    unplaced = sorted(b for b in model.entities["buildings"] if not model.subdistricts_of(b))
    return {"subdistricts": rows, "unplaced_buildings": unplaced}


def counts(model) -> list[dict]:
    """Each modelled count, with the declared figure beside it where the config gives one."""
    modelled = model.counts()
    declared = model.declared()
    by_kind = {f"{of}_{entity.get('kind')}": (of, entity.get("kind"))
               for of in ("party_orgs", "committees") for entity in model.entities[of].values()}
    rows = []
    for key in sorted(set(modelled) | set(declared)):
        entry = declared.get(key, {})
        row = {"key": key, "modelled": modelled.get(key), "declared": entry.get("value"),
               "compared": bool(entry.get("compare", False)) and key in modelled}
        if isinstance(entry.get("counts"), dict):
            row["counts"] = entry["counts"]
        if entry.get("label"):
            row["label"] = entry["label"]
        elif key in by_kind:
            of, kind = by_kind[key]
            row["kind"] = {"of": of, "kind": kind, "zh": model.kind_label(of, kind, "zh"),
                           "en": model.kind_label(of, kind, "en")}
        if row["compared"]:
            row["difference"] = row["modelled"] - row["declared"]
        rows.append(row)
    return rows


def reproduced(rows: list[dict]) -> dict:
    """How many declared figures there are, how many the config lets loushi compute (and
    compare), and how many of those agree with the figure declared."""
    declared = [row for row in rows if row["declared"] is not None]
    computed = [row for row in declared if row["compared"]]
    return {"figures": len(declared), "computed": len(computed),
            "agree": sum(1 for row in computed if row["difference"] == 0)}


def coverage(model) -> dict:
    """For each measure: how many buildings it reaches, of how many, and which it misses."""
    buildings = sorted(model.entities["buildings"])
    tests = {
        "committee": lambda b: bool(model.committees_of(b)),
        "party_org": lambda b: bool(model.party_orgs_of(b)),
        "grid_head_building": lambda b: _has_head(model, model.grid_of(b, "building")),
        "grid_head_any": lambda b: any(_has_head(model, model.grid_of(b, level))
                                       for level in ("building", "cluster", "block")),
    }
    result = {}
    for key, test in tests.items():
        missing = [b for b in buildings if not test(b)]
        result[key] = _rate(len(buildings) - len(missing), len(buildings), missing)
    units = sorted(model.entities["units"])
    in_org = {u for org in model.entities["party_orgs"].values() for u in org.get("units") or []}
    result["unit_party_org"] = _rate(sum(1 for u in units if u in in_org), len(units),
                                     [u for u in units if u not in in_org])
    return result


def _has_head(model, grid: str | None) -> bool:
    return grid is not None and any(p.holder for p in model.posts_of(grid) if p.role == "grid_head")


def _rate(covered: int, total: int, missing: list[str]) -> dict:
    return {"covered": covered, "total": total, "rate": round(covered / total, 4) if total else None,
            "missing": missing}


def posts_per_person(model) -> dict:
    """How many posts each person holds (as written; a rotation's other turns not counted)."""
    held = {person: len(model.posts_held_by(person)) for person in model.entities["people"]}
    people = sorted(held, key=lambda p: (-held[p], p))
    filled = sum(held.values())
    distribution: dict[int, int] = {}
    for number in held.values():
        distribution[number] = distribution.get(number, 0) + 1
    return {
        "people": len(held),
        "filled_posts": filled,
        "mean": round(filled / len(held), 4) if held else None,
        "max": held[people[0]] if people else 0,
        "without_post": [p for p in sorted(held) if held[p] == 0],
        "distribution": {str(k): distribution[k] for k in sorted(distribution)},
        "by_person": [{"person": p, "name": model.entities["people"][p]["name"], "posts": held[p],
                       "post_ids": sorted(post.id for post in model.posts_held_by(p))} for p in people],
    }


def vacancies(model) -> dict:
    """Posts without a holder, and grids without a head, by id."""
    vacant = sorted(post.id for post in model.posts.values() if post.holder is None)
    headless = sorted(g for g, entity in model.entities["grids"].items() if not entity.get("heads"))
    by_body: dict[str, list[str]] = {}
    for ident in vacant:
        by_body.setdefault(model.posts[ident].body, []).append(ident)
    return {"posts": len(model.posts), "vacant": len(vacant), "vacant_posts": vacant,
            "by_body": dict(sorted(by_body.items())), "grids_without_head": headless}


# -- output ------------------------------------------------------------------------------------
def render_json(stats: dict) -> str:
    return json.dumps(stats, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_text(stats: dict, lang: str | None = "zh") -> str:
    """The figures as a short report a consultant reads, in ``lang`` (``None``: the environment's)."""
    said = functools.partial(_said, lang)
    lines = [said("stats.district", name=stats["district"]["name"], id=stats["district"]["id"]), "",
             said("stats.counts")]
    for row in stats["counts"]:
        if not row["modelled"] and row["declared"] is None:
            continue
        declared = "—" if row["declared"] is None else _number(row["declared"])
        mark = ""
        if row.get("compared") and row["difference"]:
            mark = said("stats.difference", difference=f"{'+' if row['difference'] > 0 else ''}"
                                                       f"{_number(row['difference'])}")
        modelled = "—" if row["modelled"] is None else str(row["modelled"])
        lines.append(said("stats.count", label=count_label(row["key"], row.get("label"), lang, row.get("kind")),
                          modelled=modelled, declared=declared) + mark)
    if stats["declared"]["figures"]:
        lines.append(said("stats.reproduced", **stats["declared"]))
    lines += ["", said("stats.coverage")]
    for key, rate in stats["coverage"].items():
        percent = "—" if rate["rate"] is None else _fixed(rate["rate"] * 100, 1) + "%"
        lines.append(said("stats.rate", label=said(f"stats.coverage.{key}"), covered=rate["covered"],
                          total=rate["total"], percent=percent))
        if rate["missing"]:
            lines.append(said("stats.uncovered", ids=_some(rate["missing"], lang)))
    lines += _person_lines(stats["posts_per_person"], lang) + _vacancy_lines(stats["vacancies"], lang)
    if "subdistricts" in stats:
        lines += _subdistrict_lines(stats["subdistricts"], lang)
    return "\n".join(lines) + "\n"


def _subdistrict_lines(data: dict, lang: str | None = "zh") -> list[str]:
    """Each 街道 of a 区: its counts, the figures it declares, its building coverage."""
    said = functools.partial(_said, lang)
    lines = ["", said("stats.subdistricts")]
    for row in data["subdistricts"]:
        lines.append(said("stats.subdistrict", name=row["name"], id=row["id"], **row["counts"]))
        for figure in row["declared"]:
            declared = "—" if figure["declared"] is None else _number(figure["declared"])
            modelled = "—" if figure["modelled"] is None else str(figure["modelled"])
            mark = ""
            if figure["compared"] and figure["difference"]:
                sign = "+" if figure["difference"] > 0 else ""
                mark = said("stats.difference", difference=f"{sign}{_number(figure['difference'])}")
            label = count_label(figure["key"], figure.get("label"), lang)
            lines.append("  " + said("stats.count", label=label, modelled=modelled, declared=declared) + mark)
        for key, rate in row["coverage"].items():
            percent = "—" if rate["rate"] is None else _fixed(rate["rate"] * 100, 1) + "%"
            lines.append("  " + said("stats.rate", label=said(f"stats.coverage.{key}"), covered=rate["covered"],
                                     total=rate["total"], percent=percent))
    if data["unplaced_buildings"]:
        lines.append(said("stats.unplaced", ids=_some(data["unplaced_buildings"], lang)))
    return lines


def count_label(key: str, label: str | None, lang: str | None, kind: dict | None = None) -> str:
    """What a count is called: loushi's name for the counts it makes (``grids_block`` is
    "街区网格", ``party_orgs_branch`` "党组织：党支部"), else the label the config declares the
    figure with, else its key as written."""
    if i18n.has(f"stats.count.{key}"):
        return _said(lang, f"stats.count.{key}")
    if kind:
        return _said(lang, "stats.count.by-kind", kind=kind[i18n.language(lang)])
    level = key.removeprefix("grids_")
    if key.startswith("grids_") and i18n.has(f"term.level.{level}"):
        return _said(lang, "stats.count.grids-at", level=i18n.word("level", level, lang))
    return f"{key}（{label}）" if label else key


def _said(lang: str | None, key: str, /, **values) -> str:
    return i18n.text(key, lang, **values)


def _person_lines(data: dict, lang: str | None = "zh") -> list[str]:
    said = functools.partial(_said, lang)
    mean = "—" if data["mean"] is None else _fixed(data["mean"], 2)
    lines = ["", said("stats.posts"), said("stats.posts-summary", people=data["people"], filled=data["filled_posts"],
                                           mean=mean, max=data["max"])]
    lines.append(said("stats.distribution", pairs=", ".join(f"{k}: {v}" for k, v in data["distribution"].items())))
    for row in data["by_person"][:BUSIEST]:
        lines.append(said("stats.person", name=row["name"], person=row["person"], posts=row["posts"]))
    if len(data["by_person"]) > BUSIEST:
        lines.append(said("stats.more-people", count=len(data["by_person"]) - BUSIEST))
    if data["without_post"]:
        lines.append(said("stats.without-post", ids=_some(data["without_post"], lang)))
    return lines


def _vacancy_lines(data: dict, lang: str | None = "zh") -> list[str]:
    said = functools.partial(_said, lang)
    lines = ["", said("stats.vacancies"), said("stats.vacant", vacant=data["vacant"], posts=data["posts"])]
    for body, posts in data["by_body"].items():
        lines.append(f"    {body}: {', '.join(posts)}")
    if data["grids_without_head"]:
        lines.append(said("stats.headless", ids=_some(data["grids_without_head"], lang)))
    return lines


def _some(ids: list[str], lang: str | None = "zh", shown: int = 12) -> str:
    """The first ``shown`` ids, and how many there are in all (the JSON output lists every one)."""
    text = ", ".join(ids[:shown])
    return text if len(ids) <= shown else _said(lang, "stats.some", ids=text, count=len(ids))


def _fixed(value: float, places: int) -> str:
    """``value`` with ``places`` decimals, halves rounded up (2.625 → 2.63), as people round."""
    return str(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
