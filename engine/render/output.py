"""Output discipline: safe file names, and an atomic, minimal write of a whole output folder.

``Tree(out)`` takes the files of a build one at a time (``write_tree(files, out)`` a whole
dict) into a temporary folder beside ``out`` and then swaps it in, so a build that fails or
is interrupted leaves the previous output as it was. A file whose bytes did not change is
carried over as a hard link (same inode, same mtime: not rewritten); when nothing changed at
all, nothing is touched. Files a person put into the output folder are carried over too; a
generated file never replaces one. ``manifest.json`` lists what loushi wrote, with a digest of
each file.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import lock_descriptor, unlock_descriptor

MANIFEST = "manifest.json"
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
#: Files are written in bursts of this many (or of this many bytes, whichever comes first), not
#: each as it is rendered: rendering and the kernel's making of files then do not keep evicting
#: each other from the processor's caches (a city's 134,000 files: 2 s less CPU time).
BURST_FILES = 1000
BURST_BYTES = 16 * 2**20
#: Longest file-name stem, in characters (a CJK character takes 3 of a file system's 255 bytes).
MAX_STEM = 60
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")


class OutputError(Exception):
    """The output folder cannot be written as asked (the message says why and what to do)."""


@dataclass
class WriteResult:
    """What ``write_tree`` did: paths relative to the output folder, sorted."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def safe_name(text: str) -> str:
    """A file-name stem from any text: no separators, NUL, control or reserved characters, no
    leading dot, no Windows device name, at most ``MAX_STEM`` characters; never empty."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name).strip(" .")
    name = _SPACES.sub(" ", name)[:MAX_STEM].rstrip(" .")
    if not name:
        return "_"
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name


def unique_names(texts: list[str]) -> list[str]:
    """Safe names for ``texts``, made unique (ignoring case) by a suffix ``-2``, ``-3`` …"""
    seen: set[str] = set()
    result = []
    for text in texts:
        base = safe_name(text)
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name.casefold())
        result.append(name)
    return result


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(digests: dict[str, tuple[str, int]]) -> bytes:
    """The manifest of a build: every file with its size and SHA-256, sorted by path (the JSON
    ``json.dumps(..., indent=2)`` writes, made an entry at a time and joined once as bytes: a
    city's build has 130,000 entries)."""
    entries = [f'    {{\n      "path": {_json_text(path)},\n      "sha256": "{sha}",\n'
               f'      "size": {size}\n    }}'.encode() for path, (sha, size) in sorted(digests.items())]
    files = b"[\n" + b",\n".join(entries) + b"\n  ]" if entries else b"[]"
    return b'{\n  "generator": "loushi",\n  "files": ' + files + b"\n}\n"


def _json_text(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``, without its machinery for the common case."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def check_paths(files) -> None:
    """Refuse any relative path that could leave the output folder."""
    for path in files:
        _check_path(path)


def _check_path(path: str) -> None:
    """Refuse a relative path that could leave the output folder."""
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") or "\x00" in p for p in parts):
        raise OutputError(f"unsafe output path {path!r}")


def previous(out: Path) -> set[str] | None:
    """The files a previous build wrote into ``out`` (None: ``out`` does not exist)."""
    if not out.exists():
        return None
    if not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another output folder")
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"] for entry in data["files"]} | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        if any(out.iterdir()):
            raise OutputError(f"{out} is not empty and holds no {MANIFEST} from an earlier build; "
                              "choose an empty or new output folder") from None
        return set()


def existing_files(out: Path) -> dict[str, str]:
    """Every file in ``out``: its path relative to ``out`` (with ``/``) → its full path (text,
    not a Path object each: a city's output folder has 130,000 files)."""
    result = {}
    base = os.fspath(out)
    for root, dirs, files in os.walk(base):
        dirs.sort()
        prefix = os.path.relpath(root, base).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(files):
            result[prefix + name] = os.path.join(root, name)
    return result


def write_tree(files: dict[str, bytes], out: Path) -> WriteResult:
    """Make ``out`` hold exactly ``files`` (plus any file a person put there), atomically;
    builds into one folder at the same time take turns."""
    with Tree(out) as tree:
        for path in sorted(files):
            tree.put(path, files[path])
    return tree.result


class Tree:
    """An output folder written one file at a time, swapped in whole when the block ends.

    ``with Tree(out) as tree: tree.put(path, data) ...`` holds the folder's lock, compares each
    file with the one a previous build left (carried over as a hard link when equal), writes
    the changed ones into a staging folder beside ``out`` (made at the first change: a rebuild
    that changes nothing touches nothing) and, when the block ends without an error, adds the
    manifest and the files a person put there and swaps the staging folder in. An error or an
    interruption removes the staging folder and leaves ``out`` as it was. Only the manifest's
    digests and the files of the current burst (see ``BURST_FILES``) stay in memory, so a
    city's documents need not all fit in it at once.
    """

    def __init__(self, out: Path):
        self.out = Path(out)
        self.result = WriteResult()
        self._entries: dict[str, tuple[str, int]] = {}   # path → (sha256, size), for the manifest
        self._folded: set[str] = set()
        self._staging: Path | None = None
        self._folders: set[str] = set()   # folders made in the staging folder
        self._burst: list[tuple[str, bytes]] = []  # put, not yet written
        self._burst_bytes = 0
        self._lock = None

    def __enter__(self) -> "Tree":
        with _oserror(self.out):
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock = _locked(self.out.parent)
            self._lock.__enter__()
            try:
                _recover(self.out)
                self._ours = previous(self.out)
                self._current = existing_files(self.out) if self._ours is not None else {}
            except BaseException:
                self._release()
                raise
        return self

    def put(self, path: str, data: bytes) -> None:
        """Add one file of the build (``path`` relative to the output folder, with ``/``)."""
        _check_path(path)
        if path == MANIFEST or path.casefold() in self._folded:
            raise OutputError(f"two files of the build are both named {path!r}")
        folded = path.casefold()
        self._folded.add(path if folded == path else folded)  # most paths: no second copy
        self._burst.append((path, data))
        self._burst_bytes += len(data)
        if len(self._burst) >= BURST_FILES or self._burst_bytes >= BURST_BYTES:
            self._flush()

    def _flush(self) -> None:
        """Write the files put since the last burst, in the order they were put."""
        burst, self._burst, self._burst_bytes = self._burst, [], 0
        entries = self._entries
        for path, data in burst:
            entries[path] = (digest(data), len(data))
            self._place(path, data)

    def _place(self, path: str, data: bytes) -> None:
        old = self._current.get(path)
        if old is not None and path not in self._ours:
            raise OutputError(f"{old} was not written by loushi; move it away or choose another output folder")
        try:  # (not _oserror: a context manager per file costs more than the check)
            if old is not None and os.stat(old).st_size == len(data) and _read(old) == data:
                self.result.unchanged.append(path)
                if self._staging is not None:
                    self._link(old, path)
                return
            self.result.written.append(path)
            self._put(path, data)
        except OSError as exc:
            raise _output_error(self.out, exc) from None

    def _put(self, path: str, data: bytes) -> None:
        """Write one new file into the staging folder: plain system calls (pathlib's checks and
        Python's buffered file objects cost more than the write), folders made once."""
        handle = os.open(self._target(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        try:
            view = memoryview(data)
            while view:  # no fsync per file: the swap, not the disk cache, is what keeps a build atomic
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)

    def _link(self, source: Path, path: str) -> None:
        """Carry an unchanged file over into the staging folder (a hard link where possible)."""
        target = self._target(path)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def _target(self, path: str) -> str:
        """Where ``path`` goes in the staging folder, its folder made (once). Text, not a Path:
        joining Path objects cost a second per 100,000 files."""
        staging = os.fspath(self._stage())
        folder = path.rpartition("/")[0]
        if folder not in self._folders:
            os.makedirs(os.path.join(staging, *folder.split("/")), exist_ok=True)
            self._folders.add(folder)
        return f"{staging}{os.sep}{path.replace('/', os.sep)}" if os.sep != "/" else f"{staging}/{path}"

    def _stage(self) -> Path:
        """The staging folder, made at the first changed file (with the unchanged ones so far)."""
        if self._staging is None:
            self._staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.", suffix=".new", dir=self.out.parent))
            for path in self.result.unchanged:
                self._link(self._current[path], path)
        return self._staging

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self._finish()
        finally:
            if self._staging is not None and self._staging.exists():
                shutil.rmtree(self._staging, ignore_errors=True)
            self._release()

    def _finish(self) -> None:
        self._flush()
        self._place(MANIFEST, manifest(self._entries))
        result = self.result
        for path in sorted(self._current):
            if path not in self._entries and path != MANIFEST:
                (result.removed if path in self._ours else result.kept).append(path)
        result.written.sort()
        result.unchanged.sort()
        if not result.written and not result.removed:
            return
        with _oserror(self.out):
            staging = self._stage()
            for path in result.kept:
                self._link(self._current[path], path)
            _replace(staging, self.out)

    def _release(self) -> None:
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.__exit__(None, None, None)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@contextmanager
def _oserror(out: Path):
    """An operating-system error while writing, as an :class:`OutputError` saying what to do."""
    try:
        yield
    except OSError as exc:
        raise _output_error(out, exc) from None


def _output_error(out: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {out}: {exc.strerror or exc}; check that the folder is writable "
                       "and the disk has room")


@contextmanager
def _locked(folder: Path):
    """Hold an exclusive lock on ``folder`` itself, with filelock's lock on a descriptor (the
    primitive of its FileLock), so that no lock file is left among the user's folders. Where a
    folder cannot be opened or locked (Windows, some network file systems) the build goes on
    unlocked, as it always has there."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        try:
            locked = lock_descriptor(handle)
        except OSError:
            locked = False
        try:
            yield
        finally:
            if locked:
                unlock_descriptor(handle)
    finally:
        os.close(handle)


def _recover(out: Path) -> None:
    """Clear what an interrupted build left beside ``out``: its staging folders, and the
    previous folder if it was killed between moving it aside and moving the new one in."""
    pattern = f".{glob.escape(out.name)}.{'?' * 8}"  # as tempfile.mkdtemp names them in Tree._stage
    leftovers = sorted(out.parent.glob(pattern + ".old"), key=lambda p: p.stat().st_mtime)
    if leftovers and not out.exists():
        os.replace(leftovers.pop(), out)
    for stale in leftovers + sorted(out.parent.glob(pattern + ".new")):
        shutil.rmtree(stale, ignore_errors=True)


def _replace(staging: Path, out: Path) -> None:
    """Put ``staging`` where ``out`` is; the old folder is removed only once the new one is in place."""
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
