"""A consultant's project: the ``loushi.toml`` file that holds a project's settings.

``find(start)`` walks up from ``start`` (a config's folder) to the root, as ruff and black
find their settings, and returns the first ``loushi.toml``; ``load(start)`` reads it into a
``Project``. Each key or table is read by its function in ``SECTIONS``.

The folders of the project's own data, each a folder or a list of folders relative to the
file (``engine/discovery.py`` says what is taken from them, and in which order)::

    models = ["models", "../shared/models"]   # governance models (*.yaml)
    rules = "rules"                            # rule packs (*.yaml), run on every district
    templates = "templates"                    # templates replacing the shipped ones by name
    calendars = "calendars"                    # calendars (working days, holidays)

A kind not named uses the folder of that name beside the file, when there is one; a folder
that is named must exist.

The limits say how much of a spreadsheet loushi reads: they stop a hostile or broken file
(a zip bomb, a sheet of a billion empty rows, a cell of a gigabyte) before it takes the
machine's memory, and are set so that a city's real files fit (a 12345 export of a million
rows). Each is a named constant below, documented in docs/ledger.md ("Limits")::

    [limits]
    rows = 3_000_000
 A key loushi does not know, a value
of the wrong kind or a file that is not TOML is a ``ProjectError`` naming the file, line and
column: a misspelt setting never goes unnoticed.

Reading uses ``tomllib`` (``tomli`` before Python 3.11), which keeps no positions; the line of
a key is found in the text by ``_locate``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Callable

from .i18n import text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Bytes a workbook may inflate to (its zip members together, as its directory declares them
#: and as they are read), and bytes a CSV file may hold. A million-row export of twenty columns
#: inflates to about 1.3 GB.
INFLATED_BYTES = 2 * 1024**3
#: Rows that hold a value, per sheet (or CSV file). Excel stops at 1,048,576; CSV does not.
ROWS = 2_000_000
#: Cells that hold a value, per sheet (or CSV file): a million rows of twenty columns.
CELLS = 20_000_000
#: Characters in one cell. Excel itself holds at most 32,767.
TEXT_LENGTH = 32_767


@dataclass(frozen=True)
class Limits:
    """The limits in effect for one run (the defaults, or a project's ``[limits]``)."""

    inflated_bytes: int = INFLATED_BYTES
    rows: int = ROWS
    cells: int = CELLS
    text_length: int = TEXT_LENGTH

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


FILE_NAME = "loushi.toml"
_TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\s*(#.*)?\Z")
_KEY = re.compile(r"\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*[=.]")
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class ProjectError(Exception):
    """``loushi.toml`` cannot be used: at ``file:line:column``, the message ``key`` of
    engine/i18n.py (``project.KEY`` and ``project.KEY-hint``) with ``values``."""

    def __init__(self, file: Path, line: int, column: int, message: str, /, **values):
        self.file, self.line, self.column, self.key, self.values = file, line, column, message, values
        super().__init__(self.text("en"))

    def message(self, lang: str) -> str:
        return text(f"project.{self.key}", lang, **self.values)

    def hint(self, lang: str) -> str:
        return text(f"project.{self.key}-hint", lang, **self.values)

    def text(self, lang: str) -> str:
        """``file:line:col: message`` and the hint on a line of its own."""
        return f"{self.file}:{self.line}:{self.column}: {self.message(lang)}\n    hint: {self.hint(lang)}"


#: The folder settings of loushi.toml, each the name of the folder used when it is not set.
FOLDER_KINDS = ("models", "rules", "templates", "calendars")


@dataclass(frozen=True)
class Project:
    """The settings in effect: ``file`` is the loushi.toml they came from (None: the defaults).
    ``models``, ``rules``, ``templates`` and ``calendars`` are the project's folders of each
    (absolute, in the order written; the default folder beside the file when it exists)."""

    file: Path | None = None
    limits: Limits = field(default_factory=Limits)
    models: tuple[Path, ...] = ()
    rules: tuple[Path, ...] = ()
    templates: tuple[Path, ...] = ()
    calendars: tuple[Path, ...] = ()
    #: The kinds the file names (the others are the defaults).
    named: frozenset = frozenset()

    @property
    def folder(self) -> Path | None:
        return self.file.parent if self.file is not None else None


def find(start: str | Path) -> Path | None:
    """The first ``loushi.toml`` in ``start`` (a folder, or a file's folder) or above it."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load(start: str | Path) -> Project:
    """The project ``start`` belongs to (see ``find``); the defaults when there is none."""
    file = find(start)
    return Project() if file is None else parse(file)


def parse(file: Path) -> Project:
    """Read the project file ``file``; raises ProjectError where it cannot be used."""
    try:
        content = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(file, 1, 1, "unreadable", reason=str(exc)) from None
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        at = _POSITION.search(str(exc))
        line, column = (int(at[1]), int(at[2])) if at else (max(len(content.splitlines()), 1), 1)
        raise ProjectError(file, line, column, "not-toml", reason=_POSITION.sub("", str(exc)).strip()) from None
    project = Project(file)
    for key, value in data.items():
        reader = SECTIONS.get(key)
        if reader is None:
            line, column = _locate(content, (), key)
            raise ProjectError(file, line, column, "unknown-table", key=key,
                               known=", ".join(name if name in FOLDER_KINDS else f"[{name}]" for name in SECTIONS))
        project = reader(project, value, content)
    return _default_folders(project)


def _default_folders(project: Project) -> Project:
    """Each folder kind the file does not name: the folder of that name beside it, if any."""
    base = project.file.parent.resolve()
    chosen = {kind: (base / kind,) for kind in FOLDER_KINDS
              if kind not in project.named and (base / kind).is_dir()}
    return replace(project, **chosen)


def _folders(kind: str) -> Callable[[Project, object, str], Project]:
    """The reader of a folder setting (``models = "models"`` or a list of folders)."""

    def read(project: Project, value, content: str) -> Project:
        file = project.file
        line, column = _locate(content, (), kind)
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise ProjectError(file, line, column, "bad-folders", key=kind, value=_shown(value))
        base = file.parent.resolve()
        folders = []
        for name in names:
            folder = (base / name).resolve()
            if not folder.is_dir():
                raise ProjectError(file, line, column, "no-folder", key=kind, folder=name, path=str(folder))
            if folder not in folders:
                folders.append(folder)
        return replace(project, named=project.named | {kind}, **{kind: tuple(folders)})

    return read


def _shown(value) -> str:
    return repr(value) if not isinstance(value, dict) else "a table"


def _limits(project: Project, value, content: str) -> Project:
    file = project.file
    if not isinstance(value, dict):
        line, column = _locate(content, (), "limits")
        raise ProjectError(file, line, column, "not-a-table", key="limits")
    known = Limits.names()
    changes = {}
    for key, number in value.items():
        line, column = _locate(content, ("limits",), key)
        if key not in known:
            raise ProjectError(file, line, column, "unknown-limit", key=key, known=", ".join(known))
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ProjectError(file, line, column, "bad-limit", key=key, value=repr(number),
                               default=f"{getattr(Limits(), key):_}")
        changes[key] = number
    return replace(project, limits=replace(project.limits, **changes))


#: The tables of loushi.toml, each with the function that reads it into the Project.
SECTIONS: dict[str, Callable[[Project, object, str], Project]] = {
    **{kind: _folders(kind) for kind in FOLDER_KINDS}, "limits": _limits}


def _locate(text: str, table: tuple[str, ...], key: str) -> tuple[int, int]:
    """Line and column of ``key`` in the table ``table`` (``()``: the top), 1-based; (1, 1) when
    it cannot be told (a key written in an inline table, say)."""
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#", 1)[0] if '"' not in line and "'" not in line else line
        header = _TABLE.match(stripped)
        if header:
            current = tuple(part.strip().strip("\"'") for part in header[1].split("."))
            if current == (*table, key):
                return number, line.index(key) + 1 if key in line else 1
            continue
        match = _KEY.match(line)
        if match is None:
            continue
        name = match[1].strip("\"'")
        dotted = [p.strip().strip("\"'") for p in line.split("=", 1)[0].split(".")]
        if current == table and name == key:
            return number, match.start(1) + 1
        if current == () and table and dotted[: len(table) + 1] == [*table, key]:  # limits.rows = ...
            return number, line.index(key, match.start(1)) + 1
    return 1, 1
