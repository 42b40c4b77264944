"""Selection: rounds of ordered stages, scores with their history, ranking and shortlists.

Stage types are reference data (the ministry may add one, or rename one when Japan's
programme changes); a round copies the scale, pass mark and weight of each stage it
uses so that later edits of the reference row never change a finished round.
Scores are never overwritten: a correction adds a row and marks the old one superseded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from jembatan.participants.models import JourneyStatus
from jembatan.selection.errors import SelectionErrorCode

CENT = Decimal("0.01")


def shown(value: Decimal | None) -> str:
    """A score as people write it: 72.5, not 72.50."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Scoring(models.TextChoices):
    """How a stage is marked."""

    SCORE = "score", _("Score with a pass mark")
    PASS_FAIL = "pass_fail", _("Pass or fail")


class EnteredBy(models.TextChoices):
    """Who records the results of a stage (besides nobody else)."""

    OFFICER = "officer", _("Kemnaker officers and the stage's examiners")
    EXAMINER = "examiner", _("Only the examiners assigned to the stage (assessor, doctor)")
    PARTNER = "partner", _("The partner's interviewers and the stage's examiners")


class StageType(models.Model):
    """A kind of selection stage (reference data): administrative check, written test, …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    scoring = models.CharField(_("marking"), max_length=10, choices=Scoring.choices)
    default_max_score = models.DecimalField(
        _("default maximum score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    default_pass_mark = models.DecimalField(
        _("default pass mark"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    entered_by = models.CharField(_("results entered by"), max_length=10, choices=EnteredBy.choices)
    position = models.PositiveSmallIntegerField(_("usual position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("selection stage type")
        verbose_name_plural = _("selection stage types")
        constraints = [
            models.CheckConstraint(
                condition=Q(scoring=Scoring.PASS_FAIL)
                | Q(default_max_score__gt=0, default_pass_mark__gte=0),
                name="stage_type_scored_has_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the page."""
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class RoundStatus(models.TextChoices):
    """Where a round is: being set up, scoring, closed with a ranking, or cancelled."""

    DRAFT = "draft", _("Being set up")
    OPEN = "open", _("Open: stages running")
    CLOSED = "closed", _("Closed: ranking final")
    CANCELLED = "cancelled", _("Cancelled")


