"""Grids: many rows entered on one page and saved at once, all or nothing.

A grid page shows an optional header form (what every row shares, such as a
session's date) and one small form per row. Each row form is prefixed
``r<key>-`` with the row's key (an enrolment's, candidacy's or shortlist entry's
id), so a row is found by what it is, never by its position on the page. Rows
left blank are skipped.

The page hands the filled rows to a ``*_many`` service through
:func:`jembatan.core.refusals.attempt`, with the :class:`Grid` in place of a form.
The service writes each row through the same checks as its one-row writer, in
one transaction, with :func:`each_row`: when any row is refused, it raises
:class:`RowsRefused`, the transaction undoes every row, and the grid puts each
refusal on its own row (the other refusals, such as a closed batch, above the
table).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict

from jembatan.core.refusals import add_errors

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")
ROW_NAME = re.compile(r"^r(\d+)-")


class RowsRefused(ValidationError):
    """Rows of a grid that a service refused, each refusal by its row's key; nothing saved."""

    def __init__(self, rows: Mapping[Any, ValidationError]) -> None:
        self.rows = dict(rows)
        super().__init__([message for error in self.rows.values() for message in error.messages])


def each_row(rows: Mapping[K, V], write: Callable[[K, V], T]) -> dict[K, T]:
    """Write every row, each in its own savepoint; raise RowsRefused if any was refused.

    Call it inside the service's transaction: the refusal then undoes the rows
    already written, and every refused row is named (not only the first).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("each_row() runs inside the service's transaction.")
    done: dict[K, T] = {}
    refused: dict[K, ValidationError] = {}
    for key, row in rows.items():
        try:
            with transaction.atomic():
                done[key] = write(key, row)
        except ValidationError as error:
            refused[key] = error
        except PermissionDenied as denied:
            refused[key] = ValidationError(str(denied))
    if refused:
        raise RowsRefused(refused)
    return done


def row_prefix(key: int) -> str:
    """The form prefix of the row with ``key``."""
    return f"r{key}"


def posted_keys(data: Mapping[str, Any]) -> set[int]:
    """The row keys named in a submitted grid (``r<key>-<field>``)."""
    return {int(found.group(1)) for name in data if (found := ROW_NAME.match(name))}


class RowForm(forms.Form):
    """One row of a grid; blank (skipped) when none of ``entry_fields`` was filled in."""

    entry_fields: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        """Nothing typed or chosen in the row's entry fields (hidden fields do not count)."""
        if not self.is_bound:
            return True
        values = (self.data.get(self.add_prefix(name), "") for name in self.entry_fields)
        return not any(str(value).strip() for value in values)

    def full_clean(self) -> None:
        """A blank row is skipped, never an error (even when the page asks for its errors)."""
        if self.is_bound and self.is_blank():
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


@dataclass
class Row(Generic[T]):
    """One row: its key, the record it is about, its form and what the page shows beside it."""

    key: int
    item: T
    form: RowForm
    shown: Any = None


class Grid(Generic[T]):
    """A header form and the row forms, validated together and refused as one form."""

    def __init__(self, rows: Iterable[Row[T]], header: forms.Form | None = None) -> None:
        self.rows = list(rows)
        self.header = header if header is not None else forms.Form(data={})
        self.by_key = {row.key: row for row in self.rows}

    @property
    def fields(self) -> dict[str, forms.Field]:
        """The header's fields: a refusal naming one goes beside it (refusals.add_errors)."""
        return self.header.fields

    def filled(self) -> list[Row[T]]:
        """The rows with something entered, in the page's order."""
        return [row for row in self.rows if not row.form.is_blank()]

    def is_valid(self) -> bool:
        """The header and every filled row are valid (each one checked, to show every error)."""
        results = [self.header.is_valid()] + [row.form.is_valid() for row in self.filled()]
        return all(results)

    def add_error(self, field: str | None, error: Any) -> None:
        """Each row's refusal on its row; anything else on the header."""
        if isinstance(error, RowsRefused):
            for key, refusal in error.rows.items():
                row = self.by_key.get(key)
                add_errors(row.form if row is not None else self.header, refusal)
            return
        self.header.add_error(field if field in self.fields else None, error)

    def non_field_errors(self) -> list[str]:
        """The refusals that name no row and no field of the header."""
        return [str(error) for error in self.header.errors.get(NON_FIELD_ERRORS, [])]

    @property
    def refused(self) -> bool:
        """Whether any row or the header carries an error."""
        return bool(self.header.errors) or any(row.form.errors for row in self.rows)
