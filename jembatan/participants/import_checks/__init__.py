"""Check participant rows from a spreadsheet: every cell, every problem, how to fix it.

:func:`~jembatan.participants.import_checks.whole_file.check_file` reads a file
(:mod:`jembatan.core.spreadsheet`), maps its headings (English or Indonesian, any
case or spacing) to the import columns and checks every row, listing *every*
problem with the row as Excel numbers it, the cell, the value, what is wrong and
how to fix it. It writes nothing; :mod:`jembatan.participants.services.importing`
decides what to write.

One module per seam (this file holds no code):

* ``columns``: the import columns, their headings, and mapping a heading row;
* ``problems``: a problem, where it is, and how to fix it;
* ``field_checks``: one cell at a time (name, sex, dates, phone, e-mail, codes);
* ``rows``: one row at a time (:class:`~.rows.RowChecker`), with who may import what
  (:class:`~.rows.Scope`): the NIK, the regency and the sending organisation's licence;
* ``registry``: across rows: the same NIK twice in the file, and NIKs already registered;
* ``whole_file``: reading the file and checking all of it (:func:`~.whole_file.check_file`).

A NIK already in the registry with exactly the same data is "already
registered": not an error, so importing a file twice creates no duplicates.
The same NIK with other data is an error (imports never change records).

Written for 100,000-row files: regions and licences are looked up once per
distinct value and NIKs are compared with the registry in chunks of ``__in``
queries.
"""
