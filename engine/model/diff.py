"""Diff: what a change to a district config does to the organisation, not to its text.

``diff(old, new)`` takes two files or two folders of districts; ``diff_git(rev, path)``
compares ``path`` as committed at ``rev`` with the working tree, reading the old files with
``git archive`` into a temporary folder and never touching the user's checkout. Districts
are paired by their path below the folders given. For each pair it builds both models and
reports, in governance terms:

* entities added, removed or renamed, and their fields changed (a committee's coverage, a
  grid's parent, a unit's building ...);
* posts reassigned (their holder changed), added or removed — implicit ones too: grid heads
  and party officers;
* buildings moved to another cluster grid;
* escalation chains and steps added, removed or changed (handler, level, time limit);
* findings that appear or disappear (both sides validated with the same options).

Every change is a :class:`Change` value; a report is sorted, so the same two inputs always
give the same output. Rendering is in :mod:`engine.report.diff`.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import discovery, exitcodes, i18n
from ..findings import Finding
from ..gate import GATE_RULES, District, open_district
from ..load.sources import COLLECTIONS, DISTRICT_FILE, YAML_SUFFIXES, discover, missing
from ..project import ProjectError
from ..session import Session
from ..rules.baseline import fingerprint

#: Sections of a district's changes, in the order reports show them.
SECTIONS = ("district", "subdistricts", "people", "posts", "committees", "grids", "buildings", "units", "party_orgs",
            "authorities", "communities", "groups", "roles", "mechanisms", "service_points", "zones", "matters",
            "sources", "findings")
_RANK = {name: rank for rank, name in enumerate(SECTIONS)}
#: Fields another part of the diff reports (or that are not governance), per kind.
_SKIP = {
    "grids": ("buildings", "heads"),
    "committees": ("posts",),
    "authorities": ("posts",),
    "communities": ("posts",),
    "groups": ("posts",),
    "party_orgs": ("secretary", "deputy_secretaries", "committee"),
    "matters": ("escalation",),
    "posts": ("holder",),
    "district": ("id", "sources"),
}
#: The folders before a file name quoted in a message (they differ between the two sides).
_FILE_REF = re.compile(r"[^\s'\"()]*/(?=[^/\s'\"()]+\.ya?ml)")
_STEP_FIELDS = ("level", "handler", "limit", "action", "next_when", "note")


class DiffError(Exception):
    """The diff cannot be made (not a git repository, an unknown revision, a file against a
    folder): the message ``diff.error.KEY`` with ``values`` (git's own words, when it said
    why, in ``git``), said in any language by :meth:`said`."""

    def __init__(self, key: str, /, **values):
        self.key, self.values = key, values
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        return i18n.text(f"diff.error.{self.key}", lang, **self.values)


@dataclass(frozen=True)
class Change:
    """One change to a district, in governance terms.

    ``change`` says what happened (``added``, ``removed``, ``renamed``, ``field``, ``members``,
    ``reordered``, ``reassigned``, ``moved``, ``chain-added``, ``chain-removed``, ``step-added``,
    ``step-removed``, ``step-changed``, ``appeared``, ``resolved``, ``finding-changed``); ``subject`` is the id it is
    about (the rule, for a finding) and ``kind`` that id's kind. ``old`` / ``new`` are plain
    values; for ``members`` they are the ids taken out and put in. ``where`` names an
    escalation chain (its ``when``, or ``default``) and ``step`` a step's 1-based position.
    """

    section: str
    subject: str
    change: str
    field: str = ""
    old: Any = None
    new: Any = None
    kind: str = ""
    where: str = ""
    step: int = 0

    def sort_key(self) -> tuple:
        place = ("", 0, 0)
        if self.section == "findings":  # by where they are, as validate lists them
            at = self.new if self.new is not None else self.old
            place = (at["file"], at["line"], at["column"])
        return (_RANK[self.section], place, self.subject, self.where, self.step, self.change, self.field,
                _canon(self.old), _canon(self.new))

    def as_dict(self) -> dict:
        data = {"section": self.section, "kind": self.kind, "id": self.subject, "change": self.change}
        for key in ("field", "where", "step"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.old is not None:
            data["old"] = self.old
        if self.new is not None:
            data["new"] = self.new
        return data


@dataclass
class DistrictDiff:
    """The changes to one district. ``status``: added, removed, changed or unchanged.

    ``unbuilt`` names the sides (``old``, ``new``) whose model could not be built; only
    their findings are compared then. ``names`` maps ids (of both sides) to their names.
    """

    label: str
    old: str | None
    new: str | None
    id: str = ""
    name: str = ""
    status: str = "unchanged"
    changes: list[Change] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    unbuilt: tuple[str, ...] = ()
    refused: list[Finding] = field(default_factory=list)  # the errors that keep a side from being built

    @property
    def count(self) -> int:
        """How many changes: a district added or removed counts as one."""
        return 1 if self.status in ("added", "removed") else len(self.changes)


@dataclass
class DiffReport:
    """Every district compared; ``problems`` are paths that do not exist."""

    districts: list[DistrictDiff]
    problems: list[Finding] = field(default_factory=list)
    old_label: str = ""
    new_label: str = ""

    @property
    def changes(self) -> int:
        return sum(d.count for d in self.districts)

    def exit_code(self, exit_code: bool = False) -> int:
        """As ``git diff``: 0, or with ``exit_code`` 1 when something changed; 2 for a missing path.
        A side that cannot be built is no comparison: 2, or 1 with ``exit_code`` (something
        changed that the diff cannot show in governance terms)."""
        if self.problems:
            return exitcodes.UNUSABLE
        if any(d.refused for d in self.districts):
            return exitcodes.FINDINGS if exit_code else exitcodes.UNUSABLE
        return exitcodes.FINDINGS if exit_code and self.changes else exitcodes.OK


@dataclass
class _Side:
    path: Path
    display: Callable[[str], str]
    model: Any
    findings: list[Finding]
    files: list[str]


# -- entry points ---------------------------------------------------------------------------
def diff(old: str | Path, new: str | Path, options=None, *, old_display: Callable[[str], str] | None = None,
         old_may_be_missing: bool = False, old_options=None) -> DiffReport:
    """Compare the districts at ``old`` with those at ``new`` (two files, or two folders).
    ``options``: the run's session, or the options both sides are validated with
    (``old_options``: the old side's, when they differ)."""
    options = options if isinstance(options, Session) else Session(options)
    old, new = Path(old), Path(new)
    problems = [missing(p, options.lang) for p in (old, new) if not p.exists() and not (p is old and old_may_be_missing)]
    if problems:
        return DiffReport([], problems, str(old), str(new))
    if old.exists() and old.is_dir() != new.is_dir():
        raise DiffError("file-and-folder", old=old, new=new)
    display = old_display or str
    olds, news = _districts(old, new.is_file()), _districts(new, new.is_file())
    labels = sorted(olds.keys() | news.keys())
    results = [_compare(label, olds.get(label), news.get(label), options, display, old_options) for label in labels]
    return DiffReport(results, [], display(str(old)), str(new))


def diff_git(rev: str, path: str | Path = ".", options=None) -> DiffReport:
    """Compare ``path`` as committed at ``rev`` with the working tree."""
    path = Path(path)
    session = options if isinstance(options, Session) else Session(options)
    if not path.exists():
        return DiffReport([], [missing(path, session.lang)], f"{rev}:{path}", str(path))
    with checkout(rev, path) as (root, relative):
        prefix = str(root) + "/"
        report = diff(root / relative if relative else root, path, session, old_may_be_missing=True,
                      old_display=lambda text: text.replace(prefix, f"{rev}:"),
                      old_options=_with_project(session, path))
    report.old_label = f"{rev}:{relative or '.'}"
    return report


def _with_project(session: Session, path: Path) -> Session:
    """The session of a side read from a temporary copy (``diff --git``), which has no
    loushi.toml: the working tree's project's models and packs, given as the run's, so that
    both sides are judged by the same models."""
    try:
        found = discovery.found(session, path)
    except ProjectError:
        return session  # the new side's gate says what is wrong with loushi.toml
    own = tuple(str(folder.path) for folder in found.models if folder.origin != discovery.SHIPPED)
    return session.with_options(replace(session.options, models=own, models_dir=None,
                                        rule_packs=tuple(str(p) for p in found.packs)))


@contextmanager
def checkout(rev: str, path: Path) -> Iterator[tuple[Path, str]]:
    """The files under ``path`` as committed at ``rev``, in a temporary folder.

    Yields ``(root, relative)``: the temporary copy of the repository's top, and ``path``
    relative to that top. Nothing in the working tree is read or written by git here.
    """
    folder = path if path.is_dir() else path.parent
    try:
        top = _git(["rev-parse", "--show-toplevel"], folder).decode().strip()
    except DiffError:
        raise DiffError("not-a-repository", folder=folder) from None
    relative = Path(path).resolve().relative_to(Path(top).resolve()).as_posix()
    relative = "" if relative == "." else relative
    _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    listed = _git(["ls-tree", "-r", "-z", "--full-tree", "--name-only", rev, "--", relative or "."], top)
    names = [n for n in listed.decode("utf-8", "surrogateescape").split("\0") if n.endswith(YAML_SUFFIXES)]
    with tempfile.TemporaryDirectory(prefix="loushi-diff-") as tmp:
        root = Path(tmp).resolve() / "old"
        root.mkdir()
        for start in range(0, len(names), 500):  # only the YAML files, a few hundred names a call
            _extract(_git(["archive", "--format=tar", rev, "--", *names[start:start + 500]], top), root)
        yield root, relative


# -- pairing and comparing --------------------------------------------------------------------
def _districts(root: Path, single: bool) -> dict[str, Path]:
    """The districts at ``root``, by their path below it (``""`` when comparing two files)."""
    if not root.exists():
        return {}
    if single:
        return {"": root}
    found, _ = discover([root])
    return {p.relative_to(root).as_posix(): p for p in found}


def _compare(label: str, old: Path | None, new: Path | None, options, display, old_options=None) -> DistrictDiff:
    result = DistrictDiff(label or (str(new) if new else display(str(old))),
                          display(str(old)) if old else None, str(new) if new else None)
    if old is not None and new is not None and _same_text(old, new):  # nothing to run the rules for
        same = _side(new, options, str, check=False)
        _name(result, same)
        if same.model is None and not _empty(same):
            result.unbuilt, result.refused = ("old", "new"), _errors(same)
        return result
    before = _side(old, old_options or options, display) if old else None
    after = _side(new, options, str) if new else None
    before, after = (None if side is not None and _empty(side) else side for side in (before, after))
    for side in (before, after):
        _name(result, side)
    if before is None and after is None:  # both sides empty: nothing to compare
        return result
    if before is None or after is None:
        result.status = "added" if before is None else "removed"
        built = after if before is None else before
        if built.model is None:
            result.unbuilt = ("new",) if before is None else ("old",)
            result.refused = _errors(built)
        return result
    result.unbuilt = tuple(name for name, side in (("old", before), ("new", after)) if side.model is None)
    result.refused = sorted(f for side in (before, after) if side.model is None for f in _errors(side))
    changes = _finding_changes(before, after)
    if after.model is None:  # nothing was resolved: the new side just could not be checked as far
        changes = [c for c in changes if c.change != "resolved"]
    if before.model is None:  # nor did the rules' findings appear: the old side never got to the rules
        changes = [c for c in changes if c.change != "appeared" or c.subject in GATE_RULES]
    if before.model is not None and after.model is not None:
        changes += model_changes(before.model, after.model)
    result.changes = sorted(changes, key=Change.sort_key)
    result.status = "changed" if result.changes else "unchanged"
    return result


def _empty(side: _Side) -> bool:
    """Whether a side's district is an empty file (no data at all): everything in it is removed."""
    return side.model is None and bool(side.findings) and all(f.rule == "yaml-empty" for f in side.findings
                                                               if f.level == "error")


def _errors(side: _Side) -> list[Finding]:
    return sorted(f for f in side.findings if f.level == "error")


def _name(result: DistrictDiff, side: _Side | None) -> None:
    if side is not None and side.model is not None:
        result.names.update(_names(side.model))
        result.id, result.name = side.model.id, side.model.name


def _same_text(old: Path, new: Path) -> bool:
    """Whether two districts are byte for byte the same: the main file, and for a district
    folder (``district.yaml``) every YAML file below it. A main file of another name that
    includes others is never taken as the same, since its fragments are not listed here."""
    if old.name == new.name == DISTRICT_FILE:
        return _tree(old.parent) == _tree(new.parent)
    text = old.read_bytes()
    return text == new.read_bytes() and b"include" not in text


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.suffix in YAML_SUFFIXES and p.is_file()}


