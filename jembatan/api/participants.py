"""API: the registry, filtered by who asks, paged by keyset; registering and journey steps.

Writes go through the same forms and services as the pages, so a refusal has
the same words: errors come back as ``422 {"errors": {field: [{"message",
"code"}]}}`` (``__all__`` for refusals that concern no single field, such as
the licence rule).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BaseModel, create_model

from jembatan.api.access import roles
from jembatan.api.paging import page_size
from jembatan.api.refusals import service_refusals
from jembatan.core.access import role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page
from jembatan.core.refusals import add_errors
from jembatan.core.roles import NATIONAL, READERS, STAFF, Role
from jembatan.organisations.models import Organisation
from jembatan.participants.disclosure import age_on, mask_nik, sees_full_record
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.fields import DETAILS
from jembatan.participants.forms import StaffRegistrationForm
from jembatan.participants.models import ConsentPurpose, JourneyStatus, Participant
from jembatan.participants.rules import OFFICERS
from jembatan.participants.selectors import (
    current_consent_text,
    participant_for,
    participants_visible_to,
)
from jembatan.participants.services.registry import (
    journey_action_to,
    participant_nik_mismatch_confirm,
    participant_register,
    participant_transition,
    registered_by_submission,
)
from jembatan.participants.services.self_registration import registered_nik_attempt_record

router = Router(tags=["participants"])


# The list's two schemas are pydantic models, not ninja's ``Schema``: the views hand
# them plain dicts (``_out``), which pydantic checks in its compiled core, whereas
# ``Schema`` reads each field of each row through ninja's attribute getter in Python
# (a tenth of the list's cost at 50 rows). The OpenAPI document is the same.
class ParticipantOut(BaseModel):
    """A participant as the API shows it to those in scope.

    A partner abroad without a recorded transfer of the full record gets the
    NIK masked (first and last four digits) and no birth date, only the age.
    """

    id: int
    nik: str
    full_name: str
    sex: str
    birth_date: dt.date | None
    age: int
    regency_code: str
    status: str
    sending_organisation_id: int | None
    version: int


class ParticipantPage(BaseModel):
    """One page of participants and the cursor for the next."""

    items: list[ParticipantOut]
    next_cursor: int | None


# The columns ParticipantOut reads, as plain values: a page of 500 loads nothing else
# and builds no model instance.
OUT_COLUMNS = (
    "pk",
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "regency_id",
    "status",
    "sending_organisation_id",
    "version",
)


def _out(
    p: Mapping[str, Any], *, full: bool = True, today: dt.date | None = None
) -> dict[str, Any]:
    """A participant's ``OUT_COLUMNS``; without ``full`` (a partner with no transfer) NIK
    masked, no birth date."""
    return {
        "id": p["pk"],
        "nik": p["nik"] if full else mask_nik(p["nik"]),
        "full_name": p["full_name"],
        "sex": p["sex"],
        "birth_date": p["birth_date"] if full else None,
        "age": age_on(p["birth_date"], today or timezone.localdate()),
        "regency_code": p["regency_id"],
        "status": p["status"],
        "sending_organisation_id": p["sending_organisation_id"],
        "version": p["version"],
    }


def _columns(participant: Participant) -> dict[str, Any]:
    return {name: getattr(participant, name) for name in OUT_COLUMNS}


@router.get("/participants", response=ParticipantPage, **roles(READERS, Role.PARTNER))
def list_participants(
    request: HttpRequest, status: str = "", after: int | None = None, limit: int = 50
) -> dict[str, Any]:
    """Participants in the caller's scope, newest first; pass ``next_cursor`` as ``after``."""
    rows = (
        participants_visible_to(request.user).filter(archived_at__isnull=True).values(*OUT_COLUMNS)
    )
    if status in JourneyStatus.values:
        rows = rows.filter(status=status)
    page = keyset_page(rows, after=after, size=page_size(limit))
    record_access(acting_user=request.user, purpose="api.participants.list", request=request)
    full = role_of(request.user) != Role.PARTNER  # a partner's list never shows whole NIKs
    today = timezone.localdate()
    items = [_out(p, full=full, today=today) for p in page.items]
    return {"items": items, "next_cursor": page.next_cursor}


