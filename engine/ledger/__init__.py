"""Ledgers: spreadsheets in and out.

In: ``loushi import`` reads the Excel/CSV ledgers a sub-district office keeps (楼宇台账,
企业台账, 人员名册, 党组织台账) and writes or updates the district config (``apply``), through
a documented column mapping (``mapping``). Out: ``export`` writes duty lists and rosters as
Excel workbooks, for ``loushi build --format xlsx``. See docs/ledger.md.
"""
