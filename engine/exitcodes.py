"""The exit codes of every loushi command, named (documented in ``loushi --help`` and the README)."""

#: Everything was read and nothing reached ``--fail-on``.
OK = 0
#: The config was read and has findings at or above ``--fail-on`` (schema violations included);
#: for ``diff --exit-code``, something changed.
FINDINGS = 1
#: A file could not be read or parsed as YAML, or the command was used wrongly.
UNUSABLE = 2

HELP = (
    "Exit codes: 0 clean; 1 findings at or above --fail-on (schema violations included); "
    "2 a file could not be read or parsed as YAML, or the command was used wrongly; 3 an internal error."
)
#: loushi itself failed (a bug): the message says how to report it.
INTERNAL = 3
