"""A service's refusal lands beside the field it names, the rest above the form."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from jembatan.core.refusals import add_errors, attempt


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


def test_attempt_returns_the_service_result_when_nothing_is_refused(rf) -> None:
    request = rf.post("/")
    assert attempt(request, _form(), lambda: 42) == 42


def test_attempt_puts_a_refusal_on_the_form_and_returns_none(rf) -> None:
    form = _form()

    def refuse() -> None:
        raise ValidationError({"note": ["Say why."]})

    assert attempt(rf.post("/"), form, refuse) is None
    assert form.errors == {"note": ["Say why."]}


def test_attempt_without_a_form_puts_the_refusal_in_the_messages(rf) -> None:
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    def deny() -> None:
        raise PermissionDenied("Not yours.")

    assert attempt(request, None, deny) is None
    assert [str(m) for m in get_messages(request)] == ["Not yours."]
