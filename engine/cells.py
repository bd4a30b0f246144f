"""Spreadsheet cells: a value from a config or a ledger never becomes a formula.

Excel and WPS evaluate a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (and, through
their import, a tab or a carriage return before one) when an office opens the file: a unit
named ``=HYPERLINK("http://…","点我")`` would be a live link, an older Office would run a DDE
payload (the OWASP "CSV injection" class). Each spreadsheet writer escapes what it writes:

* ``.xlsx`` (engine/render/writers/xlsx.py) stores every value from the config as a text cell,
  whatever it begins with; the numbers and dates loushi computes stay numbers and dates.
* ``.csv`` (the results of ``loushi route --batch``) has no cell types, so a text value that
  begins with one of :data:`FORMULA_START` is written with a ``'`` in front, as OWASP
  recommends (Excel shows the text without it); numbers loushi computes are written as numbers.
"""

from __future__ import annotations

#: What a cell's text may not begin with: Excel and WPS would read it as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula."""
    return text.startswith(FORMULA_START)


def csv_cell(value):
    """``value`` as a CSV cell: text a spreadsheet would run gets a leading ``'``; anything else
    (a number loushi computed, or harmless text) as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
