"""Forms for matching runs, their decisions and a candidate's ranking of job orders.

Forms only check and collect input; the services decide and write.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jembatan.demand.models import JobOrder
from jembatan.demand.workflows import MATCHABLE
from jembatan.matching.building import Choice
from jembatan.matching.models import Method
from jembatan.selection.models import RoundStatus, SelectionRound


class RoundChoices(forms.ModelMultipleChoiceField):
    """Closed rounds, labelled with their partner."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.partner.name}"


class JobOrderChoices(forms.ModelMultipleChoiceField):
    """Job orders, labelled with their reference, title and partner."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} {obj.title} — {obj.partner.name} ({obj.slots})"


class RunForm(forms.Form):
    """A new run: its name, method, the rounds whose passed candidates form the pool, job orders."""

    name = forms.CharField(label=_("Name"), max_length=200)
    method = forms.ChoiceField(
        label=_("Method"), choices=Method.choices, widget=forms.RadioSelect, initial="optimal"
    )
    rounds = RoundChoices(
        label=_("Selection rounds"),
        queryset=SelectionRound.objects.filter(status=RoundStatus.CLOSED).select_related("partner"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The candidates who passed these closed rounds form the pool."),
    )
    job_orders = JobOrderChoices(
        label=_("Job orders"),
        queryset=JobOrder.objects.filter(status__in=sorted(MATCHABLE))
        .select_related("partner")
        .order_by("pk"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Approved or open job orders with free slots."),
    )


class DiscardForm(forms.Form):
    """Why a finished run is set aside."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PreferenceForm(forms.Form):
    """One rank field per job order the candidate is eligible for (empty: not ranked)."""

    def __init__(self, *args: Any, choices: Sequence[Choice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = [c for c in choices if c.eligible]
        for choice in self.choices:
            job = choice.job_order
            self.fields[f"rank_{job.pk}"] = forms.IntegerField(
                label=f"{job.reference} {job.title} — {job.partner.name}",
                required=False,
                initial=choice.rank,
                widget=forms.NumberInput(attrs={"min": 1, "size": 3}),
            )

    def ranking(self) -> dict[int, int]:
        """``{job order id: rank}`` of the ranked job orders."""
        return {
            c.job_order.pk: self.cleaned_data[f"rank_{c.job_order.pk}"]
            for c in self.choices
            if self.cleaned_data.get(f"rank_{c.job_order.pk}") is not None
        }
