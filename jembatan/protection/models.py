"""Protection cases: a report of abuse, its handling, and everything that happened to it.

A :class:`Case` is opened by anyone (the apprentice, family, an organisation, an
officer, or someone without an account, anonymously with a code and a secret of
which only a hash is kept). It names what happened (its category), how serious it
is (severity), whom it is about (the apprentice, the host company, the sending
organisation, the partner abroad), who owns it at which level (provincial office
→ national directorate → director) and its two deadlines, computed from the
versioned table ``core/data/protection-deadlines.csv`` (deadlines.py). Status
changes follow the table in workflows.py; the timeline (:class:`CaseEvent`) is
append-only; a case can be referred (:class:`Referral`) and carries files
(:class:`CaseAttachment`, checked by ``core/uploads.py``).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jembatan.core.encryption import EncryptedTextField
from jembatan.core.models.audit import AppendOnlyModel


class CaseCategory(models.TextChoices):
    """What the report is about (the issue's list; the deadlines table has a row per value)."""

    DISCRIMINATION = "discrimination", _("Discrimination")
    VIOLENCE = "violence", _("Violence")
    SEXUAL_HARASSMENT = "sexual_harassment", _("Sexual harassment")
    OTHER_HARASSMENT = "other_harassment", _("Other harassment or bullying")
    EXPLOITATION = "exploitation", _("Exploitation or forced labour")
    UNPAID_WAGES = "unpaid_wages", _("Unpaid or withheld wages")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    DOCUMENTS_RETAINED = "documents_retained", _("Passport or documents retained")
    EXCESSIVE_FEES = "excessive_fees", _("Excessive fees or debt")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    ACCIDENT = "accident", _("Accident")
    CONTRACT_CHANGED = "contract_changed", _("Contract changed")
    FORCED_RETURN = "forced_return", _("Forced return")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    """How serious the case is; an officer sets it at triage (some categories start high)."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Reported cases of these categories start at high severity before any officer reads them.
STARTS_HIGH = frozenset(
    {
        CaseCategory.VIOLENCE,
        CaseCategory.SEXUAL_HARASSMENT,
        CaseCategory.EXPLOITATION,
        CaseCategory.DOCUMENTS_RETAINED,
        CaseCategory.FORCED_RETURN,
        CaseCategory.ACCIDENT,
    }
)


class CaseStatus(models.TextChoices):
    """Where a case stands (workflows.CASE_WORKFLOW)."""

    REPORTED = "reported", _("Reported")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    REFERRED = "referred", _("Referred")
    AWAITING_REPORTER = "awaiting_reporter", _("Awaiting the reporter")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("protection case", "Withdrawn")


# The statuses in which the case is still being handled: deadlines run, escalation applies.
OPEN = frozenset(
    {
        CaseStatus.REPORTED,
        CaseStatus.TRIAGED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.REFERRED,
        CaseStatus.AWAITING_REPORTER,
    }
)
FINISHED = frozenset({CaseStatus.CLOSED, CaseStatus.WITHDRAWN})


class CaseLevel(models.TextChoices):
    """Who owns the case: each escalation moves it one level up."""

    PROVINCIAL = "provincial", _("Provincial manpower office")
    NATIONAL = "national", _("National directorate")
    DIRECTOR = "director", _("Director")


LEVEL_ORDER = (CaseLevel.PROVINCIAL, CaseLevel.NATIONAL, CaseLevel.DIRECTOR)


class ReporterKind(models.TextChoices):
    """Who reported: their identity is confidential whichever it is."""

    APPRENTICE = "apprentice", _("The apprentice")
    FAMILY = "family", _("Family member")
    SENDING_ORGANISATION = "sending_organisation", _("Sending organisation")
    PARTNER = "partner", _("Partner abroad")
    OFFICER = "officer", _("Officer")
    ANONYMOUS = "anonymous", _("Anonymous")
    OTHER = "other", _("Someone else")


class ReporterLanguage(models.TextChoices):
    """The language the reporter wrote in and reads the answers in."""

    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"
    JAPANESE = "ja", "日本語"


class Outcome(models.TextChoices):
    """What the handling found, recorded when the case is resolved or closed."""

    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    WITHDRAWN = "withdrawn", pgettext_lazy("protection case", "Withdrawn")


class Case(models.Model):
    """One report of a problem abroad (or before departure), and its handling."""

    code = models.CharField(_("case code"), max_length=20, unique=True)
    secret_hash = models.CharField(_("hash of the reporter's secret"), max_length=200, blank=True)
    reporter_kind = models.CharField(_("reported by"), max_length=30, choices=ReporterKind.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_cases",
    )
    # Who reported is as sensitive as what happened: encrypted like the case file (ADR 0015).
    reporter_name = EncryptedTextField(_("reporter's name"), blank=True)
    reporter_contact = EncryptedTextField(_("how to reach the reporter"), blank=True)
    reporter_language = models.CharField(
        _("reporter's language"),
        max_length=2,
        choices=ReporterLanguage.choices,
        default=ReporterLanguage.INDONESIAN,
    )
    category = models.CharField(_("category"), max_length=30, choices=CaseCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = EncryptedTextField(_("what happened"))
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("person concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protection_cases",
    )
    deployment = models.ForeignKey(
        "deployment.Deployment",
        verbose_name=_("deployment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protection_cases",
    )
    host_company = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sending_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protection_cases",
    )
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner abroad"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    level = models.CharField(
        _("level"), max_length=12, choices=CaseLevel.choices, default=CaseLevel.PROVINCIAL
    )
    # The province whose office owns the case at the provincial level (the apprentice's).
    province = models.ForeignKey(
        "core.Region",
        verbose_name=_("owning province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
    )
    reported_at = models.DateTimeField(_("reported at"))
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    deadlines_version = models.CharField(_("deadlines table version"), max_length=20)
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    action_taken = EncryptedTextField(_("what was done"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set by the retention schedule's run, ten years after closing (services/anonymisation.py).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("protection case")
        verbose_name_plural = _("protection cases")
        indexes = [
            models.Index(fields=["status", "id"]),
            models.Index(fields=["province", "status", "id"]),
            models.Index(fields=["owner", "status", "id"]),
            models.Index(fields=["level", "status", "id"]),
            models.Index(fields=["sending_organisation", "status", "category"]),
            models.Index(fields=["participant", "status"]),
            # The escalation run: open cases past a deadline, found without a full scan.
            models.Index(fields=["status", "resolution_due"]),
            models.Index(fields=["status", "first_response_due"]),
            # The retention run: finished cases closed before the schedule's cutoff.
            models.Index(fields=["status", "closed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[CaseStatus.CLOSED, CaseStatus.WITHDRAWN]) | ~Q(outcome=""),
                name="protection_case_finished_has_outcome",
            ),
            models.CheckConstraint(
                # By length: an encrypted column refuses comparisons, and "" is stored as "".
                condition=~Q(status=CaseStatus.CLOSED) | Q(GreaterThan(Length("action_taken"), 0)),
                name="protection_case_closed_says_what_was_done",
            ),
            models.CheckConstraint(
                condition=~Q(level=CaseLevel.PROVINCIAL) | Q(province__isnull=False),
                name="protection_case_provincial_has_province",
            ),
            models.CheckConstraint(
                condition=~Q(reporter_kind=ReporterKind.ANONYMOUS) | Q(reporter__isnull=True),
                name="protection_case_anonymous_has_no_account",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        """Whether the case is still being handled (deadlines run, escalation applies)."""
        return self.status in OPEN

    @property
    def is_anonymised(self) -> bool:
        """Whether the retention schedule removed the narrative and the people's details."""
        return self.anonymised_at is not None

    @property
    def is_anonymous(self) -> bool:
        """Whether the reporter holds only the code and secret (no account)."""
        return self.reporter_kind == ReporterKind.ANONYMOUS

    def current_deadline(self) -> Any:
        """The deadline that applies now: first response until triage, then resolution."""
        if not self.is_open:
            return None
        if self.status == CaseStatus.REPORTED:
            return min(self.first_response_due, self.resolution_due)
        return self.resolution_due

    def is_overdue(self, now: Any = None) -> bool:
        """Whether the deadline that applies now has passed."""
        deadline = self.current_deadline()
        return deadline is not None and deadline < (now or timezone.now())

    def secret_matches(self, secret: str) -> bool:
        """Whether ``secret`` is the reporter's secret (compared by hash; never stored plain)."""
        return bool(self.secret_hash) and check_password(secret, self.secret_hash)


def overdue_filter(now: Any) -> Q:
    """Open cases whose applicable deadline has passed at ``now`` (one indexed filter)."""
    return Q(status__in=sorted(OPEN)) & (
        Q(resolution_due__lt=now) | Q(status=CaseStatus.REPORTED, first_response_due__lt=now)
    )


class EventKind(models.TextChoices):
    """What one line of the timeline records."""

    REPORTED = "reported", _("Reported")
    STATUS = "status", _("Status changed")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Owner changed")
    ESCALATED = "escalated", _("Escalated")
    MESSAGE = "message", _("Message to the reporter")
    REPORTER_MESSAGE = "reporter_message", _("Message from the reporter")
    NOTE = "note", _("Internal note")
    ATTACHMENT = "attachment", _("File added")
    REFERRED = "referred", _("Referred")
    REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    WITHDRAWN = "withdrawn", pgettext_lazy("protection case", "Withdrawn")


class CaseEvent(AppendOnlyModel):
    """One line of a case's timeline; written once, never changed or deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    # Public lines are read by the reporter (in the follow-up page); the rest is internal.
    public = models.BooleanField(_("shown to the reporter"), default=False)
    message = EncryptedTextField(_("message"), blank=True)
    # Plain codes (no choices): this is history, not a status of its own.
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    from_level = models.CharField(_("level before"), max_length=12, blank=True)
    to_level = models.CharField(_("level after"), max_length=12, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # "system:scheduler", an officer's name, or "reporter" (never the anonymous reporter's name).
    by_label = models.CharField(_("by (name at the time)"), max_length=150)
    attachment = models.ForeignKey(
        "CaseAttachment",
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referral = models.ForeignKey(
        "Referral",
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "at"])]

    def _label(self, choices: type[models.TextChoices], code: str) -> str:
        """A stored code in words (a code no longer known shows as it is)."""
        return str(choices(code).label) if code in choices.values else code

    @property
    def from_status_label(self) -> str:
        return self._label(CaseStatus, self.from_status)

    @property
    def to_status_label(self) -> str:
        return self._label(CaseStatus, self.to_status)

    @property
    def from_level_label(self) -> str:
        return self._label(CaseLevel, self.from_level)

    @property
    def to_level_label(self) -> str:
        return self._label(CaseLevel, self.to_level)

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class ReferralKind(models.TextChoices):
    """To whom a case is referred for action or information."""

    PARTNER = "partner", _("Partner abroad")
    EMBASSY = "embassy", _("Indonesian embassy or consulate (KBRI/KJRI)")
    SUPERVISORY_BODY = "supervisory_body", _("Foreign supervisory body (e.g. OTIT)")
    OTHER = "other", _("Other body")


class Referral(models.Model):
    """A case handed to a body that must answer by a date (the partner, KBRI/KJRI, OTIT)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(_("referred to"), max_length=20, choices=ReferralKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The mission's country (core/data/embassies.csv) when referred to an embassy.
    mission_country = models.CharField(_("mission's country"), max_length=2, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200)
    request = EncryptedTextField(_("what is asked"))
    due_on = models.DateField(_("answer due on"))
    referred_at = models.DateTimeField(_("referred at"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = EncryptedTextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answer recorded at"), null=True, blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answer recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["answered_at", "due_on"])]
        constraints = [
            models.CheckConstraint(
                # By length: an encrypted column refuses comparisons, and "" is stored as "".
                condition=Q(answered_at__isnull=True) | Q(GreaterThan(Length("answer"), 0)),
                name="protection_referral_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(kind="embassy") | ~Q(mission_country=""),
                name="protection_referral_embassy_has_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.recipient} (due {self.due_on})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_overdue(self, today: Any = None) -> bool:
        """Whether the answer is late: not answered and the due date is past."""
        return not self.is_answered and self.due_on < (today or timezone.localdate())


def attachment_storage_name(_instance: Any, _filename: str) -> str:
    """A random name under ``protection/``: the reporter's file name never reaches the disk."""
    return f"protection/{secrets.token_hex(20)}"


class CaseAttachment(models.Model):
    """A file added to a case, checked by content (core/uploads.py) before it is stored."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_storage_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type (detected)"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The id of the key the stored file is encrypted under (ADR 0015); "" for a file
    # stored before case files were encrypted, until `jembatan encryption rotate`.
    encryption_key = models.CharField(_("encryption key id"), max_length=16, blank=True)
    # Files from the reporter, and those an officer shares, are shown to the reporter.
    public = models.BooleanField(_("shown to the reporter"), default=False)
    from_reporter = models.BooleanField(_("added by the reporter"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.original_name}"


# --- The cases a licence decision cited (the risk view; issue 12) ------------------------


class SanctionCase(models.Model):
    """A protection case cited by a licence decision taken from the risk view (never public)."""

    decision = models.ForeignKey(
        "organisations.LicenceDecision",
        verbose_name=_("licence decision"),
        on_delete=models.PROTECT,
        related_name="cited_cases",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="cited_by"
    )

    class Meta:
        ordering = ["decision", "case"]
        verbose_name = _("case cited by a licence decision")
        verbose_name_plural = _("cases cited by licence decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "case"], name="protection_sanction_case_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} ← {self.case_id}"