@router.get("/participants/{pk}", response=ParticipantOut, **roles(READERS, Role.PARTNER))
def get_participant(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One participant in the caller's scope (404 otherwise); the read is logged."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="api.participants.detail",
        instance=participant,
        request=request,
    )
    return _out(_columns(participant), full=sees_full_record(request.user, participant))


# --- registering -------------------------------------------------------------------------


def _details_in() -> type[Schema]:
    """Every detail (``fields.DETAILS``) as the text the form reads (a NIK also as a number);
    the regency by its code, with the confirmation of a move."""
    inputs: dict[str, Any] = {}
    for name in DETAILS:
        if name == "regency":
            inputs |= {"regency_code": (str, ""), "regency_confirmed": (bool, False)}
        else:
            inputs[name] = (str | int, "") if name == "nik" else (str, "")
    return create_model("DetailsIn", __base__=Schema, **inputs)


class ParticipantIn(_details_in()):  # type: ignore[misc]  # a base built from fields.DETAILS
    """A candidate to register. Texts are read like the form's; dates ISO or dd/mm/yyyy."""

    sending_organisation_id: int | None = None
    privacy_agreed: bool = False
    submission: uuid.UUID | None = None
    # Why the NIK may disagree with the birth date or sex: send it again with the
    # registration after a 409 ``nik_mismatch_unconfirmed`` (a NIK is never reissued).
    nik_mismatch_reason: str = ""


class Registered(Schema):
    """The registered participant and what the caller should look at."""

    participant: ParticipantOut
    warnings: list[str]
    duplicate_suspected: bool
    already_registered: bool


REGISTRARS = (NATIONAL, Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR)


def _form_data(payload: ParticipantIn, organisation_id: int | None) -> dict[str, Any]:
    notice = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    data: dict[str, Any] = payload.dict(
        exclude={"regency_code", "sending_organisation_id", "privacy_agreed"}
    )
    return data | {
        "nik": str(payload.nik),
        "regency": payload.regency_code,
        "sending_organisation": organisation_id or "",
        "privacy_notice": notice.pk if notice else "",
        "privacy_agreed": "on" if payload.privacy_agreed else "",
        "submission": str(payload.submission or uuid.uuid4()),
    }


MISMATCH = ParticipantErrorCode.NIK_MISMATCH_UNCONFIRMED


def _invalid(form: StaffRegistrationForm) -> Status[Any]:
    """422 with every error by field; 409 when all that is missing is the reason for a NIK
    that disagrees with the birth date or sex (send ``nik_mismatch_reason``)."""
    errors = form.errors.get_json_data()
    codes = {error["code"] for field_errors in errors.values() for error in field_errors}
    if codes == {MISMATCH}:
        return Status(
            409, {"code": MISMATCH, "confirm_with": "nik_mismatch_reason", "errors": errors}
        )
    return Status(422, {"errors": errors})


def _replayed(form: StaffRegistrationForm, request: HttpRequest) -> Participant | None:
    """The record an earlier call with the same ``submission`` created, if the caller sees it."""
    nik, submission = form.duplicate_nik, form.cleaned_data.get("submission")
    existing = registered_by_submission(nik, submission) if nik else None
    if existing and participants_visible_to(request.user).filter(pk=existing.pk).exists():
        return existing
    return None


