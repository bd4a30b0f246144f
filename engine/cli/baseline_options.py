"""The ``--baseline`` / ``--write-baseline`` options of ``loushi validate`` (logic: engine.rules.baseline)."""

from __future__ import annotations

import click

from .. import exitcodes, lazy
from ..i18n import language, text
from ..writing import Busy, CannotLock, ChangedMeanwhile

baseline = lazy.module("engine.rules.baseline")


def options(function):
    """Add ``--baseline FILE``, ``--write-baseline FILE`` and ``--prune-baseline`` to a command."""
    function = click.option("--prune-baseline", is_flag=True, default=False,
                            help="With --baseline FILE: rewrite FILE without the entries that match no "
                                 "finding (those the run lists as fixed).")(function)
    function = click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
                            help="Record every current finding in FILE (replacing it); later runs with "
                                 "--baseline FILE fail only on new ones.")(function)
    return click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
                        help="Leave out the findings recorded in FILE: fail only on new ones; list the "
                             "entries that match nothing.")(function)


def apply(report, baseline_file, write_baseline, prune_baseline=False):
    """The report with the baseline applied (or written, or pruned); notes on stderr; exit 2 if
    the file is unusable."""
    if not baseline_file and not write_baseline and not prune_baseline:
        return report
    try:
        report, notes = baseline.settle(report, baseline_file, write_baseline, prune_baseline)
    except baseline.BaselineError as exc:
        error = click.ClickException(exc.text(lang()))
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    except (ChangedMeanwhile, Busy) as exc:
        key = "write.changed" if isinstance(exc, ChangedMeanwhile) else "write.busy"
        error = click.ClickException(text(key, lang(), path=str(exc.path), wait=getattr(exc, "wait", 0)))
        error.exit_code = exitcodes.FINDINGS
        raise error from None
    except CannotLock as exc:
        error = click.ClickException(text("write.failed", lang(), path=str(write_baseline or baseline_file),
                                          reason=exc.strerror or exc))
        error.exit_code = exitcodes.UNUSABLE
        raise error from None
    for key, values in notes:
        click.echo(text(key, lang(), **values), err=True)
    return report


def lang() -> str:
    """The language of the command being run: the global ``--lang``, else the locale's."""
    return language((click.get_current_context().find_root().params or {}).get("lang"))
