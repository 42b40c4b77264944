"""Grids: every row written or none, each refusal on its own row, blank rows skipped."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.grids import Grid, Row, RowForm, RowsRefused, each_row, posted_keys
from jembatan.core.refusals import attempt


class NoteRow(RowForm):
    entry_fields = ("note",)
    note = forms.CharField(required=False, max_length=5)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)


class Header(forms.Form):
    day = forms.CharField()


def _grid(data: dict[str, str] | None) -> Grid[str]:
    rows = [Row(key, f"item {key}", NoteRow(data, prefix=f"r{key}")) for key in (1, 2, 3)]
    return Grid(rows, Header(data))


def _refuse_even(key: int, value: str) -> str:
    if key % 2 == 0:
        raise ValidationError(f"Row {key} refused.")
    return value.upper()


def test_every_row_is_written_when_none_is_refused(db: None) -> None:
    with transaction.atomic():
        assert each_row({1: "a", 3: "b"}, _refuse_even) == {1: "A", 3: "B"}


def test_a_refused_row_names_every_refused_row_and_undoes_the_others(db: None) -> None:
    before = User.objects.count()

    def write(key: int, name: str) -> None:
        UserFactory(username=name)
        if key in (2, 4):
            raise ValidationError({"note": f"Row {key} refused."})

    with pytest.raises(RowsRefused) as refused, transaction.atomic():
        each_row({1: "ani", 2: "bayu", 3: "citra", 4: "dewi"}, write)
    assert sorted(refused.value.rows) == [2, 4]
    assert refused.value.rows[2].message_dict == {"note": ["Row 2 refused."]}
    assert User.objects.count() == before


def test_a_permission_refusal_is_the_rows_refusal(db: None) -> None:
    def deny(key: int, value: str) -> None:
        raise PermissionDenied("Not yours.")

    with pytest.raises(RowsRefused) as refused, transaction.atomic():
        each_row({7: "x"}, deny)
    assert refused.value.rows[7].messages == ["Not yours."]


def test_rows_are_written_only_inside_the_services_transaction() -> None:
    with pytest.raises(RuntimeError):
        each_row({1: "a"}, _refuse_even)


def test_the_keys_of_a_submitted_grid_are_read_from_the_row_prefixes() -> None:
    assert posted_keys({"day": "x", "r12-note": "a", "r12-seen": "", "r7-note": ""}) == {12, 7}


def test_blank_rows_are_skipped_even_with_hidden_fields_filled() -> None:
    grid = _grid({"day": "Monday", "r1-note": "ok", "r2-note": " ", "r2-seen": "5", "r3-note": ""})
    assert [row.key for row in grid.filled()] == [1]
    assert grid.is_valid()


def test_a_blank_row_has_no_errors_even_when_its_form_would_refuse_it() -> None:
    class Required(NoteRow):
        note = forms.CharField(max_length=5)

    row = Required({"r1-note": "", "r1-seen": "3"}, prefix="r1")
    assert row.is_blank() and row.errors == {}


def test_an_invalid_filled_row_makes_the_grid_invalid_and_blank_ones_do_not() -> None:
    grid = _grid({"day": "Monday", "r1-note": "far too long", "r2-note": ""})
    assert not grid.is_valid()
    assert grid.rows[0].form.errors and not grid.rows[1].form.errors


def test_each_refusal_lands_on_its_row_and_the_rest_above_the_table(rf) -> None:
    grid = _grid({"day": "Monday", "r1-note": "a", "r3-note": "b"})
    assert grid.is_valid()
    refusal = RowsRefused({3: ValidationError({"note": "Too late."}), 1: ValidationError("No.")})
    assert attempt(rf.post("/"), grid, lambda: _raise(refusal)) is None
    assert grid.rows[2].form.errors == {"note": ["Too late."]}
    assert grid.rows[0].form.non_field_errors() == ["No."]
    assert grid.non_field_errors() == [] and grid.refused


def test_a_refusal_naming_no_row_goes_above_the_table_or_beside_a_header_field(rf) -> None:
    grid = _grid({"day": "Monday", "r1-note": "a"})
    assert grid.is_valid()
    attempt(rf.post("/"), grid, lambda: _raise(ValidationError("The batch is closed.")))
    attempt(rf.post("/"), grid, lambda: _raise(ValidationError({"day": "Not a session day."})))
    assert grid.non_field_errors() == ["The batch is closed."]
    assert grid.header.errors["day"] == ["Not a session day."]
    assert not grid.rows[0].form.errors


def _raise(error: Exception) -> None:
    raise error
