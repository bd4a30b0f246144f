"""Discovery: which governance models, rule packs, templates and calendars a run uses, and
which folder each came from.

They come from three places, in this order:

1. **shipped** with loushi (``engine/resources.py``: ``rules/models/``, ``rules/``,
   ``templates/``), wherever loushi is installed;
2. the **project** the district belongs to: the folders its ``loushi.toml`` names, or the
   ``models/``, ``rules/``, ``templates/`` and ``calendars/`` folders beside it
   (``engine/project.py``);
3. the **run**: ``--models``, ``--packs`` and ``--templates``, for this run only.

What is taken from them:

* models: every ``*.yaml`` and ``*.yml`` file of every models folder, shipped first. A model
  id given by two files (in one folder or two) is an error naming both files: the first one
  read is kept (``engine.rules.govmodels``);
* rule packs: every ``*.yaml`` and ``*.yml`` file of the project's rules folders, then the
  ``--packs`` files. They run on every district of the project (a district's
  ``rules.extends`` can name them too), beside the shipped packs its ``extends`` chooses;
* templates: a template is looked up in the ``--templates`` folders first, then the project's
  folders in the order written, then the shipped ones: the first file of that name wins;
* calendars: the files of the project's calendars folders (``engine.calendars``; every file there is
  a calendar, and one that is not YAML is a finding).

:func:`found` gives the :class:`Found` of a district (or a folder) in a run, made once per
project and run options and kept by the run's session.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from . import i18n
from . import project as project_stage
from .load.sources import Given
from .resources import models_dir, templates_dir

#: The files of a folder that hold models or packs.
DATA_SUFFIXES = (".yaml", ".yml")
#: Where a folder came from, besides a loushi.toml (its path).
SHIPPED = "shipped"
OPTION_MODELS = "--models"


@dataclass(frozen=True)
class Folder:
    """A folder searched, and where it was named: ``shipped``, the loushi.toml (its path) or
    the option (``--models`` ...)."""

    path: Path
    origin: str

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        """``path (where it was named)``, the shipped folder called so in ``lang``."""
        origin = i18n.text("discovery.shipped", lang) if self.origin == SHIPPED else self.origin
        return f"{self.path} ({origin})"


@dataclass(frozen=True)
class Found:
    """What one run uses for one project: its folders of models, its pack files, its template
    folders (searched before the shipped ones) and its calendar files."""

    project: project_stage.Project
    models: tuple[Folder, ...]
    packs: tuple[Path, ...] = ()
    templates: tuple[Path, ...] = ()
    calendars: tuple[Path, ...] = ()

    def model_files(self) -> tuple[tuple[Path, Folder], ...]:
        """Every model file, each with its folder, in the order they are read."""
        return tuple((path, folder) for folder in self.models for path in data_files(folder.path))

    def model_folders(self, lang: str = "en") -> str:
        """The folders searched for models, for a message in ``lang``: one per line."""
        return "\n".join(f"  {folder.said(lang)}" for folder in self.models)

    def template_folders(self) -> tuple[Path, ...]:
        """The template folders, searched in this order, without the shipped one."""
        return self.templates


def data_files(folder: Path) -> list[Path]:
    """The ``*.yaml`` and ``*.yml`` files of ``folder`` (not below it), by name; hidden files
    are left out."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in DATA_SUFFIXES and p.is_file() and not p.name.startswith("."))


def found(session, start: str | Path | None) -> Found:
    """What the run of ``session`` uses for the district (or folder) ``start``: its project's
    folders and the run's options. Raises ``engine.project.ProjectError`` when the project's
    loushi.toml cannot be used. ``start`` None: the current folder."""
    if isinstance(start, Given):  # standard input: its project is where --stdin-filename says it stands
        here = start.main
    else:
        here = Path(start) if start not in (None, "", "-") else Path.cwd()
    project = session.project(here)
    options = session.options
    run = (tuple(str(p) for p in _option_folders(options)), tuple(str(p) for p in getattr(options, "rule_packs", ()) or ()),
           tuple(str(p) for p in getattr(options, "templates", ()) or ()))
    return session.kept(("found", project, run), lambda: of(project, *run))


def of(project: project_stage.Project, models: tuple[str, ...] = (), packs: tuple[str, ...] = (),
       templates: tuple[str, ...] = ()) -> Found:
    """What a run with the options ``models``, ``packs`` and ``templates`` uses for ``project``."""
    origin = str(project.file) if project.file is not None else ""
    folders = [Folder(models_dir(), SHIPPED)] + [Folder(p, origin) for p in project.models]
    folders += [Folder(Path(p).resolve(), OPTION_MODELS) for p in models]
    unique = list({folder.path: folder for folder in reversed(folders)}.values())[::-1]  # first mention kept
    pack_files = [p for folder in project.rules for p in data_files(folder)] + [Path(p) for p in packs]
    template_folders = [Path(p).resolve() for p in templates] + list(project.templates)
    calendars = [p for folder in project.calendars for p in sorted(folder.iterdir())
                 if p.is_file() and not p.name.startswith(".")]
    return Found(project, tuple(unique), tuple(dict.fromkeys(pack_files)),
                 tuple(dict.fromkeys(template_folders)), tuple(calendars))


def _option_folders(options) -> tuple:
    folders = tuple(getattr(options, "models", ()) or ())
    single = getattr(options, "models_dir", None)  # one folder, as library callers gave it
    return folders + ((single,) if single else ())


def shipped_templates() -> Path:
    """The folder of the shipped templates."""
    return templates_dir()


def nearest(name: str, known) -> str | None:
    """The known name closest to ``name``, if any is close."""
    close = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None
