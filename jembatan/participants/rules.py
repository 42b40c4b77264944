"""Who may do what to a participant record, and what blocks a step of the journey.

Services call these before writing; pages call them to decide which buttons
to show. Scope (which records a person may see at all) is the selectors' job:
these rules assume the record is already in the person's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.organisations.rules import LicenceRequired, ensure_can_act
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.workflows import JOURNEY_WORKFLOW, journey_step

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from jembatan.core.models import Region
    from jembatan.organisations.models import Organisation
    from jembatan.participants.models import DuplicateFlag, Participant

OFFICERS = NATIONAL | {Role.PROVINCIAL_OFFICER}

# Checks other apps add (e.g. documents: "the ID card is not verified yet").
BlockerCheck = Callable[["Participant"], list[str]]
VERIFICATION_CHECKS: list[BlockerCheck] = []


def register_verification_check(check: BlockerCheck) -> BlockerCheck:
    """Add a check to :func:`verification_blockers` (usable as a decorator, once per check)."""
    if check not in VERIFICATION_CHECKS:
        VERIFICATION_CHECKS.append(check)
    return check


# Holds other apps put on a move of the journey (privacy: a restriction of processing
# stops new training and selection); each gives its refusal, or None to let the move go.
JourneyHold = Callable[["Participant", str], ValidationError | None]
JOURNEY_HOLDS: list[JourneyHold] = []


def register_journey_hold(hold: JourneyHold) -> JourneyHold:
    """Add a hold to :func:`journey_hold` (once per hold, when an app loads)."""
    if hold not in JOURNEY_HOLDS:
        JOURNEY_HOLDS.append(hold)
    return hold


def journey_hold(participant: Participant, action: str) -> ValidationError | None:
    """The first registered hold that stops ``action`` for ``participant``, if any."""
    for hold in JOURNEY_HOLDS:
        refusal = hold(participant, action)
        if refusal is not None:
            return refusal
    return None


# Holds other apps put on any edit of the record's details (privacy: an anonymised
# record is never filled in again); each gives its refusal, or None.
EditHold = Callable[["Participant"], ValidationError | None]
EDIT_HOLDS: list[EditHold] = []


def register_edit_hold(hold: EditHold) -> EditHold:
    """Add a hold to :func:`edit_hold` (once per hold, when an app loads)."""
    if hold not in EDIT_HOLDS:
        EDIT_HOLDS.append(hold)
    return hold


def edit_hold(participant: Participant) -> ValidationError | None:
    """The first registered hold that refuses an edit of ``participant``'s details, if any."""
    for hold in EDIT_HOLDS:
        refusal = hold(participant)
        if refusal is not None:
            return refusal
    return None


# Holds on new decisions about a person (privacy: a restriction of processing in force):
# selection refuses a new score, shortlists and matching pools skip the person.
ProcessingHold = Callable[["Participant"], ValidationError | None]
HeldIds = Callable[[], "QuerySet[Any]"]
PROCESSING_HOLDS: list[ProcessingHold] = []
PROCESSING_HELD: list[HeldIds] = []


def register_processing_hold(hold: ProcessingHold, held: HeldIds) -> None:
    """Add a hold on new decisions: ``hold`` refuses one person, ``held`` lists their ids."""
    if hold not in PROCESSING_HOLDS:
        PROCESSING_HOLDS.append(hold)
    if held not in PROCESSING_HELD:
        PROCESSING_HELD.append(held)


def processing_hold(participant: Participant) -> ValidationError | None:
    """The refusal of a new decision about ``participant`` (a score), if a hold applies."""
    for hold in PROCESSING_HOLDS:
        refusal = hold(participant)
        if refusal is not None:
            return refusal
    return None


def processing_held_ids() -> list[QuerySet[Any]]:
    """Querysets of the ids (``pk``) of participants no new decision may take up."""
    return [held() for held in PROCESSING_HELD]


def verification_blockers(participant: Participant) -> list[str]:
    """What still stands between ``participant`` and the status *verified*, in words."""
    blockers = []
    if participant.identity_verified_at is None:
        blockers.append(_("An officer has not verified the participant's identity yet."))
    if participant.nik_mismatch and participant.nik_mismatch_confirmed_at is None:
        blockers.append(
            _(
                "The NIK disagrees with the birth date or sex and no officer has confirmed it "
                "yet (a NIK is not reissued when these are corrected)."
            )
        )
    for check in VERIFICATION_CHECKS:
        blockers.extend(check(participant))
    return blockers


def may_move(user: Any, participant: Participant, to_status: str) -> bool:
    """Whether ``user`` may record the move to ``to_status`` (scope aside).

    The roles are the journey table's (``participants/workflows.py``); a
    participant records only their own withdrawal.
    """
    action = journey_step(participant.status, to_status)
    if action is None or not JOURNEY_WORKFLOW.may(action, user):
        return False
    if role_of(user) == Role.PARTICIPANT:
        return bool(participant.user_id == user.pk)
    return True


def is_officer(user: Any) -> bool:
    """National staff or a provincial officer."""
    return role_of(user) in OFFICERS


def may_verify_identity(user: Any) -> bool:
    """Identity is checked against the KTP by an officer, never by the sending organisation."""
    return is_officer(user)


def may_register(user: Any) -> bool:
    """Officers and sending organisations register candidates (others: self-registration)."""
    return is_officer(user) or role_of(user) == Role.SENDER_OPERATOR


def may_edit(user: Any) -> bool:
    """Officers and the sending organisation keep a record up to date."""
    return is_officer(user) or role_of(user) == Role.SENDER_OPERATOR


def may_edit_identity(user: Any, participant: Participant) -> bool:
    """After an officer verified the identity, only officers may change NIK, name, sex, birth."""
    return participant.identity_verified_at is None or is_officer(user)


def may_review_duplicate(user: Any, flag: DuplicateFlag) -> bool:
    """National staff, or the provincial officer of either record's province."""
    role = role_of(user)
    if role in NATIONAL:
        return True
    provinces = {flag.participant.province_id, flag.candidate.province_id}
    return role == Role.PROVINCIAL_OFFICER and user.province_id in provinces


def licence_refusal(organisation: Organisation | None) -> str | None:
    """Why ``organisation`` may not register candidates now, in words (None: it may).

    The registration page shows it before anything is typed, not only once the form is sent.
    """
    try:
        ensure_can_act(organisation)
    except LicenceRequired as refusal:
        return " ".join(refusal.messages)
    return None


def ensure_may_register(
    acting_user: Any, *, organisation: Organisation | None, regency: Region, user: Any = None
) -> None:
    """Refuse a registration ``acting_user`` may not make: wrong organisation or province."""
    role = role_of(acting_user)
    if role == Role.PARTICIPANT and user is not None and user.pk == acting_user.pk:
        return
    if role in NATIONAL:
        return
    if role == Role.PROVINCIAL_OFFICER:
        if regency.parent_id != acting_user.province_id:
            raise ValidationError(
                _("You register candidates living in your province only; this address is not."),
                code=ParticipantErrorCode.OUTSIDE_PROVINCE,
            )
        return
    if role == Role.SENDER_OPERATOR:
        if organisation is None or organisation.pk != acting_user.organisation_id:
            raise PermissionDenied(_("You register candidates for your own organisation only."))
        return
    raise PermissionDenied(_("Your role may not register participants."))
