"""Deployment: from a confirmed placement to the plane, then the stay abroad until return.

A :class:`Deployment` follows one confirmed ``demand.Placement``: the host company
and where the apprentice lives and works, the supervising organisation where the
scheme has one, the people to call, the contract, the pre-departure steps, and
after departure the stages of the stay, the monitoring reports, the alerts on
reports not handed in, and every move of its status (:class:`DeploymentEvent`).
Status changes go through the services, which follow the tables in workflows.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jembatan.core.encryption import EncryptedTextField
from jembatan.demand.models import MAX_CONTRACT_MONTHS, Currency, PayPeriod, Scheme
from jembatan.deployment.months import add_months


class DeploymentStatus(models.TextChoices):
    """Where a deployment stands: before departure, abroad, or over (workflows.py)."""

    PREPARING = "preparing", _("Preparing departure")
    DEPARTED = "departed", _("Departed")
    IN_PLACEMENT = "in_placement", _("In placement abroad")
    IN_DIFFICULTY = "in_difficulty", _("In difficulty")
    MISSING = "missing", _("Missing")
    COMPLETED = "completed", _("Completed")
    RETURNED_EARLY = "returned_early", _("Returned early")
    CALLED_OFF = "called_off", _("Called off before departure")


# The statuses of a person who is abroad: monitoring reports are due, alerts are raised.
ABROAD = frozenset(
    {
        DeploymentStatus.DEPARTED,
        DeploymentStatus.IN_PLACEMENT,
        DeploymentStatus.IN_DIFFICULTY,
        DeploymentStatus.MISSING,
    }
)
ENDED = frozenset({DeploymentStatus.COMPLETED, DeploymentStatus.RETURNED_EARLY})


class EarlyReturnReason(models.TextChoices):
    """Why an apprentice came home before the end of the contract (a fixed list, plus text)."""

    COMPANY_CLOSED = "company_closed", _("The host company closed or stopped the training")
    ILLNESS = "illness", _("Illness or injury")
    FAMILY = "family", _("Family emergency at home")
    OWN_WISH = "own_wish", _("The apprentice's own wish")
    DISMISSED = "dismissed", _("Dismissed for misconduct")
    EXAM_FAILED = "exam_failed", _("Skills exam not passed")
    ABUSE = "abuse", _("Abuse, exploitation or a rights violation")
    DISASTER = "disaster", _("Disaster or evacuation")
    OTHER = "other", _("Other reason")


class Deployment(models.Model):
    """One apprentice's departure and stay abroad, on one confirmed placement."""

    placement = models.OneToOneField(
        "demand.Placement",
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="deployment",
    )
    # Copied from the placement so that every scoped list is one indexed filter.
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="deployments",
    )
    job_order = models.ForeignKey(
        "demand.JobOrder",
        verbose_name=_("job order"),
        on_delete=models.PROTECT,
        related_name="deployments",
    )
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner abroad"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sending_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheme = models.CharField(_("programme"), max_length=10, choices=Scheme.choices)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    host_company = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host company"),
        on_delete=models.PROTECT,
        related_name="hosted_deployments",
    )
    host_prefecture = models.CharField(_("prefecture / state / province"), max_length=100)
    host_city = models.CharField(_("city"), max_length=100, blank=True)
    host_address = models.TextField(_("address abroad (work and housing)"))
    host_contact_name = models.CharField(_("contact at the host company"), max_length=150)
    host_contact_phone = models.CharField(_("phone of the host company contact"), max_length=30)
    host_contact_email = models.EmailField(_("e-mail of the host company contact"), blank=True)
    # Japan's technical intern training: the supervising organisation (kanri dantai).
    supervising_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("supervising organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_deployments",
    )
    supervisor_contact_name = models.CharField(
        _("contact at the supervising organisation"), max_length=150, blank=True
    )
    supervisor_contact_phone = models.CharField(
        _("phone of the supervising organisation contact"), max_length=30, blank=True
    )
    planned_departure = models.DateField(_("planned departure"))
    planned_months = models.PositiveSmallIntegerField(
        _("planned stay (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CONTRACT_MONTHS)],
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeploymentStatus.choices,
        default=DeploymentStatus.PREPARING,
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    departed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("departure confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    ended_on = models.DateField(_("stay ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        indexes = [
            models.Index(fields=["status", "id"]),
            models.Index(fields=["sending_organisation", "status", "id"]),
            models.Index(fields=["partner", "status", "id"]),
            models.Index(fields=["participant", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_months__gte=1, planned_months__lte=MAX_CONTRACT_MONTHS),
                name="deployment_planned_months_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[DeploymentStatus.PREPARING, DeploymentStatus.CALLED_OFF])
                | Q(departed_on__isnull=False),
                name="deployment_departed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True) | Q(arrived_on__gte=models.F("departed_on")),
                name="deployment_arrival_after_departure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.participant}"

    @property
    def reference(self) -> str:
        """The number people quote (DP-000123)."""
        return f"DP-{self.pk:06d}" if self.pk else "DP-new"

    @property
    def is_abroad(self) -> bool:
        """Whether the apprentice is abroad now (departed and the stay not over)."""
        return self.status in ABROAD

    @property
    def planned_end(self) -> dt.date:
        """When the planned stay ends, counted from the planned departure."""
        return add_months(self.planned_departure, self.planned_months)


class Contract(models.Model):
    """The apprenticeship contract as signed: pay, hours, length and what the apprentice pays."""

    deployment = models.OneToOneField(Deployment, on_delete=models.PROTECT, related_name="contract")
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    months = models.PositiveSmallIntegerField(
        _("length (months)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CONTRACT_MONTHS)],
    )
    wage_amount = models.DecimalField(_("wage"), max_digits=14, decimal_places=2)
    wage_currency = models.CharField(_("wage currency"), max_length=3, choices=Currency.choices)
    wage_period = models.CharField(_("wage period"), max_length=5, choices=PayPeriod.choices)
    weekly_hours = models.PositiveSmallIntegerField(
        _("working hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # What the apprentice pays at home: [{"kind", "description", "amount", "currency", "paid_to"}].
    fees = models.JSONField(_("costs paid by the apprentice"), default=list, blank=True)
    # How the contract differs from the job order: [{"code": ..., "params": {...}}].
    differences = models.JSONField(_("differences from the job order"), default=list, blank=True)
    difference_reason = models.TextField(_("why the contract differs"), blank=True)
    differences_approved_at = models.DateTimeField(
        _("differences approved at"), null=True, blank=True
    )
    differences_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("differences approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(wage_amount__gt=0), name="contract_wage_positive"),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=MAX_CONTRACT_MONTHS),
                name="contract_months_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deployment_id}: {self.wage_amount} {self.wage_currency}"

    @property
    def ends_on(self) -> dt.date:
        """The last day the contract covers."""
        return add_months(self.starts_on, self.months) - dt.timedelta(days=1)

    @property
    def differences_settled(self) -> bool:
        """No difference from the job order, or the differences approved with a reason."""
        return not self.differences or self.differences_approved_at is not None


class StepKind(models.TextChoices):
    """The steps before departure besides the contract, each with its date and evidence."""

    # UU 13/2003 art. 22: an apprenticeship rests on a written agreement between the
    # apprentice and the organiser; it is not the visa, and not the host's contract.
    AGREEMENT = "agreement", _("Apprenticeship agreement (perjanjian pemagangan) signed")
    VISA = "visa", _("Certificate of eligibility / visa")
    ORIENTATION = "orientation", _("Pre-departure orientation attended")
    MEDICAL = "medical", _("Medical check")
    SOCIAL_SECURITY = "social_security", _("BPJS Ketenagakerjaan enrolment")
    INSURANCE = "insurance", _("Insurance in the destination country")
    PASSPORT = "passport", _("Passport")
    FLIGHT = "flight", _("Flight")


class PreDepartureStep(models.Model):
    """One step before departure as recorded: when, the number on its evidence, who confirmed."""

    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    # Issued, attended, examined, enrolled or flying on.
    done_on = models.DateField(_("date"))
    # CoE or visa number, BPJS card, policy, passport or flight number.
    reference = models.CharField(_("number"), max_length=60, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # The medical step's findings are health data (UU PDP art. 4): encrypted at rest.
    note = EncryptedTextField(_("note"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        ordering = ["deployment", "kind"]
        verbose_name = _("pre-departure step")
        verbose_name_plural = _("pre-departure steps")
        indexes = [models.Index(fields=["kind", "done_on", "reference"])]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "kind"], name="step_one_per_kind"),
            models.CheckConstraint(
                condition=~Q(kind=StepKind.MEDICAL) | Q(passed__isnull=False),
                name="step_medical_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deployment_id}: {self.kind} {self.done_on}"


class StayStage(models.Model):
    """One stage of the stay abroad (lectures, year 1, a skills exam…) and when it is due."""

    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="stages")
    sequence = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=40)
    # Copied from the stay plan (reference data) when the apprentice arrived.
    name_en = models.CharField(_("stage (English)"), max_length=150)
    name_id = models.CharField(_("stage (Indonesian)"), max_length=150)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["deployment", "sequence"]
        verbose_name = _("stage of the stay")
        verbose_name_plural = _("stages of the stay")
        constraints = [
            models.UniqueConstraint(fields=["deployment", "code"], name="stay_stage_one_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.deployment_id}: {self.code} due {self.due_on}"

    def name(self, language: str) -> str:
        """The stage's name in ``language`` (Indonesian unless English is asked for)."""
        return self.name_en if language.startswith("en") else self.name_id


class ReportKind(models.TextChoices):
    """Who reports on an apprentice abroad, each at the rhythm of the scheme."""

    SENDER = "sender", _("Sending organisation's report")
    PARTNER = "partner", _("Partner's report")
    CHECK_IN = "check_in", _("Apprentice's check-in")


class Wellbeing(models.TextChoices):
    """How the apprentice is doing, in the reporter's words."""

    WELL = "well", _("All is well")
    CONCERNS = "concerns", _("Some concerns")
    WRONG = "wrong", _("Something is wrong")


class MonitoringReport(models.Model):
    """One monitoring report or check-in, covering one period of the stay."""

    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    # The period covered: number n of the scheme's rhythm, ending on covers_until.
    period = models.PositiveIntegerField(_("period"))
    covers_until = models.DateField(_("covers the stay until"))
    wellbeing = models.CharField(_("how it is going"), max_length=10, choices=Wellbeing.choices)
    paid_in_full = models.BooleanField(_("wage paid in full and on time"), null=True, blank=True)
    housing_safe = models.BooleanField(_("safe housing"), null=True, blank=True)
    # The apprentice's or reporter's own words: illness, injury, abuse. Encrypted at rest.
    note = EncryptedTextField(_("note"), blank=True)
    language = models.CharField(_("language of the answers"), max_length=5, default="id")
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        indexes = [models.Index(fields=["deployment", "kind", "period"])]
        constraints = [
            models.CheckConstraint(condition=Q(period__gte=1), name="report_period_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.deployment_id}: {self.kind} #{self.period}"


class AlertStatus(models.TextChoices):
    """Who an overdue report has been raised with, or that it arrived since (workflows.py)."""

    RAISED = "raised", _("Raised with the sending organisation")
    ESCALATED = "escalated", _("Escalated to the ministry")
    RESOLVED = "resolved", _("Resolved")


OPEN_ALERTS = frozenset({AlertStatus.RAISED, AlertStatus.ESCALATED})


class MonitoringAlert(models.Model):
    """A monitoring report not handed in by its due date, and who has been told."""

    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(_("was due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.RAISED
    )
    raised_at = models.DateTimeField(_("raised at"))
    # The day of the daily run that raised it: the grace period counts from here.
    raised_on = models.DateField(_("raised on"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The addresses told (by e-mail) when it was raised and when it was escalated.
    notified = models.JSONField(_("told by e-mail"), default=list, blank=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("monitoring alert")
        verbose_name_plural = _("monitoring alerts")
        indexes = [models.Index(fields=["status", "deployment"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "kind", "due_on"], name="alert_one_per_due_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deployment_id}: {self.kind} due {self.due_on} ({self.status})"


class DeploymentEvent(models.Model):
    """One move of a deployment: what happened, when, recorded by whom and why."""

    deployment = models.ForeignKey(Deployment, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("what happened"), max_length=30)
    # Plain codes (no choices): this is append-only history, not a status of its own.
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    happened_on = models.DateField(_("on"))
    recorded_at = models.DateTimeField(_("recorded at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by_label = models.CharField(_("by (name at the time)"), max_length=150)
    reason_code = models.CharField(
        _("reason"), max_length=20, choices=EarlyReturnReason.choices, blank=True
    )
    # Why someone is in difficulty, missing or home early: often health or a crime against
    # them (UU PDP art. 4), so encrypted at rest.
    reason = EncryptedTextField(_("reason"), blank=True)
    host_before = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host company before"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    host_after = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host company after"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("deployment event")
        verbose_name_plural = _("deployment events")
        indexes = [models.Index(fields=["deployment", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.deployment_id}: {self.from_status or '-'} → {self.to_status}"