class SelectionRound(models.Model):
    """One selection for a partner (and optionally a training programme), with ordered stages."""

    name = models.CharField(_("name"), max_length=200)
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner abroad"),
        on_delete=models.PROTECT,
        related_name="selection_rounds",
    )
    programme = models.ForeignKey(
        "training.Programme",
        verbose_name=_("training programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="selection_rounds",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    status_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Bumped by every change that affects the ranking: a stale form is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        indexes = [models.Index(fields=["partner", "status"])]

    def __str__(self) -> str:
        return self.name


class ImpactAssessment(models.Model):
    """The personal-data impact assessment of a round's scoring and matching (UU PDP art. 34)."""

    round = models.OneToOneField(
        SelectionRound, on_delete=models.PROTECT, related_name="impact_assessment"
    )
    purpose = models.TextField(_("purpose of the scoring and matching"))
    data_used = models.TextField(_("personal data used"))
    protected_attributes = models.TextField(
        _("protected attributes and how they are kept out"),
    )
    risks = models.TextField(_("risks to the candidates"))
    mitigations = models.TextField(_("measures against the risks"))
    legal_basis = models.TextField(_("legal basis"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")

    def __str__(self) -> str:
        return f"{self.round}: {self.assessed_at:%Y-%m-%d}"


class RoundStage(models.Model):
    """One stage of a round, in order, with its scale, pass mark and weight in the final score."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("order"))
    stage_type = models.ForeignKey(
        StageType, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+"
    )
    scoring = models.CharField(_("marking"), max_length=10, choices=Scoring.choices)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    weight = models.DecimalField(
        _("weight in the final score"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    entered_by = models.CharField(_("results entered by"), max_length=10, choices=EnteredBy.choices)
    examiners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examiners"),
        blank=True,
        related_name="examined_stages",
    )

    class Meta:
        ordering = ["round", "position"]
        verbose_name = _("selection stage")
        verbose_name_plural = _("selection stages")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position"], name="round_stage_position_unique"
            ),
            models.UniqueConstraint(fields=["round", "stage_type"], name="round_stage_type_once"),
            models.CheckConstraint(
                condition=(
                    Q(scoring=Scoring.PASS_FAIL, max_score__isnull=True, pass_mark__isnull=True)
                    & Q(weight=0)
                )
                | Q(
                    scoring=Scoring.SCORE,
                    max_score__gt=0,
                    pass_mark__gte=0,
                    pass_mark__lte=F("max_score"),
                ),
                name="round_stage_scale_consistent",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="round_stage_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.stage_type}"

    @property
    def is_scored(self) -> bool:
        return self.scoring == Scoring.SCORE

    def parse_value(self, value: Any) -> Decimal:
        """A score on the stage's scale, or a ValidationError saying what is allowed."""
        try:
            number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
        except InvalidOperation:
            number = None
        top = self.max_score or Decimal(0)
        if number is None or not number.is_finite():
            raise ValidationError(
                gettext("“%(value)s” is not a number. Enter a score from 0 to %(max)s.")
                % {"value": value, "max": shown(top)},
                code=SelectionErrorCode.NOT_A_NUMBER,
            )
        if number < 0 or number > top:
            raise ValidationError(
                gettext("%(value)s is outside the scale: enter a score from 0 to %(max)s.")
                % {"value": shown(number), "max": shown(top)},
                code=SelectionErrorCode.OUT_OF_RANGE,
            )
        if number != number.quantize(CENT):
            raise ValidationError(
                gettext("%(value)s has more than two decimals; round it to two.")
                % {"value": number},
                code=SelectionErrorCode.TOO_PRECISE,
            )
        return number.quantize(CENT)

    def result_of(self, value: Any, passed: bool | None) -> tuple[Decimal | None, bool]:
        """(value, passed) at this stage: a scored stage passes at its pass mark or above."""
        if self.scoring == Scoring.PASS_FAIL:
            if passed is None:
                raise ValidationError(
                    gettext("Choose pass or fail."), code=SelectionErrorCode.REQUIRED
                )
            return None, passed
        if value is None or str(value).strip() == "":
            raise ValidationError(gettext("Enter the score."), code=SelectionErrorCode.REQUIRED)
        number = self.parse_value(value)
        return number, number >= (self.pass_mark or Decimal(0))


class CandidacyStatus(models.TextChoices):
    """A candidate's place in a round."""

    ACTIVE = "active", _("In the stages")
    FAILED = "failed", _("Did not pass")
    PASSED = "passed", _("Passed every stage")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Candidacy(models.Model):
    """One participant in one round: how far they got, why they stopped, their final rank."""

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("selection round"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CandidacyStatus.choices, default=CandidacyStatus.ACTIVE
    )
    failed_stage = models.ForeignKey(
        RoundStage,
        verbose_name=_("stage not passed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stop_reason = models.TextField(_("why the candidate stopped"), blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    # The journey status before the round, restored if the candidate does not pass.
    status_before = models.CharField(
        _("journey status before"), max_length=20, choices=JourneyStatus.choices
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))

    class Meta:
        ordering = ["round", "rank", "id"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        indexes = [models.Index(fields=["round", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"], name="candidacy_once_per_round"
            ),
            models.UniqueConstraint(
                fields=["round", "rank"],
                condition=Q(rank__isnull=False),
                name="candidacy_rank_strict",
            ),
            models.CheckConstraint(
                condition=~Q(status=CandidacyStatus.FAILED) | ~Q(stop_reason=""),
                name="candidacy_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.participant_id} ({self.status})"


class ScoreSource(models.TextChoices):
    """How a score reached the system."""

    PAGE = "page", _("Entered on the page")
    UPLOAD = "upload", _("Spreadsheet upload")
    API = "api", _("API")


class Score(models.Model):
    """One result of one candidate in one stage; a correction supersedes, never overwrites."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="scores")
    stage = models.ForeignKey(RoundStage, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("entered through"), max_length=10, choices=ScoreSource.choices, default=ScoreSource.PAGE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    superseded_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        ordering = ["candidacy", "stage__position", "-entered_at", "-id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        indexes = [models.Index(fields=["stage", "superseded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "stage"],
                condition=Q(superseded_at__isnull=True),
                name="score_one_current_per_stage",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else ("✓" if self.passed else "✗")
        return f"{self.candidacy_id}/{self.stage_id}: {shown}"


class InterviewDecision(models.TextChoices):
    """The partner's decision after interviewing a shortlisted candidate for a job order."""

    PENDING = "pending", _("Not interviewed yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ABSENT = "absent", _("Did not attend")


class Shortlist(models.Model):
    """Candidates of a closed round put forward to a job order's interview (N per vacancy)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="shortlists")
    job_order = models.ForeignKey(
        "demand.JobOrder", on_delete=models.PROTECT, related_name="shortlists"
    )
    per_vacancy = models.PositiveSmallIntegerField(
        _("candidates per vacancy"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["round", "job_order"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        constraints = [
            models.UniqueConstraint(fields=["round", "job_order"], name="shortlist_once"),
            models.CheckConstraint(
                condition=Q(per_vacancy__gte=1, per_vacancy__lte=10),
                name="shortlist_per_vacancy_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.job_order.reference}"


class ShortlistEntry(models.Model):
    """One candidate on a shortlist, in rank order, with the partner's interview decision."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    decision = models.CharField(
        _("interview decision"),
        max_length=10,
        choices=InterviewDecision.choices,
        default=InterviewDecision.PENDING,
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["shortlist", "position"]
        verbose_name = _("shortlisted candidate")
        verbose_name_plural = _("shortlisted candidates")
        constraints = [
            models.UniqueConstraint(fields=["shortlist", "candidacy"], name="shortlist_entry_once"),
            models.UniqueConstraint(
                fields=["shortlist", "position"], name="shortlist_entry_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shortlist_id} #{self.position}: {self.decision}"
