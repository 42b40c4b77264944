"""Who may do what in training, and the eligibility rule for enrolment, in words.

Services call these before writing; pages call them to decide what to offer.
The eligibility rule is the one the issue asks to make explicit:

* an LPK-route programme (training before selection) takes participants who
  are **verified**;
* an IM Japan-route programme (selection before training) takes participants
  who are **selected** (the regional and central phases come after selection);
* on either route a participant already **in training** whose previous batch
  ended without certification (or who left it) may enrol again;
* nobody archived, withdrawn, rejected or at any other stage, and nobody who is
  in another active batch (also a database constraint); the batch must be
  planned or running and have a free place (checked under the batch's row lock).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, READERS, Role
from jembatan.organisations.models import TRAINING_KINDS
from jembatan.participants.models import JourneyStatus
from jembatan.training.models import OPEN_BATCH_STATUSES, Route

if TYPE_CHECKING:
    from jembatan.organisations.models import Organisation
    from jembatan.participants.models import Participant
    from jembatan.training.models import Batch

# Pages: who may see training at all, who runs it, who enrols, who sees the gap.
SEE_TRAINING = READERS
RUN_TRAINING = NATIONAL | {Role.TRAINING_OPERATOR}
ENROLLERS = NATIONAL | {Role.PROVINCIAL_OFFICER, Role.TRAINING_OPERATOR, Role.SENDER_OPERATOR}
SEE_GAP = NATIONAL | {Role.AUDITOR}
SEE_OUTCOMES = NATIONAL | {Role.TRAINING_OPERATOR, Role.AUDITOR}
EDIT_UNITS = frozenset({Role.NATIONAL_ADMIN})

# The status a participant enters training from, per route (domain.md's two orders).
ENTRY_STATUS: dict[str, str] = {
    Route.LPK: JourneyStatus.VERIFIED,
    Route.IM_JAPAN: JourneyStatus.SELECTED,
}


def runs(user: Any, organisation: Organisation) -> bool:
    """National staff run any centre's training; an operator only their own BLK/LPK's."""
    role = role_of(user)
    if role in NATIONAL:
        return True
    return (
        role == Role.TRAINING_OPERATOR
        and user.organisation_id == organisation.pk
        and organisation.kind in TRAINING_KINDS
    )


def may_enrol_into(user: Any, batch: Batch) -> bool:
    """Operators enrol into their own centre's batches; the others into any open batch.

    Which participants one may enrol is the registry's scope (participants_visible_to).
    """
    role = role_of(user)
    if role == Role.TRAINING_OPERATOR:
        return runs(user, batch.programme.organisation)
    return role in ENROLLERS


def status_label(status: str) -> str:
    return str(JourneyStatus(status).label)


def enrolment_blockers(
    participant: Participant, batch: Batch, *, active_batch: Batch | None
) -> list[str]:
    """Why ``participant`` may not enrol in ``batch`` (empty: eligible, capacity aside)."""
    blockers = []
    if participant.archived_at is not None:
        blockers.append(_("This record was merged into another one and is archived."))
    if active_batch is not None:
        blockers.append(
            _("The participant is already enrolled in batch %(batch)s.") % {"batch": active_batch}
        )
    elif not _status_admits(participant.status, batch.programme.route):
        blockers.append(_route_refusal(participant.status, batch.programme.route))
    if batch.status not in OPEN_BATCH_STATUSES:
        blockers.append(
            _("The batch is %(status)s: it takes no more participants.")
            % {"status": batch.get_status_display().lower()}
        )
    return blockers


def _status_admits(status: str, route: str) -> bool:
    return status in (ENTRY_STATUS[route], JourneyStatus.IN_TRAINING)


def _route_refusal(status: str, route: str) -> str:
    return _(
        "On the %(route)s route participants enter training when they are “%(entry)s”; "
        "this participant is “%(status)s”."
    ) % {
        "route": Route(route).label,
        "entry": status_label(ENTRY_STATUS[route]),
        "status": status_label(status),
    }
