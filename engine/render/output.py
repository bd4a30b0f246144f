"""Output discipline: safe file names, and an atomic, minimal write of a whole output folder.

``Tree(out)`` takes the files of a build one at a time (``write_tree(files, out)`` a whole
dict) into a temporary folder beside ``out`` and then swaps it in, so a build that fails or
is interrupted leaves the previous output as it was. A file whose bytes did not change is
carried over as a hard link (same inode, same mtime: not rewritten); when nothing changed at
all, nothing is touched. Files a person put into the output folder are carried over too.

``.loushi/manifest.json`` lists what loushi wrote: each file's SHA-256, size and *key* (a
digest of everything its bytes were made from), and the key of the whole build. A build asks
``fresh(path, key)`` before rendering a file: when the manifest has that key and the file still
has the bytes loushi wrote, it is carried over unrendered. A generated file never replaces,
and a build never removes, a file the manifest does not know or one edited by hand since loushi
wrote it: the build lists them all and stops (:class:`Conflict`), unless ``force`` is given.
"""

from __future__ import annotations

import datetime as dt
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
from typing import NamedTuple

from filelock import lock_descriptor, unlock_descriptor

#: Where the manifest lives in the output folder (a hidden folder: no file name of a build
#: starts with a dot, see ``safe_name``).
MANIFEST = ".loushi/manifest.json"
#: Where loushi 0.1 kept its manifest (path, size, SHA-256 only): still read, then removed.
LEGACY_MANIFEST = "manifest.json"
#: The manifest's layout; another number (an older or newer loushi) is read as foreign.
MANIFEST_VERSION = 2
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
#: Files are written in bursts of this many (or of this many bytes, whichever comes first), not
#: each as it is rendered: rendering and the kernel's making of files then do not keep evicting
#: each other from the processor's caches (a city's 134,000 files: 2 s less CPU time).
BURST_FILES = 1000
BURST_BYTES = 16 * 2**20
#: Longest file-name stem, in characters (a CJK character takes 3 of a file system's 255 bytes).
MAX_STEM = 60
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")
#: Unicode categories dropped from file names: format characters (bidi marks and overrides,
#: zero-width spaces and joiners), line and paragraph separators, and (with _UNSAFE) C1 controls.
_INVISIBLE = frozenset(("Cf", "Zl", "Zp"))


class OutputError(Exception):
    """The output folder cannot be written as asked (the message says why and what to do)."""


class Conflict(OutputError):
    """Files of the output folder that a build would overwrite or remove, but that loushi did not
    write (``unknown``) or that were edited by hand since it wrote them (``edited``): ``files``
    is a sorted list of ``(path, reason)``; nothing was changed."""

    def __init__(self, out: Path, files: list[tuple[str, str]]):
        self.out = out
        self.files = sorted(files)
        listed = "; ".join(f"{path} ({'edited by hand' if why == 'edited' else 'not written by loushi'})"
                           for path, why in self.files)
        super().__init__(f"{len(self.files)} file(s) in {out} would be overwritten or removed: {listed}; "
                         "move them away, or build with --force to overwrite them")


class Entry(NamedTuple):
    """A file of the manifest: its SHA-256, its size and its key (None: always made again);
    for a calendar, the revision of each of its events (see :class:`Revisions`)."""

    sha256: str
    size: int
    key: str | None = None
    events: dict | None = None


class Revisions:
    """The SEQUENCE of every calendar event of a build (RFC 5545 §3.8.7.4) and when it was last
    revised (LAST-MODIFIED, §3.8.7.3), from the manifest of the build before: an event (by UID,
    in whichever file it was) whose contents' digest is the same keeps its number and its time,
    a changed one takes the next number and the time of this build (``when``, an ISO 8601 UTC
    time), a new one starts at 0 with no time (its calendar stamps it with the config's date).
    What a build gives is recorded by file for its manifest."""

    def __init__(self, previous: dict[str, tuple] | None = None, when: str | None = None):
        self.previous = previous or {}
        self.when = when
        self.made: dict[str, dict[str, tuple]] = {}

    @classmethod
    def of(cls, manifest: "Manifest", when: str | None = None) -> "Revisions":
        return cls({uid: tuple(mark) for entry in manifest.files.values() for uid, mark in (entry.events or {}).items()},
                   when)

    def sequence(self, path: str, uid: str, digest: str) -> tuple[int, str | None]:
        """The event's SEQUENCE and the time it was last revised (None: never since it was new)."""
        before = self.previous.get(uid)
        if before is None:
            number, revised = 0, None
        elif before[0] == digest:
            number, revised = before[1], (before[2] if len(before) > 2 else None)
        else:
            number, revised = before[1] + 1, self.when
        self.made.setdefault(path, {})[uid] = (digest, number, revised) if revised else (digest, number)
        return number, revised


