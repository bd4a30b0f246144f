"""``loushi migrate FILE``: rewrite a version-1 district (its main file and every file it
includes) as version 2, in place.

Each file is read and changed with ruamel.yaml's round-trip loader, through the same steps
the gate applies in memory (:func:`engine.migrate.upgrade`), and the change is put back into
the original text (:func:`engine.ledger.yamltext.merge`), so every line the migration does
not touch stays byte for byte as its author wrote it, comments included. A file is written
under its lock, and only if it is still what was read (:mod:`engine.writing`): a file changed
meanwhile is left alone and the run says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import error as ruamel_error

from .. import writing
from ..findings import Finding
from ..i18n import text
from ..ledger.yamltext import dump, merge, yaml_rt
from ..load import load_text
from ..load.sources import read_district
from . import CURRENT, Change, Edit, describe, upgrade, version

#: The editor line of a config, pointing at the schema of version 1.
_SCHEMA_LINE = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=\S*?)(district|fragment)-v1(\.schema\.json)",
                          re.MULTILINE)


class RoundTripEdit(Edit):
    """Edits of ruamel.yaml's round-trip tree: a renamed key keeps its place and its comments."""

    def rename(self, mapping, old, new, value):
        index = list(mapping).index(old)
        comment = mapping.ca.items.pop(old, None) if hasattr(mapping, "ca") else None
        del mapping[old]
        mapping.insert(index, new, value)
        if comment is not None:
            mapping.ca.items[new] = comment


@dataclass
class Outcome:
    """What ``migrate`` did: per file, the changes made (empty: nothing to do); problems that
    stopped it."""

    path: str
    files: dict[str, list[Change]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def migrate_text(original: str, main: bool) -> tuple[str, list[Change]]:
    """``original`` (one file of a version-1 district) as version 2, and the changes made."""
    yaml = yaml_rt(original)
    data = yaml.load(original)
    base = dump(yaml, data)
    changes = upgrade(data, RoundTripEdit(), main=main)
    result = merge(original, base, dump(yaml, data)) if changes else original
    result = _SCHEMA_LINE.sub(lambda m: f"{m.group(1)}{m.group(2)}-v{CURRENT}{m.group(3)}", result, count=1)
    return result, changes


def migrate(path: str | Path, dry_run: bool = False, on_wait=None) -> Outcome:
    """Rewrite the district whose main file is ``path`` (and its included files) as version 2."""
    path = Path(path)
    outcome = Outcome(str(path))
    source = read_district(path)
    if source.fatal or source.data is None or any(f.level == "error" for f in source.findings):
        # a file loushi cannot read as it stands (a duplicate key, a bad include ...) is fixed
        # first: migrating it would decide for its author which of two values is meant
        outcome.problems.extend(f for f in source.findings if f.level == "error")
        return outcome
    found = version(source.data)
    if found == CURRENT:
        return outcome
    if found != 1:
        outcome.problems.append(_problem(source, "migrate.unknown-version", found=found))
        return outcome
    # check every file first: all files are written, or none
    plans = []
    for name in source.files:
        file = Path(name)
        main = file.resolve() == path.resolve()
        raw = file.read_bytes()
        original = raw.decode("utf-8-sig")
        try:
            new, changes = migrate_text(original, main)
        except ruamel_error.YAMLError as exc:  # what loushi's loader read, ruamel's may not
            mark = getattr(exc, "problem_mark", None)
            outcome.problems.append(Finding(name, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                                            "error", "migrate", " / ".join(
                                                text("migrate.unreadable", lang, reason=str(exc).splitlines()[0])
                                                for lang in ("zh", "en")), "", "", ""))
            return outcome
        check = load_text(new, name)
        if check.fatal:
            outcome.problems.extend(check.findings)
            return outcome
        plans.append((file, raw, new, changes))
        outcome.files[name] = changes
    if dry_run:
        return outcome
    for file, raw, new, _changes in plans:
        data = (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + new.encode("utf-8")
        if data == raw:
            continue
        with writing.hold(file, on_wait=on_wait) as held:
            if held.original != raw:
                raise writing.ChangedMeanwhile(held.path)
            held.replace(data)
        outcome.written.append(str(file))
    return outcome


def _problem(source, key: str, **values) -> Finding:
    data = source.data
    where = getattr(data, "kpos", {}).get("loushi")
    line, col = (where[2], where[3]) if where else (source.line, source.col)
    message = " / ".join(text(key, lang, **values) for lang in ("zh", "en"))
    hint = " / ".join(text("migrate.unknown-hint", lang) for lang in ("zh", "en"))
    return Finding(source.path, line, col, "error", "migrate", message, "/loushi", "", hint)


def report(outcome: Outcome, lang: str) -> list[str]:
    """The lines ``loushi migrate`` prints."""
    lines = []
    for name, changes in outcome.files.items():
        for change in changes:
            lines.append(f"{name}: {describe(change, lang)}")
        if not changes:
            lines.append(f"{name}: {text('migrate.file-unchanged', lang)}")
    return lines