def _side(path: Path, options, display, check: bool = True) -> _Side:
    """One side through the gate: its model (None when rejected) and its findings (the rules'
    too when ``check``). ``options`` is the run's session, or the options of a new one."""
    session = options if isinstance(options, Session) else Session(options)
    opened = open_district(path, session, rules=check)
    model = opened.model if isinstance(opened, District) else None
    findings = [replace(f, file=display(f.file), message=display(f.message), hint=display(f.hint))
                for f in opened.findings]
    return _Side(path, display, model, findings, [display(f) for f in opened.files])


def model_changes(old, new) -> list[Change]:
    """Every governance change between two built models, sorted."""
    changes = list(_fields("district", "district", new.id, old.district, new.district))
    if old.id != new.id:
        changes.append(Change("district", new.id, "field", "id", old.id, new.id, "district"))
    for key in ("rules", "attributes"):
        before = {f"{key}.{k}": v for k, v in (old.data.get(key) or {}).items()}
        after = {f"{key}.{k}": v for k, v in (new.data.get(key) or {}).items()}
        changes += _fields("district", "district", new.id, before, after)
    for kind in (*COLLECTIONS, "sources"):
        changes += _entity_changes(kind, old, new)
    changes += _post_changes(old, new)
    changes += _building_moves(old, new)
    changes += _escalation_changes(old, new)
    return sorted(changes, key=Change.sort_key)


