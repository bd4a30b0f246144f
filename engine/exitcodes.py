"""The exit codes of every loushi command, named (documented in ``loushi --help`` and the README)."""

#: Done, and nothing in the config reached the failing level.
OK = 0
#: The config was read and has findings that fail the command (for validate: at or above
#: ``--fail-on``; schema violations included); for ``diff --exit-code``, something changed.
FINDINGS = 1
#: A file could not be read or parsed as YAML, or the command was used wrongly.
UNUSABLE = 2
#: loushi itself failed (a bug): the message says how to report it.
INTERNAL = 3

HELP = (
    "Exit codes: 0 done, clean; 1 the config has findings that fail the command (validate: at or "
    "above --fail-on, schema violations included); 2 a file could not be read or parsed as YAML, "
    "or the command was used wrongly; 3 an internal error in loushi."
)
