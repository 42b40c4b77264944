"""Competency-based training: programmes, batches, attendance, assessments, certificates.

Rules about one record are database constraints and methods here (an
enrolment's attendance); rules across records (eligibility, capacity,
certification, numbering) are in ``services/``, the only writers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SKKNI_PATTERN = r"^[A-Z]\.\d{6}\.\d{3}\.\d{2}$"
SKKNI_CODE = RegexValidator(
    SKKNI_PATTERN, _("An SKKNI unit code looks like C.812000.001.02 (X.000000.000.00).")
)


def _localised(obj: models.Model, stem: str) -> str:
    """The Indonesian or English variant of a ``<stem>_id``/``<stem>_en`` pair."""
    language = get_language() or "id"
    suffix = "en" if language.startswith("en") else "id"
    return str(getattr(obj, f"{stem}_{suffix}"))


class CompetencyUnit(models.Model):
    """One unit of an SKKNI competency standard (reference data national admins edit)."""

    code = models.CharField(_("SKKNI code"), max_length=15, unique=True, validators=[SKKNI_CODE])
    title_id = models.CharField(_("title (Indonesian)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_ja = models.CharField(_("title (Japanese)"), max_length=250, blank=True)
    hours = models.PositiveSmallIntegerField(_("nominal hours"), validators=[MinValueValidator(1)])
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency unit")
        verbose_name_plural = _("competency units")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=SKKNI_PATTERN), name="competency_unit_skkni_code"
            ),
            models.CheckConstraint(condition=Q(hours__gte=1), name="competency_unit_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return _localised(self, "title")


class Route(models.TextChoices):
    """The two real orders of the journey (domain.md); same values as documents.Route."""

    IM_JAPAN = "im_japan", _("IM Japan: selection before training")
    LPK = "lpk", _("LPK: training before selection")


class LanguageTest(models.TextChoices):
    """Language tests with their real scales (see language_tests.py)."""

    NONE = "", _("No language test required")
    JLPT = "jlpt", _("JLPT (Japanese-Language Proficiency Test)")
    JFT_BASIC = "jft_basic", _("JFT-Basic (Japan Foundation Test for Basic Japanese)")
    EPS_TOPIK = "eps_topik", _("EPS-TOPIK (Korean)")


class JlptLevel(models.TextChoices):
    """JLPT levels from the easiest (N5) to the hardest (N1)."""

    N5 = "N5", "N5"
    N4 = "N4", "N4"
    N3 = "N3", "N3"
    N2 = "N2", "N2"
    N1 = "N1", "N1"


class Programme(models.Model):
    """A training programme a BLK or LPK runs for an occupation in demand."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("training centre"),
        on_delete=models.PROTECT,
        related_name="training_programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    occupation = models.ForeignKey(
        "core.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="training_programmes",
    )
    route = models.CharField(_("route"), max_length=10, choices=Route.choices)
    units = models.ManyToManyField(
        CompetencyUnit, verbose_name=_("competency units"), related_name="programmes"
    )
    total_hours = models.PositiveIntegerField(_("total hours"))
    language_hours = models.PositiveIntegerField(_("language hours"), default=0)
    capacity = models.PositiveSmallIntegerField(_("places per batch"))
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80, validators=[MaxValueValidator(100)]
    )
    language_test = models.CharField(
        _("required language test"), max_length=10, choices=LanguageTest.choices, blank=True
    )
    jlpt_level = models.CharField(
        _("minimum JLPT level"), max_length=2, choices=JlptLevel.choices, blank=True
    )
    eps_topik_pass_mark = models.PositiveSmallIntegerField(
        _("EPS-TOPIK pass mark"), default=80, validators=[MaxValueValidator(200)]
    )
    japanese_on_certificate = models.BooleanField(
        _("certificates also in Japanese"),
        default=False,
        help_text=_("Tick when the partner abroad needs the certificates in Japanese."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        indexes = [models.Index(fields=["occupation"])]
        constraints = [
            models.CheckConstraint(condition=Q(total_hours__gte=1), name="programme_hours"),
            models.CheckConstraint(
                condition=Q(language_hours__lte=F("total_hours")), name="programme_language_hours"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="programme_capacity"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100), name="programme_attendance_percent"
            ),
            models.CheckConstraint(
                condition=Q(eps_topik_pass_mark__lte=200), name="programme_eps_pass_mark"
            ),
            models.CheckConstraint(
                condition=(Q(language_test="jlpt") & ~Q(jlpt_level=""))
                | (~Q(language_test="jlpt") & Q(jlpt_level="")),
                name="programme_jlpt_level_with_jlpt",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammePhase(models.Model):
    """One phase of a programme, e.g. IM Japan's regional phase then central phase."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    hours = models.PositiveIntegerField(_("hours"))
    location = models.CharField(_("location"), max_length=200)

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = _("programme phase")
        verbose_name_plural = _("programme phases")
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="phase_order_unique"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="phase_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class BatchStatus(models.TextChoices):
    """Where a batch stands: planned, running, then completed (or cancelled)."""

    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_BATCH_STATUSES = frozenset({BatchStatus.PLANNED, BatchStatus.RUNNING})


class Batch(models.Model):
    """One run of a programme with its dates, trainers and participants."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches")
    code = models.CharField(_("batch code"), max_length=40)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PLANNED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Completing before ``ends_on`` needs a reason, kept here and in the audit trail.
    early_completion_reason = models.TextField(_("reason for completing early"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="batch_code_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="batch_dates"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="batch_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.code}"


class Trainer(models.Model):
    """Someone who teaches a batch, with the qualification that lets them."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="trainers")
    name = models.CharField(_("name"), max_length=150)
    qualification = models.CharField(
        _("qualification"),
        max_length=250,
        help_text=_("E.g. BNSP trainer certificate (Metodologi Pelatihan Kerja) and its number."),
    )

    class Meta:
        ordering = ["batch", "name"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    """A participant's place in one batch."""

    ENROLLED = "enrolled", _("Enrolled")
    CERTIFIED = "certified", _("Certified")
    NOT_CERTIFIED = "not_certified", _("Completed, not certified")
    WITHDRAWN = "withdrawn", _("Left the batch")


@dataclass(frozen=True)
class AttendanceHours:
    """One participant's attendance in hours, against what the programme requires."""

    attended: int
    excused: int
    programme: int
    min_percent: int

    @property
    def required(self) -> int:
        """The hours a participant must attend: the minimum share of the programme, rounded up."""
        return math.ceil(self.programme * self.min_percent / 100)

    @property
    def percent(self) -> float:
        """Attended hours as a share of the programme's hours."""
        return 100 * self.attended / self.programme if self.programme else 0.0

    @property
    def enough(self) -> bool:
        return self.attended >= self.required


class Enrolment(models.Model):
    """A participant in a batch; at most one active enrolment per participant (constraint)."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="enrolments"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["batch", "participant__full_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "participant"], name="enrolment_once_per_batch"
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status="enrolled"),
                name="enrolment_one_active_batch",
            ),
            models.CheckConstraint(
                condition=Q(status="enrolled", ended_at__isnull=True)
                | (~Q(status="enrolled") & Q(ended_at__isnull=False)),
                name="enrolment_ended_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} in {self.batch_id} ({self.status})"

    def attendance_hours(self) -> AttendanceHours:
        """Hours attended (present) and excused, against the programme's hours and minimum share.

        The share is of the programme's hours, not of the sessions held so far: one
        session out of hundreds of hours is not a completed programme.
        """
        programme = self.batch.programme
        attended = excused = 0
        for mark, hours in self.attendance.values_list("mark", "session__hours"):
            if mark == AttendanceMark.PRESENT:
                attended += hours
            elif mark == AttendanceMark.EXCUSED:
                excused += hours
        return AttendanceHours(
            attended, excused, programme.total_hours, programme.min_attendance_percent
        )


class TrainingSession(models.Model):
    """One day (or session) of a batch, on which attendance is taken."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    phase = models.ForeignKey(
        ProgrammePhase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hours = models.PositiveSmallIntegerField(_("hours"), default=8)

    class Meta:
        ordering = ["batch", "date", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "date", "topic"], name="session_once_per_day_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class AttendanceMark(models.TextChoices):
    """Attendance of one participant at one session."""

    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """Whether one enrolled participant attended one session."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    mark = models.CharField(_("attendance"), max_length=8, choices=AttendanceMark.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}: {self.mark}"


class AssessmentResult(models.TextChoices):
    """The only two results of competency-based assessment (K / BK)."""

    COMPETENT = "competent", _("Competent")
    NOT_YET_COMPETENT = "not_yet_competent", _("Not yet competent")


class Assessment(models.Model):
    """One assessment of one participant on one unit; the latest one counts."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=AssessmentResult.choices)
    assessor = models.CharField(
        _("assessor"), max_length=150, help_text=_("Name and registration number (MET).")
    )
    assessed_on = models.DateField(_("assessed on"))
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["enrolment", "unit", "-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["enrolment", "unit", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.unit_id}: {self.result}"


class LanguageResult(models.Model):
    """A participant's result in a language test, with the verdict and why (language_tests.py)."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="language_results",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="language_results",
    )
    test = models.CharField(_("test"), max_length=10, choices=LanguageTest.choices)
    level = models.CharField(_("JLPT level"), max_length=2, choices=JlptLevel.choices, blank=True)
    total = models.PositiveSmallIntegerField(_("total score"))
    sections = models.JSONField(_("section scores"), default=list)
    # The pass mark applied (EPS-TOPIK's is configurable), so the verdict can be re-derived.
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"))
    tested_on = models.DateField(_("test date"))
    passed = models.BooleanField(_("passed"))
    explanation = models.TextField(_("explanation"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["participant", "-tested_on", "-id"]
        verbose_name = _("language test result")
        verbose_name_plural = _("language test results")
        constraints = [
            models.CheckConstraint(condition=~Q(test=""), name="language_result_test"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.test} {self.level} {self.total}"


class CertificateKind(models.TextChoices):
    """What a certificate attests.

    A training certificate is the training centre's: the participant followed
    the programme (with the hours attended). A competency certificate is an
    LSP's, licensed by BNSP, after its own assessment: Jembatan records it with
    the LSP's name and licence number, it does not print it.
    """

    COMPETENCY = "competency", _("Certificate of competency (LSP, BNSP)")
    TRAINING = "training", _("Certificate of training")


class Certificate(models.Model):
    """An issued certificate: what it says is frozen at issue; revocation is recorded."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    # Unguessable: the public verification page is found by this, never by the number.
    token = models.CharField(
        _("verification link token"), max_length=64, unique=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CertificateKind.choices)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issuer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="issued_certificates",
    )
    # For a competency certificate: the issuing LSP's BNSP licence, as it stood at issue.
    issuer_licence_number = models.CharField(
        _("issuer's licence number"), max_length=60, blank=True
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    holder_name = models.CharField(_("holder"), max_length=150)
    # What the certificate says (titles, units, hours, dates), frozen at issue.
    content = models.JSONField(_("content"), default=dict)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind"], name="certificate_once"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revocation_explained",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CertificateSeries(models.Model):
    """The last number issued in one year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("certificate number series")
        verbose_name_plural = _("certificate number series")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