# -- entities ---------------------------------------------------------------------------------
def _entity_changes(kind: str, old, new) -> Iterator[Change]:
    before, after = old.entities[kind], new.entities[kind]
    for ident in sorted(before.keys() - after.keys()):
        yield Change(kind, ident, "removed", old=before[ident].get("name") or before[ident].get("title"), kind=kind)
    for ident in sorted(after.keys() - before.keys()):
        yield Change(kind, ident, "added", new=after[ident].get("name") or after[ident].get("title"), kind=kind)
    for ident in sorted(before.keys() & after.keys()):
        yield from _fields(kind, kind, ident, before[ident], after[ident])


def _fields(section: str, kind: str, ident: str, old: dict, new: dict) -> Iterator[Change]:
    """The changed fields of one entity (those another part of the diff reports left out)."""
    skip = ("id",) + _SKIP.get(kind, ())
    for key in sorted(set(old) | set(new)):
        before, after = _plain(old.get(key)), _plain(new.get(key))
        if key in skip or before == after:
            continue
        if key == "name":
            yield Change(section, ident, "renamed", key, before, after, kind)
        elif _id_list(before) and _id_list(after):
            yield _membership(section, kind, ident, key, before or [], after or [])
        else:
            yield Change(section, ident, "field", key, before, after, kind)


