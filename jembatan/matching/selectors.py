"""Reads of matching, filtered by who asks.

National staff and auditors see every run and every outcome. A partner sees the
runs that include at least one of its job orders, and in them only the outcomes
on its own job orders (the people placed with it): not who was left out, nor
the run's fairness figures or difference, which are about candidates it would
not otherwise see. A participant sees only their own result, from the latest
approved run that included them. Other roles see no runs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
from jembatan.participants.models import Participant

SEE_ALL = NATIONAL | {Role.AUDITOR}
RUN_READERS = SEE_ALL | {Role.PARTNER}
POLLING = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.APPROVING)


def sees_all(user: Any) -> bool:
    """National staff and auditors see whole runs."""
    return role_of(user) in SEE_ALL


def runs_visible_to(user: Any) -> QuerySet[MatchingRun]:
    """The runs ``user`` may see, newest first."""
    runs = MatchingRun.objects.select_related("created_by", "decided_by")
    role = role_of(user)
    if role in SEE_ALL:
        return runs
    if role == Role.PARTNER and user.organisation_id:
        mine = MatchingRun.objects.filter(job_orders__partner_id=user.organisation_id)
        return runs.filter(pk__in=mine.values("pk"))
    return runs.none()


def run_for(user: Any, pk: int) -> MatchingRun:
    """One run by id, or 404 if ``user`` may not see it."""
    found = runs_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def outcomes_visible_to(user: Any, run: MatchingRun) -> QuerySet[RunOutcome]:
    """The outcomes of ``run`` that ``user`` may see (a partner: those on its job orders)."""
    rows = RunOutcome.objects.filter(run=run).select_related("participant", "job_order")
    if sees_all(user):
        return rows
    if role_of(user) == Role.PARTNER and user.organisation_id:
        return rows.filter(job_order__partner_id=user.organisation_id)
    return rows.none()


def outcome_for(user: Any, run: MatchingRun, participant_pk: int) -> RunOutcome:
    """One candidate's outcome in ``run``, or 404 if ``user`` may not see it."""
    found = outcomes_visible_to(user, run).filter(participant_id=participant_pk).first()
    if found is None:
        raise Http404
    return found


def participant_of(user: Any) -> Participant:
    """The participant record of a signed-in participant, or 404."""
    found = Participant.objects.filter(user_id=user.pk, archived_at__isnull=True).first()
    if found is None:
        raise Http404
    return found


def latest_approved_outcome(participant: Participant) -> RunOutcome | None:
    """The participant's outcome in the latest approved run that included them."""
    return (
        RunOutcome.objects.filter(participant=participant, run__status=RunStatus.APPROVED)
        .select_related("run", "job_order__partner")
        .order_by("-run_id")
        .first()
    )


def partner_rows(user: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Summary rows (fill rates) ``user`` may see: all, or a partner's own."""
    if sees_all(user):
        return rows
    return [row for row in rows if row.get("partner_id") == getattr(user, "organisation_id", None)]
