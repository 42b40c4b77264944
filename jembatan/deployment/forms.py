"""Forms of the deployment pages: they parse input; the services decide and refuse.

The apprentice's check-in can be answered in Indonesian, English or Japanese:
its labels come from the page's language (id, en: the translation catalogue) or,
for Japanese, from :data:`CHECK_IN_JA` (the interface itself has no Japanese).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jembatan.demand.forms import CostForm, CostFormSet
from jembatan.demand.models import Currency, PayPeriod
from jembatan.demand.rules import CostLine
from jembatan.deployment.models import EarlyReturnReason, StepKind, Wellbeing
from jembatan.deployment.rules import ContractTerms
from jembatan.deployment.selectors import host_companies, supervising_organisations
from jembatan.deployment.services.preparation import DeploymentDetails, StepInput
from jembatan.deployment.services.stay import NewHost
from jembatan.deployment.workflows import DeploymentAction
from jembatan.documents.models import Document

YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: Any, *, initial: Any = None, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=initial, required=required)


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class HostFields(forms.Form):
    """Where the apprentice works and lives abroad, and whom to call there."""

    host_company = forms.ModelChoiceField(label=_("Host company"), queryset=host_companies())
    host_prefecture = forms.CharField(label=_("Prefecture / state / province"), max_length=100)
    host_city = forms.CharField(label=_("City"), max_length=100, required=False)
    host_address = forms.CharField(
        label=_("Address abroad (work and housing)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    host_contact_name = forms.CharField(label=_("Contact at the host company"), max_length=150)
    host_contact_phone = forms.CharField(label=_("Their phone"), max_length=30)
    host_contact_email = forms.EmailField(label=_("Their e-mail"), required=False)


class DeploymentForm(HostFields):
    """Start preparing a confirmed placement's departure."""

    supervising_organisation = forms.ModelChoiceField(
        label=_("Supervising organisation"),
        queryset=supervising_organisations(),
        required=False,
        help_text=_("Japan's technical intern training: the kanri dantai."),
    )
    supervisor_contact_name = forms.CharField(
        label=_("Contact at the supervising organisation"), max_length=150, required=False
    )
    supervisor_contact_phone = forms.CharField(
        label=_("Their phone"), max_length=30, required=False
    )
    planned_departure = _date(_("Planned departure"))
    planned_months = forms.IntegerField(
        label=_("Planned stay (months)"), min_value=1, max_value=120
    )

    def details(self) -> DeploymentDetails:
        return DeploymentDetails(**self.cleaned_data)


