"""Forms of the ranking, shortlist and interview pages. They collect input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jembatan.core.grids import RowForm
from jembatan.demand.models import JobOrder
from jembatan.selection.models import InterviewDecision


class RoundCloseForm(forms.Form):
    """Close a round; ``version`` refuses a page loaded before the last change."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Note for the record (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ShortlistCreateForm(forms.Form):
    """Choose a job order of the round's partner and how many candidates per vacancy."""

    job_order = forms.ModelChoiceField(label=_("Job order"), queryset=JobOrder.objects.none())
    per_vacancy = forms.IntegerField(
        label=_("Candidates per vacancy"),
        min_value=1,
        max_value=10,
        initial=3,
        help_text=_("How many ranked candidates the partner interviews for each open slot."),
    )

    def __init__(self, *args: Any, job_orders: QuerySet[JobOrder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["job_order"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = job_orders


class DecisionForm(forms.Form):
    """The partner's decision after an interview; ``seen`` is the decision the page showed."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        # No decision preselected: a click on "Save decision" must never accept someone by default.
        choices=[
            ("", _("— choose —")),
            (InterviewDecision.ACCEPTED.value, InterviewDecision.ACCEPTED.label),
            (InterviewDecision.DECLINED.value, InterviewDecision.DECLINED.label),
            (InterviewDecision.ABSENT.value, InterviewDecision.ABSENT.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Note")}),
    )
    seen = forms.ChoiceField(choices=InterviewDecision.choices, widget=forms.HiddenInput)


class DecisionRowForm(RowForm):
    """One shortlisted candidate's row of the decision grid; no decision is preselected."""

    entry_fields = ("decision", "note")
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DecisionForm.base_fields["decision"].choices,  # type: ignore[attr-defined]
        required=False,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    seen = forms.ChoiceField(
        choices=InterviewDecision.choices, widget=forms.HiddenInput, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decision"):
            self.add_error("decision", _("Choose a decision, or clear the note."))
        return data
