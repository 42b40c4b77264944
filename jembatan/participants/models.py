"""The registry: apprentices, their identity and where they are in the journey."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Sex as recorded on the identity card (KTP)."""

    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    """Highest completed education (Indonesian levels)."""

    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA)")
    SMK = "smk", _("Vocational high school (SMK)")
    D1 = "d1", _("Diploma 1")
    D2 = "d2", _("Diploma 2")
    D3 = "d3", _("Diploma 3")
    S1 = "s1", _("Bachelor (S1/D4)")
    S2 = "s2", _("Master (S2)")


class MaritalStatus(models.TextChoices):
    """Marital status: protected, recorded only for a job order that lawfully needs it."""

    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class EmergencyRelation(models.TextChoices):
    """How the emergency contact is related to the participant."""

    PARENT = "parent", _("Parent")
    SPOUSE = "spouse", _("Spouse")
    SIBLING = "sibling", _("Brother or sister")
    CHILD = "child", _("Child")
    RELATIVE = "relative", _("Other relative")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other")


class JourneyStatus(models.TextChoices):
    """Where a participant is on the journey of domain.md."""

    REGISTERED = "registered", _("Registered")
    VERIFIED = "verified", _("Verified")
    IN_TRAINING = "in_training", _("In training")
    CERTIFIED = "certified", _("Certified")
    IN_SELECTION = "in_selection", _("In selection")
    SELECTED = "selected", _("Selected")
    MATCHED = "matched", _("Matched")
    CONTRACTED = "contracted", _("Contracted / visa")
    DEPARTED = "departed", _("Departed")
    IN_PLACEMENT = "in_placement", _("In placement")
    COMPLETED = "completed", _("Completed and returned")
    RETURNED_EARLY = "returned_early", _("Returned early")
    ALUMNUS = "alumnus", _("Alumnus")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