def _membership(section: str, kind: str, ident: str, key: str, before: list, after: list) -> Change:
    taken, put = sorted(set(before) - set(after)), sorted(set(after) - set(before))
    if not taken and not put:
        return Change(section, ident, "reordered", key, before, after, kind)
    return Change(section, ident, "members", key, taken, put, kind)


def _post_changes(old, new) -> Iterator[Change]:
    before, after = old.posts, new.posts
    for ident in sorted(before.keys() - after.keys()):
        if before[ident].body in new.kind_of:  # a removed body's posts go with it
            yield Change("posts", ident, "removed", before[ident].role, before[ident].holder, None, "posts")
    for ident in sorted(after.keys() - before.keys()):
        if after[ident].body in old.kind_of:
            yield Change("posts", ident, "added", after[ident].role, None, after[ident].holder, "posts")
    for ident in sorted(before.keys() & after.keys()):
        was, now = before[ident], after[ident]
        if was.holder != now.holder:
            yield Change("posts", ident, "reassigned", "holder", was.holder, now.holder, "posts")
        if was.body != now.body:
            yield Change("posts", ident, "field", "body", was.body, now.body, "posts")
        if was.implicit and now.implicit:
            if was.role != now.role:
                yield Change("posts", ident, "field", "role", was.role, now.role, "posts")
        elif not (was.implicit or now.implicit):
            yield from _fields("posts", "posts", ident, was.entity, now.entity)


