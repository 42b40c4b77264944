"""Rights requests: a participant files one, an officer takes it up and decides (UU PDP art. 6-14).

Filing gives the request its deadline from the versioned table
(``deadlines.py``) and its owner (``rules.owner_province``). Carrying it out
goes through the service that owns the data: ``participant_update`` for a
correction, ``participant_anonymise`` for a deletion, a restriction of
processing for *restrict* and *object*, ``consent_withdraw`` for a withdrawal.
A withdrawal takes effect the moment it is filed (art. 9: at any time); the
officer then confirms it with an outcome that says what it means.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.participants.fields import DETAILS, ParticipantDetails
from jembatan.participants.models import Consent, Participant
from jembatan.participants.services.registry import (
    EditConflict,
    consent_withdraw,
    participant_update,
)
from jembatan.privacy.deadlines import deadline_for, table_version
from jembatan.privacy.errors import PrivacyErrorCode, field_refusal
from jembatan.privacy.locks import lock_rights_request
from jembatan.privacy.models import OPEN_STATUSES, RequestKind, RequestStatus, RightsRequest
from jembatan.privacy.outcomes import outcome_text, shown_value
from jembatan.privacy.restrictions import restriction_in_force
from jembatan.privacy.retention import retention_reasons
from jembatan.privacy.rules import is_own, may_handle, owner_province
from jembatan.privacy.services.erasure import participant_anonymise
from jembatan.privacy.services.restrictions import restriction_place
from jembatan.privacy.workflows import REQUEST_WORKFLOW, RequestAction

# The fields a correction may name: the details a person declares, in the form's order.
CORRECTABLE = DETAILS
# Optional details a person may ask to have emptied (the others always hold a value).
CLEARABLE = frozenset(
    n for n in CORRECTABLE if getattr(Participant._meta.get_field(n), "blank", False)
)
DECISION_FIELDS = [
    "status",
    "handled_by",
    "taken_at",
    "decided_at",
    "decision_note",
    "outcome",
    "applied_value",
]


# --- filing ------------------------------------------------------------------------


@transaction.atomic
def request_file(
    *,
    participant: Participant,
    kind: str,
    details: str,
    acting_user: Any,
    language: str,
    field_name: str = "",
    proposed_value: str = "",
    consent: Consent | None = None,
    request: HttpRequest | None = None,
) -> RightsRequest:
    """File a request of ``participant`` about their own data; a withdrawal takes effect now.

    Refuses anyone but the participant themself, a request without a word of
    what and why, a correction of a field that is not the person's own details
    or without the right value, a withdrawal of a consent that is not theirs or
    already withdrawn, a restriction while one is in force, and a second open
    request for the same thing. Side effects: the request with its deadline and
    owner, a change record; for a withdrawal, the consent withdrawn
    (``consent_withdraw``).
    """
    if not is_own(acting_user, participant):
        raise PermissionDenied(_("A request about personal data is filed by the person themself."))
    kind = RequestKind(kind)
    details = details.strip()
    if not details:
        raise field_refusal(
            "details", _("Say what you ask for and why."), PrivacyErrorCode.REASON_REQUIRED
        )
    field_name, proposed_value = _check_kind(participant, kind, field_name, proposed_value, consent)
    _ensure_none_open(participant, kind, field_name, consent)
    rights_request = _create(
        participant, kind, details, acting_user, language, field_name, proposed_value, consent
    )
    record_change(
        acting_user=acting_user,
        operation="privacy.request_file",
        instance=rights_request,
        action="create",
        changes=diff({}, snapshot(rights_request)),
        reason=details,
        request=request,
    )
    if kind == RequestKind.WITHDRAW and consent is not None:
        consent_withdraw(consent=consent, acting_user=acting_user)
    return rights_request


def _check_kind(
    participant: Participant,
    kind: RequestKind,
    field_name: str,
    proposed_value: str,
    consent: Consent | None,
) -> tuple[str, str]:
    """The correction's field and value (empty for other kinds), or the refusal of the kind."""
    if kind == RequestKind.CORRECT:
        return _check_correction(field_name, proposed_value)
    if kind == RequestKind.WITHDRAW:
        _check_withdrawal(participant, consent)
    if kind in (RequestKind.RESTRICT, RequestKind.OBJECT):
        restriction = restriction_in_force(participant)
        if restriction is not None:
            raise ValidationError(
                _("The processing of your data is already restricted (request #%(id)s).")
                % {"id": restriction.request_id},
                code=PrivacyErrorCode.ALREADY_RESTRICTED,
            )
    return "", ""


