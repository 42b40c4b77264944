"""Forms of the selection pages; they only clean input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jembatan.core.grids import RowForm
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.models import Participant
from jembatan.selection.models import ImpactAssessment, RoundStage, Scoring, StageType
from jembatan.selection.services.rounds import examiner_choices
from jembatan.training.models import Batch, Programme


def score_field(label: Any) -> forms.DecimalField:
    """An optional score on a stage's scale (0 or more, two decimals)."""
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=7, decimal_places=2
    )


def weight_field(**extra: Any) -> forms.DecimalField:
    """A stage's weight in the final score (0 to 100, two decimals)."""
    return forms.DecimalField(
        label=_("weight in the final score"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        **extra,
    )


class RoundForm(forms.Form):
    """A round's name, its partner abroad and (optionally) its training programme."""

    name = forms.CharField(label=_("name"), max_length=200)
    partner = forms.ModelChoiceField(
        label=_("partner abroad"),
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.PARTNER, archived_at__isnull=True
        ).order_by("name"),
    )
    programme = forms.ModelChoiceField(
        label=_("training programme"),
        queryset=Programme.objects.filter(archived_at__isnull=True).order_by("name"),
        required=False,
    )


class StageForm(forms.Form):
    """A stage to add: its type, and the scale for a scored stage (defaults from the type)."""

    stage_type = forms.ModelChoiceField(label=_("stage"), queryset=StageType.objects.none())
    max_score = score_field(_("maximum score"))
    pass_mark = score_field(_("pass mark"))
    weight = weight_field(
        initial=0,
        help_text=_("0 for a pass/fail stage. Empty scale fields take the stage type's defaults."),
    )

    def __init__(self, *args: Any, stage_types: QuerySet[StageType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stage_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = stage_types


class StageScaleForm(forms.Form):
    """A stage's scale: maximum, pass mark, weight."""

    max_score = score_field(_("maximum score"))
    pass_mark = score_field(_("pass mark"))
    weight = weight_field()

    @classmethod
    def of(cls, stage: RoundStage, data: Any = None) -> StageScaleForm:
        """The form filled with the stage's current scale."""
        initial = {
            "max_score": stage.max_score,
            "pass_mark": stage.pass_mark,
            "weight": stage.weight,
        }
        return cls(data, initial=initial)


class ExaminersForm(forms.Form):
    """Who examines a stage."""

    examiners = forms.ModelMultipleChoiceField(
        label=_("examiners"),
        queryset=examiner_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MoveForm(forms.Form):
    """Up or down in the order of stages."""

    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class ImpactAssessmentForm(forms.ModelForm):
    """The round's impact assessment (UU PDP)."""

    class Meta:
        model = ImpactAssessment
        fields = [
            "purpose",
            "data_used",
            "protected_attributes",
            "risks",
            "mitigations",
            "legal_basis",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class ReasonForm(forms.Form):
    """A reason for an action that is always explained."""

    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CandidateFilterForm(forms.Form):
    """Which eligible participants to show on the enrolment page."""

    q = forms.CharField(label=_("name or NIK"), required=False, max_length=150)
    batch = forms.ModelChoiceField(
        label=_("training batch"), queryset=Batch.objects.none(), required=False
    )
    graduates = forms.BooleanField(
        label=_("only graduates of the round's training programme"), required=False
    )

    def __init__(self, *args: Any, batches: QuerySet[Batch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["batch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = batches


class EnrolForm(forms.Form):
    """The participants chosen on the enrolment page (or all that match the filter)."""

    participants = forms.ModelMultipleChoiceField(
        queryset=Participant.objects.none(), required=False
    )
    everyone = forms.BooleanField(required=False)

    def __init__(self, *args: Any, candidates: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = candidates


class ScoreForm(forms.Form):
    """One candidate's result at one stage: a score or pass/fail, a note, a correction reason."""

    candidacy = forms.IntegerField(widget=forms.HiddenInput)
    # The current result the page showed: a result changed meanwhile is refused as stale.
    current = forms.IntegerField(widget=forms.HiddenInput, required=False)
    value = forms.CharField(label=_("score"), required=False, max_length=20)
    passed = forms.TypedChoiceField(
        label=_("result"),
        required=False,
        choices=[("", "—"), ("yes", _("pass")), ("no", _("fail"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
    )
    note = forms.CharField(label=_("note"), required=False, max_length=1000)
    correction_reason = forms.CharField(
        label=_("reason for the correction"), required=False, max_length=1000
    )

    def __init__(self, *args: Any, stage: RoundStage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stage.scoring == Scoring.PASS_FAIL:
            del self.fields["value"]
        else:
            del self.fields["passed"]


class ScoreRowForm(RowForm, ScoreForm):
    """One candidate's row of a stage's score grid (the candidate is the row's key)."""

    entry_fields = ("value", "passed", "note", "correction_reason")

    def __init__(self, *args: Any, stage: RoundStage, **kwargs: Any) -> None:
        super().__init__(*args, stage=stage, **kwargs)
        del self.fields["candidacy"]
        if "value" in self.fields:
            self.fields["value"].widget.attrs |= {"size": 6, "inputmode": "decimal"}


class UploadForm(forms.Form):
    """A spreadsheet of one stage's results."""

    file = forms.FileField(
        label=_("spreadsheet (xlsx, ods or CSV)"),
        help_text=_("Download the template, fill in the results and upload it."),
    )
