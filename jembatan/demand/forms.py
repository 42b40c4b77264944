"""Forms for job orders, their lines, workflow actions, targets and the public filter.

Forms only check and collect input; the services decide and write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jembatan.core.models import Country, Occupation, Region
from jembatan.demand.models import (
    CostKind,
    Currency,
    JobOrder,
    PayPeriod,
    Scheme,
    Target,
    TargetStage,
)
from jembatan.demand.rules import OCCUPATION_DATASETS, CostLine
from jembatan.demand.selectors import PublicChoices
from jembatan.demand.services.job_orders import JOB_ORDER_FIELDS, AllowanceLine, JobOrderInput
from jembatan.organisations.models import Organisation, OrganisationKind

# The service's fields, less those the form edits as text (units, certificates, dates),
# plus the provinces of training (a many-to-many the form saves itself).
TEXT_EDITED = ("required_units", "required_certificates", "interview_dates")
MODEL_FIELDS = [f for f in JOB_ORDER_FIELDS if f not in TEXT_EDITED] + ["training_provinces"]
SEX_HELP = _(
    "Leave empty. Choose a sex only where the law of the destination country or of Indonesia "
    "requires it for this work, and then name that law below: otherwise selection and matching "
    "must treat women and men alike."
)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class JobOrderForm(forms.ModelForm[JobOrder]):
    """What a partner asks for. The partner field is shown to national officers only."""

    required_units_text = forms.CharField(
        label=_("Required competency units (SKKNI)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One SKKNI unit code per line, e.g. C.100000.001.01."),
    )
    required_certificates_text = forms.CharField(
        label=_("Other required certificates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One certificate per line, e.g. a BNSP certification scheme."),
    )
    interview_dates_text = forms.CharField(
        label=_("Interview dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One date per line (YYYY-MM-DD)."),
    )

    class Meta:
        model = JobOrder
        fields = MODEL_FIELDS
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 3}),
            "sex_requirement_legal_reason": forms.Textarea(attrs={"rows": 2}),
            "training_provinces": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {"sex_requirement": SEX_HELP}

    def __init__(self, *args: Any, partner_fixed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if partner_fixed:
            del fields["partner"]
        else:
            fields["partner"].queryset = Organisation.objects.filter(
                kind=OrganisationKind.PARTNER, archived_at__isnull=True
            )
        fields["host_company"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.HOST_COMPANY, archived_at__isnull=True
        )
        fields["occupation"].queryset = Occupation.objects.filter(
            dataset__code__in=sorted(OCCUPATION_DATASETS), archived_at__isnull=True
        ).select_related("dataset")
        fields["training_provinces"].queryset = Region.objects.filter(level="province")
        fields["country"].initial = "JP"
        if self.instance.pk:
            self._initial_lists(self.instance)

    def _initial_lists(self, job_order: JobOrder) -> None:
        self.initial["required_units_text"] = "\n".join(job_order.required_units)
        self.initial["required_certificates_text"] = "\n".join(job_order.required_certificates)
        self.initial["interview_dates_text"] = "\n".join(job_order.interview_dates)

    def clean_interview_dates_text(self) -> list[str]:
        dates = []
        for line in _lines(self.cleaned_data["interview_dates_text"]):
            try:
                dates.append(dt.date.fromisoformat(line).isoformat())
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date in the form YYYY-MM-DD."), params={"value": line}
                ) from None
        return sorted(set(dates))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("sex_requirement")
            and not (data.get("sex_requirement_legal_reason") or "").strip()
        ):
            self.add_error(
                "sex_requirement_legal_reason",
                _("State the law that requires this sex for the work."),
            )
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values in the shape job_order_create/update take."""
        data = self.cleaned_data
        fields = {k: data[k] for k in MODEL_FIELDS if k in data and k != "training_provinces"}
        fields["required_units"] = _lines(data.get("required_units_text", ""))
        fields["required_certificates"] = _lines(data.get("required_certificates_text", ""))
        fields["interview_dates"] = data.get("interview_dates_text", [])
        return fields


