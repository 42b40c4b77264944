"""The forms of the reporter's side: the public report, the follow-up sign-in, messages and files.

The pages take their language from a choice on the page (Indonesian, English,
Japanese); the forms are built inside that language, so their labels and errors
come out in it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jembatan.core.models import Country
from jembatan.organisations.models import Organisation
from jembatan.organisations.register import register_queryset
from jembatan.protection.models import CaseCategory, ReporterLanguage

LANGUAGES = tuple(ReporterLanguage.values)
MAX_TEXT = 10_000


def page_language(*values: Any) -> str:
    """The first of ``values`` that is a reporter's language (id, en, ja), else Indonesian."""
    for value in values:
        if value in LANGUAGES:
            return str(value)
    return str(settings.LANGUAGE_CODE)


def new_submission() -> uuid.UUID:
    """The hidden token that recognises a second submission of the same report."""
    return uuid.uuid4()


def _honeypot() -> forms.CharField:
    # A field people never see (moved off screen): robots fill it in, and are refused.
    return forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class PublicReportForm(forms.Form):
    """A report by someone without an account; only what happened is required."""

    category = forms.ChoiceField(label=_("What is it about?"), choices=CaseCategory.choices)
    description = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("When and where it happened, who was involved, and what you need now."),
    )
    country = forms.ModelChoiceField(
        label=_("Country where it happened"),
        queryset=Country.objects.exclude(pk="ID").order_by("name_en"),
        required=False,
    )
    host_company = forms.CharField(label=_("Host company (name)"), max_length=200, required=False)
    sending_organisation = forms.ModelChoiceField(
        label=_("Sending organisation (LPK) that sent the apprentice"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("From the public register of licensed organisations."),
    )
    person_concerned = forms.CharField(
        label=_("The person concerned (if it is not you)"),
        max_length=200,
        required=False,
        help_text=_("A name or how to recognise them; leave empty if you prefer."),
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "A phone number, an e-mail address or a messaging account. Leave empty to stay "
            "fully anonymous: you follow the case with the code and secret you will receive."
        ),
    )
    attachment = forms.FileField(
        label=_("A photo or document (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
    )
    website = _honeypot()
    language = forms.ChoiceField(choices=ReporterLanguage.choices, widget=forms.HiddenInput)
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["sending_organisation"]
        field.queryset = register_queryset().order_by("name", "id")

    def is_robot(self) -> bool:
        """The honeypot was filled in."""
        return bool(self.data.get("website"))


class ParticipantReportForm(forms.Form):
    """A report by the signed-in apprentice; whom it concerns comes from their deployment."""

    category = PublicReportForm.base_fields["category"]
    description = PublicReportForm.base_fields["description"]
    attachment = PublicReportForm.base_fields["attachment"]
    language = forms.ChoiceField(
        label=_("Language of the replies"), choices=ReporterLanguage.choices
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)


class FollowUpForm(forms.Form):
    """The case code and the secret the reporter received."""

    code = forms.CharField(
        label=_("Case code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "PK-2026-000123"}),
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=40,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(choices=ReporterLanguage.choices, widget=forms.HiddenInput)

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split()).upper()


class ReporterMessageForm(forms.Form):
    """More information, or the answer to a question, from the reporter."""

    message = forms.CharField(
        label=_("Add information or answer a question"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReporterFileForm(forms.Form):
    """A file the reporter adds to the case."""

    file = forms.FileField(
        label=_("Add a photo or document"), help_text=_("PDF, JPEG or PNG, up to 10 MB.")
    )