def _check_correction(field_name: str, proposed_value: str) -> tuple[str, str]:
    if field_name not in CORRECTABLE:
        raise field_refusal(
            "field_name",
            _("Choose the part of your record to correct."),
            PrivacyErrorCode.NOT_CORRECTABLE,
        )
    proposed_value = proposed_value.strip()
    if not proposed_value:
        raise field_refusal(
            "proposed_value",
            _("Write what your record should say."),
            PrivacyErrorCode.NOTHING_TO_CORRECT,
        )
    return field_name, proposed_value


def _check_withdrawal(participant: Participant, consent: Consent | None) -> None:
    if consent is None or consent.participant_id != participant.pk:
        raise field_refusal(
            "consent", _("Choose one of your consents."), PrivacyErrorCode.NOT_YOUR_CONSENT
        )
    if consent.withdrawn_at is not None:
        raise field_refusal(
            "consent", _("This consent is already withdrawn."), PrivacyErrorCode.CONSENT_WITHDRAWN
        )


def _ensure_none_open(
    participant: Participant, kind: RequestKind, field_name: str, consent: Consent | None
) -> None:
    same = RightsRequest.objects.filter(
        participant=participant, kind=kind, status__in=sorted(OPEN_STATUSES)
    )
    if kind == RequestKind.CORRECT:
        same = same.filter(field_name=field_name)
    if same.exists():
        raise ValidationError(
            _("You already asked for this (request #%(id)s); an officer is on it.")
            % {"id": same.values_list("pk", flat=True).first()},
            code=PrivacyErrorCode.ALREADY_OPEN,
        )


def _create(
    participant: Participant,
    kind: RequestKind,
    details: str,
    acting_user: Any,
    language: str,
    field_name: str,
    proposed_value: str,
    consent: Consent | None,
) -> RightsRequest:
    now = timezone.now()
    deadline = deadline_for(kind)
    return RightsRequest.objects.create(
        participant=participant,
        kind=kind,
        details=details,
        field_name=field_name,
        proposed_value=proposed_value,
        consent=consent,
        language="en" if language.startswith("en") else "id",
        received_at=now,
        due_at=deadline.due(now),
        deadline_basis=deadline.basis[:300],
        deadline_table=table_version(),
        owner_province=owner_province(participant),
        filed_by=acting_user,
    )


# --- handling ----------------------------------------------------------------------


def _check(rights_request: RightsRequest, action: RequestAction, acting_user: Any) -> None:
    REQUEST_WORKFLOW.check(rights_request.status, action, name=f"#{rights_request.pk}")
    REQUEST_WORKFLOW.check_actor(action, acting_user)
    if not may_handle(acting_user, rights_request):
        raise PermissionDenied(_("This request belongs to the officers of another province."))


@transaction.atomic
def request_take(
    *, rights_request: RightsRequest, acting_user: Any, request: HttpRequest | None = None
) -> RightsRequest:
    """An officer takes the request up: it is theirs to handle (``REQUEST_WORKFLOW``)."""
    locked = lock_rights_request(rights_request.pk)
    _check(locked, RequestAction.TAKE, acting_user)
    before = snapshot(locked, DECISION_FIELDS)
    locked.status = RequestStatus.IN_PROGRESS
    locked.handled_by = acting_user
    locked.taken_at = timezone.now()
    locked.save(update_fields=["status", "handled_by", "taken_at"])
    record_change(
        acting_user=acting_user,
        operation="privacy.request_take",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked, DECISION_FIELDS)),
        request=request,
    )
    return locked


@transaction.atomic
def request_complete(
    *,
    rights_request: RightsRequest,
    acting_user: Any,
    note: str = "",
    value: Any = None,
    request: HttpRequest | None = None,
) -> RightsRequest:
    """Carry the request out through the owning service, then record the outcome.

    ``value`` is the correction's value, typed (a date, a region, a string),
    as the officer confirmed it. Refuses what the owning service refuses (a
    value the registry does not accept, a record that must be kept), with
    nothing written.
    """
    locked = lock_rights_request(rights_request.pk)
    _check(locked, RequestAction.COMPLETE, acting_user)
    applied = CARRY_OUT[RequestKind(locked.kind)](locked, acting_user, value, request)
    return _record_request_outcome(
        locked, RequestStatus.DONE, acting_user, note.strip(), applied, request
    )


@transaction.atomic
def request_refuse(
    *,
    rights_request: RightsRequest,
    acting_user: Any,
    reason: str,
    request: HttpRequest | None = None,
) -> RightsRequest:
    """Refuse the request with the reason the person reads; nothing else changes.

    A deletion's refusal names the retention rules that apply. A withdrawal of
    consent is never refused: it took effect when it was filed.
    """
    locked = lock_rights_request(rights_request.pk)
    _check(locked, RequestAction.REFUSE, acting_user)
    if locked.kind == RequestKind.WITHDRAW:
        raise ValidationError(
            _("A consent may be withdrawn at any time (UU PDP art. 9): carry the request out."),
            code=PrivacyErrorCode.WITHDRAWAL_NOT_REFUSABLE,
        )
    reason = reason.strip()
    if not reason:
        raise field_refusal(
            "reason", _("Say why: the person reads it."), PrivacyErrorCode.REASON_REQUIRED
        )
    return _record_request_outcome(locked, RequestStatus.REFUSED, acting_user, reason, "", request)


