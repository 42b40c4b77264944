"""Who may see, open, hand in and decide on documents, and what a participant still owes.

Opening a file is stricter than seeing that it exists: health and police
records are specific personal data (UU PDP 27/2022), opened only by national
staff, the provincial officer of the participant's province and the
participant. Sending-organisation and training operators and partners open only
the other documents. Auditors see the checklist (metadata) but open no file.
The participant's scope itself comes from :mod:`jembatan.participants.selectors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.documents.models import (
    Document,
    DocumentRequirement,
    DocumentStatus,
    Route,
    Stage,
)
from jembatan.organisations.models import SENDING_KINDS
from jembatan.participants.models import Participant
from jembatan.participants.selectors import participants_visible_to

OPEN_SENSITIVE = NATIONAL | {Role.PROVINCIAL_OFFICER, Role.PARTICIPANT}
OPEN_ORDINARY = OPEN_SENSITIVE | {Role.SENDER_OPERATOR, Role.TRAINING_OPERATOR, Role.PARTNER}
SEE_CHECKLIST = OPEN_ORDINARY | {Role.AUDITOR}
UPLOADERS = frozenset({Role.PARTICIPANT, Role.SENDER_OPERATOR})
DECIDERS = NATIONAL | {Role.PROVINCIAL_OFFICER}


# --- scope --------------------------------------------------------------------


def in_scope(user: Any, participant: Participant) -> bool:
    """True if ``participant`` is in ``user``'s scope of the registry."""
    return participants_visible_to(user).filter(pk=participant.pk).exists()


def may_see_checklist(user: Any, participant: Participant) -> bool:
    """True if ``user`` may see which documents ``participant`` handed in (no contents)."""
    return role_of(user) in SEE_CHECKLIST and in_scope(user, participant)


def may_open(user: Any, document: Document) -> bool:
    """True if ``user`` may read the file itself; sensitive kinds need a stricter role."""
    allowed = OPEN_SENSITIVE if document.requirement.sensitive else OPEN_ORDINARY
    return role_of(user) in allowed and in_scope(user, document.participant)


def may_upload(user: Any, participant: Participant) -> bool:
    """True for the participant themself and the operators of their sending organisation."""
    role = role_of(user)
    if role == Role.PARTICIPANT:
        return bool(participant.user_id == user.pk)
    if role == Role.SENDER_OPERATOR:
        return bool(user.organisation_id) and participant.sending_organisation_id == (
            user.organisation_id
        )
    return False


def may_decide(user: Any, participant: Participant) -> bool:
    """True for national officers and the provincial officer of the participant's province."""
    return role_of(user) in DECIDERS and in_scope(user, participant)


def openable_filter(user: Any) -> Q:
    """The documents whose files ``user``'s role may open (scope is checked separately)."""
    role = role_of(user)
    if role in OPEN_SENSITIVE:
        return Q()
    if role in OPEN_ORDINARY:
        return Q(requirement__sensitive=False)
    return Q(pk__in=[])


# --- the checklist a participant must satisfy ------------------------------------


def route_of(participant: Participant) -> Route:
    """The participant's route: recorded on the record if the registry has it, else inferred.

    Without a recorded route, someone registered by an LPK or sending company follows
    the LPK route, and anyone else the government-to-government IM Japan route.
    """
    recorded = getattr(participant, "route", "")
    if recorded in Route.values:
        return Route(recorded)
    organisation = participant.sending_organisation
    if organisation is not None and organisation.kind in SENDING_KINDS:
        return Route.LPK
    return Route.IM_JAPAN


def current_requirements(route: Route) -> QuerySet[DocumentRequirement]:
    """The checklist of ``route`` as it stands today (current versions only)."""
    return DocumentRequirement.objects.filter(route=route, valid_to__isnull=True).order_by(
        "order", "kind"
    )


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def is_required(requirement: DocumentRequirement, participant: Participant) -> bool:
    """True if ``participant`` must hand in ``requirement`` (always, or below an age)."""
    if requirement.required:
        return True
    limit = requirement.required_below_age
    return limit is not None and age_on(participant.birth_date, timezone.localdate()) < limit


def current_documents(participant: Participant) -> dict[str, Document]:
    """The current version of each kind of document the participant handed in."""
    rows = Document.objects.filter(participant=participant, is_current=True)
    return {d.kind: d for d in rows.select_related("requirement")}


@dataclass(frozen=True)
class DocumentGap:
    """One required document a participant still owes: the checklist line and why."""

    requirement: DocumentRequirement
    problem: str


def document_gaps(
    participant: Participant, stage: Stage, *, skip: Collection[str] = ()
) -> list[DocumentGap]:
    """Each required document of ``stage`` not verified, read from the current checklist.

    ``skip`` names document kinds another check already covers (the departure gates
    leave the apprenticeship agreement to its own step, deployment/gates.py).
    """
    handed_in = current_documents(participant)
    gaps = []
    for requirement in current_requirements(route_of(participant)).filter(needed_for=stage):
        if requirement.kind in skip or not is_required(requirement, participant):
            continue
        document = handed_in.get(requirement.kind)
        if document is None:
            problem = _("%(document)s has not been uploaded.") % {"document": requirement.name}
        elif document.status != DocumentStatus.VERIFIED:
            problem = _("%(document)s is not verified yet (%(status)s).") % {
                "document": requirement.name,
                "status": document.get_status_display(),
            }
        else:
            continue
        gaps.append(DocumentGap(requirement, problem))
    return gaps


def document_blockers(participant: Participant, stage: Stage = Stage.VERIFICATION) -> list[str]:
    """Why ``participant`` cannot pass ``stage`` yet: each required document not verified."""
    return [gap.problem for gap in document_gaps(participant, stage)]