def _building_moves(old, new) -> Iterator[Change]:
    for building in sorted(old.entities["buildings"].keys() & new.entities["buildings"].keys()):
        before, after = sorted(old.clusters_of(building)), sorted(new.clusters_of(building))
        if before != after:
            yield Change("grids", building, "moved", "cluster", before, after, "buildings")


# -- escalation -------------------------------------------------------------------------------
def _escalation_changes(old, new) -> Iterator[Change]:
    before, after = old.entities["matters"], new.entities["matters"]
    for ident in sorted(before.keys() & after.keys()):
        chains_before, chains_after = _chains(before[ident]), _chains(after[ident])
        for key in sorted(chains_before.keys() - chains_after.keys()):
            yield Change("matters", ident, "chain-removed", old=_plain(chains_before[key]["steps"]),
                         kind="matters", where=key)
        for key in sorted(chains_after.keys() - chains_before.keys()):
            yield Change("matters", ident, "chain-added", new=_plain(chains_after[key]["steps"]),
                         kind="matters", where=key)
        for key in sorted(chains_before.keys() & chains_after.keys()):
            yield from _chain_changes(ident, key, chains_before[key], chains_after[key])


def _chains(matter: dict) -> dict[str, dict]:
    """A matter's chains by their condition (``default`` for none); repeats get ``#2``, ``#3``."""
    result: dict[str, dict] = {}
    seen: Counter = Counter()
    for chain in matter.get("escalation") or []:
        key = when_key(chain.get("when"))
        seen[key] += 1
        result[key if seen[key] == 1 else f"{key}#{seen[key]}"] = chain
    return result


def when_key(when: dict | None) -> str:
    """A chain's condition as text: ``severity=major``; ``default`` for none."""
    if not when:
        return "default"
    parts = []
    for name in sorted(when):
        value = when[name]
        parts.append(f"{name}={'|'.join(sorted(value)) if isinstance(value, list) else value}")
    return ",".join(parts)


