"""What ``loushi models list`` and ``loushi models explain ID`` say: the governance models in
effect for a project (shipped, the project's folders, ``--models``), each with the file it came
from, and one model's composition (its roles, how many of each and from where).

A model's own words are shown as it writes them; where a model names no label for a role,
the role's id stands (never a label made up for it).
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import discovery
from ..i18n import text
from . import govmodels

#: Keys a model may name the body it composes with, newest first (the format's own words).
BODY_KEYS = ("body_kind", "body_kinds", "committee_kinds")


def rows(found: discovery.Found, session) -> list[dict]:
    """One row per model in effect, by id: id, name, file, folder's origin, body kinds."""
    known = govmodels.models(found, session)
    files = govmodels.origins(found, session)
    origin = {str(path): folder.origin for path, folder in found.model_files()}
    return [{"id": ident, "name": str(data.get("name") or ""), "file": files[ident],
             "origin": origin.get(files[ident], ""), "body": body_kinds(data)}
            for ident, data in sorted(known.items())]


def body_kinds(data: dict) -> list[str]:
    """The body kinds a model is for, as it writes them."""
    for key in BODY_KEYS:
        value = data.get(key)
        if value:
            return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return []


def listing(found: discovery.Found, session, lang: str, fmt: str = "text") -> str:
    """``loushi models list``: the models in effect, then the folders searched and any problem."""
    table = rows(found, session)
    if fmt == "json":
        return json.dumps({"models": table, "folders": [{"path": str(f.path), "origin": f.origin} for f in found.models],
                           "problems": [f.where + ": " + f.message for f in govmodels.problems(found, session)]},
                          ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    head = [text("models.col-id", lang), text("models.col-name", lang), text("models.col-body", lang),
            text("models.col-file", lang)]
    lines = [[row["id"], row["name"], ", ".join(row["body"]) or "—", _shown(row["file"])] for row in table]
    widths = [max(_width(cells[i]) for cells in [head, *lines]) for i in range(3)]
    out = ["  ".join(_pad(cell, widths[i]) if i < 3 else cell for i, cell in enumerate(cells)).rstrip()
           for cells in [head, *lines]]
    out.append("")
    out.append(text("models.searched", lang, folders="").rstrip())
    out += [f"  {folder.said(lang)}" for folder in found.models]
    for problem in govmodels.problems(found, session):
        out.append(f"{problem.where}: [{problem.level}] {problem.message}")
    return "\n".join(out) + "\n"


def explain(model_id: str, found: discovery.Found, session, lang: str, fmt: str = "text") -> str | None:
    """``loushi models explain ID``: what the model asks of a body, or None when it is unknown."""
    known = govmodels.models(found, session)
    data = known.get(model_id)
    if data is None:
        return None
    file = govmodels.origins(found, session)[model_id]
    posts = [_post(spec, data) for spec in data.get("posts") or []]
    if fmt == "json":
        return json.dumps({"id": model_id, "name": str(data.get("name") or ""), "file": file,
                           "body": body_kinds(data), "summary": str(data.get("summary") or ""),
                           "source": str(data.get("source") or ""), "posts": posts,
                           "members_min": data.get("members_min"), "members_max": data.get("members_max"),
                           "grid_heads": data.get("grid_heads")},
                          ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    out = [f"{model_id}  {data.get('name') or ''}".rstrip(), text("models.from-file", lang, file=_shown(file))]
    if body_kinds(data):
        out.append(text("models.for-bodies", lang, kinds=", ".join(body_kinds(data))))
    for key in ("summary", "source"):
        if data.get(key):
            out.append(text(f"models.{key}", lang, value=str(data[key])))
    out.append(text("models.roles", lang, count=len(posts)))
    for post in posts:
        line = f"  - {post['role']}{'（' + post['label'] + '）' if post['label'] else ''}: {_count(post, lang)}"
        if post["from"]:
            line += "; " + text("models.role-from", lang, sources=", ".join(post["from"]))
        if post["rotating"]:
            line += "; " + text("models.role-rotating", lang)
        out.append(line)
    low, high = data.get("members_min"), data.get("members_max")
    if low or high:
        out.append(text("models.members", lang, count=_range(low, high, lang)))
    if data.get("grid_heads"):
        out.append(text("models.grid-heads", lang, count=data["grid_heads"]))
    return "\n".join(out) + "\n"


def _post(spec: dict, model: dict) -> dict:
    role = str(spec.get("role"))
    labels = model.get("roles") if isinstance(model.get("roles"), dict) else {}
    label = spec.get("label") or spec.get("name") or labels.get(role, "")
    if isinstance(label, dict):
        label = label.get("label") or label.get("name") or ""
    sources = spec.get("from") or []
    return {"role": role, "label": str(label or ""), "min": spec.get("min"), "max": spec.get("max"),
            "exact": spec.get("exact"), "from": [str(s) for s in (sources if isinstance(sources, list) else [sources])],
            "rotating": bool(spec.get("rotating"))}


def _count(post: dict, lang: str) -> str:
    if post.get("exact") is not None:
        return text("models.exactly", lang, n=post["exact"])
    return _range(post.get("min"), post.get("max"), lang)


def _range(low, high, lang: str) -> str:
    if low is not None and high is not None:
        return text("models.exactly", lang, n=low) if low == high else text("models.between", lang, low=low, high=high)
    if low is not None:
        return text("models.at-least", lang, n=low)
    if high is not None:
        return text("models.at-most", lang, n=high)
    return text("models.any-number", lang)


def _shown(file: str) -> str:
    """A file as the user can find it: relative to the current folder when below it."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return file


def _width(cell: str) -> int:
    """Columns a cell takes in a terminal (a CJK character takes two)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in cell)


def _pad(cell: str, width: int) -> str:
    return cell + " " * (width - _width(cell))