def _record_request_outcome(
    locked: RightsRequest,
    status: RequestStatus,
    acting_user: Any,
    note: str,
    applied: str,
    request: HttpRequest | None,
) -> RightsRequest:
    before = snapshot(locked, DECISION_FIELDS)
    now = timezone.now()
    reasons = (
        retention_reasons(locked.participant)
        if status == RequestStatus.REFUSED and locked.kind == RequestKind.DELETE
        else []
    )
    locked.status = status
    locked.handled_by = locked.handled_by or acting_user
    locked.taken_at = locked.taken_at or now
    locked.decided_at = now
    locked.decision_note = note
    locked.applied_value = applied
    locked.outcome = outcome_text(
        locked, done=status == RequestStatus.DONE, note=note, at=now, reasons=reasons
    )
    locked.save(update_fields=DECISION_FIELDS)
    record_change(
        acting_user=acting_user,
        operation=f"privacy.request_{'complete' if status == RequestStatus.DONE else 'refuse'}",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked, DECISION_FIELDS)),
        reason=note,
        request=request,
    )
    return locked


# --- carrying out, per kind ---------------------------------------------------------------


def _correct(
    rights_request: RightsRequest, acting_user: Any, value: Any, request: HttpRequest | None
) -> str:
    """Write the corrected field through the registry's own edit (its checks, its change record)."""
    name = rights_request.field_name
    participant = Participant.objects.get(pk=rights_request.participant_id)
    current = ParticipantDetails.of(participant)
    if value in (None, "") and name not in CLEARABLE:
        raise field_refusal(
            "value", _("Give the value to write."), PrivacyErrorCode.NOTHING_TO_CORRECT
        )
    if getattr(current, name) == value:
        raise field_refusal(
            "value",
            _("The record already says this. Refuse the request if nothing is wrong."),
            PrivacyErrorCode.NOTHING_TO_CORRECT,
        )
    moved = current.regency_confirmed or name == "regency"
    # A NIK is not reissued when the birth date or sex is corrected: the officer carrying out
    # the person's request confirms the disagreement it may leave, naming the request.
    reason = current.nik_mismatch_reason or (
        _("Corrected at the person's request (request %(id)s); a NIK is not reissued.")
        % {"id": rights_request.pk}
    )
    corrected = dataclasses.replace(
        current, **{name: value}, regency_confirmed=moved, nik_mismatch_reason=reason
    )
    try:
        participant_update(
            participant=participant,
            details=corrected,
            acting_user=acting_user,
            expected_version=participant.version,
            request=request,
        )
    except ValidationError as error:
        raise _on_value(error, name) from error
    except EditConflict as conflict:
        raise ValidationError(
            _("Someone saved the record meanwhile; open the request again."),
            code=PrivacyErrorCode.NOTHING_TO_CORRECT,
        ) from conflict
    participant.refresh_from_db()
    return shown_value(participant, name)[:300]


def _on_value(error: ValidationError, name: str) -> ValidationError:
    """The registry's refusal of the corrected field, put beside the officer's value."""
    if hasattr(error, "error_dict") and name in error.error_dict:
        return ValidationError({"value": error.error_dict[name]})
    return error


def _delete(
    rights_request: RightsRequest, acting_user: Any, value: Any, request: HttpRequest | None
) -> str:
    participant_anonymise(
        participant=rights_request.participant,
        acting_user=acting_user,
        reason=_("Deleted at the person's request #%(id)s.") % {"id": rights_request.pk},
        request=request,
    )
    return ""


def _restrict(
    rights_request: RightsRequest, acting_user: Any, value: Any, request: HttpRequest | None
) -> str:
    restriction_place(rights_request=rights_request, acting_user=acting_user, request=request)
    return ""


def _withdraw(
    rights_request: RightsRequest, acting_user: Any, value: Any, request: HttpRequest | None
) -> str:
    if rights_request.consent is not None:
        consent_withdraw(consent=rights_request.consent, acting_user=acting_user)
    return ""


CarryOut = Callable[[RightsRequest, Any, Any, "HttpRequest | None"], str]
CARRY_OUT: dict[RequestKind, CarryOut] = {
    RequestKind.CORRECT: _correct,
    RequestKind.DELETE: _delete,
    RequestKind.RESTRICT: _restrict,
    RequestKind.OBJECT: _restrict,
    RequestKind.WITHDRAW: _withdraw,
}
