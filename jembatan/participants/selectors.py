"""Reads of the registry, always filtered by who asks."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jembatan.core.access import role_of
from jembatan.core.models import ImportJob
from jembatan.core.roles import NATIONAL, Role
from jembatan.participants.disclosure import shown_to_partners
from jembatan.participants.models import (
    Consent,
    ConsentText,
    DataTransfer,
    DuplicateFlag,
    Invitation,
    Participant,
    ParticipantStatusChange,
)

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
        condition = Q(**{ORGANISATION_FIELD[role]: user.organisation_id})
        return condition & shown_to_partners() if role == Role.PARTNER else condition
    if role == Role.PARTICIPANT:
        return Q(user_id=user.pk)
    return None


def participants_visible_to(user: Any) -> QuerySet[Participant]:
    """Every participant ``user`` may see, and no other."""
    condition = scope_filter(user)
    if condition is None:
        return Participant.objects.none()
    return Participant.objects.filter(condition)


def nik_mismatches_awaiting(user: Any) -> QuerySet[Participant]:
    """Records in ``user``'s scope whose NIK disagrees and no officer has confirmed yet."""
    return (
        participants_visible_to(user)
        .filter(nik_mismatch_confirmed_at__isnull=True, archived_at__isnull=True)
        .exclude(nik_mismatch="")
        .select_related("regency")
    )


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
    rows = (
        participants_visible_to(user)
        .filter(archived_at__isnull=True)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def own_participant(user: Any) -> Participant | None:
    """The participant record of a signed-in participant, if one is linked.

    If that record was merged into another (a duplicate), the surviving record
    is theirs: it holds their history now.
    """
    found = Participant.objects.filter(user_id=user.pk).select_related("regency").first()
    while found is not None and found.merged_into_id is not None:
        found = Participant.objects.select_related("regency").get(pk=found.merged_into_id)
    return found


def status_history(participant: Participant) -> QuerySet[ParticipantStatusChange]:
    """Every step of the participant's journey, newest first."""
    return participant.status_changes.select_related("by").order_by("-at", "-id")


def consents_of(participant: Participant) -> QuerySet[Consent]:
    """What the participant agreed to, with the text versions, newest first."""
    return participant.consents.select_related("text").order_by("-agreed_at", "-id")


def current_consent_text(purpose: str) -> ConsentText | None:
    """The version of a consent text in force now (the latest published)."""
    return (
        ConsentText.objects.filter(purpose=purpose, published_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def duplicate_flags_visible_to(user: Any) -> QuerySet[DuplicateFlag]:
    """Flags ``user`` may review: all for national staff, either record's province for others."""
    rows = DuplicateFlag.objects.select_related("participant", "candidate")
    role = role_of(user)
    if role in NATIONAL:
        return rows
    if role == Role.PROVINCIAL_OFFICER and user.province_id:
        mine = Q(participant__province_id=user.province_id)
        return rows.filter(mine | Q(candidate__province_id=user.province_id))
    return rows.none()


def duplicate_flags_of(user: Any, participant: Participant) -> QuerySet[DuplicateFlag]:
    """The flags about ``participant`` that ``user`` may review."""
    return duplicate_flags_visible_to(user).filter(
        Q(participant=participant) | Q(candidate=participant)
    )


def jobs_visible_to(user: Any) -> QuerySet[ImportJob]:
    """The participant imports ``user`` may see: national staff and auditors all, an
    operator their organisation's, a provincial officer their own."""
    jobs = ImportJob.objects.filter(kind=ImportJob.Kind.PARTICIPANTS)
    role = role_of(user)
    if role in NATIONAL or role == Role.AUDITOR:
        return jobs
    if role == Role.SENDER_OPERATOR and user.organisation_id:
        return jobs.filter(organisation_id=user.organisation_id)
    if role == Role.PROVINCIAL_OFFICER:
        return jobs.filter(Q(created_by=user))
    return jobs.none()


def job_for(user: Any, pk: int) -> ImportJob:
    """One import by id, or 404 if ``user`` may not see it."""
    job = jobs_visible_to(user).select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def transfers_of(participant: Participant) -> QuerySet[DataTransfer]:
    """Every recorded transfer of the participant's full record abroad, newest first."""
    return DataTransfer.objects.filter(participant=participant).select_related(
        "recipient", "recorded_by", "consent"
    )


def invitations_of(participant: Participant) -> QuerySet[Invitation]:
    """The sign-in invitations made for ``participant``, newest first."""
    return Invitation.objects.filter(participant=participant).select_related("created_by")
