"""Reads of the privacy app, always filtered by who asks."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.participants.models import Consent, Participant
from jembatan.privacy.models import (
    OPEN_STATUSES,
    Breach,
    BreachAffected,
    ProcessingRestriction,
    RightsRequest,
)

EVERYTHING = NATIONAL | {Role.AUDITOR}
BREACH_READERS = frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR})


def requests_visible_to(user: Any) -> QuerySet[RightsRequest]:
    """Requests ``user`` may see: all for national staff and auditors, their province's
    for a provincial officer, their own for a participant."""
    rows = RightsRequest.objects.select_related(
        "participant", "owner_province", "handled_by", "consent"
    )
    role = role_of(user)
    if role in EVERYTHING:
        return rows
    if role == Role.PROVINCIAL_OFFICER and user.province_id:
        return rows.filter(owner_province_id=user.province_id)
    if role == Role.PARTICIPANT:
        return rows.filter(participant__user_id=user.pk)
    return rows.none()


def request_for(user: Any, pk: int) -> RightsRequest:
    """One request by id, or 404 if ``user`` may not see it."""
    found = requests_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# The open ones by deadline, the nearest first; the decided ones the latest first.
# A decided request always has decided_at (rights_request_decision_has_outcome).
OPEN_ORDER = ("due_at", "pk")
DECIDED_ORDER = ("-decided_at", "-pk")


def open_requests(user: Any) -> QuerySet[RightsRequest]:
    """The open requests ``user`` may see, the nearest deadline first."""
    rows = requests_visible_to(user).filter(status__in=sorted(OPEN_STATUSES))
    return rows.order_by(*OPEN_ORDER)


def decided_requests(user: Any) -> QuerySet[RightsRequest]:
    """The decided requests ``user`` may see, the most recently decided first."""
    rows = requests_visible_to(user).exclude(status__in=sorted(OPEN_STATUSES))
    return rows.order_by(*DECIDED_ORDER)


def requests_of(participant: Participant) -> QuerySet[RightsRequest]:
    """Every request of ``participant``, newest first."""
    rows = RightsRequest.objects.filter(participant=participant).select_related("consent")
    return rows.order_by("-received_at", "-id")


def consents_to_withdraw(participant: Participant) -> QuerySet[Consent]:
    """The participant's consents that still stand."""
    return participant.consents.filter(withdrawn_at__isnull=True).select_related("text")


def restrictions_of(participant: Participant) -> QuerySet[ProcessingRestriction]:
    """Every restriction of ``participant``'s processing, newest first."""
    rows = ProcessingRestriction.objects.filter(participant=participant)
    return rows.select_related("request", "started_by", "lifted_by")


def restriction_for(user: Any, pk: int) -> ProcessingRestriction:
    """One restriction by id, or 404 if ``user`` may not see the request that placed it."""
    visible = requests_visible_to(user).values("pk")
    found = (
        ProcessingRestriction.objects.select_related("participant", "request")
        .filter(pk=pk, request__in=visible)
        .first()
    )
    if found is None:
        raise Http404
    return found


def breaches_visible_to(user: Any) -> QuerySet[Breach]:
    """The breach register: national administrators and auditors only."""
    if role_of(user) not in BREACH_READERS:
        return Breach.objects.none()
    return Breach.objects.select_related("recorded_by")


def breach_for(user: Any, pk: int) -> Breach:
    """One breach by id, or 404."""
    found = breaches_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def affected_of(breach: Breach) -> QuerySet[BreachAffected]:
    """The people a breach affected, with their reads."""
    return breach.affected.select_related("participant", "participant__province").order_by(
        "participant__full_name", "participant_id"
    )