def _chain_changes(ident: str, key: str, old: dict, new: dict) -> Iterator[Change]:
    if _plain(old.get("note")) != _plain(new.get("note")):
        yield Change("matters", ident, "field", "note", old.get("note"), new.get("note"), "matters", key)
    steps_old, steps_new = old["steps"], new["steps"]
    matcher = difflib.SequenceMatcher(a=[_signature(s) for s in steps_old],
                                      b=[_signature(s) for s in steps_new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                yield from _step_fields(ident, key, j + 1, steps_old[i], steps_new[j])
            continue
        for i in range(i1, i2):
            yield Change("matters", ident, "step-removed", old=_plain(steps_old[i]), kind="matters",
                         where=key, step=i + 1)
        for j in range(j1, j2):
            yield Change("matters", ident, "step-added", new=_plain(steps_new[j]), kind="matters",
                         where=key, step=j + 1)


def _signature(step: dict) -> tuple:
    handler = step.get("handler") or {}
    return (step.get("level"), handler.get("body"), handler.get("role"))


def _step_fields(ident: str, key: str, position: int, old: dict, new: dict) -> Iterator[Change]:
    for name in _STEP_FIELDS:
        before, after = _plain(old.get(name)), _plain(new.get(name))
        if before != after:
            yield Change("matters", ident, "step-changed", name, before, after, "matters", key, position)


# -- findings ---------------------------------------------------------------------------------
def _finding_changes(old: _Side, new: _Side) -> list[Change]:
    """Findings that appear in ``new``, are gone from ``old``, or changed their words in place
    (same rule, target and config path: ``for 10 buildings`` → ``for 11 buildings``)."""
    gone, came = _unmatched(old, new), _unmatched(new, old)
    waiting: dict[tuple, list[Finding]] = {}
    for item in gone:
        waiting.setdefault(_finding_key(item, old)[:3], []).append(item)
    changes = []
    for item in came:
        twins = waiting.get(_finding_key(item, new)[:3])
        if twins:
            changes.append(_finding_change(twins.pop(0), item))
        else:
            changes.append(_finding_change(None, item))
    changes += [_finding_change(item, None) for items in waiting.values() for item in items]
    return changes


def _unmatched(side: _Side, other: _Side) -> list[Finding]:
    """The findings of ``side`` that ``other`` has no counterpart for (counted, in order)."""
    left = Counter(_finding_key(f, other) for f in other.findings)
    result = []
    for item in sorted(side.findings):
        key = _finding_key(item, side)
        if left[key] > 0:
            left[key] -= 1
        else:
            result.append(item)
    return result


def _finding_key(item: Finding, side: _Side) -> tuple:
    """A finding's fingerprint without its file: moving entries between a district's files,
    or comparing two differently named files, changes no finding."""
    main = side.files[0] if side.files else ""
    rule, target, path, message = fingerprint(item, "")[1:]
    return (rule, target, path, _FILE_REF.sub("", message.replace(main, "")) if main else message)


def _finding_change(was: Finding | None, now: Finding | None) -> Change:
    name = "appeared" if was is None else "resolved" if now is None else "finding-changed"
    shown = now or was
    return Change("findings", shown.rule, name, shown.level, _where(was), _where(now), "findings")


def _where(item: Finding | None) -> dict | None:
    if item is None:
        return None
    where = {"file": item.file, "line": item.line, "column": item.column, "message": item.message}
    if item.target:
        where["target"] = item.target
    if item.hint:
        where["hint"] = item.hint
    return where


# -- helpers ----------------------------------------------------------------------------------
def _names(model) -> dict[str, str]:
    names = {model.id: model.name}
    for kind in (*COLLECTIONS, "sources"):
        for ident, entity in model.entities[kind].items():
            names[ident] = entity.get("name") or entity.get("title") or ident
    for ident, post in model.posts.items():
        body = model.entities[post.body_kind].get(post.body)
        owner = body.get("name") if body is not None else post.body
        names[ident] = f"{owner} {model.post_title(post)}"
    for role in {post.role for post in model.posts.values()}:
        names.setdefault(role, model.role_name(role))
    return names


def _plain(value: Any) -> Any:
    """``value`` as plain dicts and lists (YMap / YSeq forgotten), for comparing and JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _id_list(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _git(args: list[str], cwd) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("no-git") from None
    if done.returncode != 0:
        if args[:2] == ["rev-parse", "--verify"]:
            raise DiffError("unknown-revision", rev=args[-1][:-len("^{commit}")])
        said = done.stderr.decode("utf-8", "replace").strip()
        raise DiffError("git", git=said) if said else DiffError("git-failed", command=args[0])
    return done.stdout


def _extract(archive: bytes, root: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        tar.extractall(root, members=members, filter="data")
