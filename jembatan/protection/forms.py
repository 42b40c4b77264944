"""Forms of the officers' case pages: they parse input; the services decide and refuse."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jembatan.accounts.models import User
from jembatan.protection.models import (
    Case,
    CaseCategory,
    CaseStatus,
    Outcome,
    ReferralKind,
    Severity,
)
from jembatan.protection.rules import pool

EMBASSIES = Path(__file__).resolve().parents[1] / "core" / "data" / "embassies.csv"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})
ANY = [("", _("All"))]


def missions() -> list[tuple[str, str]]:
    """(country, mission) of every Indonesian mission in ``core/data/embassies.csv``."""
    with EMBASSIES.open(encoding="utf-8", newline="") as handle:
        return [(row["country"], row["mission_id"]) for row in csv.DictReader(handle)]


class OwnerField(forms.ModelChoiceField):
    """An officer of the case's level, shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class CaseFilterForm(forms.Form):
    """The list's filters (GET)."""

    status = forms.ChoiceField(label=_("Status"), choices=ANY + CaseStatus.choices, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=ANY + CaseCategory.choices, required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=ANY + Severity.choices, required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)


class TriageForm(forms.Form):
    """Severity and owner: the first response."""

    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    owner = OwnerField(label=_("Owner"), queryset=User.objects.none())
    note = forms.CharField(label=_("Internal note"), widget=TEXT, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = pool(
            case.level, case.province_id
        ).order_by("pk")
        self.initial.setdefault("severity", case.severity)
        self.initial.setdefault("owner", case.owner_id)


class AssignForm(forms.Form):
    """Another officer of the case's level."""

    owner = OwnerField(label=_("New owner"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Why"), widget=TEXT, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = pool(
            case.level, case.province_id
        ).order_by("pk")


class MessageForm(forms.Form):
    """A message to the reporter, or an internal note."""

    message = forms.CharField(label=_("Message"), widget=TEXT)
    public = forms.BooleanField(
        label=_("Send to the reporter (otherwise an internal note)"), required=False
    )


class AttachmentForm(forms.Form):
    """A file (PDF, JPEG or PNG, up to 10 MB)."""

    file = forms.FileField(label=_("File (PDF, JPEG or PNG, up to 10 MB)"))
    public = forms.BooleanField(label=_("Show to the reporter"), required=False)


class ReasonForm(forms.Form):
    """The reason, for a move that needs one (escalate, reopen, withdraw)."""

    reason = forms.CharField(label=_("Reason"), widget=TEXT)


class QuestionForm(forms.Form):
    """The question the reporter is asked."""

    message = forms.CharField(label=_("Question for the reporter"), widget=TEXT)


class OutcomeForm(forms.Form):
    """The outcome and what was done (resolve, close)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—")] + [c for c in Outcome.choices if c[0] != Outcome.WITHDRAWN],
        required=False,
    )
    action_taken = forms.CharField(label=_("What was done"), widget=TEXT, required=False)


class ReferralForm(forms.Form):
    """To whom, what is asked, by when."""

    kind = forms.ChoiceField(label=_("Referred to"), choices=ReferralKind.choices)
    mission_country = forms.ChoiceField(
        label=_("Mission (for an embassy)"),
        choices=lambda: [("", "—"), *missions()],
        required=False,
    )
    recipient = forms.CharField(
        label=_("Recipient (organisation or body)"), max_length=200, required=False
    )
    request = forms.CharField(label=_("What is asked of them"), widget=TEXT)
    due_on = forms.DateField(label=_("Answer due on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("due_on", timezone.localdate() + dt.timedelta(days=14))


class AnswerForm(forms.Form):
    """The answer a referral received."""

    answer = forms.CharField(label=_("Answer received"), widget=TEXT)


class NewCaseForm(forms.Form):
    """A case an officer opens on someone's behalf (the reporter's identity stays confidential)."""

    category = forms.ChoiceField(label=_("Category"), choices=CaseCategory.choices)
    description = forms.CharField(label=_("What happened"), widget=TEXT)
    deployment = forms.CharField(
        label=_("Deployment (DP-000123), if known"), max_length=20, required=False
    )
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=150, required=False)
    reporter_contact = forms.CharField(
        label=_("How to reach the reporter"), max_length=200, required=False
    )
