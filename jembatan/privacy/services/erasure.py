"""Deleting a person's data on their request by anonymising the record (UU PDP art. 8, 43, 45).

The participant row stays (consents, journey, selection and training rows
point at it, and the programme's statistics count it), emptied of what
identifies the person:

- **removed**: name (becomes ``Anonim #<id>``), NIK (becomes ``00`` and the id:
  no province has code 00, so it can never be a real NIK), place of birth,
  address, district, village, phone, e-mail, emergency contact, passport,
  marital status, the identity-verification note; every document with its
  file; the sign-in account's name, e-mail and password (the account is closed);
  open sign-in invitations are voided; what the person wrote in their requests;
- **kept, for statistics**: sex, year of birth (the date becomes 1 January),
  regency and province, education, the journey's history, consents given and
  withdrawn, and the audit trail of who did what and when. The values the
  person's earlier change records held (their own record's and their
  account's) are blanked by ``core.audit.scrub_subject``, the one audited
  exception to the append-only trail; the change records of the anonymisation
  itself name the fields, never the values removed.

Refused while a retention rule applies (``privacy/retention.py``). A person
still registered, verified or certified leaves the programme first (the
journey's *withdraw*, with the reason).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.accounts.models import User
from jembatan.core.audit import record_change, scrub_subject, snapshot
from jembatan.documents.models import Document
from jembatan.participants.models import Invitation, JourneyStatus, Participant
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.locks import lock_participant
from jembatan.privacy.models import RightsRequest
from jembatan.privacy.retention import is_anonymised, retention_reasons

REMOVED = "•••"  # what a change record shows instead of a removed value
EMPTIED = (
    "birth_place",
    "district",
    "village",
    "address",
    "phone",
    "email",
    "emergency_contact_name",
    "emergency_contact_relation",
    "emergency_contact_phone",
    "passport_number",
    "identity_verification_note",
)
NULLED = ("passport_expiry", "marital_status", "registration_token")
IDENTIFYING = ("nik", "full_name", "birth_date")
GONE = frozenset({JourneyStatus.WITHDRAWN, JourneyStatus.REJECTED})


def anonymous_nik(pk: int) -> str:
    """16 digits starting ``00`` (no such province): unique per record, never a real NIK."""
    return f"00{pk:014d}"


@transaction.atomic
def participant_anonymise(
    *, participant: Participant, acting_user: Any, reason: str, request: HttpRequest | None = None
) -> Participant:
    """Anonymise ``participant`` and any record merged into it (see the module's docstring).

    Refuses a record already anonymised and a record a retention rule keeps,
    naming the rules; nothing is written then. Document files are removed from
    storage once the transaction commits.
    """
    locked = lock_participant(participant.pk)
    if is_anonymised(locked):
        raise ValidationError(
            _("This record was anonymised already."), code=PrivacyErrorCode.ALREADY_ANONYMISED
        )
    reasons = retention_reasons(locked)
    if reasons:
        raise ValidationError(
            [ValidationError(str(r), code=PrivacyErrorCode.RETAINED) for r in reasons]
        )
    if locked.status not in GONE:
        participant_transition(
            participant=locked,
            action=JourneyAction.WITHDRAW,
            acting_user=acting_user,
            reason=reason,
        )
    for record in [locked, *Participant.objects.filter(merged_into=locked)]:
        _anonymise_one(record, acting_user, reason, request)
    participant.refresh_from_db()
    return participant


def _anonymise_one(
    record: Participant, acting_user: Any, reason: str, request: HttpRequest | None
) -> None:
    _empty_record(record, acting_user, reason, request)
    _remove_documents(record, acting_user, reason)
    _close_account(record, acting_user, reason)
    _void_invitations(record, acting_user, reason)
    RightsRequest.objects.filter(participant=record).update(
        details="—", proposed_value="", applied_value=""
    )


def _masked(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields that changed, with the removed values masked: the trail keeps no copy."""
    return {
        name: {
            "before": REMOVED if before[name] not in ("", None) else before[name],
            "after": value,
        }
        for name, value in after.items()
        if before[name] != value
    }


def _empty_record(
    record: Participant, acting_user: Any, reason: str, request: HttpRequest | None
) -> None:
    names = ["nik", "full_name", "birth_date", *EMPTIED, *NULLED, "version"]
    before = snapshot(record, names)
    record.nik = anonymous_nik(record.pk)
    record.full_name = f"Anonim #{record.pk}"
    record.birth_date = dt.date(record.birth_date.year, 1, 1)
    for name in EMPTIED:
        setattr(record, name, "")
    for name in NULLED:
        setattr(record, name, None)
    record.version += 1
    record.save(update_fields=names)
    # Earlier change records held these values: blanked, who did what stays (core/audit.py).
    scrub_subject(
        instance=record,
        fields=[*IDENTIFYING, *EMPTIED, *NULLED],
        acting_user=acting_user,
        operation="privacy.participant_anonymise",
        reason=reason,
    )
    record_change(
        acting_user=acting_user,
        operation="privacy.participant_anonymise",
        instance=record,
        action="update",
        changes=_masked(before, snapshot(record, names)),
        reason=reason,
        request=request,
    )


def _remove_documents(record: Participant, acting_user: Any, reason: str) -> None:
    documents = list(Document.objects.filter(participant=record))
    for document in documents:
        record_change(
            acting_user=acting_user,
            operation="privacy.participant_anonymise",
            instance=document,
            action="delete",
            changes={"file": {"before": REMOVED, "after": None}},
            reason=reason,
        )
        _remove_file_after_commit(document)
    rows = Document.objects.filter(pk__in=[d.pk for d in documents])
    rows.update(replaced_by=None)  # the versions point at each other; all of them go
    rows.delete()


def _remove_file_after_commit(document: Document) -> None:
    storage, name = document.file.storage, document.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _close_account(record: Participant, acting_user: Any, reason: str) -> None:
    if record.user_id is None:
        return
    user = User.objects.get(pk=record.user_id)
    names = ["username", "first_name", "last_name", "email", "is_active"]
    before = snapshot(user, names)
    user.username = f"anonim-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=[*names, "password"])
    scrub_subject(
        instance=user,
        fields=["username", "first_name", "last_name", "email", "full_name"],
        acting_user=acting_user,
        operation="privacy.participant_anonymise",
        reason=reason,
    )
    record_change(
        acting_user=acting_user,
        operation="privacy.participant_anonymise",
        instance=user,
        action="update",
        changes=_masked(before, snapshot(user, names)),
        reason=reason,
    )


def _void_invitations(record: Participant, acting_user: Any, reason: str) -> None:
    now = timezone.now()
    open_ones = Invitation.objects.filter(
        participant=record, used_at__isnull=True, voided_at__isnull=True
    )
    for invitation in open_ones:
        invitation.voided_at = now
        invitation.save(update_fields=["voided_at"])
        record_change(
            acting_user=acting_user,
            operation="privacy.participant_anonymise",
            instance=invitation,
            action="update",
            changes={"voided_at": {"before": None, "after": now.isoformat()}},
            reason=reason,
        )
