"""Demand: job orders from partners abroad, the fee rules they must respect, placements, targets.

Slots filled and open are never stored: they are counted from :class:`Placement`
rows (see selectors.slot_summary). Status changes go through the services,
which follow the table in workflow.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jembatan.participants.models import Education, Sex

MIN_AGE = 18  # Overseas apprentices are adults: no job order may ask for minors.
MAX_CONTRACT_MONTHS = 120


class Currency(models.TextChoices):
    """ISO 4217 codes of the currencies the programme's countries pay and charge in."""

    IDR = "IDR", "IDR — Rupiah"
    JPY = "JPY", "JPY — Yen"
    KRW = "KRW", "KRW — Won"
    TWD = "TWD", "TWD — New Taiwan dollar"
    AUD = "AUD", "AUD — Australian dollar"
    NZD = "NZD", "NZD — New Zealand dollar"
    QAR = "QAR", "QAR — Qatari riyal"
    SAR = "SAR", "SAR — Saudi riyal"
    AED = "AED", "AED — UAE dirham"
    MYR = "MYR", "MYR — Ringgit"
    SGD = "SGD", "SGD — Singapore dollar"
    HKD = "HKD", "HKD — Hong Kong dollar"
    CNY = "CNY", "CNY — Yuan renminbi"
    USD = "USD", "USD — US dollar"
    EUR = "EUR", "EUR — Euro"
    GBP = "GBP", "GBP — Pound sterling"


class Scheme(models.TextChoices):
    """The programme of the destination country a job order belongs to."""

    TITP = "titp", _("Technical Intern Training (Japan)")
    SSW = "ssw", _("Specified Skilled Worker (Japan)")
    ESD = "esd", _("Employment for Skill Development (Japan, from April 2027)")
    EPS = "eps", _("Employment Permit System (Korea)")
    OTHER = "other", _("Other apprenticeship programme")


class Programme(models.TextChoices):
    """A programme within a scheme whose own rules apply (core/data/scheme-rules.csv)."""

    IM_JAPAN = "im_japan", _("IM Japan (government to government)")


class PayPeriod(models.TextChoices):
    """What one wage or allowance amount covers."""

    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")
    ONCE = "once", _("once")


class CostKind(models.TextChoices):
    """What an apprentice may be asked to pay for at home."""

    PLACEMENT_FEE = "placement_fee", _("Placement fee")
    TRAINING = "training", _("Training")
    LANGUAGE_COURSE = "language_course", _("Language course")
    MEDICAL_CHECK = "medical_check", _("Medical check")
    DOCUMENTS = "documents", _("Passport, visa and documents")
    TRAVEL = "travel", _("Travel")
    ACCOMMODATION = "accommodation", _("Accommodation during training")
    INSURANCE = "insurance", _("Insurance")
    ADMINISTRATION = "administration", _("Administration")
    DEPOSIT = "deposit", _("Deposit or guarantee money")
    OTHER = "other", _("Other")


class LanguageTest(models.TextChoices):
    """Language tests a job order may require, with their real score scales (domain.md)."""

    NONE = "", _("No language test required")
    JLPT = "jlpt", _("JLPT (Japanese-Language Proficiency Test)")
    JFT_BASIC = "jft_basic", _("JFT-Basic (Japan Foundation Test for Basic Japanese)")
    EPS_TOPIK = "eps_topik", _("EPS-TOPIK (Korean)")


class JlptLevel(models.TextChoices):
    """JLPT levels, from the easiest (N5) to the hardest (N1)."""

    N5 = "N5", "N5"
    N4 = "N4", "N4"
    N3 = "N3", "N3"
    N2 = "N2", "N2"
    N1 = "N1", "N1"


# Score scales: JFT-Basic reports 10-250 (A2 from 200); EPS-TOPIK is out of 200.
SCORE_SCALES: dict[str, tuple[int, int]] = {
    LanguageTest.JFT_BASIC: (10, 250),
    LanguageTest.EPS_TOPIK: (0, 200),
}


