"""Sources: which files make up which district, read as one document each.

A district is one YAML file, or a main file whose ``include:`` list (paths or globs, relative
to it, inside its folder) names further files holding more entries of the top-level lists.
``discover`` turns the paths a user gives into districts: a file is a district; a folder is
searched for ``*.yaml`` / ``*.yml``, where a folder holding ``district.yaml`` is one district
whose other files are its fragments.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import i18n
from ..findings import Finding
from ..load import MAX_BYTES, YMap, YSeq, decode, load_bytes, load_file
from . import pieces

#: Top-level keys a fragment may hold: the lists of entities.
COLLECTIONS = ("subdistricts", "zones", "communities", "authorities", "grids", "buildings", "units", "party_orgs",
               "people", "roles", "mechanisms", "committees", "groups", "service_points", "matters")
DISTRICT_FILE = "district.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Source:
    """One district's text, loaded: ``data`` is the merged document, or None when unusable."""

    path: str
    data: Any = None
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False
    line: int = 1  # where the main file's root value starts
    col: int = 1


@dataclass(frozen=True)
class Given:
    """A district's main file given as bytes rather than a path: standard input (``-``).

    ``name`` is what findings show (``--stdin-filename``, else ``<stdin>``); its includes are
    looked up beside that name, as if the file stood there.
    """

    name: str
    data: bytes

    def __str__(self) -> str:
        return self.name

    @property
    def main(self) -> Path:
        return Path(self.name) if self.name != STDIN_NAME else Path.cwd() / STDIN_NAME


#: The name standard input goes by without ``--stdin-filename``.
STDIN_NAME = "<stdin>"


def read_stdin(stream, name: str | None = None) -> Given:
    """Standard input (a binary ``stream``) as a district's main file called ``name``."""
    return Given(name or STDIN_NAME, stream.read(MAX_BYTES + 1))


def display_path(path: Path) -> str:
    """The name a finding shows for ``path``: as the user gave it (or as found below it)."""
    return str(path)


def discover(paths: Iterable[str | Path], lang: str | None = None) -> tuple[list[Path], list[Finding]]:
    """The district main files named by ``paths`` (files or folders), sorted, without repeats."""
    found: list[Path] = []
    problems: list[Finding] = []
    texts: list[Given] = []
    for given in paths:
        if isinstance(given, Given):
            texts.append(given)
            continue
        path = Path(given)
        if path.is_dir():
            found.extend(_district_files(path))
        elif path.exists():
            found.append(path)
        else:
            problems.append(missing(given, lang))
    unique = sorted({p.resolve(): p for p in found}.values(), key=lambda p: str(p))
    return texts + unique, problems


def missing(path: str | Path, lang: str | None = None) -> Finding:
    """The error of a path given that does not exist, in ``lang`` (``None``: the environment's)."""
    lang = i18n.language(lang)
    return Finding(str(path), 0, 0, "error", "path-missing", i18n.text("sources.missing", lang), "", "",
                   i18n.text("sources.missing-hint", lang))


def _district_files(folder: Path) -> list[Path]:
    result = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if DISTRICT_FILE in files:
            result.append(Path(root) / DISTRICT_FILE)
            dirs[:] = []  # everything below belongs to that district
            continue
        result.extend(Path(root) / f for f in sorted(files) if f.endswith(YAML_SUFFIXES))
    return result


def read_district(path: str | Path | Given, texts: Mapping[Path, str] | None = None,
                  memo: pieces.Memo | None = None) -> Source:
    """Load a district's main file and every file it includes, merged into one document.

    ``texts`` holds files as an editor has them, unsaved (resolved path → text): a file named
    there is read from it instead of the disk (the language server's open documents). ``memo``
    keeps the files' pieces from one read to the next, so that a file read again after an edit
    is parsed only where it changed (:mod:`engine.load.pieces`; the language server's)."""
    texts = texts or {}
    if memo is not None:
        memo.count()
    if isinstance(path, Given):
        main, name = path.main, path.name
        if len(path.data) > MAX_BYTES:
            return Source(name, None, [name], [Finding(name, 1, 1, "error", "yaml-read",
                                                       f"the input is over the {MAX_BYTES:,}-byte limit", "", "",
                                                       "split the district over several files with `include:`")], True)
        doc = load_bytes(path.data, name)
    else:
        main = Path(path)
        name = display_path(main)
        doc = _load(main, name, texts, memo)
    source = Source(name, doc.data, [name], list(doc.findings), doc.fatal, doc.line, doc.col)
    if doc.fatal or not isinstance(doc.data, YMap) or "include" not in doc.data:
        return source
    includes = doc.data["include"]
    if not isinstance(includes, YSeq):
        return source  # the schema says what is wrong with it
    for index, pattern in enumerate(includes):
        if isinstance(pattern, str):
            where = (name, *includes.ipos[index])
            for fragment in _expand(main, pattern, where, source, texts):
                _merge_fragment(fragment, source, texts, memo)
    return source


