"""The public self-registration, which must not tell a visitor who is in the registry.

A NIK already registered is answered like a new one: nothing is written for
the visitor, the registered person is told through the contact on their own
record (never the contact the visitor typed), and their record's history
shows the attempt for an officer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from jembatan.core.audit import record_change
from jembatan.organisations.models import Organisation
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.fields import ParticipantDetails
from jembatan.participants.models import ConsentText, Participant
from jembatan.participants.services.registry import (
    Outcome,
    participant_self_register,
    registered_by_submission,
    validated,
)

OPERATION = "participants.registered_nik_attempt_record"


@dataclass
class Received:
    """What the visitor may be told (``warnings``), the same for a new and a registered NIK.

    ``outcome`` is the record written, or ``None`` when the NIK was registered
    already; it is for the caller's tests and logs, never for the visitor.
    """

    warnings: list[str] = field(default_factory=list)
    outcome: Outcome | None = None


def _refused_as_registered(error: ValidationError) -> bool:
    errors = error.error_dict.get("nik", []) if hasattr(error, "error_dict") else []
    return any(e.code == ParticipantErrorCode.DUPLICATE_NIK for e in errors)


@transaction.atomic
def self_registration_receive(
    *,
    details: ParticipantDetails,
    username: str,
    password: str,
    sending_organisation: Organisation | None,
    privacy_notice: ConsentText,
    language: str,
    submission: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Received:
    """Register the visitor, or, for a NIK registered already, tell its holder instead.

    Both paths create the account first (the same slow password hashing); the
    second rolls it back. Side effects of the second: an e-mail to the address
    on the registered record (if any) and a change record on it. Other refusals
    (an organisation without an acting licence) are raised as usual.
    """
    try:
        with transaction.atomic():
            outcome = participant_self_register(
                details=details,
                username=username,
                password=password,
                sending_organisation=sending_organisation,
                privacy_notice=privacy_notice,
                language=language,
                submission=submission,
                request=request,
            )
    except ValidationError as error:
        if not _refused_as_registered(error):
            raise
        _, warnings = validated(details, defer_mismatch=True)
        if registered_by_submission(details.nik, submission) is None:
            registered_nik_attempt_record(nik=details.nik, acting_user=None, request=request)
        return Received(warnings, None)
    return Received(outcome.warnings, outcome)


@transaction.atomic
def registered_nik_attempt_record(
    *, nik: str, acting_user: Any, request: HttpRequest | None = None
) -> None:
    """Someone not told that ``nik`` is registered tried to register it: tell its holder.

    Side effects: a change record on the registered record (who tried: the
    registrar, or nobody for the public form), for officers to see, and after
    commit an e-mail to the address on that record, if it has one.
    """
    participant = Participant.objects.filter(nik=nik).first()
    if participant is None:  # the record that took the NIK was rolled back meanwhile
        return
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=participant,
        action="update",
        reason="Someone who may not see this record tried to register its NIK again; "
        "nothing was written.",
        request=request,
    )
    if participant.email:
        transaction.on_commit(lambda: _send(participant))


def _send(participant: Participant) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Someone tried to register with your NIK")
        body = _(
            "Hello %(name)s,\n\nSomeone tried to register the NIK on your record in the overseas "
            "apprenticeship programme again. Nothing was changed and no new record or account "
            "was made.\n\nIf it was you, sign in with the account you already have. If you did "
            "not expect this, contact your provincial manpower office (Disnaker)."
        ) % {"name": participant.full_name}
    send_mail(subject, body, None, [participant.email])
