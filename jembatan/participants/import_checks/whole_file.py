"""Reading an import file and checking every row of it (:func:`check_file`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from jembatan.core import spreadsheet
from jembatan.core.models import ImportJob
from jembatan.core.spreadsheet import SpreadsheetError
from jembatan.participants.import_checks.columns import map_headings
from jembatan.participants.import_checks.problems import FileRefused, Problem
from jembatan.participants.import_checks.registry import (
    compare_with_registry,
    mark_duplicates_in_file,
)
from jembatan.participants.import_checks.rows import CheckedRow, RowChecker, Scope

PREFERRED_SHEETS = ("Peserta", "Participants", "Data Peserta")
PROGRESS_EVERY = 5000


@dataclass
class Checked:
    """Every row of a file, checked, plus what was noticed about the file itself."""

    rows: list[CheckedRow]
    notes: list[str]
    table: spreadsheet.Table

    @property
    def problems(self) -> Iterator[Problem]:
        """Every problem of every row, in row order."""
        for row in self.rows:
            yield from row.problems

    @property
    def invalid(self) -> list[CheckedRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def new(self) -> list[CheckedRow]:
        """Valid rows not in the registry yet: what a write would create."""
        return [r for r in self.rows if r.ok and not r.existing]


Progress = Callable[[str, int, int], None]


def check_file(path: Path, *, scope: Scope, progress: Progress | None = None) -> Checked:
    """Read and check every row of ``path``; raises FileRefused for an unreadable file."""
    report = progress or (lambda phase, done, total: None)
    try:
        table = spreadsheet.read_table(path, preferred_sheets=PREFERRED_SHEETS)
    except SpreadsheetError as error:
        raise FileRefused(error.message) from error
    start = table.header_index()
    has_default = bool(scope.default_licence or scope.default_organisation_id)
    headings, unknown = map_headings(table.rows[start], licence_optional=has_default)
    checker = RowChecker(headings=headings, scope=scope)
    data = [(i, cells) for i, cells in enumerate(table.rows) if i > start]
    data = [(i, cells) for i, cells in data if not spreadsheet.is_blank_row(cells)]
    rows = []
    for done, (index, cells) in enumerate(data, start=1):
        rows.append(checker.check(index, cells))
        if done % PROGRESS_EVERY == 0:
            report(ImportJob.Phase.CHECKING, done, len(data))
    mark_duplicates_in_file(rows, checker)
    compare_with_registry(rows, checker)
    return Checked(rows=rows, notes=_notes(table, unknown), table=table)


def _notes(table: spreadsheet.Table, unknown: list[str]) -> list[str]:
    notes = []
    if table.sheet:
        notes.append(_("Sheet read: “%(sheet)s”.") % {"sheet": table.sheet})
    if table.hidden_sheets:
        names = ", ".join(table.hidden_sheets)
        notes.append(_("Hidden sheets were not read: %(names)s.") % {"names": names})
    if table.merged_ranges:
        notes.append(
            _(
                "Merged cells (%(ranges)s): only the first cell of a merged area holds a "
                "value, the others read as empty. Unmerge them and fill in every cell."
            )
            % {"ranges": ", ".join(table.merged_ranges[:20])}
        )
    if unknown:
        names = ", ".join(unknown)
        notes.append(_("Columns not recognised and ignored: %(names)s.") % {"names": names})
    return notes
