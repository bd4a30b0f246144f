"""Apply ledgers to a district config: all or nothing, never a surprise.

``import_ledgers(ledgers, into, options)`` reads every ledger, converts its rows, and edits
the config at ``into`` with ruamel.yaml round-trip: an entity the ledger names (by id, or by
name) is updated field by field, a new one is added at the end of its list, in the style of
the list (one flow mapping a line where the list is written so); nothing the ledger does not
mention is touched, and no entity is removed unless ``prune`` is set. Comments, key order and
every line the import does not change stay as they were.

The would-be text is then validated (the whole pipeline, on a temporary file beside the
config so its includes resolve): an import that brings new errors writes nothing. An
unchanged result writes nothing either. A changed file is written only with ``force`` (or
when it is new); without it the outcome carries the diff to show.

A run that may write holds the config under its lock (``engine.writing.hold``) from reading
it to replacing it, so imports run at the same time take turns and each one's change is in
the file; the file is replaced atomically, and only if it is still byte for byte what the
import read (an editor that saved it meanwhile keeps its change; the import writes nothing
and says so).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..i18n import language, text
from ..project import Limits
from ..load.sources import read_district
from ..gate import open_district
from ..model import shipped_kinds
from ..project import ProjectError
from ..session import Session
from ..writing import LOCK_WAIT, Busy, CannotLock, ChangedMeanwhile, Held, hold
from .convert import Entity, Known, convert
from .mapping import BLANK_RULE, KINDS, TEMPLATE_SHEETS, load_mapping
from .read import Problem, read
from .yamltext import dump, merge, yaml_rt

#: The order of a new entity's keys, as the schema lists them.
FIELD_ORDER = {
    "buildings": ("id", "name", "zone", "community", "subdistrict", "address", "kind", "owner", "property_manager"),
    "units": ("id", "name", "building", "kind", "party_members"),
    "people": ("id", "name", "affiliation", "party", "party_since", "phone", "note"),
    "party_orgs": ("id", "name", "kind", "form", "units", "parent", "secretary", "members", "last_election"),
}
COUNT_ORDER = ("full", "probationary")
TITLE_NOTE = "职务："
COLLECTION_ORDER = ("subdistricts", "zones", "communities", "authorities", "grids", "buildings", "units", "party_orgs", "people", "roles",
                    "mechanisms", "committees", "groups", "service_points", "matters")


@dataclass
class ImportOptions:
    mapping: str | None = None
    dry_run: bool = False
    force: bool = False
    prune: bool = False
    lang: str | None = None            # of loushi's own messages (engine.i18n); None: the locale's
    lock_wait: float = LOCK_WAIT       # seconds to wait for another run writing the same config
    on_wait: Callable[[], None] | None = None  # called once when the import has to wait
    limits: Limits | None = None       # how much of a ledger is read; None: the project's (loushi.toml)


@dataclass
class Outcome:
    """What an import did: ``status`` is failed, unchanged, dry-run, needs-force or written."""

    into: str
    status: str = "failed"
    problems: list[Problem] = field(default_factory=list)
    findings: list = field(default_factory=list)      # validation errors the import would bring
    diff: str = ""
    counts: dict[str, Counter] = field(default_factory=dict)  # kind → added / updated / removed / same
    lang: str = "zh"                                   # of its problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


def import_ledgers(ledgers: list[str | Path], into: str | Path, options: ImportOptions,
                   session: Session | None = None) -> Outcome:
    """Import ``ledgers`` into the config at ``into`` (see the module's doc); the would-be
    config goes through the gate with ``session`` (a new one when not given)."""
    outcome = Outcome(str(into), lang=_lang(options))
    session = session or Session()
    mapping, outcome.problems = load_mapping(options.mapping, outcome.lang)
    if outcome.errors:
        return outcome
    target = Path(into)
    limits = _limits(target, options, outcome, session)
    if limits is None:
        return outcome
    tables = _tables(ledgers, mapping, limits, options.lang, outcome)
    if options.dry_run or (target.exists() and not options.force):
        return _import(tables, mapping, target, None, options, outcome, session)  # writes nothing: no lock
    try:
        with hold(target, options.lock_wait, options.on_wait) as held:
            return _import(tables, mapping, target, held, options, outcome, session)
    except Busy as exc:
        outcome.problems.append(Problem(str(target), "error", "import-busy",
                                        text("write.busy", _lang(options), path=str(target), wait=exc.wait)))
        return outcome
    except CannotLock as exc:
        outcome.problems.append(Problem(str(target), "error", "import-config-unusable",
                                        text("import.cannot-write", outcome.lang, reason=exc.strerror or exc),
                                        text("import.writable-hint", outcome.lang)))
        return outcome


def _lang(options: ImportOptions) -> str:
    return language(options.lang)


def _import(tables: list, mapping, target: Path, held: Held | None, options: ImportOptions,
            outcome: Outcome, session: Session) -> Outcome:
    """The import from reading the config on; ``held``: the config under its lock, when the
    import may write it."""
    exists = held.original is not None if held is not None else target.exists()
    known = _known(target, outcome)
    if any(p.rule == "import-config-unusable" for p in outcome.problems):
        return outcome
    mapping.add_kinds({**party_kinds(session), **known.party_kinds})
    entities, problems = convert(tables, mapping, known, options.lang)  # every bad row is reported, not just the first
    outcome.problems = sorted(outcome.problems + problems)
    if outcome.errors:
        return outcome
    kinds = sorted({t.kind for t in tables}, key=KINDS.index)
    if exists and not options.prune and _unchanged(entities, known):
        outcome.counts = {kind: Counter(same=len(entities[kind])) for kind in kinds}
        outcome.status = "unchanged"
        return outcome
    if held is not None:
        orig = _text(held.original) if exists else _skeleton(target, outcome.lang)
    else:
        orig = target.read_text(encoding="utf-8") if exists else _skeleton(target, outcome.lang)
    new = _edit(orig, entities, kinds, known, target, options, outcome)
    if outcome.errors:
        return outcome
    return _finish(target, exists, orig, new, held, options, outcome, session)


def _text(raw: bytes) -> str:
    """A config's bytes as text, lines ended as ``read_text`` ends them."""
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _unchanged(entities: dict[str, list[Entity]], known: Known) -> bool:
    """Whether the district already says everything the ledgers do (checked on the loaded
    district, which is much faster than a round-trip load of the text)."""
    clusters = [g for g in known.by_kind["grids"].values() if g.get("level") == "cluster"]
    for kind, items in entities.items():
        for entity in items:
            existing = known.by_kind[kind].get(entity.id)
            if existing is None or _differs(existing, yaml_values(entity)):
                return False
            cluster = entity.fields.get("cluster")
            listing = [g.get("id") for g in clusters if entity.id in (g.get("buildings") or [])]
            if cluster is not None and listing != [cluster]:
                return False
    return True


def _limits(target: Path, options: ImportOptions, outcome: Outcome, session: Session) -> Limits | None:
    """The limits for reading the ledgers: the options', else those of the project the config
    belongs to (its loushi.toml, through the session), else the defaults; None when loushi.toml
    cannot be used."""
    if options.limits is not None:
        return options.limits
    try:
        return session.project(target.parent if str(target.parent) else Path(".")).limits
    except ProjectError as exc:
        lang = _lang(options)
        outcome.problems.append(Problem(f"{exc.file}:{exc.line}:{exc.column}", "error", "project-config",
                                        exc.message(lang), exc.hint(lang)))
        return None


def party_kinds(session: Session) -> dict[str, str]:
    """id → label of the party organisation kinds loushi ships (rules/kinds/)."""
    catalog, _ = shipped_kinds(session)
    return {ident: kind.label for ident, kind in catalog.party_orgs.items()}


def _tables(ledgers, mapping, limits: Limits, lang: str | None, outcome: Outcome) -> list:
    """The ledgers' sheets read as tables. A blank ledger's notes and lists are passed over; so
    is a sheet with headers and no rows, with a warning, while another sheet has rows (a blank
    ledger's sheet nobody needed); when none has, each such sheet is the error."""
    tables, blank = [], []
    for ledger in ledgers:
        sheets, problems = read(ledger, limits, lang)
        outcome.problems += problems
        for sheet in sheets:
            if sheet.name in TEMPLATE_SHEETS:
                continue
            table, problems = mapping.table(sheet, language(lang))
            blank += [p for p in problems if p.rule == BLANK_RULE]
            outcome.problems += [p for p in problems if p.rule != BLANK_RULE]
            if table is not None:
                tables.append(table)
    if tables:
        outcome.problems += [replace(p, message=text("ledger.blank-sheet", lang), hint="") for p in blank]
    else:
        outcome.problems += [replace(p, level="error", rule="ledger-empty") for p in blank]
    outcome.problems.sort()
    return tables


def _skeleton(target: Path, lang: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_.\-\u4e00-\u9fff]", "", target.stem) or "district"
    return (f"# {text('import.skeleton', lang)}\n"
            f"loushi: 2\ndistrict:\n  id: {ident}\n  name: {ident}\n")


def _known(target: Path, outcome: Outcome) -> Known:
    """The district's entities, from every file of it, when the config exists and loads."""
    if not target.exists():
        return Known.of({})

    source = read_district(target)
    if source.fatal or source.data is None:
        outcome.problems += [Problem(f.where, f.level, f.rule, f.message, f.hint)
                             for f in source.findings if f.level == "error"]
        outcome.problems.append(Problem(str(target), "error", "import-config-unusable",
                                        text("import.unreadable", outcome.lang), text("import.unreadable-hint", outcome.lang)))
        return Known.of({})
    return Known.of(source.data)


# -- editing -----------------------------------------------------------------------------

def _edit(orig: str, entities: dict[str, list[Entity]], kinds: list[str], known: Known, target: Path,
          options: ImportOptions, outcome: Outcome) -> str:
    yaml = yaml_rt(orig)
    doc = yaml.load(orig)
    base = dump(yaml, doc)  # ruamel's own rendering of the text, to tell its changes from the import's
    for kind in kinds:
        counts = outcome.counts.setdefault(kind, Counter())
        seq = _collection(doc, kind)
        index = {m.get("id"): m for m in seq if isinstance(m, dict)}
        for entity in entities[kind]:
            _apply(seq, index, entity, known, target, counts, outcome)
        if options.prune:
            removed = _prune(seq, {e.id for e in entities[kind]}, counts)
            if kind == "buildings":
                _unlist(doc, removed)
    moved = _clusters(doc, entities.get("buildings", []), known, target, outcome)
    _drop_empty(doc, kinds)
    if not moved and not any(c["added"] or c["updated"] or c["removed"] for c in outcome.counts.values()):
        return orig
    return merge(orig, base, dump(yaml, doc))


def _collection(doc, kind: str):
    if doc.get(kind) is None:
        later = [k for k in COLLECTION_ORDER[COLLECTION_ORDER.index(kind) + 1:] if k in doc]
        position = list(doc).index(later[0]) if later else len(doc)
        doc.insert(position, kind, CommentedSeq())
    return doc[kind]


def _drop_empty(doc, kinds: list[str]) -> None:
    for kind in kinds:
        if kind in doc and len(doc[kind]) == 0:
            del doc[kind]


def _apply(seq, index: dict, entity: Entity, known: Known, target: Path, counts: Counter,
           outcome: Outcome) -> None:
    values = yaml_values(entity)
    existing = index.get(entity.id)
    if existing is not None:
        counts["updated" if _update(existing, values) else "same"] += 1
        return
    elsewhere = known.by_kind.get(entity.kind, {}).get(entity.id)
    if elsewhere is not None:
        if _differs(elsewhere, values):
            outcome.problems.append(Problem(entity.row, "warning", "import-other-file",
                                            text("import.other-file", outcome.lang, id=entity.id,
                                                 where=getattr(elsewhere, "src", "?"), target=target.name),
                                            text("import.other-file-hint", outcome.lang)))
        counts["same"] += 1
        return
    seq.append(_new_map(values, _flow(seq)))
    index[entity.id] = seq[-1]
    counts["added"] += 1


def yaml_values(entity: Entity) -> dict:
    """The config fields of ``entity``, in the schema's order."""
    f = dict(entity.fields)
    values = {"id": entity.id, "name": entity.name}
    pairs = {"units": ("party_members", "party_full", "party_probationary"),
             "party_orgs": ("members", "members_full", "members_probationary")}
    if entity.kind in pairs:
        key, full, probationary = pairs[entity.kind]
        counts = {k: f.pop(n) for k, n in (("full", full), ("probationary", probationary)) if n in f}
        if counts:
            values[key] = counts
    if "title" in f:
        values["note"] = TITLE_NOTE + f.pop("title")
    f.pop("cluster", None)
    values.update(f)
    return {k: values[k] for k in FIELD_ORDER[entity.kind] if k in values}


def _same(old, new) -> bool:
    if isinstance(new, dict):
        return isinstance(old, dict) and all(_same(old.get(k), v) for k, v in new.items())
    if isinstance(new, list):
        return isinstance(old, list) and [str(x) for x in old] == [str(x) for x in new]
    if isinstance(new, dt.date) or isinstance(old, dt.date):
        return str(old)[:10] == str(new)
    if isinstance(new, str):
        return isinstance(old, str) and str(old) == new
    return isinstance(old, int) and not isinstance(old, bool) and int(old) == new


def _differs(existing, values: dict) -> bool:
    return any(not _same(existing.get(k), v) for k, v in values.items() if _writable(existing, k))


def _writable(existing, key: str) -> bool:
    """A note is the ledger's (职务：...) or the author's; the author's is never replaced."""
    note = existing.get("note")
    return key != "note" or note is None or str(note).startswith(TITLE_NOTE)


def _update(existing, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        old = existing.get(key)
        if _same(old, value) or not _writable(existing, key):
            continue
        if isinstance(value, dict) and isinstance(old, dict):
            _update(old, value)
        else:
            _set(existing, key, _node(value, _is_flow(old) if old is not None else _is_flow(existing)))
        changed = True
    return changed


def _set(mapping, key: str, value) -> None:
    if key in mapping:
        mapping[key] = value
        return
    order = next((v for v in (*FIELD_ORDER.values(), COUNT_ORDER) if key in v), (key,))
    before = [i for i, k in enumerate(mapping) if k in order and order.index(k) < order.index(key)]
    mapping.insert(before[-1] + 1 if before else len(mapping), key, value)


def _new_map(values: dict, flow: bool):
    return _node(values, flow)


def _node(value, flow: bool):
    if isinstance(value, dict):
        node = CommentedMap((k, _node(v, True)) for k, v in value.items())
    elif isinstance(value, list):
        node = CommentedSeq(value)
    else:
        return value
    if flow or isinstance(value, list):
        node.fa.set_flow_style()
    return node


def _is_flow(node) -> bool:
    return bool(getattr(getattr(node, "fa", None), "flow_style", lambda: False)())


def _flow(seq) -> bool:
    """New entries follow the list's style: flow mappings unless its entries are block ones."""
    last = next((m for m in reversed(seq) if isinstance(m, dict)), None)
    return last is None or _is_flow(last)


def _prune(seq, keep: set[str], counts: Counter) -> set[str]:
    removed = set()
    for index in reversed(range(len(seq))):
        item = seq[index]
        if isinstance(item, dict) and item.get("id") not in keep:
            removed.add(item.get("id"))
            del seq[index]
            counts["removed"] += 1
    return removed


def _unlist(doc, buildings: set[str]) -> None:
    """Pruned buildings leave the cluster grids (the ledger's 所属楼群 says where buildings are)."""
    for grid in doc.get("grids") or []:
        listed = grid.get("buildings") if isinstance(grid, dict) and grid.get("level") == "cluster" else None
        for ident in [b for b in listed or [] if b in buildings]:
            listed.remove(ident)


def _clusters(doc, buildings: list[Entity], known: Known, target: Path, outcome: Outcome) -> bool:
    """Each building the ledger gives a 楼群 is listed under that cluster grid, and no other;
    whether any grid's list changed."""
    grids = {g.get("id"): g for g in doc.get("grids") or [] if isinstance(g, dict)}
    moved = False
    for entity in buildings:
        cluster = entity.fields.get("cluster")
        if cluster is None:
            continue
        if cluster not in grids:
            elsewhere = known.by_kind["grids"].get(cluster) or {}
            if entity.id in (elsewhere.get("buildings") or []):
                continue  # listed there already
            where = getattr(elsewhere, "src", "?")
            outcome.problems.append(Problem(entity.where["cluster"], "error", "import-other-file",
                                            text("import.grid-elsewhere", outcome.lang, grid=cluster, where=where,
                                                 target=target.name),
                                            text("import.grid-elsewhere-hint", outcome.lang)))
            continue
        for ident, grid in sorted(grids.items(), key=lambda item: str(item[0])):
            listed = grid.get("buildings")
            if ident != cluster and grid.get("level") == "cluster" and listed and entity.id in listed:
                listed.remove(entity.id)
                moved = True
        grid = grids[cluster]
        if grid.get("buildings") is None:
            _set_grid_buildings(grid)
        if entity.id not in grid["buildings"]:
            grid["buildings"].append(entity.id)
            moved = True
    return moved


def _set_grid_buildings(grid) -> None:
    seq = CommentedSeq()
    seq.fa.set_flow_style()
    keys = list(grid)
    position = keys.index("parent") + 1 if "parent" in keys else len(keys)
    grid.insert(position, "buildings", seq)


# -- checking and writing ----------------------------------------------------------------

def _finish(target: Path, exists: bool, orig: str, new: str, held: Held | None, options: ImportOptions,
            outcome: Outcome, session: Session) -> Outcome:
    if exists and new == orig:
        outcome.status = "unchanged"
        return outcome
    name = str(target)
    outcome.diff = "".join(difflib.unified_diff(orig.splitlines(True) if exists else [],
                                                new.splitlines(True), fromfile=name, tofile=f"{name} (imported)"))
    temp = target.parent / f".{target.name}.import-{os.getpid()}.tmp"
    try:
        temp.write_text(new, encoding="utf-8")
    except OSError as exc:
        outcome.problems.append(Problem(name, "error", "import-config-unusable",
                                        text("import.cannot-write", outcome.lang, reason=exc.strerror or exc),
                                        text("import.writable-hint", outcome.lang)))
        return outcome
    try:
        outcome.findings = _new_errors(target, temp, session)
        if outcome.findings:
            outcome.problems.append(Problem(name, "error", "import-invalid", text("import.invalid", outcome.lang),
                                            text("import.invalid-hint", outcome.lang)))
        elif options.dry_run:
            outcome.status = "dry-run"
        elif exists and not options.force:
            outcome.status = "needs-force"
        else:
            assert held is not None, "an import that writes holds the config"
            _write(held, new, options, outcome)
    finally:
        if temp.exists():
            temp.unlink()
    return outcome


def _write(held: Held, new: str, options: ImportOptions, outcome: Outcome) -> None:
    """Replace the config with ``new``, if it is still what the import read."""
    lang = _lang(options)
    try:
        held.replace(new.encode("utf-8"))
    except ChangedMeanwhile:
        outcome.problems.append(Problem(outcome.into, "error", "import-changed-meanwhile",
                                        text("import.changed", lang), text("import.changed-hint", lang)))
        return
    except OSError as exc:
        outcome.problems.append(Problem(outcome.into, "error", "import-config-unusable",
                                        text("write.failed", lang, path=outcome.into,
                                             reason=exc.strerror or str(exc)),
                                        text("import.writable-hint", lang)))
        return
    outcome.status = "written"


def _new_errors(target: Path, temp: Path, session: Session) -> list:
    """The errors the gate finds in ``temp`` (loader, schema, ids, references and rules) that
    the config at ``target`` does not already have."""
    after = open_district(temp, session).findings
    before = open_district(target, session).findings if target.exists() else []
    had = Counter((f.rule, f.message) for f in before if f.level == "error")
    result = []
    for finding in after:
        if finding.level != "error":
            continue
        if had[(finding.rule, finding.message)] > 0:
            had[(finding.rule, finding.message)] -= 1
            continue
        result.append(replace(finding, file=str(target)) if finding.file == str(temp) else finding)
    return sorted(result)
