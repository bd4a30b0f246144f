"""Keys: digests of everything a build's files are made from, so that a rebuild makes only
the files whose inputs changed (see ``output.Tree.fresh`` and ``Tree.carry``).

- ``program(options)``: what makes the documents, whatever the config — loushi's version and
  code, the shipped and the user's templates, the governance models, the versions of Python
  and of the libraries that lay the files out.
- ``whole(program, model, options)``: a build as a whole — the program, the options, and the
  bytes and places of every config file the district was read from. When it is the one the
  previous build recorded, nothing needs rendering at all.
- ``document(...)``: one file of one document — the program, the format, and a digest of the
  document's context (every record its template can read).

A key that differs where nothing changed costs a rendering; a key that stays the same where
something changed would leave a stale file, so each key takes every input, and anything it
cannot digest (``context`` returns None) is always made again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import warnings
from pathlib import Path

import jinja2
import markupsafe
import yaml

from .. import __version__, lazy
from ..resources import models_dir, templates_dir
from .context import Tracer
from .environment import template_folders

# Asked only for the formats whose libraries are not imported already (docx, xlsx).
metadata = lazy.module("importlib.metadata")

#: The libraries whose version can change a format's bytes (Jinja2, MarkupSafe and PyYAML: every
#: format; they are imported already and say their version themselves).
FORMAT_LIBRARIES = {"docx": ("python-docx", "lxml"), "xlsx": ("openpyxl",)}


def _hasher():
    return hashlib.blake2b(digest_size=16)


def program(options) -> str:
    """The key of what makes the documents, for a build with ``options`` (a ``BuildOptions``)."""
    digest = _hasher()
    libraries = [f"Jinja2 {jinja2.__version__}", f"MarkupSafe {_version(markupsafe)}", f"PyYAML {yaml.__version__}"]
    wanted = sorted({name for fmt in options.formats for name in FORMAT_LIBRARIES.get(fmt, ())})
    for name in wanted:
        try:
            libraries.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            libraries.append(f"{name} -")
    digest.update("\n".join([f"loushi {__version__}", f"Python {sys.version}", *libraries]).encode())
    for folder in (Path(__file__).resolve().parent.parent, templates_dir(), models_dir()):
        _folder(digest, folder)
    for folder in template_folders(options.templates):
        _folder(digest, Path(folder))
    models = getattr(options, "models", None)
    if models:  # the governance models in effect (a project's own are in no folder above)
        digest.update(repr(sorted((k, sorted(v.items())) for k, v in models.items())).encode())
    return digest.hexdigest()


def _version(module) -> str:
    """A module's ``__version__`` without the deprecation warning some give for it now."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return str(getattr(module, "__version__", "-"))


def _folder(digest, folder: Path) -> None:
    """Add every file below ``folder`` (its path relative to the folder, and its bytes)."""
    base = os.fspath(folder)
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                data = handle.read()
            digest.update(f"\0{os.path.relpath(path, base)}\0{len(data)}\0".encode())
            digest.update(data)


def whole(program_key: str, model, options) -> str | None:
    """The key of a whole build: ``program_key``, the options that shape the documents, and
    every config file of ``model``: its bytes, and its name as the documents cite it (relative
    to the district's folder: the same config elsewhere on the disk has the same key). None if a
    file cannot be read again (the build then renders what ``document`` keys say)."""
    trace = Tracer(model)
    digest = _hasher()
    digest.update(f"{program_key}\n{sorted(options.formats)}\n{options.start.isoformat()}\n{options.months}\n"
                  f"{getattr(options, 'mark', '')}\n{getattr(options, 'trace', False)}\n{getattr(options, 'lang', 'zh')}\n".encode())
    if getattr(options, "subdistrict", None):  # one 街道's documents only
        digest.update(f"subdistrict {options.subdistrict}\n".encode())
    for name in sorted({model.source.path, *model.source.files}):
        try:
            data = Path(name).read_bytes()
        except OSError:
            return None
        digest.update(f"\0{trace.file(name)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def context(values: dict) -> str | None:
    """A digest of a document's context: the records its template reads, pickled (plain
    records, strings, numbers, dates: the same values give the same bytes in one program).
    None if something in it cannot be pickled: the document is then always made again."""
    try:
        data = pickle.dumps(values, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def document(program_key: str, fmt: str, path: str, context_key: str | None, *more: str) -> str | None:
    """The key of the file ``path`` in format ``fmt`` made from a context digested as
    ``context_key``; ``more`` is whatever else the format's writer takes (a date, an id)."""
    if context_key is None:
        return None
    text = "\0".join([program_key, fmt, path, context_key, *more])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
