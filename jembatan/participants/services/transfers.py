"""Consent to the transfer abroad, and the recorded hand-over of a full record to a partner.

A partner sees only the minimum a placement needs (``participants/disclosure.py``)
until :func:`data_transfer_record` records, with a stated purpose, that the
participant's full record goes to it; that rests on the participant's consent
to the transfer abroad, given by them on their own page or recorded by staff
from a signed form (:func:`transfer_consent_give`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.roles import Role
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.models import (
    Consent,
    ConsentPurpose,
    DataTransfer,
    Participant,
)
from jembatan.participants.selectors import current_consent_text, participants_visible_to
from jembatan.participants.services.registry import consent_record
from jembatan.participants.workflows import SENDERS

MIN_PURPOSE = 15


def _ensure_staff_in_scope(acting_user: Any, participant: Participant) -> None:
    in_scope = participants_visible_to(acting_user).filter(pk=participant.pk).exists()
    if role_of(acting_user) not in SENDERS or not in_scope:
        raise PermissionDenied(
            _("Only an officer or the sending organisation of this participant may do this.")
        )


def active_transfer_consent(participant: Participant) -> Consent | None:
    """The participant's consent to the transfer abroad that still stands, if any."""
    return (
        Consent.objects.filter(
            participant=participant,
            purpose=ConsentPurpose.TRANSFER_ABROAD,
            withdrawn_at__isnull=True,
        )
        .select_related("text")
        .first()
    )


@transaction.atomic
def transfer_consent_give(*, participant: Participant, language: str, acting_user: Any) -> Consent:
    """Record the participant's consent to the current transfer-abroad text (idempotent).

    The participant gives it on their own page; an officer or the sending
    organisation records it from the form the participant signed.
    """
    if role_of(acting_user) == Role.PARTICIPANT:
        if participant.user_id != acting_user.pk:
            raise PermissionDenied(_("You can only give consent for yourself."))
    else:
        _ensure_staff_in_scope(acting_user, participant)
    text = current_consent_text(ConsentPurpose.TRANSFER_ABROAD)
    if text is None:
        raise ValidationError(
            _("No text for the transfer abroad is published; ask the ministry to publish one."),
            code=ParticipantErrorCode.NO_TEXT_PUBLISHED,
        )
    return consent_record(
        participant=participant, text=text, language=language, acting_user=acting_user
    )


@transaction.atomic
def data_transfer_record(
    *, participant: Participant, purpose: str, acting_user: Any
) -> DataTransfer:
    """Record that the full record goes to the participant's partner, and why.

    Side effects: a ``DataTransfer`` tied to the consent in force (the partner
    then sees the whole record until that consent is withdrawn) and a change
    record. Refuses a participant with no partner, without a standing consent
    to the transfer abroad, or a purpose too short to say anything.
    """
    _ensure_staff_in_scope(acting_user, participant)
    purpose = purpose.strip()
    if len(purpose) < MIN_PURPOSE:
        raise ValidationError(
            {
                "purpose": ValidationError(
                    _("Say what the partner needs the full record for (at least %(n)d characters).")
                    % {"n": MIN_PURPOSE},
                    code=ParticipantErrorCode.PURPOSE_TOO_SHORT,
                )
            }
        )
    if participant.partner_id is None:
        raise ValidationError(
            _("%(name)s has no partner abroad yet: a transfer goes to the partner of a placement.")
            % {"name": participant.full_name},
            code=ParticipantErrorCode.NO_PARTNER,
        )
    consent = active_transfer_consent(participant)
    if consent is None:
        raise ValidationError(
            _(
                "%(name)s has not agreed to the transfer of their data abroad (or withdrew it). "
                "Ask them to agree on their own page, or record the consent form they signed."
            )
            % {"name": participant.full_name},
            code=ParticipantErrorCode.NO_TRANSFER_CONSENT,
        )
    transfer = DataTransfer.objects.create(
        participant=participant,
        recipient_id=participant.partner_id,
        purpose=purpose,
        consent=consent,
        recorded_by=acting_user,
        recorded_at=timezone.now(),
    )
    record_change(
        acting_user=acting_user,
        operation="participants.data_transfer_record",
        instance=transfer,
        action="create",
        changes=diff({}, snapshot(transfer)),
        reason=purpose,
    )
    return transfer