def revision_time(environ=None) -> str:
    """When this build revises a calendar event, as an ISO 8601 UTC time to the second:
    ``SOURCE_DATE_EPOCH`` when it is set to a whole number of seconds (reproducible builds),
    else the clock."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit()
              else dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    return moment.isoformat()


@dataclass
class Manifest:
    """What an earlier build left in the output folder (see ``read_manifest``)."""

    files: dict[str, Entry] = field(default_factory=dict)
    build: str | None = None      # the key of the whole build
    documents: int = 0
    #: Files loushi may replace or remove besides ``files``: its manifest (and an old one).
    own: set[str] = field(default_factory=lambda: {MANIFEST})
    #: Why the manifest could not be used ("unreadable", "foreign"), or "".
    problem: str = ""


@dataclass
class WriteResult:
    """What ``write_tree`` did: paths relative to the output folder, sorted."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: Written or removed with ``force`` although edited by hand or not loushi's: (path, reason).
    forced: list[tuple[str, str]] = field(default_factory=list)
    #: Why the previous manifest was not used ("unreadable", "foreign"); everything was made again.
    manifest_problem: str = ""


def safe_name(text: str) -> str:
    """A file-name stem from any text: no separators, NUL, control or reserved characters, no
    leading dot, no Windows device name, at most ``MAX_STEM`` characters; never empty."""
    # no bidi override (U+202E shows "exe.docx" reversed), zero-width or other invisible
    # character survives into a name on disk: they make look-alike or misleading file names
    name = unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE))
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


def manifest(digests: dict[str, tuple], build: str | None = None, documents: int = 0) -> bytes:
    """The manifest of a build: every file with its SHA-256, size and key (``digests``: path →
    ``(sha256, size[, key])``), sorted by path, and the build's own key and document count. It
    is the JSON ``json.dumps(..., indent=2)`` writes, made an entry at a time and joined once as
    bytes: a city's build has 130,000 entries."""
    entries = []
    for path, (sha, size, *rest) in sorted(digests.items()):
        key, events = (rest + [None, None])[:2]
        tail = f',\n      "key": {_json_text(key)}' if key is not None else ""
        if events:
            marks = ",\n".join(f'        {_json_text(uid)}: [\n          "{mark[0]}",\n          {mark[1]}'
                                + (f',\n          {_json_text(mark[2])}' if len(mark) > 2 else "") + "\n        ]"
                                for uid, mark in sorted(events.items()))
            tail += f',\n      "events": {{\n{marks}\n      }}'

        entries.append(f'    {{\n      "path": {_json_text(path)},\n      "sha256": "{sha}",\n'
                       f'      "size": {size}{tail}\n    }}'.encode())
    files = b"[\n" + b",\n".join(entries) + b"\n  ]" if entries else b"[]"
    head = (f'{{\n  "generator": "loushi",\n  "manifest": {MANIFEST_VERSION},\n'
            f'  "build": {_json_text(build) if build is not None else "null"},\n  "documents": {documents},\n')
    return head.encode() + b'  "files": ' + files + b"\n}\n"


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


def read_manifest(out: Path, force: bool = False) -> Manifest | None:
    """What an earlier build left in ``out`` (None: ``out`` does not exist). A manifest that
    cannot be read, or that another program or another version of loushi wrote, gives an empty
    one with ``problem`` set: every file is made again, and files already there count as not
    loushi's. A folder that is not empty and has no manifest at all is refused (unless ``force``)."""
    if not out.exists():
        return None
    if not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another output folder")
    try:
        return _parse_manifest((out / MANIFEST).read_bytes())
    except FileNotFoundError:
        pass
    except OSError:
        return Manifest(problem="unreadable")
    try:  # loushi 0.1's manifest: no keys, so nothing is fresh, but its files are known as loushi's
        legacy = _parse_manifest((out / LEGACY_MANIFEST).read_bytes(), version=None)
        if not legacy.problem:
            legacy.own.add(LEGACY_MANIFEST)
            return legacy
    except OSError:
        pass
    if not force and any(out.iterdir()):
        raise OutputError(f"{out} is not empty and holds no {MANIFEST} from an earlier build; "
                          "choose an empty or new output folder, or build with --force")
    return Manifest()