class LineForm(forms.Form):
    """A row of a formset that may stay empty; a half-filled row is an error."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [name for name, value in data.items() if value not in (None, "")]
        if filled and len(filled) < len(self.fields):
            raise forms.ValidationError(_("Fill in every column of this row, or none."))
        return data

    def is_blank(self) -> bool:
        return not any(v not in (None, "") for v in self.cleaned_data.values())


class AllowanceForm(LineForm):
    name = forms.CharField(label=_("Allowance"), max_length=120, required=False)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", "—"), *Currency.choices], required=False
    )
    period = forms.ChoiceField(
        label=_("Period"), choices=[("", "—"), *PayPeriod.choices], required=False
    )


class CostForm(LineForm):
    kind = forms.ChoiceField(
        label=_("Kind of cost"), choices=[("", "—"), *CostKind.choices], required=False
    )
    description = forms.CharField(label=_("What for"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal(0), required=False
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", "—"), *Currency.choices], required=False
    )
    paid_to = forms.CharField(label=_("Paid to"), max_length=200, required=False)


AllowanceFormSet = forms.formset_factory(AllowanceForm, extra=2, max_num=20)
CostFormSet = forms.formset_factory(CostForm, extra=3, max_num=30)


def line_formsets(
    data: Any, job_order: JobOrder | None
) -> tuple[forms.BaseFormSet[AllowanceForm], forms.BaseFormSet[CostForm]]:
    """The allowance and cost formsets, filled from ``job_order`` when editing."""
    allowances = costs = None
    if job_order is not None:
        allowances = list(job_order.allowances.values("name", "amount", "currency", "period"))
        costs = list(job_order.costs.values("kind", "description", "amount", "currency", "paid_to"))
    return (
        AllowanceFormSet(data, prefix="allowance", initial=allowances),
        CostFormSet(data, prefix="cost", initial=costs),
    )


def job_order_input(
    form: JobOrderForm,
    allowances: forms.BaseFormSet[AllowanceForm],
    costs: forms.BaseFormSet[CostForm],
) -> JobOrderInput:
    """The lines of valid formsets, blank rows left out."""
    return JobOrderInput(
        allowances=[
            AllowanceLine(**f.cleaned_data)
            for f in allowances
            if f.cleaned_data and not f.is_blank()
        ],
        costs=[CostLine(**f.cleaned_data) for f in costs if f.cleaned_data and not f.is_blank()],
        training_provinces=list(form.cleaned_data.get("training_provinces") or []),
    )


class ReasonForm(forms.Form):
    """The reason of a workflow action (required where the workflow says so)."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TargetForm(forms.ModelForm[Target]):
    """A target for one year: national, or for a partner and/or a country."""

    class Meta:
        model = Target
        fields = ["year", "partner", "country", "stage", "number", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["partner"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.PARTNER, archived_at__isnull=True
        )
        fields["stage"].initial = TargetStage.DEPARTED

    def validate_unique(self) -> None:
        """Setting a target for a scope that has one changes it (target_set), not an error."""

    def _post_clean(self) -> None:
        """The service validates; the partial unique constraints mean "replace" here."""


class PublicFilterForm(forms.Form):
    """The public list's filters; unknown values simply match nothing."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    occupation = forms.TypedChoiceField(
        label=_("Occupation"), required=False, coerce=int, empty_value=None
    )
    province = forms.ChoiceField(label=_("Province of training"), required=False)

    def __init__(self, *args: Any, choices: PublicChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        anything = [("", "---------")]
        fields["country"].choices = anything + choices.countries
        fields["occupation"].choices = anything + choices.occupations
        fields["province"].choices = anything + choices.provinces


class FeeRuleForm(forms.Form):
    """A new fee rule for a country and programme; the one it replaces ends the day before."""

    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    scheme = forms.ChoiceField(label=_("Programme"), choices=Scheme.choices)
    name = forms.CharField(label=_("Rule"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    valid_from = forms.DateField(label=_("Valid from"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    max_total_amount = forms.DecimalField(
        label=_("Maximum total the apprentice may pay"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("Empty: no cap beyond the forbidden items."),
    )
    currency = forms.ChoiceField(label=_("Currency of the cap"), choices=Currency.choices)
    forbidden_kinds = forms.MultipleChoiceField(
        label=_("Costs that may not be charged"),
        choices=CostKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class FeeRuleCloseForm(forms.Form):
    """End a fee rule on a day, with the reason."""

    valid_to = forms.DateField(label=_("Last day"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    reason = forms.CharField(label=_("Why it ends"), widget=forms.Textarea(attrs={"rows": 2}))
