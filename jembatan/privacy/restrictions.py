"""What a restriction of processing (UU PDP art. 11, 41) and a withdrawn transfer consent stop.

A restriction is in force from the moment an officer carries out a *restrict*
request, or an *object* request (handled the same way, art. 10), until an
officer lifts it with a reason. While it is in force:

1. **partners abroad do not see the person** in the registry: not in their
   participant list, not on the participant page (404), not in the API; on a
   placement page already offered to them they see only the minimum a
   placement needs, never the full record (``participants/disclosure.py``);
2. **no new training starts**: the journey step *start training* is refused
   (training enrolment of a verified person takes it);
3. **no new selection starts**: the journey step *enter selection* is refused,
   so enrolling the person in a selection round is refused with the reason.

An **anonymised** record (a deletion carried out) is hidden from partners and
takes no further step of the journey at all.

A restriction does not undo what already happened (a person already in selection or
matched stays there until an officer withdraws them, and a matching run's
pool is not filtered), stop officers keeping the record up to date, or stop
the person's own requests and exports.

A **withdrawn consent to the transfer abroad** (with no newer one standing)
hides the person from partners the same way as point 1, from the moment of the
withdrawal (UU PDP art. 9, 40); the full record stops too, since every
recorded transfer rests on that consent.

Both rules are registered with the registry when the app loads (apps.py), as
``participants`` sits below ``privacy`` and cannot import it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jembatan.participants.models import Consent, ConsentPurpose, Participant
from jembatan.participants.workflows import JourneyAction
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.models import ProcessingRestriction
from jembatan.privacy.retention import anonymised, is_anonymised

HELD_ACTIONS = frozenset({JourneyAction.START_TRAINING, JourneyAction.ENTER_SELECTION})


def restriction_in_force(participant: Participant) -> ProcessingRestriction | None:
    """The participant's restriction of processing in force, if any."""
    return (
        ProcessingRestriction.objects.filter(participant=participant, lifted_at__isnull=True)
        .select_related("request")
        .first()
    )


def hidden_from_partners() -> QuerySet[Any]:
    """Ids of participants partners must not see: restricted, transfer consent withdrawn,
    or anonymised."""
    restricted = ProcessingRestriction.objects.filter(lifted_at__isnull=True)
    transfer = Consent.objects.filter(purpose=ConsentPurpose.TRANSFER_ABROAD)
    withdrawn = transfer.filter(withdrawn_at__isnull=False).values("participant_id")
    standing = transfer.filter(withdrawn_at__isnull=True).values("participant_id")
    condition = (
        Q(pk__in=restricted.values("participant_id"))
        | (Q(pk__in=withdrawn) & ~Q(pk__in=standing))
        | Q(pk__in=anonymised())
    )
    return Participant.objects.filter(condition).values("pk")


def privacy_hold(participant: Participant, action: str) -> ValidationError | None:
    """Refuse every move of an anonymised record, and starting training or selection while
    the person's processing is restricted."""
    if is_anonymised(participant):
        return ValidationError(
            _("This record was anonymised: it takes no further steps."),
            code=PrivacyErrorCode.ALREADY_ANONYMISED,
        )
    if action not in HELD_ACTIONS:
        return None
    restriction = restriction_in_force(participant)
    if restriction is None:
        return None
    return ValidationError(
        _(
            "%(name)s asked to restrict the processing of their data (request #%(request)s): "
            "no new training or selection starts until an officer lifts the restriction."
        )
        % {"name": participant.full_name, "request": restriction.request_id},
        code=PrivacyErrorCode.PROCESSING_RESTRICTED,
    )


def anonymised_edit_hold(participant: Participant) -> ValidationError | None:
    """Refuse every edit of an anonymised record (page, API): it is never filled in again."""
    if not is_anonymised(participant):
        return None
    return ValidationError(
        _(
            "This record was anonymised: its details are never filled in again. Register the "
            "person anew if they come back."
        ),
        code=PrivacyErrorCode.ALREADY_ANONYMISED,
    )


def restricted() -> QuerySet[Any]:
    """Ids (``pk``) of the participants whose processing is restricted now."""
    in_force = ProcessingRestriction.objects.filter(lifted_at__isnull=True)
    return Participant.objects.filter(pk__in=in_force.values("participant_id")).values("pk")


def decision_hold(participant: Participant) -> ValidationError | None:
    """Refuse a new score about a person whose processing is restricted, saying why."""
    restriction = restriction_in_force(participant)
    if restriction is None:
        return None
    return ValidationError(
        _(
            "%(name)s asked to restrict the processing of their data (request #%(request)s): "
            "no new result, shortlist or matching takes them up until an officer lifts the "
            "restriction."
        )
        % {"name": participant.full_name, "request": restriction.request_id},
        code=PrivacyErrorCode.PROCESSING_RESTRICTED,
    )
