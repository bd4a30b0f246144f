"""Writing files so that no write is lost or torn.

Two kinds of file are written:

* **Files a person owns** (a district config that ``import`` updates, a baseline, a scaffold
  written over an existing file, a config ``migrate`` upgrades in place). ``rewrite(path,
  edit)`` — or ``hold(path)`` for a command that reads and decides in several steps — takes a
  lock on the file from the read to the replace, so two loushi runs never both rewrite it from
  the same old text; writes the new text to a temporary file beside it, flushes it to disk and
  replaces the file atomically; and just before replacing checks that the file is still,
  byte for byte, what was read. If anyone changed it meanwhile (an editor saving it, a tool
  that does not take the lock), nothing is written and ``ChangedMeanwhile`` says so.
* **Outputs** (``route -o``, ``graph -o``, a workbook of ``build -f xlsx``):
  ``write_output(path, data)`` and ``output_file(path)`` write a temporary file beside the
  output and rename it into place, so the output's name never holds a half-written file.

A symbolic link is followed: the file it names is the one replaced, and the link stays. A
place that is not a regular file (``-o /dev/null``, a pipe) is written into as it is: it is
never replaced by a file, locked or read back.

The lock is a file beside the one it guards (``.district.yaml.lock``), taken with the
filelock library; it is removed while still held when the write is done, so no lock file is
left in a consultant's folder (a run that waits on the same name notices the removal and
takes a fresh one). A run killed between writing the temporary file and the replace leaves
the old file as it was, and at most a hidden ``.NAME.PID.XXXXXXXX.tmp`` beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from . import lazy

filelock = lazy.module("filelock")  # a tenth of a second to import: only a run that writes pays it

#: Seconds a run waits for another loushi run to finish writing the same file.
LOCK_WAIT = 300.0


class ChangedMeanwhile(Exception):
    """The file changed between the read and the replace; nothing was written."""

    def __init__(self, path: Path):
        super().__init__(f"{path} was changed after it was read; nothing written")
        self.path = path


class Busy(Exception):
    """Another run held the file's lock for longer than the wait; nothing was written."""

    def __init__(self, path: Path, wait: float):
        super().__init__(f"{path} is being written by another loushi run (waited {wait:g} s)")
        self.path = path
        self.wait = wait


class CannotLock(OSError):
    """The lock beside the file cannot be taken (no such folder, a read-only one)."""


def lock_path(path: str | Path) -> Path:
    """The lock file that guards ``path``: ``.NAME.lock`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


def special(path: str | Path) -> bool:
    """Whether ``path`` is there and is not a regular file (``/dev/null``, a pipe): such a
    place is written into as it is, never replaced by a file, never locked, never read back."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


@dataclass
class Held:
    """A file held under its lock: ``original`` is its bytes when taken (None: it did not exist);
    ``path`` is where it really is (a symbolic link followed)."""

    path: Path
    original: bytes | None
    written: bool = False
    special: bool = False

    def current(self) -> bytes | None:
        if self.special:
            return None
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    def replace(self, data: bytes) -> None:
        """Put ``data`` in the file, atomically, if it is still what was read; else raise
        ``ChangedMeanwhile`` and leave it as it is."""
        if self.special:
            self.path.write_bytes(data)
            self.written = True
            return
        if self.current() != self.original:
            raise ChangedMeanwhile(self.path)
        _replace(self.path, data, keep_mode=self.original is not None)
        self.original = data
        self.written = True


@contextlib.contextmanager
def hold(path: str | Path, wait: float = LOCK_WAIT, on_wait: Callable[[], None] | None = None) -> Iterator[Held]:
    """Hold ``path`` under its lock while the body reads it, decides and (``Held.replace``)
    writes it. ``on_wait`` is called once when another run holds the lock; ``Busy`` is raised
    when it still does after ``wait`` seconds."""
    path = Path(os.path.realpath(path))  # a link is followed: the file it names is the one replaced
    if special(path):
        yield Held(path, None, special=True)
        return
    folder = path.parent
    if not folder.is_dir():  # the lock must not make the folder: nothing is written where none is
        raise CannotLock(errno.ENOENT, "no such folder", str(folder))
    lock = filelock.FileLock(lock_path(path), timeout=wait)
    try:
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            if on_wait is not None:
                on_wait()
            lock.acquire(timeout=wait)
    except filelock.Timeout:
        raise Busy(path, wait) from None
    except OSError as exc:
        raise CannotLock(exc.errno, exc.strerror or str(exc), str(lock_path(path))) from None
    try:
        held = Held(path, None)
        held.original = held.current()
        yield held
    finally:
        with contextlib.suppress(OSError):
            lock_path(path).unlink()  # while still held: a waiting run sees it gone and retries
        lock.release()


def rewrite(path: str | Path, edit: Callable[[bytes | None], bytes | None], wait: float = LOCK_WAIT,
            on_wait: Callable[[], None] | None = None) -> bool:
    """Rewrite the file at ``path`` with ``edit(old bytes or None)``, under its lock, checked and
    atomic (see the module's doc). ``edit`` returns the new bytes, or None to leave the file
    alone. Returns whether the file was written; raises ``ChangedMeanwhile`` or ``Busy``."""
    with hold(path, wait, on_wait) as held:
        new = edit(held.original)
        if new is None or new == held.original:
            return False
        held.replace(new)
        return True


def write_output(path: str | Path, data: bytes) -> None:
    """Write ``data`` to the output ``path`` through a temporary file beside it and a rename
    (into ``path`` itself when it is a device or a pipe)."""
    path = Path(os.path.realpath(path))
    if special(path):
        path.write_bytes(data)
        return
    _replace(path, data, keep_mode=path.exists())


@contextlib.contextmanager
def output_file(path: str | Path, mode: str = "w", **open_args) -> Iterator:
    """An open temporary file beside ``path`` that becomes ``path`` when the body ends without
    an exception (flushed to disk, then renamed); on an exception it is removed."""
    path = Path(os.path.realpath(path))
    if special(path):
        with open(path, mode, **open_args) as out:
            yield out
        return
    handle, temporary = _temporary(path)
    try:
        with open(handle, mode, **open_args) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        _settle(path, Path(temporary), keep_mode=path.exists())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _temporary(path: Path) -> tuple[int, str]:  # ``path``: a real path, its folder there
    """A new hidden file beside ``path``, created with the usual mode for a new file (0666 less
    the umask: unlike ``mkstemp``'s 0600, what a new output or config should get)."""
    for _ in range(100):
        name = str(path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"))
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def _replace(path: Path, data: bytes, keep_mode: bool) -> None:
    handle, temporary = _temporary(path)
    try:
        with open(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _settle(path, Path(temporary), keep_mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _settle(path: Path, temporary: Path, keep_mode: bool) -> None:
    """Give ``temporary`` the mode ``path`` has (when it exists) and rename it into place."""
    if keep_mode:
        with contextlib.suppress(OSError):
            os.chmod(temporary, path.stat().st_mode & 0o7777)
    os.replace(temporary, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (where the system allows opening a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
