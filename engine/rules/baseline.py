"""Baselines: accept the findings a config already has, and fail only on new ones.

``loushi validate --write-baseline FILE`` records every current finding; ``--baseline FILE``
then drops the findings the file records, so a review pipeline fails only on what a change
adds. A finding is recorded by its *fingerprint* — the file (relative to the baseline's
folder), the rule, the target, the config path with list positions blanked, and the message
with line numbers taken out — never by its line, so unrelated edits that shift lines, or insert
an entry above, keep it matched. Fingerprints are counted: if the baseline holds two and the
config now has three, one is new.

The file is JSON, sorted, one entry per fingerprint, so it diffs well in review.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from ..findings import Finding

FORMAT = 1
_INDEX = re.compile(r"/\d+(?=/|$)")
_LINE_REF = re.compile(r"(\.ya?ml):\d+(?::\d+)?")


class BaselineError(Exception):
    """The baseline file cannot be used (missing, unreadable, not a baseline)."""


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
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"{name}: not a loushi baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("loushi-baseline") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{name}: not a loushi baseline (expected {{\"loushi-baseline\": {FORMAT}, "
                            "\"findings\": [...]}); write one with --write-baseline")
    counts: Counter = Counter()
    for index, entry in enumerate(data["findings"]):
        try:
            key = tuple(str(entry[k]) for k in ("file", "rule", "target", "path", "message"))
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{name}: entry {index + 1} is not a baseline entry "
                                "(needs file, rule, target, path, message)") from None
    return counts


def read(path: str | Path) -> Counter:
    """Read a baseline file; raises BaselineError when it cannot be used."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file; create it with --write-baseline {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    return parse(text, str(path))


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


def apply(report, path: str | Path):
    """``report`` with the findings recorded in the baseline at ``path`` taken out.

    Each district's summary counts them under ``baselined``. A district that could not be
    read stays as it is: a baseline never hides a config that cannot be used.
    """
    accepted = read(path)
    folder = Path(path).parent
    districts = []
    for result in report.districts:
        if result.fatal:
            districts.append(result)
            continue
        new, known = split(result.findings, accepted, folder)
        accepted.subtract(record(known, folder))
        summary = dict(result.summary, baselined=len(known))
        districts.append(replace(result, findings=new, summary=summary))
    return replace(report, districts=districts)


def write(report, path: str | Path) -> int:
    """Record every finding of ``report``'s usable districts in a baseline at ``path``; return how many."""
    findings = [f for d in report.districts if not d.fatal for f in d.findings]
    Path(path).write_text(dump(findings, Path(path).parent), encoding="utf-8")
    return len(findings)


def settle(report, read_from: str | Path | None, write_to: str | Path | None):
    """Apply ``--baseline`` / ``--write-baseline`` to a validation report.

    Returns ``(report, note)``: the report without the baselined findings, and
    ``(message key, values)`` for the note the CLI prints. Writing records every current
    finding and then applies the new file, so the run passes unless a config is unusable.
    """
    if read_from and write_to:
        raise BaselineError("give --baseline FILE or --write-baseline FILE, not both")
    if write_to:
        count = write(report, write_to)
        return apply(report, write_to), ("baseline.written", {"count": count, "path": str(write_to)})
    settled = apply(report, read_from)
    matched = sum(d.summary.get("baselined", 0) for d in settled.districts)
    return settled, ("baseline.matched", {"count": matched, "path": str(read_from)})
