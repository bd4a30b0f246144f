"""Baselines: accept the findings a config already has, and fail only on new ones.

``loushi validate --write-baseline FILE`` records every current finding; ``--baseline FILE``
then drops the findings the file records, so a review pipeline fails only on what a change
adds. A finding is recorded by its *fingerprint* — the file (relative to the baseline's
folder), the rule, the target, the config path with list positions blanked, and the message
with line numbers taken out — never by its line, so unrelated edits that shift lines, or insert
an entry above, keep it matched. Fingerprints are counted: if the baseline holds two and the
config now has three, one is new.

The file is JSON, sorted, one entry per fingerprint, so it diffs well in review.

A baseline holds rule findings only. The gate's findings (engine/gate_rules.py: a file that
cannot be read, a schema error, an id used twice, a reference to nothing) are never recorded
and never accepted: a baseline entry naming one is refused at its line (``baseline.gate-rule``),
as a ``rules:`` block naming one is ``not-a-rule``, so that no command answers about a district
the gate rejects, whatever the baseline says.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from .. import i18n
from ..findings import Finding
from ..gate_rules import GATE_RULES
from ..writing import ChangedMeanwhile, rewrite

FORMAT = 1
_INDEX = re.compile(r"/\d+(?=/|$)")
_LINE_REF = re.compile(r"(\.ya?ml):\d+(?::\d+)?")
_KEY_END = re.compile(r"\s*:")


class BaselineError(Exception):
    """The baseline file cannot be used (missing, unreadable, not a baseline, another format)."""

    def __init__(self, key: str, /, **values):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return i18n.text(self.key, lang, **self.values)


def normal_path(path: str) -> str:
    """A config path with list positions blanked: ``/committees/3/posts/0`` → ``/committees/*/posts/*``."""
    return _INDEX.sub("/*", path)


def normal_message(message: str) -> str:
    """A message without the line numbers it quotes (``at a.yaml:12`` → ``at a.yaml``)."""
    return _LINE_REF.sub(r"\1", message)


def fingerprint(item: Finding, file: str) -> tuple[str, str, str, str, str]:
    """What identifies ``item`` across edits; ``file`` is its file as the caller names it."""
    return (file, item.rule, item.target, normal_path(item.path), normal_message(item.message))


def relative_file(file: str, folder: Path) -> str:
    """``file`` relative to ``folder``, with forward slashes (stable across checkouts)."""
    if not file:
        return ""
    return Path(os.path.relpath(os.path.abspath(file), os.path.abspath(folder))).as_posix()


def record(findings: Iterable[Finding], folder: Path) -> Counter:
    """The fingerprints of ``findings``, counted, with files relative to ``folder``."""
    return Counter(fingerprint(f, relative_file(f.file, folder)) for f in findings)


def dump(findings: Iterable[Finding], folder: Path) -> str:
    """The text of a baseline file recording ``findings``."""
    findings = sorted(findings)
    levels: dict[tuple, str] = {}
    for item in findings:
        levels.setdefault(fingerprint(item, relative_file(item.file, folder)), item.level)
    counts = record(findings, folder)
    entries = [{"file": k[0], "rule": k[1], "target": k[2], "path": k[3], "message": k[4],
                "level": levels[k], "count": n} for k, n in sorted(counts.items())]
    return json.dumps({"loushi-baseline": FORMAT, "findings": entries}, ensure_ascii=False, indent=2) + "\n"


def parse(text: str, name: str) -> Counter:
    """The counted fingerprints of a baseline file's text; raises BaselineError if it is not one."""
    counts: Counter = Counter()
    for key, count, _entry in entries(text, name):
        counts[key] += count
    return counts


def entries(text: str, name: str) -> list[tuple[tuple, int, dict]]:
    """Each entry of a baseline file's text: its fingerprint, its count and the entry as written.

    The file's ``loushi-baseline`` names its format; a format this loushi does not read (a newer
    loushi wrote it, or it is not one loushi ever wrote) is refused with what to do.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BaselineError("baseline.invalid-json", path=name, error=str(exc)) from None
    if not isinstance(data, dict) or "loushi-baseline" not in data:
        raise BaselineError("baseline.not-one", path=name, format=FORMAT)
    version = data["loushi-baseline"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BaselineError("baseline.unknown-format", path=name, version=json.dumps(version), format=FORMAT)
    if version > FORMAT:
        raise BaselineError("baseline.newer-format", path=name, version=version, format=FORMAT)
    if not isinstance(data.get("findings"), list):
        raise BaselineError("baseline.not-one", path=name, format=FORMAT)
    found = _READERS[version](data["findings"], name)
    for number, (key, _count, _entry) in enumerate(found):
        if key[1] in GATE_RULES:
            positions = _rule_positions(text)
            line, column = positions[number] if number < len(positions) else (1, 1)
            raise BaselineError("baseline.gate-rule", path=name, line=line, column=column, rule=key[1])
    return found


def _rule_positions(text: str) -> list[tuple[int, int]]:
    """Line and column (1-based) of the ``"rule"`` key of each entry of ``findings``, in order
    (an object two containers deep: the file's object, then its ``findings`` list)."""
    found: list[tuple[int, int]] = []
    depth, index, line, start = 0, 0, 1, 0
    while index < len(text):
        char = text[index]
        if char == "\n":
            line, start = line + 1, index + 1
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == '"':
            end = index + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if depth == 3 and text[index + 1:end] == "rule" and _KEY_END.match(text, end + 1):
                found.append((line, index - start + 1))
            index = end
        index += 1
    return found


def _entries_v1(items: list, name: str) -> list[tuple[tuple, int, dict]]:
    """Format 1 (every baseline so far): ``file``, ``rule``, ``target``, ``path``, ``message``,
    ``level`` and ``count`` (1 when left out)."""
    found = []
    for index, entry in enumerate(items):
        try:
            key = tuple(str(entry[k]) for k in ("file", "rule", "target", "path", "message"))
            found.append((key, int(entry.get("count", 1)), entry))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError("baseline.bad-entry", path=name, number=index + 1) from None
    return found


#: How each format this loushi reads is read; a later format adds its reader here.
_READERS = {1: _entries_v1}


def _text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError("baseline.missing", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError("baseline.unreadable", path=str(path), error=str(exc)) from None


def read(path: str | Path) -> Counter:
    """Read a baseline file; raises BaselineError when it cannot be used."""
    return parse(_text(path), str(path))


def split(findings: Iterable[Finding], accepted: Counter, folder: Path) -> tuple[list[Finding], list[Finding]]:
    """``(new, known)``: the findings the baseline does not account for, and those it does."""
    left = Counter(accepted)
    new, known = [], []
    for item in sorted(findings):
        key = fingerprint(item, relative_file(item.file, folder))
        if left[key] > 0:
            left[key] -= 1
            known.append(item)
        else:
            new.append(item)
    return new, known


@dataclass
class Stale:
    """Baseline entries no finding matched: ``stale`` in files this run checked (the findings are
    fixed, or their words changed), ``unchecked`` in files it did not read (kept, never pruned)."""

    stale: list[tuple[tuple, int]] = field(default_factory=list)
    unchecked: int = 0


def apply(report, path: str | Path):
    """``report`` with the findings recorded in the baseline at ``path`` taken out, and the
    entries that matched nothing (:class:`Stale`).

    Each district's summary counts them under ``baselined``. A district that could not be
    read stays as it is: a baseline never hides a config that cannot be used, and its entries
    count as unchecked, not stale.
    """
    accepted = read(path)
    folder = Path(path).parent
    districts, checked = [], set()
    for result in report.districts:
        if result.fatal:
            districts.append(result)
            continue
        checked.update(relative_file(f, folder) for f in result.files)
        new, known = split(result.findings, accepted, folder)
        accepted.subtract(record(known, folder))
        summary = dict(result.summary, baselined=len(known))
        districts.append(replace(result, findings=new, summary=summary))
    left = Stale()
    for key, count in sorted(accepted.items()):
        if count <= 0:
            continue
        if key[0] in checked:
            left.stale.append((key, count))
        else:
            left.unchecked += count
    return replace(report, districts=districts), left


def prune(path: str | Path, stale: Stale) -> int:
    """Rewrite the baseline at ``path`` without its stale entries; return how many it dropped.

    Only what :func:`apply` found stale is taken out, and only when the file is still the one
    read: a file changed in between is left alone.
    """
    if not stale.stale:
        return 0
    original = _text(path)
    drop = Counter(dict(stale.stale))
    kept = []
    for key, count, entry in entries(original, str(path)):
        gone = min(count, drop[key])
        drop[key] -= gone
        if count - gone > 0:
            kept.append(dict(entry, count=count - gone))
    data = json.loads(original)
    data["findings"] = kept
    _replace_file(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", original)
    return sum(n for _key, n in stale.stale)


def write(report, path: str | Path) -> int:
    """Record every finding of ``report``'s usable districts in a baseline at ``path``; return how many.

    The gate's findings are not recorded (a baseline cannot accept them; see the module).
    Written under its lock, atomically (``_replace_file``): ``baseline.changed`` if someone
    changed it while it was held, ``writing.Busy`` if another run held it too long."""
    findings = [f for d in report.districts if not d.fatal for f in d.findings if f.rule not in GATE_RULES]
    _replace_file(path, dump(findings, Path(path).parent), None)
    return len(findings)


def _replace_file(path: str | Path, text: str, expected: str | None) -> None:
    """Replace the file at ``path`` with ``text`` at once (a reader sees the old file or the new one).

    ``expected`` is the text the caller read; when the file no longer holds it, nothing is written.
    This is the one place baselines are written, through ``engine.writing.rewrite``: the file is
    held under its lock from the check to the replace, flushed to disk, and replaced only if it
    is still byte for byte what was checked (else ``baseline.changed``); ``writing.Busy`` when
    another run holds it too long.
    """
    def edit(old: bytes | None) -> bytes:
        if expected is not None and (old is None or _normal(old) != expected):
            raise BaselineError("baseline.changed", path=str(path))
        return text.encode("utf-8")

    try:
        rewrite(path, edit)
    except ChangedMeanwhile:
        raise BaselineError("baseline.changed", path=str(path)) from None


def _normal(raw: bytes) -> str:
    """A file's bytes as ``read_text`` gives its text (line ends made ``\\n``)."""
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def settle(report, read_from: str | Path | None, write_to: str | Path | None, prune_stale: bool = False):
    """Apply ``--baseline`` / ``--write-baseline`` (and ``--prune-baseline``) to a validation report.

    Returns ``(report, notes)``: the report without the baselined findings, and a list of
    ``(message key, values)`` for the notes the CLI prints. Writing records every current
    finding and then applies the new file, so the run passes unless a config is unusable.
    """
    if read_from and write_to:
        raise BaselineError("baseline.both")
    if prune_stale and not read_from:
        raise BaselineError("baseline.prune-alone")
    if write_to:
        count = write(report, write_to)
        settled, _stale = apply(report, write_to)
        notes = [("baseline.written", {"count": count, "path": str(write_to)})]
        gate = sum(1 for d in report.districts if not d.fatal for f in d.findings if f.rule in GATE_RULES)
        if gate:
            notes.append(("baseline.gate-not-recorded", {"count": gate}))
        return settled, notes
    settled, stale = apply(report, read_from)
    matched = sum(d.summary.get("baselined", 0) for d in settled.districts)
    notes = [("baseline.matched", {"count": matched, "path": str(read_from)})]
    if stale.stale:
        total = sum(n for _key, n in stale.stale)
        if prune_stale:
            prune(read_from, stale)
            notes.append(("baseline.pruned", {"count": total, "path": str(read_from)}))
        else:
            notes.append(("baseline.stale", {"count": total, "path": str(read_from)}))
        notes += [("baseline.stale-entry", {"file": k[0], "rule": k[1], "target": k[2] or "—",
                                            "times": f" ×{n}" if n > 1 else ""}) for k, n in stale.stale]
    if stale.unchecked:
        notes.append(("baseline.unchecked", {"count": stale.unchecked}))
    return settled, notes