def _parse_manifest(text: bytes, version: int | None = MANIFEST_VERSION) -> Manifest:
    """The manifest in ``text``; an empty one with ``problem`` set if it cannot be used."""
    try:
        data = json.loads(text)
    except ValueError:
        return Manifest(problem="unreadable")
    if not isinstance(data, dict) or data.get("generator") != "loushi" or data.get("manifest") != version:
        return Manifest(problem="foreign")
    try:
        files = {}
        for entry in data["files"]:
            path, sha, size, key = entry["path"], entry["sha256"], entry["size"], entry.get("key")
            if not (isinstance(path, str) and isinstance(sha, str) and type(size) is int
                    and (key is None or isinstance(key, str))):
                raise TypeError(path)
            _check_path(path)
            files[path] = Entry(sha, size, key, _events(entry.get("events")))
        build, documents = data.get("build"), data.get("documents", 0)
        if not (build is None or isinstance(build, str)) or type(documents) is not int:
            raise TypeError(build)
    except (KeyError, TypeError, OutputError):
        return Manifest(problem="unreadable")
    return Manifest(files, build, documents)


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


def _events(value) -> dict | None:
    """A calendar's events as the manifest records them: UID → [digest, SEQUENCE] or, for one
    revised since it was new, [digest, SEQUENCE, the time of that revision]."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(value)
    events = {}
    for uid, mark in value.items():
        if not (isinstance(mark, list) and len(mark) in (2, 3) and isinstance(mark[0], str)
                and type(mark[1]) is int and mark[1] >= 0 and (len(mark) == 2 or _is_time(mark[2]))):
            raise TypeError(uid)
        events[uid] = tuple(mark)
    return events


def _is_time(value) -> bool:
    try:
        return isinstance(value, str) and dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


class Tree:
    """An output folder written one file at a time, swapped in whole when the block ends.

    ``with Tree(out) as tree: tree.put(path, data, key) ...`` holds the folder's lock, compares
    each file with the one a previous build left (carried over as a hard link when equal),
    writes the changed ones into a staging folder beside ``out`` (made at the first change: a
    rebuild that changes nothing touches nothing) and, when the block ends without an error,
    adds the manifest and the files a person put there and swaps the staging folder in. An
    error, a conflict (see :class:`Conflict`) or an interruption removes the staging folder and
    leaves ``out`` as it was. Only the manifest's digests and the files of the current burst
    (see ``BURST_FILES``) stay in memory, so a city's documents need not all fit in it at once.

    Before rendering a file, a build asks ``fresh(path, key)``; before rendering anything,
    ``carry(build)``. The caller sets ``build`` and ``documents`` once every file is put, for
    the manifest.
    """

    def __init__(self, out: Path, force: bool = False, revised: str | None = None):
        self.out = Path(out)
        self.force = force
        #: When the events this build changes were revised (``revision_time()``).
        self.revised = revised
        self.result = WriteResult()
        self.previous = Manifest()
        self.build: str | None = None   # the key of the whole build, once it is complete
        self.documents = 0
        self._entries: dict[str, tuple] = {}   # path → (sha256, size, key), for the manifest
        self._folded: set[str] = set()
        self._staging: Path | None = None
        self._folders: set[str] = set()   # folders made in the staging folder
        self._burst: list[tuple[str, bytes, str | None]] = []  # put, not yet written
        self._burst_bytes = 0
        self._conflicts: list[tuple[str, str]] = []
        self._lock = None
        #: The calendars' event revisions, from the previous manifest, for this build's.
        self.revisions = Revisions()

    def __enter__(self) -> "Tree":
        with _oserror(self.out):
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self._lock = _locked(self.out.parent)
            self._lock.__enter__()
            try:
                _recover(self.out)
                found = read_manifest(self.out, self.force)
                self.previous = found or Manifest()
                self.result.manifest_problem = self.previous.problem
                self.revisions = Revisions.of(self.previous, self.revised)
                self._current = existing_files(self.out) if found is not None else {}
            except BaseException:
                self._release()
                raise
        return self

    def carry(self, build: str | None) -> bool:
        """Carry every file of the previous build over, unrendered, if that build had the key
        ``build`` and every file is still as loushi wrote it; else do nothing and say False.
        Call it before any ``put`` or ``fresh``."""
        previous = self.previous
        if build is None or previous.build != build or self._entries:
            return False
        if not all(self._intact(path, entry) for path, entry in previous.files.items()):
            return False
        for path, entry in previous.files.items():
            self._keep(path, entry)
        self.build, self.documents = build, previous.documents
        return True

    def fresh(self, path: str, key: str | None) -> bool:
        """Whether the file ``path`` of the previous build was made with ``key`` and still holds
        the bytes loushi wrote; if so it is carried over (the build need not make it), else the
        build makes it and calls ``put``. A key of None is never fresh."""
        entry = self.previous.files.get(path)
        if key is None or entry is None or entry.key != key or path.casefold() in self._folded \
                or path in self._entries or not self._intact(path, entry):
            return False
        self._keep(path, entry)
        return True

    def put(self, path: str, data: bytes, key: str | None = None) -> None:
        """Add one file of the build (``path`` relative to the output folder, with ``/``);
        ``key`` is what ``fresh`` will ask for next time (None: make it every time)."""
        _check_path(path)
        folded = path.casefold()
        if folded == MANIFEST or folded in self._folded:
            raise OutputError(f"two files of the build are both named {path!r}")
        self._folded.add(path if folded == path else folded)  # most paths: no second copy
        self._burst.append((path, data, key))
        self._burst_bytes += len(data)
        if len(self._burst) >= BURST_FILES or self._burst_bytes >= BURST_BYTES:
            self._flush()

    def _keep(self, path: str, entry: Entry) -> None:
        """Carry the previous build's ``path`` over as it is."""
        folded = path.casefold()
        self._folded.add(path if folded == path else folded)
        self._entries[path] = entry
        self.result.unchanged.append(path)
        if self._staging is not None:
            self._link(self._current[path], path)

    def _intact(self, path: str, entry: Entry) -> bool:
        """Whether ``path`` holds what the manifest says loushi wrote there (by its SHA-256)."""
        full = self._current.get(path)
        if full is None:
            return False
        try:
            data = _read(full, entry.size + 1)
        except OSError:
            return False
        return len(data) == entry.size and digest(data) == entry.sha256

    def _flush(self) -> None:
        """Write the files put since the last burst, in the order they were put."""
        burst, self._burst, self._burst_bytes = self._burst, [], 0
        entries = self._entries
        made = self.revisions.made
        for path, data, key in burst:
            entries[path] = (digest(data), len(data), key, made.get(path))
            self._place(path, data)

    def _place(self, path: str, data: bytes) -> None:
        old = self._current.get(path)
        try:  # (not _oserror: a context manager per file costs more than the check)
            if old is not None:
                before = _read(old)
                if before == data:
                    self.result.unchanged.append(path)
                    if self._staging is not None:
                        self._link(old, path)
                    return
                if not self._may_replace(path, before):
                    return
            if self._conflicts:
                return   # the build will stop: write no more
            self.result.written.append(path)
            self._put(path, data)
        except OSError as exc:
            raise _output_error(self.out, exc) from None

    def _may_replace(self, path: str, before: bytes) -> bool:
        """Whether the file at ``path``, holding ``before``, may be replaced or removed: it was
        written by loushi and not edited since, or ``force`` is given (noted in the result)."""
        entry = self.previous.files.get(path)
        if entry is None:
            why = "" if path in self.previous.own else "unknown"
        else:
            why = "" if len(before) == entry.size and digest(before) == entry.sha256 else "edited"
        if why and self.force:
            self.result.forced.append((path, why))
        elif why:
            self._conflicts.append((path, why))
            return False
        return True

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
        result = self.result
        ours = self.previous.own | self.previous.files.keys()
        with _oserror(self.out):
            for path in sorted(self._current):
                if path in self._entries or path == MANIFEST:
                    continue
                if path not in ours:
                    result.kept.append(path)
                elif self._may_replace(path, _read(self._current[path])):
                    result.removed.append(path)
        if self._conflicts:
            raise Conflict(self.out, self._conflicts)
        self._place(MANIFEST, manifest(self._entries, self.build, self.documents))
        result.written.sort()
        result.unchanged.sort()
        result.forced.sort()
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


def _read(path: str, most: int = -1) -> bytes:
    """The bytes of the file at ``path`` (at most ``most`` of them, if given), in one system call
    (a regular file's read gives all it has up to the count; a Python file object costs twice
    as much, and a rebuild reads every file)."""
    handle = os.open(path, os.O_RDONLY | _BINARY)
    try:
        return os.read(handle, os.fstat(handle).st_size + 1 if most < 0 else most)
    finally:
        os.close(handle)


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