@router.post(
    "/participants",
    response={200: Registered, 201: Registered, 409: dict[str, Any], 422: dict[str, Any]},
    **roles(*REGISTRARS),
)
def register_participant(request: HttpRequest, payload: ParticipantIn) -> Status[Any]:
    """Register a candidate with the checks of the registration page (NIK, licence, duplicates).

    Sender operators register for their own organisation (``sending_organisation_id``
    may be left out); officers may name any licensed organisation, or none. Send
    the same ``submission`` UUID again to retry safely: the record it created is
    returned with ``already_registered: true``.

    A NIK already registered to a person the caller may not see is refused
    with ``nik_not_accepted``, which does not say why (it does not tell a
    sending organisation who else is in the programme); the registered person
    is told through the contact on their own record and the try is recorded on
    it under the caller's name for officers. Inside the caller's scope the
    refusal is ``duplicate_nik``, which says the NIK is registered.

    A NIK whose birth date or sex part disagrees with what is sent is answered 409
    ``nik_mismatch_unconfirmed`` (nothing is written): a NIK is never reissued when
    the civil registry corrects them, so send the registration again with
    ``nik_mismatch_reason``. An officer's reason confirms it; a sending
    organisation's is kept and the record waits for an officer.
    """
    user: Any = request.user
    operator = role_of(user) == Role.SENDER_OPERATOR
    chosen = payload.sending_organisation_id
    if operator and chosen not in (None, user.organisation_id):
        raise HttpError(403, "You register candidates for your own organisation only.")
    form = StaffRegistrationForm(
        _form_data(payload, chosen), organisation_choice=not operator, registrar=user
    )
    if not form.is_valid():
        existing = _replayed(form, request) if form.duplicate_nik else None
        if existing is not None:
            return Status(200, _registered(existing, [], already=True))
        if form.hidden_holder_nik:
            registered_nik_attempt_record(
                nik=form.hidden_holder_nik, acting_user=user, request=request
            )
        return _invalid(form)
    organisation: Organisation | None = (
        user.organisation if operator else form.cleaned_data.get("sending_organisation")
    )
    try:
        outcome = participant_register(
            details=form.details(),
            sending_organisation=organisation,
            acting_user=user,
            privacy_notice=form.cleaned_data["privacy_notice"],
            consent_language=get_language() or "id",
            submission=form.cleaned_data["submission"],
            request=request,
        )
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
    except ValidationError as error:
        add_errors(form, error)
        return _invalid(form)
    return Status(
        201,
        _registered(outcome.participant, outcome.warnings, suspected=outcome.duplicate_suspected),
    )


def _registered(
    participant: Participant, warnings: list[str], *, already: bool = False, suspected: bool = False
) -> dict[str, Any]:
    return {
        "participant": _out(_columns(participant)),
        "warnings": warnings,
        "duplicate_suspected": suspected,
        "already_registered": already,
    }


class NikConfirmationIn(Schema):
    """Why the NIK may disagree with the birth date or sex (what the officer checked)."""

    reason: str


@router.post(
    "/participants/{pk}/nik-confirmation",
    response={200: ParticipantOut},
    **roles(OFFICERS),
)
def confirm_nik_mismatch(request: HttpRequest, pk: int, payload: NikConfirmationIn) -> Status[Any]:
    """An officer confirms a NIK that disagrees with the birth date or sex, with a reason.

    409 ``nik_mismatch_not_pending`` when the record has nothing awaiting confirmation.
    """
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="api.participants.nik_confirmation",
        instance=participant,
        request=request,
    )
    with service_refusals(ParticipantErrorCode.NIK_MISMATCH_NOT_PENDING):
        participant_nik_mismatch_confirm(
            participant=participant, acting_user=request.user, reason=payload.reason
        )
    return Status(200, _out(_columns(participant)))


# --- journey steps ------------------------------------------------------------------------


class TransitionIn(Schema):
    """The next step and, where the journey asks for one, the reason."""

    to_status: str
    reason: str = ""


@router.post(
    "/participants/{pk}/transition",
    response={200: ParticipantOut, 422: dict[str, Any]},
    **roles(STAFF, Role.PARTNER),
)
def transition_participant(request: HttpRequest, pk: int, payload: TransitionIn) -> Status[Any]:
    """Move a participant in the caller's scope one step along the journey (or say why not)."""
    participant = participant_for(request.user, pk)
    try:
        participant_transition(
            participant=participant,
            action=journey_action_to(participant, payload.to_status),
            acting_user=request.user,
            reason=payload.reason,
        )
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
    except ValidationError as error:
        codes = [e.code or "invalid" for e in error.error_list]
        messages = [{"message": m, "code": c} for m, c in zip(error.messages, codes, strict=False)]
        return Status(422, {"errors": {"__all__": messages}})
    return Status(200, _out(_columns(participant)))