class ContractForm(forms.Form):
    """The contract as signed; what the apprentice pays comes in the formset beside it."""

    signed_on = _date(_("Signed on"))
    starts_on = _date(_("Starts on"))
    months = forms.IntegerField(label=_("Length (months)"), min_value=1, max_value=120)
    wage_amount = forms.DecimalField(label=_("Wage"), max_digits=14, decimal_places=2, min_value=1)
    wage_currency = forms.ChoiceField(label=_("Wage currency"), choices=Currency.choices)
    wage_period = forms.ChoiceField(label=_("Wage period"), choices=PayPeriod.choices)
    weekly_hours = forms.IntegerField(label=_("Working hours per week"), min_value=1, max_value=60)
    difference_reason = forms.CharField(
        label=_("Why the contract differs from the job order"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only where it differs: Kemnaker approves the difference before departure."),
    )
    document = forms.ModelChoiceField(
        label=_("Signed contract (document)"), queryset=Document.objects.none(), required=False
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]

    def terms(self, fees: forms.BaseFormSet[CostForm]) -> ContractTerms:
        data = self.cleaned_data
        lines = [
            CostLine(
                **{
                    k: f.cleaned_data[k]
                    for k in ("kind", "description", "amount", "currency", "paid_to")
                }
            )
            for f in fees
            if f.cleaned_data and not f.is_blank()
        ]
        names = (
            "signed_on",
            "starts_on",
            "months",
            "wage_amount",
            "wage_currency",
            "wage_period",
            "weekly_hours",
        )
        return ContractTerms(**{k: data[k] for k in names}, fees=lines)


def fee_formset(
    data: Any, initial: list[dict[str, Any]] | None = None
) -> forms.BaseFormSet[CostForm]:
    """What the apprentice pays, one row per cost (the job order's cost lines)."""
    return CostFormSet(data, prefix="fee", initial=initial)


class ReasonForm(forms.Form):
    """A decision's reason."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


# Which fields of StepForm each step asks for (besides the date, the note and the document).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    StepKind.AGREEMENT: ("reference",),
    StepKind.VISA: ("reference", "expires_on"),
    StepKind.ORIENTATION: ("reference",),
    StepKind.MEDICAL: ("reference", "passed"),
    StepKind.SOCIAL_SECURITY: ("reference",),
    StepKind.INSURANCE: ("reference", "expires_on"),
    StepKind.PASSPORT: ("reference", "expires_on"),
    StepKind.FLIGHT: ("reference",),
}
STEP_LABELS: dict[str, dict[str, Any]] = {
    StepKind.AGREEMENT: {"done_on": _("Signed on"), "reference": _("Agreement number")},
    StepKind.VISA: {"done_on": _("Issued on"), "reference": _("CoE or visa number")},
    StepKind.ORIENTATION: {"done_on": _("Attended on"), "reference": _("Certificate number")},
    StepKind.MEDICAL: {"done_on": _("Examined on"), "reference": _("Clinic and result number")},
    StepKind.SOCIAL_SECURITY: {"done_on": _("Enrolled on"), "reference": _("BPJS card number")},
    StepKind.INSURANCE: {"done_on": _("Enrolled on"), "reference": _("Policy number")},
    StepKind.PASSPORT: {"done_on": _("Issued on"), "reference": _("Passport number")},
    StepKind.FLIGHT: {"done_on": _("Flight date"), "reference": _("Flight number")},
}


class StepForm(forms.Form):
    """One step before departure; only the fields its kind needs are shown."""

    done_on = _date(_("Date"))
    reference = forms.CharField(label=_("Number"), max_length=60, required=False)
    expires_on = _date(_("Valid until"), required=False)
    passed = forms.ChoiceField(label=_("Passed"), choices=YES_NO, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    document = forms.ModelChoiceField(
        label=_("Document"), queryset=Document.objects.none(), required=False
    )

    def __init__(self, *args: Any, kind: str, documents: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        kept = {"done_on", "note", "document", *STEP_FIELDS[kind]}
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]
        for name, label in STEP_LABELS[kind].items():
            self.fields[name].label = label
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]

    def step(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(
            done_on=data["done_on"],
            reference=data.get("reference", ""),
            expires_on=data.get("expires_on"),
            passed=_yes_no(data.get("passed", "")),
            note=data.get("note", ""),
            document=data.get("document"),
        )


class DepartForm(forms.Form):
    """The departure's date (today unless it is recorded late)."""

    departed_on = _date(_("Departed on"), initial=timezone.localdate)


class ArriveForm(forms.Form):
    """The arrival's date."""

    arrived_on = _date(_("Arrived on"), initial=timezone.localdate)


class TransferForm(HostFields):
    """The new host company, when the transfer took effect, and why."""

    transferred_on = _date(_("Transferred on"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def new_host(self) -> NewHost:
        return NewHost(**{k: self.cleaned_data[k] for k in NewHost.__dataclass_fields__})


MOVE_DATE_LABELS: dict[str, Any] = {
    DeploymentAction.REPORT_DIFFICULTY: _("Noticed on"),
    DeploymentAction.RESOLVE_DIFFICULTY: _("Resolved on"),
    DeploymentAction.REPORT_MISSING: _("Last seen on"),
    DeploymentAction.REPORT_FOUND: _("Found on"),
    DeploymentAction.RETURN_EARLY: _("Returned on"),
    DeploymentAction.COMPLETE: _("Completed on"),
}


class MoveForm(forms.Form):
    """A move of the stay: when, why, and for an early return the reason from the list."""

    on = _date(_("Date"), initial=timezone.localdate)
    reason_code = forms.ChoiceField(
        label=_("Why the apprentice returned early"),
        choices=[("", "—"), *EarlyReturnReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, action: DeploymentAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = MOVE_DATE_LABELS[action]
        if action != DeploymentAction.RETURN_EARLY:
            del self.fields["reason_code"]


class StageForm(forms.Form):
    """A stage of the stay done."""

    done_on = _date(_("Done on"), initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note (for an exam: the result)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReportForm(forms.Form):
    """A monitoring report by the sending organisation or the partner."""

    wellbeing = forms.ChoiceField(
        label=_("How is it going?"), choices=Wellbeing.choices, widget=forms.RadioSelect
    )
    paid_in_full = forms.ChoiceField(
        label=_("Wage paid in full and on time?"), choices=YES_NO, required=False
    )
    housing_safe = forms.ChoiceField(
        label=_("Safe and decent housing?"), choices=YES_NO, required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def answers(self, language: str = "id") -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "wellbeing": data["wellbeing"],
            "paid_in_full": _yes_no(data.get("paid_in_full", "")),
            "housing_safe": _yes_no(data.get("housing_safe", "")),
            "note": data.get("note", ""),
            "language": language,
        }


CHECK_IN_LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"), ("ja", "日本語"))
CHECK_IN_JA: dict[str, str] = {
    "wellbeing": "最近の調子はどうですか。",
    "well": "元気です",
    "concerns": "少し心配なことがあります",
    "wrong": "困っています（問題があります）",
    "paid_in_full": "今月の給料は全額、期日どおりに支払われましたか。",
    "housing_safe": "安全に住める場所がありますか。",
    "note": "伝えたいことがあれば書いてください。",
    "yes": "はい",
    "no": "いいえ",
}


class CheckInForm(ReportForm):
    """The apprentice's own check-in, in Indonesian, English or Japanese."""

    def __init__(self, *args: Any, language: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wellbeing"].label = _("How are you doing?")
        self.fields["paid_in_full"].label = _("Was this month's wage paid in full and on time?")
        self.fields["housing_safe"].label = _("Do you have a safe place to live?")
        self.fields["note"].label = _("Anything you want to tell us?")
        if language == "ja":
            self._japanese()

    def _japanese(self) -> None:
        for name in ("wellbeing", "paid_in_full", "housing_safe", "note"):
            self.fields[name].label = CHECK_IN_JA[name]
        self.fields["wellbeing"].choices = [(v, CHECK_IN_JA[v]) for v in Wellbeing.values]  # type: ignore[attr-defined]
        answers = [("", "—"), ("yes", CHECK_IN_JA["yes"]), ("no", CHECK_IN_JA["no"])]
        self.fields["paid_in_full"].choices = answers  # type: ignore[attr-defined]
        self.fields["housing_safe"].choices = answers  # type: ignore[attr-defined]


def check_in_language(value: str | None, page_language: str) -> str:
    """The language the check-in is shown in: the one asked for, else the page's."""
    codes = [code for code, _name in CHECK_IN_LANGUAGES]
    if value in codes:
        return str(value)
    return page_language if page_language in codes else "id"
