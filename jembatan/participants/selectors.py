"""Reads of the registry, always filtered by who asks."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jembatan.core.access import role_of
from jembatan.core.roles import Role
from jembatan.participants.models import Participant

EVERYTHING = frozenset({Role.NATIONAL_ADMIN, Role.NATIONAL_OFFICER, Role.AUDITOR})
ORGANISATION_FIELD = {
    Role.SENDER_OPERATOR: "sending_organisation_id",
    Role.TRAINING_OPERATOR: "training_centre_id",
    Role.PARTNER: "partner_id",
}


def scope_filter(user: Any) -> Q | None:
    """The filter that limits participants to ``user``'s scope; None means nothing."""
    role = role_of(user)
    if role in EVERYTHING:
        return Q()
    if role == Role.PROVINCIAL_OFFICER and user.province_id:
        return Q(province_id=user.province_id)
    if role in ORGANISATION_FIELD and user.organisation_id:
        return Q(**{ORGANISATION_FIELD[role]: user.organisation_id})
    if role == Role.PARTICIPANT:
        return Q(user_id=user.pk)
    return None


def participants_visible_to(user: Any) -> QuerySet[Participant]:
    """Every participant ``user`` may see, and no other."""
    condition = scope_filter(user)
    if condition is None:
        return Participant.objects.none()
    return Participant.objects.filter(condition)


def participant_for(user: Any, pk: int) -> Participant:
    """One participant by id, or 404 if ``user`` may not see it (never 403: no hint)."""
    found = (
        participants_visible_to(user)
        .select_related("regency", "province", "sending_organisation", "training_centre", "partner")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def status_counts(user: Any) -> dict[str, int]:
    """How many participants in ``user``'s scope are at each stage of the journey."""
    rows = participants_visible_to(user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def own_participant(user: Any) -> Participant | None:
    """The participant record of a signed-in participant, if one is linked."""
    return Participant.objects.filter(user_id=user.pk).select_related("regency").first()
