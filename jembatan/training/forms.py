"""Forms of the training pages; they only clean input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jembatan.core.grids import RowForm
from jembatan.core.models import Occupation
from jembatan.organisations.models import TRAINING_KINDS, Organisation, OrganisationKind
from jembatan.participants.models import Participant
from jembatan.training.models import (
    SKKNI_CODE,
    AssessmentResult,
    AttendanceMark,
    CompetencyUnit,
    Enrolment,
    JlptLevel,
    LanguageTest,
    Programme,
    ProgrammePhase,
    Route,
)
from jembatan.training.services.programmes import PhaseSpec

DATE = forms.DateInput(attrs={"type": "date"})


class CompetencyUnitForm(forms.Form):
    """One SKKNI unit."""

    code = forms.CharField(label=_("SKKNI code"), max_length=15, validators=[SKKNI_CODE])
    title_id = forms.CharField(label=_("title (Indonesian)"), max_length=250)
    title_en = forms.CharField(label=_("title (English)"), max_length=250)
    title_ja = forms.CharField(label=_("title (Japanese)"), max_length=250, required=False)
    hours = forms.IntegerField(label=_("nominal hours"), min_value=1, max_value=1000)


def parse_phases(text: str) -> list[PhaseSpec]:
    """``name | hours | location`` per line, in order."""
    phases = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not parts[1].isdigit() or not parts[0] or not parts[2]:
            raise ValidationError(_("Line %(n)d: write “name | hours | location”.") % {"n": number})
        phases.append(PhaseSpec(name=parts[0], hours=int(parts[1]), location=parts[2]))
    return phases


class ProgrammeForm(forms.Form):
    """A new programme; national staff choose the centre, an operator's is their own."""

    organisation = forms.ModelChoiceField(
        label=_("training centre"),
        queryset=Organisation.objects.filter(kind__in=TRAINING_KINDS, archived_at__isnull=True),
    )
    name = forms.CharField(label=_("name"), max_length=200)
    occupation = forms.ModelChoiceField(
        label=_("occupation"),
        queryset=Occupation.objects.filter(archived_at__isnull=True).select_related("dataset"),
    )
    route = forms.ChoiceField(label=_("route"), choices=Route.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("competency units"),
        queryset=CompetencyUnit.objects.filter(archived_at__isnull=True),
        widget=forms.CheckboxSelectMultiple,
    )
    total_hours = forms.IntegerField(label=_("total hours"), min_value=1, max_value=5000)
    language_hours = forms.IntegerField(label=_("language hours"), min_value=0, max_value=5000)
    capacity = forms.IntegerField(label=_("places per batch"), min_value=1, max_value=500)
    min_attendance_percent = forms.IntegerField(
        label=_("minimum attendance (%)"), min_value=0, max_value=100, initial=80
    )
    language_test = forms.ChoiceField(
        label=_("required language test"), choices=LanguageTest.choices, required=False
    )
    jlpt_level = forms.ChoiceField(
        label=_("minimum JLPT level"),
        choices=[("", "—"), *JlptLevel.choices],
        required=False,
    )
    eps_topik_pass_mark = forms.IntegerField(
        label=_("EPS-TOPIK pass mark"), min_value=0, max_value=200, initial=80
    )
    japanese_on_certificate = forms.BooleanField(
        label=_("certificates also in Japanese"), required=False
    )
    phases = forms.CharField(
        label=_("phases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: name | hours | location, e.g. “Regional phase | 320 | BLK Semarang”. "
            "The hours of the phases add up to the total."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            del self.fields["organisation"]

    def clean_phases(self) -> list[PhaseSpec]:
        return parse_phases(self.cleaned_data.get("phases", ""))


class BatchForm(forms.Form):
    """A new batch of a programme."""

    code = forms.CharField(label=_("batch code"), max_length=40)
    starts_on = forms.DateField(label=_("starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("ends on"), widget=DATE)
    capacity = forms.IntegerField(
        label=_("places"),
        min_value=1,
        required=False,
        help_text=_("Empty: the programme's places per batch."),
    )


class TrainerForm(forms.Form):
    """A trainer of a batch."""

    name = forms.CharField(label=_("name"), max_length=150)
    qualification = forms.CharField(label=_("qualification"), max_length=250)


class EnrolForm(forms.Form):
    """Pick one eligible participant."""

    participant = forms.ModelChoiceField(
        label=_("participant"), queryset=Participant.objects.none()
    )

    def __init__(self, *args: Any, candidates: QuerySet[Participant], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class SessionHeaderForm(forms.Form):
    """One session of a batch: its date, topic, hours and (optionally) its phase."""

    date = forms.DateField(label=_("date"), widget=DATE)
    topic = forms.CharField(label=_("topic"), max_length=200)
    hours = forms.IntegerField(label=_("hours"), min_value=1, max_value=12, initial=8)
    phase = forms.ModelChoiceField(
        label=_("phase"), queryset=ProgrammePhase.objects.none(), required=False
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        phase = self.fields["phase"]
        assert isinstance(phase, forms.ModelChoiceField)
        phase.queryset = programme.phases.all()


class SessionForm(SessionHeaderForm):
    """One session and a mark per enrolled participant (``mark_<enrolment id>``)."""

    def __init__(
        self, *args: Any, programme: Programme, enrolments: list[Enrolment], **kwargs: Any
    ):
        super().__init__(*args, programme=programme, **kwargs)
        for enrolment in enrolments:
            self.fields[f"mark_{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.participant.full_name,
                choices=AttendanceMark.choices,
                initial=AttendanceMark.PRESENT,
                widget=forms.RadioSelect,
            )

    def marks(self) -> dict[int, str]:
        return {
            int(name.removeprefix("mark_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("mark_")
        }


class AttendanceRowForm(RowForm):
    """One participant's row of the attendance grid: a mark and an optional note."""

    entry_fields = ("mark", "note")
    mark = forms.ChoiceField(
        label=_("attendance"), choices=[("", "—"), *AttendanceMark.choices], required=False
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("mark"):
            self.add_error("mark", _("Choose present, absent or excused, or clear the note."))
        return data


class AssessmentForm(forms.Form):
    """The result on one unit."""

    unit = forms.ModelChoiceField(
        label=_("competency unit"), queryset=CompetencyUnit.objects.none()
    )
    result = forms.ChoiceField(label=_("result"), choices=AssessmentResult.choices)
    assessor = forms.CharField(label=_("assessor"), max_length=150)
    assessed_on = forms.DateField(label=_("assessed on"), widget=DATE)
    evidence = forms.CharField(
        label=_("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = programme.units.order_by("code")


class LanguageResultForm(forms.Form):
    """A language result: JLPT by section (two or three), the others one total."""

    test = forms.ChoiceField(label=_("test"), choices=[c for c in LanguageTest.choices if c[0]])
    level = forms.ChoiceField(
        label=_("JLPT level"), choices=[("", "—"), *JlptLevel.choices], required=False
    )
    section_1 = forms.IntegerField(label=_("JLPT section 1"), required=False, min_value=0)
    section_2 = forms.IntegerField(label=_("JLPT section 2"), required=False, min_value=0)
    section_3 = forms.IntegerField(
        label=_("JLPT section 3 (N1-N3 only)"), required=False, min_value=0
    )
    total = forms.IntegerField(label=_("total score (JFT-Basic, EPS-TOPIK)"), required=False)
    tested_on = forms.DateField(label=_("test date"), widget=DATE)

    def sections(self) -> tuple[int, ...]:
        values = [self.cleaned_data.get(f"section_{n}") for n in (1, 2, 3)]
        return tuple(v for v in values if v is not None)


class ReasonForm(forms.Form):
    """Why (withdrawal from a batch, revocation)."""

    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    """Completing a batch: the reason when it is early, the confirmation when anyone fails."""

    early_reason = forms.CharField(
        label=_("reason for completing before the end date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I have checked who will end the batch without a certificate, and why"),
        required=False,
    )


class VerifyForm(forms.Form):
    """A certificate looked up by its number and its holder's name, as printed on it."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=30,
        help_text=_("As printed at the top right, e.g. JBT/2026/000123."),
    )
    holder = forms.CharField(
        label=_("Holder's name"),
        max_length=150,
        help_text=_("As printed on the certificate."),
    )


class CompetencyCertificateForm(forms.Form):
    """An LSP's competency certificate as printed: who, which number, when, which units."""

    lsp = forms.ModelChoiceField(
        label=_("Certification body (LSP)"),
        queryset=Organisation.objects.none(),
        help_text=_("LSPs licensed by BNSP, as the ministry registered them."),
    )
    number = forms.CharField(label=_("Certificate number"), max_length=30)
    issued_on = forms.DateField(
        label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the usual three years."),
    )
    units = forms.MultipleChoiceField(
        label=_("Units certified"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["lsp"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.LSP, archived_at__isnull=True
        ).order_by("name")
        fields["units"].choices = [
            (u.code, f"{u.code} {u.title_id}") for u in programme.units.order_by("code")
        ]