class JobOrderStatus(models.TextChoices):
    """Where a job order is in the ministry's review and in recruitment (workflow.py)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    OPEN = "open", _("Open for recruitment")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


def _score_rule() -> Q:
    """The language requirement is one consistent whole (test, level or score)."""
    none = Q(language_test="", language_min_level="", language_min_score__isnull=True)
    jlpt = Q(
        language_test=LanguageTest.JLPT,
        language_min_level__in=JlptLevel.values,
        language_min_score__isnull=True,
    )
    scored = [
        Q(
            language_test=test,
            language_min_level="",
            language_min_score__gte=low,
            language_min_score__lte=high,
        )
        for test, (low, high) in SCORE_SCALES.items()
    ]
    rule = none | jlpt
    for option in scored:
        rule |= option
    return rule


class JobOrder(models.Model):
    """A partner's request for apprentices: the work, the pay, the costs and the requirements."""

    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner abroad"),
        on_delete=models.PROTECT,
        related_name="job_orders",
    )
    host_company = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_job_orders",
    )
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.CharField(_("programme"), max_length=10, choices=Scheme.choices)
    # Blank: the scheme's own rules apply; IM Japan's are stricter (ages by education).
    programme = models.CharField(
        _("within the programme"),
        max_length=20,
        choices=Programme.choices,
        blank=True,
        default="",
        help_text=_("IM Japan's job orders follow IM Japan's own rules (age, education, tests)."),
    )
    occupation = models.ForeignKey(
        "core.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="job_orders",
    )
    title = models.CharField(_("job title"), max_length=200)
    duties = models.TextField(_("duties"), blank=True)
    slots = models.PositiveIntegerField(_("number of slots"), validators=[MinValueValidator(1)])
    work_prefecture = models.CharField(_("prefecture / state / province of work"), max_length=100)
    work_city = models.CharField(_("city of work"), max_length=100, blank=True)
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CONTRACT_MONTHS)],
    )
    wage_amount = models.DecimalField(_("wage"), max_digits=14, decimal_places=2)
    wage_currency = models.CharField(_("wage currency"), max_length=3, choices=Currency.choices)
    wage_period = models.CharField(
        _("wage period"), max_length=5, choices=PayPeriod.choices, default=PayPeriod.MONTH
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("working hours per week"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Prescribed hours, overtime not included (Japan: at most 40)."),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MinValueValidator(MIN_AGE)]
    )
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    min_education = models.CharField(
        _("minimum education"), max_length=4, choices=Education.choices, blank=True
    )
    language_test = models.CharField(
        _("language test"), max_length=10, choices=LanguageTest.choices, blank=True
    )
    language_min_level = models.CharField(
        _("minimum JLPT level"), max_length=2, choices=JlptLevel.choices, blank=True
    )
    language_min_score = models.PositiveSmallIntegerField(_("minimum score"), null=True, blank=True)
    # SKKNI unit codes (X.000000.000.00) the apprentice must be competent in.
    required_units = models.JSONField(
        _("required competency units (SKKNI)"), default=list, blank=True
    )
    # Other certificates by name (e.g. a BNSP scheme or a national licence).
    required_certificates = models.JSONField(
        _("other required certificates"), default=list, blank=True
    )
    # Protected attribute: set only where the law requires it, and then always with the reason.
    sex_requirement = models.CharField(
        _("sex required"), max_length=1, choices=Sex.choices, blank=True
    )
    sex_requirement_legal_reason = models.TextField(
        _("legal reason for the sex requirement"), blank=True
    )
    interview_dates = models.JSONField(_("interview dates"), default=list, blank=True)
    training_provinces = models.ManyToManyField(
        "core.Region",
        verbose_name=_("provinces of training and recruitment"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobOrderStatus.choices, default=JobOrderStatus.DRAFT
    )
    # Why the order was last returned, closed or cancelled (shown to the partner).
    status_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("job order")
        verbose_name_plural = _("job orders")
        indexes = [
            models.Index(fields=["status", "id"]),
            models.Index(fields=["partner", "status", "id"]),
            models.Index(fields=["country", "status", "id"]),
            models.Index(fields=["occupation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(slots__gte=1), name="job_order_slots_positive"),
            models.CheckConstraint(
                condition=Q(contract_months__gte=1, contract_months__lte=MAX_CONTRACT_MONTHS),
                name="job_order_contract_months_range",
            ),
            models.CheckConstraint(condition=Q(wage_amount__gt=0), name="job_order_wage_positive"),
            models.CheckConstraint(
                condition=Q(wage_currency__regex=r"^[A-Z]{3}$"),
                name="job_order_wage_currency_iso4217",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(min_age__gte=MIN_AGE),
                name="job_order_min_age_adult",
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True)
                | Q(min_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="job_order_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(sex_requirement="") | ~Q(sex_requirement_legal_reason=""),
                name="job_order_sex_requirement_needs_legal_reason",
                violation_error_message=_(
                    "A sex requirement must state the legal reason that requires it."
                ),
            ),
            models.CheckConstraint(
                condition=_score_rule(), name="job_order_language_requirement_consistent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """The number people quote (JO-000123); the id, so it never repeats."""
        return f"JO-{self.pk:06d}" if self.pk else "JO-new"


class Allowance(models.Model):
    """A payment beside the wage (housing, transport, a bonus), as the partner states it."""

    job_order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="allowances")
    name = models.CharField(_("allowance"), max_length=120)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    period = models.CharField(_("period"), max_length=5, choices=PayPeriod.choices)

    class Meta:
        ordering = ["job_order", "id"]
        verbose_name = _("allowance")
        verbose_name_plural = _("allowances")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} {self.currency}"


class ApprenticeCost(models.Model):
    """One cost the apprentice pays at home, to whom and for what (Japan's statement of costs)."""

    job_order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(_("kind of cost"), max_length=20, choices=CostKind.choices)
    description = models.CharField(_("what for"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    paid_to = models.CharField(_("paid to"), max_length=200)

    class Meta:
        ordering = ["job_order", "id"]
        verbose_name = _("cost paid by the apprentice")
        verbose_name_plural = _("costs paid by the apprentice")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="apprentice_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount} {self.currency} → {self.paid_to}"


class FeeRule(models.Model):
    """What an apprentice may be charged for one country and programme, and on which legal basis."""

    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.CharField(_("programme"), max_length=10, choices=Scheme.choices)
    name = models.CharField(_("rule"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    max_total_amount = models.DecimalField(
        _("maximum total the apprentice may pay"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no cap beyond the forbidden items."),
    )
    currency = models.CharField(
        _("currency of the cap"), max_length=3, choices=Currency.choices, default=Currency.IDR
    )
    # CostKind values that may never be charged to the apprentice.
    forbidden_kinds = models.JSONField(_("costs that may not be charged"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["country", "scheme", "-valid_from"]
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "scheme", "valid_from"], name="fee_rule_one_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="fee_rule_valid_to_after_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(max_total_amount__isnull=True) | Q(max_total_amount__gte=0),
                name="fee_rule_cap_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlacementStatus(models.TextChoices):
    """Whether a participant is proposed for, confirmed in, or no longer on a job order."""

    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Placement(models.Model):
    """One participant on one job order; confirmed placements fill its slots."""

    job_order = models.ForeignKey(
        JobOrder, verbose_name=_("job order"), on_delete=models.PROTECT, related_name="placements"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PlacementStatus.choices,
        default=PlacementStatus.PROPOSED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)

    class Meta:
        ordering = ["job_order", "id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [models.Index(fields=["job_order", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["job_order", "participant"],
                condition=~Q(status=PlacementStatus.CANCELLED),
                name="placement_one_live_per_participant_and_job_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlacementStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="placement_cancellation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_order.reference}: {self.participant_id} ({self.status})"


class TargetStage(models.TextChoices):
    """The stages of the journey a target's progress is counted at."""

    REGISTERED = "registered", _("Registered")
    TRAINED = "trained", _("Trained")
    CERTIFIED = "certified", _("Certified")
    SELECTED = "selected", _("Selected")
    DEPARTED = "departed", _("Departed")
    RETURNED = "returned", _("Returned")


class Target(models.Model):
    """How many participants the programme aims for in a year: national, per partner or country."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner abroad"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
    )
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    number = models.PositiveIntegerField(
        _("number of participants"), validators=[MinValueValidator(1)]
    )
    stage = models.CharField(
        _("counted at"),
        max_length=10,
        choices=TargetStage.choices,
        default=TargetStage.DEPARTED,
        help_text=_("The stage whose count is compared with the target."),
    )
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        ordering = ["-year", "partner", "country", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="target_number_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="target_year_range"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(partner__isnull=True, country__isnull=True),
                name="target_one_national_per_year",
            ),
            models.UniqueConstraint(
                fields=["year", "partner"],
                condition=Q(partner__isnull=False, country__isnull=True),
                name="target_one_per_partner_and_year",
            ),
            models.UniqueConstraint(
                fields=["year", "country"],
                condition=Q(partner__isnull=True, country__isnull=False),
                name="target_one_per_country_and_year",
            ),
            models.UniqueConstraint(
                fields=["year", "partner", "country"],
                condition=Q(partner__isnull=False, country__isnull=False),
                name="target_one_per_partner_country_and_year",
            ),
        ]

    def __str__(self) -> str:
        scope = " · ".join(str(s) for s in (self.partner, self.country) if s) or _("National")
        return f"{self.year} {scope}: {self.number}"
