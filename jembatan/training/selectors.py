"""Reads of training, filtered by who asks; the certificate lookup for the public page.

Programmes and batches are not personal data: every reader sees them (a
training operator only their own centre's). Who is *in* a batch is: the
enrolments shown are limited to the participants the asker may see in the
registry (participants_visible_to).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jembatan.core.access import role_of
from jembatan.core.roles import Role
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.selectors import participants_visible_to
from jembatan.participants.validation import normalise_name
from jembatan.training.models import (
    Batch,
    Certificate,
    CompetencyUnit,
    Enrolment,
    EnrolmentStatus,
    Programme,
    TrainingSession,
)
from jembatan.training.rules import ENTRY_STATUS, SEE_TRAINING


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    """Every programme for readers; a training operator's own centre's only."""
    role = role_of(user)
    rows = Programme.objects.select_related("organisation", "occupation__dataset")
    if role == Role.TRAINING_OPERATOR:
        return rows.filter(organisation_id=user.organisation_id)
    if role in SEE_TRAINING:
        return rows
    return rows.none()


def programme_for(user: Any, pk: int) -> Programme:
    found = programmes_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def batches_visible_to(user: Any) -> QuerySet[Batch]:
    return Batch.objects.filter(
        programme__in=programmes_visible_to(user).values("pk")
    ).select_related("programme__organisation", "programme__occupation")


def batch_for(user: Any, pk: int) -> Batch:
    found = batches_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def enrolments_visible_in(user: Any, batch: Batch) -> QuerySet[Enrolment]:
    """The batch's enrolments whose participants ``user`` may see."""
    return (
        batch.enrolments.filter(participant__in=participants_visible_to(user).values("pk"))
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )


def enrolment_for(user: Any, batch: Batch, pk: int) -> Enrolment:
    found = enrolments_visible_in(user, batch).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def session_marks(
    batch: Batch, date: dt.date | None, topic: str
) -> tuple[TrainingSession | None, dict[int, str]]:
    """The batch's session of ``date`` and ``topic`` (or None) and its marks by enrolment id."""
    session = (
        TrainingSession.objects.filter(batch=batch, date=date, topic=topic.strip())
        .select_related("phase")
        .first()
        if date is not None and topic.strip()
        else None
    )
    if session is None:
        return None, {}
    return session, dict(session.attendance.values_list("enrolment_id", "mark"))


def candidates_for(user: Any, batch: Batch) -> QuerySet[Participant]:
    """Participants ``user`` may enrol in ``batch``: in scope, at the route's entry status
    (or in training without an active batch), not archived, not in a batch already."""
    entry = ENTRY_STATUS[batch.programme.route]
    active = Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).values("participant_id")
    return (
        participants_visible_to(user)
        .filter(archived_at__isnull=True)
        .filter(Q(status=entry) | Q(status=JourneyStatus.IN_TRAINING))
        .exclude(pk__in=active)
        .order_by("full_name", "pk")
    )


def units_in_use() -> QuerySet[CompetencyUnit]:
    return CompetencyUnit.objects.filter(archived_at__isnull=True)


def certificates_visible_to(user: Any) -> QuerySet[Certificate]:
    """Certificates of the participants ``user`` may see (the holder sees their own)."""
    return Certificate.objects.filter(
        participant__in=participants_visible_to(user).values("pk")
    ).select_related("issuer", "participant")


def certificate_for(user: Any, pk: int) -> Certificate:
    found = certificates_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def certificate_by_token(token: str) -> Certificate:
    """The certificate the public page verifies; 404 for an unknown token."""
    found = Certificate.objects.select_related("issuer").filter(token=token).first()
    if found is None:
        raise Http404
    return found


def certificate_by_number_and_holder(number: str, holder: str) -> Certificate | None:
    """The public lookup: both the number and the holder's name must match.

    Numbers run in sequence, so the number alone would let anyone list every
    holder; asking for the name printed beside it keeps the check to those who
    hold the certificate in their hands.
    """
    found = (
        Certificate.objects.select_related("issuer")
        .filter(number=" ".join(number.split()).upper())
        .first()
    )
    if found is None or normalise_name(found.holder_name) != normalise_name(holder):
        return None
    return found


def certificate_by_number_or_token(value: str) -> Certificate | None:
    """For the command line: by number (``JBT/2026/000123``) or by token."""
    rows = Certificate.objects.select_related("issuer")
    return rows.filter(number=value.strip()).first() or rows.filter(token=value.strip()).first()


# --- the feedback loop: how a centre's graduates fare later ----------------------------

LATER_STAGES = (
    JourneyStatus.SELECTED,
    JourneyStatus.MATCHED,
    JourneyStatus.DEPARTED,
    JourneyStatus.COMPLETED,
    JourneyStatus.RETURNED_EARLY,
)


@dataclass(frozen=True)
class Outcome:
    """How the graduates of one programme fared: how many ever reached each later stage."""

    programme: Programme
    graduates: int
    reached: dict[str, int]

    @property
    def shares(self) -> dict[str, int]:
        """Percent of the graduates who reached each later stage."""
        if not self.graduates:
            return {stage: 0 for stage in LATER_STAGES}
        return {s: round(100 * self.reached.get(s, 0) / self.graduates) for s in LATER_STAGES}


def outcomes_of(programmes: QuerySet[Programme]) -> list[Outcome]:
    """Per programme: certified graduates, and how many of them ever reached each later stage.

    Read from the journey's history (ParticipantStatusChange), so a graduate who
    departed and came back still counts as departed.
    """
    result = []
    for programme in programmes.order_by("name"):
        graduates = Participant.objects.filter(
            enrolments__batch__programme=programme,
            enrolments__status=EnrolmentStatus.CERTIFIED,
        ).distinct()
        reached = _reached(graduates)
        result.append(Outcome(programme, graduates.count(), reached))
    return result


def _reached(graduates: QuerySet[Participant]) -> dict[str, int]:
    rows = (
        Participant.objects.filter(pk__in=graduates.values("pk"))
        .filter(status_changes__to_status__in=LATER_STAGES)
        .values("status_changes__to_status")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["status_changes__to_status"]: row["n"] for row in rows}


def outcomes_for(user: Any) -> list[Outcome]:
    """The feedback loop for ``user``: their centre's programmes, or all for national staff."""
    return outcomes_of(programmes_visible_to(user))
