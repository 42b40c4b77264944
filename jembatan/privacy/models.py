"""The UU PDP side of the registry: people's requests about their data, restrictions, breaches."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jembatan.participants.models import Participant
from jembatan.privacy.schedule import period


class RequestKind(models.TextChoices):
    """What a person asks about their own data (UU PDP art. 6 to 11).

    Access (art. 7) is the personal-data export, handed over at once.
    """

    CORRECT = "correct", _("Correct my data")
    DELETE = "delete", _("Delete my data")
    RESTRICT = "restrict", _("Restrict the processing of my data")
    OBJECT = "object", _("Object to the processing of my data")
    WITHDRAW = "withdraw", _("Withdraw a consent")


class RequestStatus(models.TextChoices):
    """Where a rights request stands."""

    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = frozenset({RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS})


class RightsRequest(models.Model):
    """One request of a participant about their personal data, with its deadline and outcome."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="rights_requests",
    )
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    details = models.TextField(_("what and why"))
    # A correction names one field of the record and the value the person says is right.
    field_name = models.CharField(_("field to correct"), max_length=40, blank=True)
    proposed_value = models.CharField(_("the right value"), max_length=300, blank=True)
    consent = models.ForeignKey(
        "participants.Consent",
        verbose_name=_("consent to withdraw"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The person's language when they asked: the outcome is written to them in it.
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due by"))
    deadline_basis = models.CharField(_("legal basis of the deadline"), max_length=300)
    deadline_table = models.CharField(_("deadline table version"), max_length=20)
    # Officers of this province own the request; None: national officers from the start.
    owner_province = models.ForeignKey(
        "core.Region",
        verbose_name=_("owning province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("officer's explanation"), blank=True)
    # What the participant reads: the decision in their language, with the explanation.
    outcome = models.TextField(_("outcome"), blank=True)
    applied_value = models.CharField(_("value written"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        indexes = [
            models.Index(fields=["owner_province", "status", "due_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["participant", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=RequestKind.CORRECT) | ~Q(field_name=""),
                name="rights_request_correction_names_field",
            ),
            models.CheckConstraint(
                condition=~Q(kind=RequestKind.WITHDRAW) | Q(consent__isnull=False),
                name="rights_request_withdrawal_names_consent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=sorted(OPEN_STATUSES))
                | (Q(decided_at__isnull=False) & ~Q(outcome="")),
                name="rights_request_decision_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        """Received or in progress: an officer still has to decide."""
        return self.status in OPEN_STATUSES

    def is_overdue(self, now: dt.datetime) -> bool:
        """Still open after its deadline."""
        return self.is_open and now > self.due_at

    @property
    def field_label(self) -> str:
        """The corrected field's label as the registry shows it ("" for other kinds)."""
        if not self.field_name:
            return ""
        field = Participant._meta.get_field(self.field_name)
        return str(getattr(field, "verbose_name", self.field_name))

    def get_field_name_display(self) -> str:
        """The corrected field in words, as a choice field's label (the personal-data PDF)."""
        return self.field_label


class RestrictionGround(models.TextChoices):
    """Why the processing of a person's data is restricted."""

    RESTRICT = "restrict", _("The person asked to restrict processing (UU PDP art. 11)")
    OBJECT = "object", _("The person objected to processing (UU PDP art. 10)")


class ProcessingRestriction(models.Model):
    """While in force, partners do not see the person and no new training or selection starts.

    What exactly it stops is listed in ``privacy/restrictions.py``.
    """

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="processing_restrictions",
    )
    request = models.ForeignKey(
        RightsRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="restrictions",
    )
    ground = models.CharField(_("ground"), max_length=10, choices=RestrictionGround.choices)
    started_at = models.DateTimeField(_("in force since"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.TextField(_("why it was lifted"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(lifted_at__isnull=True),
                name="one_restriction_in_force_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                name="lifted_restriction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.ground} ({self.started_at:%Y-%m-%d})"

    @property
    def in_force(self) -> bool:
        """Not lifted."""
        return self.lifted_at is None


class Breach(models.Model):
    """A failure of personal-data protection (UU PDP art. 46), from discovery to the notices."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    how = models.TextField(_("how the data were exposed"))
    data_categories = models.JSONField(_("kinds of data exposed"), default=list)
    discovered_at = models.DateTimeField(_("discovered at"))
    due_at = models.DateTimeField(_("notices due by"))
    deadline_basis = models.CharField(_("legal basis of the deadline"), max_length=300)
    measures = models.TextField(_("handling and recovery"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # Which accounts read personal data in which period: the people affected follow from the log.
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("accounts involved"), related_name="+", blank=True
    )
    window_start = models.DateTimeField(_("from"), null=True, blank=True)
    window_end = models.DateTimeField(_("until"), null=True, blank=True)
    affected_found_at = models.DateTimeField(_("people affected found at"), null=True, blank=True)
    unattributed_reads = models.PositiveIntegerField(
        _("reads of lists (people not identifiable)"), default=0
    )
    authority_notified_at = models.DateTimeField(
        _("institution notified at"), null=True, blank=True
    )
    authority_reference = models.CharField(_("notice reference"), max_length=200, blank=True)
    people_notified_at = models.DateTimeField(_("people notified at"), null=True, blank=True)
    people_notice = models.TextField(_("how the people were notified"), blank=True)

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_start__lte=models.F("window_end")),
                name="breach_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def fully_notified(self) -> bool:
        """Both the institution and the people have been told."""
        return self.authority_notified_at is not None and self.people_notified_at is not None


class BreachAffected(models.Model):
    """A participant whose record was read by an account involved in a breach, in its window."""

    breach = models.ForeignKey(
        Breach, verbose_name=_("breach"), on_delete=models.PROTECT, related_name="affected"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="breaches",
    )
    reads = models.PositiveIntegerField(_("reads"))
    first_read_at = models.DateTimeField(_("first read"))
    last_read_at = models.DateTimeField(_("last read"))

    class Meta:
        ordering = ["participant_id"]
        verbose_name = _("person affected by a breach")
        verbose_name_plural = _("people affected by a breach")
        constraints = [
            models.UniqueConstraint(
                fields=["breach", "participant"], name="breach_affected_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.breach_id}: {self.participant_id}"


class RetentionRun(models.Model):
    """One run of the retention schedule: what passed its time, per kind, and what was done.

    A dry run (``dry_run``) changed nothing: its counts and example ids are what
    a real run would have done at that moment.
    """

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_by = models.CharField(_("started by"), max_length=150)
    schedule_version = models.CharField(_("schedule version"), max_length=40)
    schedule_checksum = models.CharField(_("schedule checksum (SHA-256)"), max_length=64)
    # {kind: number}, {kind: [up to 10 ids]}, {kind: [ids refused, with the reason]}
    counts = models.JSONField(_("counts per kind"), default=dict)
    examples = models.JSONField(_("example ids per kind"), default=dict)
    failures = models.JSONField(_("records left, with the reason"), default=list)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}{' (dry run)' if self.dry_run else ''}"


class RetentionErasure(models.Model):
    """A participant anonymised by a retention run because their record passed its time."""

    participant = models.OneToOneField(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="retention_erasure",
    )
    run = models.ForeignKey(
        RetentionRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="erasures"
    )
    rule = models.CharField(_("schedule row"), max_length=40)
    at = models.DateTimeField(_("anonymised at"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("anonymisation by the retention schedule")
        verbose_name_plural = _("anonymisations by the retention schedule")

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.rule}"

    def get_rule_display(self) -> str:
        """The schedule row's kind of record in the active language (the key if unknown)."""
        try:
            return period(self.rule).record(get_language() or settings.LANGUAGE_CODE)
        except KeyError:
            return self.rule


class NoticeAnswer(models.TextChoices):
    """What a person answered to the privacy notice at their first sign-in."""

    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class NoticeConfirmation(models.Model):
    """A person's own answer to the privacy notice at their first sign-in, once.

    An imported person's consent rests on the importer's authority, a person
    registered by staff on the staff's record of it: they confirm themselves
    before their own pages open (``privacy/notice.py``).
    """

    participant = models.OneToOneField(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="notice_confirmation",
    )
    answer = models.CharField(_("answer"), max_length=10, choices=NoticeAnswer.choices)
    text = models.ForeignKey(
        "participants.ConsentText",
        verbose_name=_("notice version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language shown"), max_length=5, choices=settings.LANGUAGES)
    at = models.DateTimeField(_("answered at"))
    consent = models.ForeignKey(
        "participants.Consent",
        verbose_name=_("consent recorded"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.ForeignKey(
        RightsRequest,
        verbose_name=_("request filed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer to the privacy notice")
        verbose_name_plural = _("answers to the privacy notice")

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.answer}"
