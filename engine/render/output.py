"""Output discipline: safe file names, and an atomic, minimal write of a whole output folder.

``write_tree(files, out)`` writes every file of a build into a temporary folder beside
``out`` and then swaps it in, so a build that fails or is interrupted leaves the previous
output as it was. A file whose bytes did not change is carried over as a hard link (same
inode, same mtime: not rewritten); when nothing changed at all, nothing is touched. Files a
person put into the output folder are carried over too; a generated file never replaces one.
``manifest.json`` lists what loushi wrote, with a digest of each file.
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

MANIFEST = "manifest.json"
#: Longest file-name stem, in characters (a CJK character takes 3 of a file system's 255 bytes).
MAX_STEM = 60
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


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
    name = re.sub(r"\s+", " ", name)[:MAX_STEM].rstrip(" .")
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


def manifest(files: dict[str, bytes]) -> bytes:
    """The manifest of a build: every file with its size and SHA-256, sorted by path."""
    entries = [{"path": path, "sha256": digest(data), "size": len(data)} for path, data in sorted(files.items())]
    return (json.dumps({"generator": "loushi", "files": entries}, ensure_ascii=False, indent=2) + "\n").encode()


def check_paths(files: dict[str, bytes]) -> None:
    """Refuse any relative path that could leave the output folder."""
    for path in files:
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


def existing_files(out: Path) -> dict[str, Path]:
    result = {}
    for root, dirs, files in os.walk(out):
        dirs.sort()
        for name in sorted(files):
            full = Path(root) / name
            result[full.relative_to(out).as_posix()] = full
    return result


def write_tree(files: dict[str, bytes], out: Path) -> WriteResult:
    """Make ``out`` hold exactly ``files`` (plus any file a person put there), atomically;
    builds into one folder at the same time take turns."""
    files = {**files, MANIFEST: manifest(files)}
    check_paths(files)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out.parent):
            _recover(out)
            return _write(files, out)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}; check that the folder is writable "
                          "and the disk has room") from None


@contextmanager
def _locked(folder: Path):
    """Hold an exclusive lock on ``folder`` (POSIX; elsewhere no lock)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without locks (some network ones): go on unlocked
        yield
    finally:
        os.close(handle)


def _recover(out: Path) -> None:
    """Clear what an interrupted build left beside ``out``: its staging folders, and the
    previous folder if it was killed between moving it aside and moving the new one in."""
    pattern = f".{glob.escape(out.name)}.{'?' * 8}"  # as tempfile.mkdtemp names them in _swap
    leftovers = sorted(out.parent.glob(pattern + ".old"), key=lambda p: p.stat().st_mtime)
    if leftovers and not out.exists():
        os.replace(leftovers.pop(), out)
    for stale in leftovers + sorted(out.parent.glob(pattern + ".new")):
        shutil.rmtree(stale, ignore_errors=True)


def _write(files: dict[str, bytes], out: Path) -> WriteResult:
    ours = previous(out)
    current = existing_files(out) if ours is not None else {}
    result = _compare(files, current, ours or set())
    if not result.written and not result.removed:
        return result
    _swap(files, current, result, out)
    return result


def _compare(files: dict[str, bytes], current: dict[str, Path], ours: set[str]) -> WriteResult:
    result = WriteResult()
    for path, data in sorted(files.items()):
        old = current.get(path)
        if old is not None and path not in ours:
            raise OutputError(f"{old} was not written by loushi; move it away or choose another output folder")
        same = old is not None and old.stat().st_size == len(data) and old.read_bytes() == data
        (result.unchanged if same else result.written).append(path)
    for path in sorted(current):
        if path not in files:
            (result.removed if path in ours else result.kept).append(path)
    return result


def _swap(files: dict[str, bytes], current: dict[str, Path], result: WriteResult, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
    try:
        for path in result.written:
            _put(staging / path, files[path])
        for path in result.unchanged + result.kept:
            _link(current[path], staging / path)
        _replace(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _put(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)  # no fsync per file: the swap, not the disk cache, is what keeps a build atomic


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


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