class Participant(models.Model):
    """One apprentice (peserta magang), identified by NIK."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    regency = models.ForeignKey(
        "core.Region",
        verbose_name=_("regency/city"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the regency so provincial scoping is one indexed filter.
    province = models.ForeignKey(
        "core.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.CharField(_("district (kecamatan)"), max_length=100, blank=True)
    village = models.CharField(_("village (kelurahan/desa)"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(
        _("education"), max_length=4, choices=Education.choices, blank=True
    )
    # Protected attribute (domain.md): never collected by the registration forms,
    # never shown in lists, never used by selection or matching unless a job
    # order's lawful requirement says so. The selection issue decides how it is
    # asked for and shown; until then it stays empty. NULL means "never asked",
    # which is the normal state and must stay distinguishable from an answer.
    marital_status = models.CharField(  # noqa: DJ001
        _("marital status"),
        max_length=10,
        choices=MaritalStatus.choices,
        null=True,
        blank=True,
        db_comment="Protected attribute: only where a job order lawfully requires it.",
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=150, blank=True)
    emergency_contact_relation = models.CharField(
        _("relation"), max_length=10, choices=EmergencyRelation.choices, blank=True
    )
    emergency_contact_phone = models.CharField(
        _("emergency contact phone (E.164)"), max_length=16, blank=True
    )
    passport_number = models.CharField(_("passport number"), max_length=12, blank=True)
    passport_expiry = models.DateField(_("passport valid until"), null=True, blank=True)
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identity verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    identity_verification_note = models.TextField(_("identity verification note"), blank=True)
    # A NIK is never reissued when a birth date or sex is corrected, so a NIK that disagrees
    # with them is kept and confirmed by an officer with a reason (validation.nik_mismatch).
    nik_mismatch = models.CharField(
        _("NIK disagrees with"),
        max_length=30,
        blank=True,
        default="",
        help_text=_("birth_date and/or sex, space-separated; empty when the NIK agrees"),
    )
    nik_mismatch_reason = models.TextField(_("why the NIK may disagree"), blank=True, default="")
    nik_mismatch_confirmed_at = models.DateTimeField(
        _("NIK disagreement confirmed at"), null=True, blank=True
    )
    nik_mismatch_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("NIK disagreement confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=JourneyStatus.choices,
        default=JourneyStatus.REGISTERED,
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    sending_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_participants",
    )
    training_centre = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("training centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trained_participants",
    )
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner abroad"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placed_participants",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participant",
    )
    created_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The hidden token of the form that created the record: a second submission
    # of the same form (a double click) is recognised instead of refused.
    registration_token = models.UUIDField(
        _("registration form token"), null=True, blank=True, editable=False
    )
    # Optimistic concurrency: every service write increments it; an edit made
    # on an older version is refused (see services.participant_update).
    version = models.PositiveIntegerField(_("version"), default=1)
    # A record merged into another (a duplicate) is archived, never deleted.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["status", "id"]),
            models.Index(fields=["province", "status", "id"]),
            models.Index(fields=["sending_organisation", "status", "id"]),
            models.Index(fields=["training_centre", "status", "id"]),
            models.Index(fields=["partner", "status", "id"]),
            models.Index(fields=["full_name", "birth_date"]),
            # Probable duplicates are looked up by birth date, then by normalised name.
            models.Index(fields=["birth_date"]),
            # Officers' list of NIK disagreements awaiting confirmation, by province.
            models.Index(
                fields=["province", "id"],
                condition=Q(nik_mismatch_confirmed_at__isnull=True) & ~Q(nik_mismatch=""),
                name="participant_nik_to_confirm",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__regex=r"^[0-9]{16}$"), name="participant_nik_16_digits"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="participant_version_positive"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(archived_at__isnull=False),
                name="participant_merged_is_archived",
            ),
            models.CheckConstraint(
                condition=Q(nik_mismatch_confirmed_at__isnull=True) | ~Q(nik_mismatch=""),
                name="participant_nik_confirmed_only_if_disagreeing",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_nik_mismatch_display(self) -> str:
        """The fields the NIK disagrees with, by their labels: "tanggal lahir, jenis kelamin"."""
        fields = [self._meta.get_field(name) for name in self.nik_mismatch.split()]
        return ", ".join(str(getattr(field, "verbose_name", field.name)) for field in fields)


class ParticipantStatusChange(models.Model):
    """One step of a participant's journey: from, to, when, by whom and why."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=JourneyStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=JourneyStatus.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by_label = models.CharField(_("by (name at the time)"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    # Set when a duplicate record was merged: the step happened on that record.
    moved_from = models.ForeignKey(
        Participant,
        verbose_name=_("moved from the record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["participant", "at"])]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.from_status or '-'} → {self.to_status}"


class ConsentPurpose(models.TextChoices):
    """What a participant can agree to."""

    PRIVACY_NOTICE = "privacy_notice", _("Processing of my data for the programme")
    TRANSFER_ABROAD = "transfer_abroad", _("Transfer of my data to partners abroad")


class ConsentText(models.Model):
    """One published version of the text a participant agrees to, in both languages."""

    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField(_("version"))
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_id = models.TextField(_("text (Indonesian)"))
    body_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["purpose", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_version"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version}"

    def title(self, language: str) -> str:
        """The title in ``language`` (Indonesian unless English is asked for)."""
        return self.title_en if language.startswith("en") else self.title_id

    def body(self, language: str) -> str:
        """The text in ``language`` (Indonesian unless English is asked for)."""
        return self.body_en if language.startswith("en") else self.body_id


class Consent(models.Model):
    """A participant's agreement to one version of a consent text, until withdrawn."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    text = models.ForeignKey(
        ConsentText, verbose_name=_("text version"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language shown"), max_length=5, choices=settings.LANGUAGES)
    agreed_at = models.DateTimeField(_("agreed at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    moved_from = models.ForeignKey(
        Participant,
        verbose_name=_("moved from the record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # How the agreement was given when not on a Jembatan page (e.g. "signed paper form, import 12").
    basis = models.CharField(_("how it was given"), max_length=300, blank=True)

    class Meta:
        ordering = ["-agreed_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["participant", "purpose"])]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.purpose} v{self.text_id}"


class DuplicateStatus(models.TextChoices):
    """Where the review of a probable duplicate stands."""

    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Dismissed (different people)")


class DuplicateReason(models.TextChoices):
    """Why two records look like the same person."""

    SAME_NAME_AND_BIRTH_DATE = "same_name_and_birth_date", _("Same name and date of birth")


class DuplicateFlag(models.Model):
    """Two records that may be one person, waiting for an officer's decision."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="duplicate_flags",
    )
    candidate = models.ForeignKey(
        Participant,
        verbose_name=_("possibly the same person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=40, choices=DuplicateReason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    created_at = models.DateTimeField(_("flagged at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("probable duplicate")
        verbose_name_plural = _("probable duplicates")
        indexes = [models.Index(fields=["status", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "candidate"], name="duplicate_flag_pair"
            ),
            models.CheckConstraint(
                condition=~Q(participant=models.F("candidate")), name="duplicate_flag_two_records"
            ),
            models.CheckConstraint(
                condition=Q(status=DuplicateStatus.OPEN) | Q(decided_at__isnull=False),
                name="duplicate_flag_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} ~ {self.candidate_id} ({self.status})"


class DataTransfer(models.Model):
    """A recorded hand-over of a participant's full data to a partner abroad, with its purpose.

    A partner sees only what a placement needs (name, sex, age, education,
    training, certificates, language results, a masked NIK) until a transfer
    is recorded for it; the transfer rests on the participant's consent to the
    transfer abroad and holds only while that consent is not withdrawn.
    """

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="data_transfers",
    )
    recipient = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.TextField(_("purpose of the transfer"))
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="transfers"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("data transfer abroad")
        verbose_name_plural = _("data transfers abroad")
        indexes = [models.Index(fields=["participant", "recipient"])]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.recipient_id}"

    @property
    def in_force(self) -> bool:
        """Whether the consent it rests on still stands."""
        return self.consent.withdrawn_at is None


class Invitation(models.Model):
    """A one-time link with which a person registered by staff sets up their own sign-in.

    Only a hash of the link's secret is kept; the link is shown once to the
    staff who created it (to hand over) and, if asked, e-mailed to the person.
    Opening it also asks for the person's date of birth; five wrong answers
    void it. A newer invitation for the same person supersedes an open one.
    """

    MAX_TRIES = 5

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    token_hash = models.CharField(
        _("hash of the invitation link"), max_length=64, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    sent_to = models.EmailField(_("sent to"), blank=True)
    failed_tries = models.PositiveSmallIntegerField(_("wrong dates of birth"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sign-in invitation")
        verbose_name_plural = _("sign-in invitations")

    def __str__(self) -> str:
        return f"{self.participant_id} ({self.created_at:%Y-%m-%d})"

    def is_open(self, now: Any) -> bool:
        """Not used, not voided and not expired at ``now``."""
        return self.used_at is None and self.voided_at is None and self.expires_at > now
