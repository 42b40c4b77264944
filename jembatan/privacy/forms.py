"""Forms of the privacy pages: a request, an officer's decision, the breach register."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jembatan.accounts.models import User
from jembatan.participants.forms import ParticipantForm
from jembatan.participants.models import Consent
from jembatan.privacy.outcomes import field_label
from jembatan.privacy.processing import CATEGORIES
from jembatan.privacy.services.requests import CLEARABLE, CORRECTABLE

DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def moment_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    """A date and time, typed in the browser's own picker."""
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def text_area(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequestForm(forms.Form):
    """What the participant asks (the kind is chosen on the page before)."""

    details = text_area(
        _("What do you ask for, and why?"),
        help_text=_("An officer reads this. Do not write passwords or other people's data."),
    )


class CorrectionRequestForm(RequestForm):
    """A correction names one part of the record and what it should say."""

    field_name = forms.ChoiceField(label=_("Part of your record to correct"), choices=())
    proposed_value = forms.CharField(
        label=_("What it should say"),
        max_length=300,
        help_text=_("E.g. the right date of birth, or the new phone number."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "---------")] + [(name, field_label(name)) for name in CORRECTABLE]
        self.fields["field_name"].choices = choices  # type: ignore[attr-defined]
        self.order_fields(["field_name", "proposed_value", "details"])


class WithdrawalRequestForm(RequestForm):
    """A withdrawal names one of the person's standing consents."""

    consent = forms.ModelChoiceField(
        label=_("Consent to withdraw"), queryset=Consent.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, consents: QuerySet[Consent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consent"]
        field.queryset = consents  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"{c.get_purpose_display()} (v{c.text.version})"
        )
        self.order_fields(["consent", "details"])


class CompleteForm(forms.Form):
    """An officer carries the request out; a correction's value is typed like the registry's."""

    note = text_area(
        _("Explanation for the person"),
        required=False,
        help_text=_("Optional; the person reads it with the outcome."),
    )


def complete_form(field_name: str, data: Any = None, initial: Any = None) -> CompleteForm:
    """The officer's form; for a correction, a ``value`` field shaped like the record's field."""
    form = CompleteForm(data, initial=initial)
    if field_name:
        value = copy.deepcopy(ParticipantForm.base_fields[field_name])
        value.label = _("Value to write")
        value.required = field_name not in CLEARABLE
        value.help_text = _("Check it against the evidence; it is written to the record as it is.")
        form.fields = {"value": value, **form.fields}
    return form


class RefuseForm(forms.Form):
    """Why the request is refused; the person reads it."""

    reason = text_area(_("Reason for the person"))


class LiftForm(forms.Form):
    """Why a restriction is lifted."""

    reason = text_area(_("Why is the restriction lifted?"))


class BreachForm(forms.Form):
    """A failure of protection as the national administrator first records it."""

    title = forms.CharField(label=_("Title"), max_length=200)
    discovered_at = moment_field(_("Discovered at"))
    description = text_area(_("What happened"))
    how = text_area(
        _("How the data were exposed"), help_text=_("E.g. an officer's password was stolen.")
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Kinds of data exposed"),
        choices=[(c.code, c.label) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
    )
    measures = text_area(_("Handling and recovery so far"), required=False)


class AffectedForm(forms.Form):
    """Which accounts read personal data in which period."""

    accounts = forms.CharField(
        label=_("Accounts involved"),
        max_length=2000,
        help_text=_("User names, separated by commas or spaces."),
    )
    window_start = moment_field(_("From"))
    window_end = moment_field(_("Until"))

    def clean_accounts(self) -> list[User]:
        names = sorted({n for n in self.cleaned_data["accounts"].replace(",", " ").split() if n})
        users = list(User.objects.filter(username__in=names))
        unknown = sorted(set(names) - {u.username for u in users})
        if unknown:
            raise forms.ValidationError(
                _("No account is named %(names)s.") % {"names": ", ".join(unknown)}
            )
        return users


class AuthorityNoticeForm(forms.Form):
    """The written notice to the institution."""

    at = moment_field(_("Sent at"))
    reference = forms.CharField(label=_("Letter or reference number"), max_length=200)
    measures = text_area(_("Handling and recovery, as the notice says"))


class PeopleNoticeForm(forms.Form):
    """The written notice to the people affected."""

    at = moment_field(_("Sent at"))
    how = text_area(_("How the people were told"))


class NoticeRefusalForm(forms.Form):
    """Why the person does not accept the privacy notice (optional)."""

    details = text_area(
        _("Why do you not accept it? (optional)"),
        required=False,
        help_text=_("An officer reads this. Do not write passwords or other people's data."),
    )
