"""``make`` is what ``loushi graph`` runs: one district's model in (from the gate), the text
or picture out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import draw, export, views
from .build import build


@dataclass
class Made:
    """The output (``data``), or the error message that stopped it."""

    data: bytes | None = None
    error: str = ""
    warning: str = ""  # a catalog key (engine.i18n) to tell the user, the output made all the same


def make(model, fmt: str = "dot", view: str | None = None, zone: str | None = None,
         building: str | None = None, output: str | Path | None = None, matter: str | None = None) -> Made:
    """One view of the district of ``model``, filtered, in ``fmt``.

    ``view`` defaults to ``escalation`` when ``matter`` is given, else to ``org``.
    """
    if output is not None and _is_config(output, model.source.files):
        return Made(error=f"refusing to write over {output}: it is one of the district's config files")
    view = view or ("escalation" if matter else "org")
    if matter and view not in ("escalation", "all"):
        return Made(error=f"--matter picks a matter category's escalation; it does not apply to the {view} view")
    try:
        made = [build(model)]
        if zone or building:
            made.append(views.restrict(made[-1], zone, building))
        if matter:
            made.append(views.only_matter(made[-1], matter))
        shown = views.view(made[-1], view)
        for graph in made:  # networkx caches views of a graph on it: a cycle only the collector frees
            graph.__dict__.clear()
        del made, graph
        try:
            if fmt in draw.FORMATS:
                text = export.to_dot(shown)
                picture = draw.render(text, fmt)
                return Made(picture, warning="graph.no-font" if draw.missing_font(text) else "")
            if fmt == "json":
                return Made(export.json_bytes(shown))
            return Made(export.WRITERS[fmt](shown).encode("utf-8"))
        finally:  # the shown graph's views make the same cycle: freed here, not by a full collection later
            shown.__dict__.clear()
    except views.UnknownNode as exc:
        return Made(error=exc.said(model.lang))
    except (draw.DrawError, export.TooLarge) as exc:
        return Made(error=str(exc))


def _is_config(output: str | Path, files: list[str]) -> bool:
    target = Path(output).resolve()
    return any(Path(name).resolve() == target for name in files)
