"""Matching in the system: candidates' preferences, runs, their results and explanations.

The solver itself is :mod:`jembatan.matching.engine` (no Django). A run records its
inputs' digest so that "same inputs, same result" can be checked, and its result
lines keep each candidate's explanation as plain data for the pages to phrase.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CandidatePreference(models.Model):
    """A candidate's ranking of a job order they are eligible for (1 = first choice)."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="job_preferences",
    )
    job_order = models.ForeignKey(
        "demand.JobOrder",
        verbose_name=_("job order"),
        on_delete=models.CASCADE,
        related_name="candidate_preferences",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["participant", "rank"]
        verbose_name = _("job-order preference")
        verbose_name_plural = _("job-order preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "job_order"], name="preference_once_per_job_order"
            ),
            models.UniqueConstraint(fields=["participant", "rank"], name="preference_rank_strict"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="preference_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} #{self.rank}: {self.job_order_id}"


class Method(models.TextChoices):
    """The engine's two methods (engine.METHODS)."""

    OPTIMAL = "optimal", _("Optimal: most people placed, then the greatest total value")
    STABLE = "stable", _("Stable: nobody is passed over by someone ranked lower")


class RunStatus(models.TextChoices):
    """Where a matching run is."""

    QUEUED = "queued", _("Waiting to run")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished: awaiting approval")
    APPROVING = "approving", _("Approving: creating placements")
    FAILED = "failed", _("Failed")
    APPROVED = "approved", _("Approved: placements created")
    DISCARDED = "discarded", _("Discarded")


class MatchingRun(models.Model):
    """One execution of the engine over chosen rounds' candidates and approved job orders."""

    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    rounds = models.ManyToManyField(
        "selection.SelectionRound", verbose_name=_("selection rounds"), related_name="+"
    )
    job_orders = models.ManyToManyField(
        "demand.JobOrder", verbose_name=_("job orders"), related_name="matching_runs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("current step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # sha256 of the engine instance (ids, slots, edges, weights, ranks) the run solved.
    input_digest = models.CharField(_("input digest"), max_length=64, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    candidates = models.PositiveIntegerField(_("candidates"), default=0)
    placed = models.PositiveIntegerField(_("placed"), default=0)
    total_weight = models.FloatField(_("total value"), default=0)
    # Fill rates, fairness figures and the difference from the previous run (plain data).
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    # Why the last approval created nothing (one finding a line); empty once approved.
    approval_error = models.TextField(_("why the approval failed"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        indexes = [models.Index(fields=["status", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="run_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"MR-{self.pk:05d} {self.name}" if self.pk else self.name

    @property
    def reference(self) -> str:
        return f"MR-{self.pk:05d}" if self.pk else "MR-new"


class RunOutcome(models.Model):
    """One candidate's result in a run: where they go (or not) and why, as engine data."""

    run = models.ForeignKey(
        MatchingRun,
        verbose_name=_("matching run"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="match_outcomes",
    )
    job_order = models.ForeignKey(
        "demand.JobOrder",
        verbose_name=_("job order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=40)
    weight = models.FloatField(_("value"), null=True, blank=True)
    # The engine's explanation plus, per job order not eligible, the requirements not met.
    explanation = models.JSONField(_("explanation"), default=dict)
    placement = models.ForeignKey(
        "demand.Placement",
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("matching outcome")
        verbose_name_plural = _("matching outcomes")
        indexes = [models.Index(fields=["participant", "run"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "participant"], name="outcome_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.participant_id} → {self.job_order_id}"

    def get_reason_display(self) -> str:
        """The engine's reason code in words (``explaining.REASON_LABELS``)."""
        # Imported here: explaining.py reads this module's models.
        from jembatan.matching.explaining import reason_label

        return reason_label(self.reason)