def _load(path: Path, name: str, texts: Mapping[Path, str], memo: pieces.Memo | None = None):
    """The document of ``path``: from ``texts`` when an editor holds it, else from the disk
    (in pieces, with a ``memo``)."""
    text = texts.get(path.resolve()) if texts else None
    if text is None and memo is not None:
        text = _plain_text(path, name)
    if text is not None:
        return pieces.load_text(text, name, memo)
    return load_file(path, name)


def _plain_text(path: Path, name: str) -> str | None:
    """The text of the regular UTF-8 file at ``path``; None for anything else (``load_file``
    says what is wrong with it)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        text, problem = decode(path.read_bytes(), name)
    except OSError:
        return None
    return text if problem is None else None


def _expand(main: Path, pattern: str, where: tuple, source: Source, texts: Mapping[Path, str]) -> list[Path]:
    base = main.parent.resolve()
    # glob below the folder as the user named it, so fragments display like the main file
    matches = sorted(glob.glob(str(main.parent / pattern), recursive=True))
    if not matches:
        source.findings.append(_at(where, "include-missing", f"include '{pattern}' matches no file",
                                   f"paths are relative to {display_path(main)}'s folder"))
        return []
    result = []
    for match in matches:
        resolved = Path(match).resolve()
        if not resolved.is_relative_to(base):
            source.findings.append(_at(where, "include-outside",
                                       f"include '{pattern}' reaches outside the district's folder",
                                       "keep a district's files in its own folder"))
        elif resolved == main.resolve():
            source.findings.append(_at(where, "include-self", f"include '{pattern}' names the main file itself",
                                       "include only the other files of the district"))
        elif resolved.is_dir():
            source.findings.append(_at(where, "include-folder", f"include '{pattern}' names the folder {match}",
                                       f"name the files in it, e.g. '{pattern.rstrip('/')}/*.yaml'"))
        elif not match.endswith(YAML_SUFFIXES):
            source.findings.append(_at(where, "include-not-yaml",
                                       f"include '{pattern}' names {match}, which is not a .yaml or .yml file",
                                       "include only the district's YAML files, e.g. 'clusters/*.yaml'"))
        elif resolved.is_file() or resolved in texts:
            result.append(Path(match))
        else:
            source.findings.append(_at(where, "include-not-file", f"include '{pattern}' names {match}, "
                                       "which is not a regular file", "include only the district's YAML files"))
    return result


def _merge_fragment(fragment: Path, source: Source, texts: Mapping[Path, str], memo: pieces.Memo | None) -> None:
    name = display_path(fragment)
    doc = _load(fragment, name, texts, memo)
    source.files.append(name)
    source.findings.extend(doc.findings)
    if doc.fatal:
        source.fatal = True
        return
    data = doc.data
    if not isinstance(data, YMap):
        source.findings.append(Finding(name, 1, 1, "error", "include-shape",
                                       "an included file must be a mapping of lists (buildings:, units: ...)",
                                       "", "", f"allowed keys: {', '.join(COLLECTIONS)}"))
        return
    root = source.data
    for key, value in data.items():
        kline, kcol, vline, vcol = data.kpos[key]
        if key not in COLLECTIONS or not isinstance(value, YSeq):
            message = (f"'{key}' is not allowed in an included file" if key not in COLLECTIONS
                       else f"'{key}' must be a list")
            source.findings.append(Finding(name, kline, kcol, "error", "include-shape", message, "", "",
                                           f"an included file holds only lists: {', '.join(COLLECTIONS)}"))
            continue
        target = root.get(key)
        if target is None:
            target = YSeq(name, vline, vcol)
            root[key] = target
            root.kpos[key] = (kline, kcol, vline, vcol)
        elif not isinstance(target, YSeq):
            continue  # the schema reports the main file's wrong type
        target.extend(value)
        target.ipos.extend(pos if len(pos) == 3 else (name, *pos) for pos in value.ipos)


def district_id(source: Source) -> tuple[str, str, int, int] | None:
    """``(id, file, line, column)`` of the district's id, when its main file gives one."""
    data = source.data
    district = data.get("district") if isinstance(data, YMap) else None
    ident = district.get("id") if isinstance(district, YMap) else None
    if not isinstance(ident, str):
        return None
    return (ident, district.src, *district.kpos["id"][2:])


def duplicate_districts(entries: Iterable[tuple[str, tuple | None]]) -> list[Finding]:
    """An error for each district whose id a district before it in the same run already has
    (``entries``: each district's path and :func:`district_id`): their documents, routes and
    graphs would overwrite each other's."""
    first: dict[str, str] = {}
    found = []
    for path, ident in entries:
        if not ident:
            continue
        name, file, line, col = ident
        if name not in first:
            first[name] = path
            continue
        found.append(Finding(file, line, col, "error", "district-duplicate",
                             f"district id '{name}' is also the id of {first[name]}; both were given in one run",
                             "", name, f"give each district its own id, or run loushi on {first[name]} and {path} "
                             "separately"))
    return found


def _at(where: tuple, rule: str, message: str, hint: str) -> Finding:
    return Finding(where[0], where[1], where[2], "error", rule, message, "", "", hint)
