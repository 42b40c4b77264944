"""A service's refusal lands beside the field it names, the rest above the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from jembatan.core.form_errors import add_errors


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def _form() -> NoteForm:
    form = NoteForm({"note": ""})
    assert form.is_valid()
    return form


def test_a_message_keyed_by_a_field_goes_beside_it() -> None:
    form = _form()
    add_errors(form, ValidationError({"note": ["Say why."], "elsewhere": ["Not a field."]}))
    assert form.errors == {"note": ["Say why."], NON_FIELD_ERRORS: ["Not a field."]}


def test_a_message_without_a_field_goes_above_the_form() -> None:
    form = _form()
    add_errors(form, ValidationError("The round is closed."))
    assert form.non_field_errors() == ["The round is closed."]
