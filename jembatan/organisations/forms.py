"""Forms for organisations, contact persons and licence decisions.

Forms only parse and check input; the services in ``services/organisations.py`` and
``services/licence_*.py`` write (each action through ``services/licensing.perform_action``).
Each licence action has its form in ``ACTION_FORMS``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jembatan.core.models import Country, Region
from jembatan.organisations.models import LicenceActivity, Organisation
from jembatan.organisations.services.organisations import ORGANISATION_FIELDS
from jembatan.organisations.workflows import LicenceAction

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(forms.ModelForm[Organisation]):
    """An organisation's details as the ministry records them."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "bnsp_licence_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["province"].queryset = Region.objects.filter(level="province")
        fields["region"].queryset = Region.objects.exclude(level="province")
        fields["parent"].queryset = Organisation.objects.filter(archived_at__isnull=True)
        fields["region"].help_text = _("The province follows from the regency or city.")

    def _post_clean(self) -> None:
        """Skip ModelForm's model validation: the service validates and writes."""


class ContactForm(forms.Form):
    """A contact person at an organisation."""

    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, help_text=_("For example 0812-3456-7890.")
    )
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class ConfirmForm(forms.Form):
    """An action that needs no input beyond the click."""


class DecisionForm(forms.Form):
    """Every decision has a reason and may have an attachment."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The grounds of the decision. Summarised on the public register if published."),
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, PNG or JPEG, up to 10 MB)"), required=False
    )


class GrantForm(DecisionForm):
    """Granting: the number and validity of the licence."""

    number = forms.CharField(label=_("Licence number"), max_length=60)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_INPUT)
    valid_to = forms.DateField(label=_("Valid until"), widget=DATE_INPUT)
    field_order = ["number", "valid_from", "valid_to", "reason", "attachment"]


class RenewForm(DecisionForm):
    """Renewing: the new end of validity."""

    valid_to = forms.DateField(label=_("New end of validity"), widget=DATE_INPUT)
    field_order = ["valid_to", "reason", "attachment"]


class SanctionForm(DecisionForm):
    """A sanction may be published on the public register, its attachment too."""

    published = forms.BooleanField(
        label=_("Publish on the public register"),
        required=False,
        help_text=_("The public sees the date, the kind and a summary of the reason."),
    )
    attachment_public = forms.BooleanField(
        label=_("Make the attachment public as well"), required=False
    )


class ImprovementOrderForm(SanctionForm):
    """An improvement order has a deadline."""

    deadline = forms.DateField(label=_("Deadline"), widget=DATE_INPUT)
    field_order = ["deadline", "reason"]


class SuspendForm(SanctionForm):
    """A suspension may be partial: some activities, some destination countries."""

    activities = forms.MultipleChoiceField(
        label=_("Suspended activities"),
        choices=LicenceActivity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to suspend every activity."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Suspended destination countries"),
        queryset=Country.objects.exclude(alpha2="ID"),
        required=False,
        help_text=_("Leave empty for every country."),
    )
    field_order = ["activities", "countries", "reason"]


class RevokeForm(SanctionForm):
    """A revocation bars the organisation from applying again until a date."""

    bar_until = forms.DateField(
        label=_("May not apply again before"),
        widget=DATE_INPUT,
        help_text=_("A new application is refused until this date."),
    )
    field_order = ["bar_until", "reason"]


ACTION_FORMS: dict[LicenceAction, type[forms.Form]] = {
    LicenceAction.SUBMIT: ConfirmForm,
    LicenceAction.START_REVIEW: ConfirmForm,
    LicenceAction.REQUEST_RENEWAL: ConfirmForm,
    LicenceAction.GRANT: GrantForm,
    LicenceAction.REJECT: DecisionForm,
    LicenceAction.RENEW: RenewForm,
    LicenceAction.REFUSE_RENEWAL: DecisionForm,
    LicenceAction.WARN: SanctionForm,
    LicenceAction.ORDER_IMPROVEMENT: ImprovementOrderForm,
    LicenceAction.SUSPEND: SuspendForm,
    LicenceAction.LIFT_SUSPENSION: SanctionForm,
    LicenceAction.REVOKE: RevokeForm,
}


class RegisterSearchForm(forms.Form):
    """The public register's search: a name or licence number, and a province."""

    q = forms.CharField(
        label=_("Organisation name or licence number"), required=False, max_length=100
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Region.objects.filter(level="province"),
        required=False,
        empty_label=_("All provinces"),
    )
