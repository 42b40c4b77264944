"""The only writers of the registry: register, edit, move along the journey, verify, consent.

Each service is atomic, checks who acts and on what (rules.py, the selectors'
scope, the licence rule), and writes the audit trail explicitly. Every write
to a participant row increments ``version`` so that a concurrent edit is
noticed instead of silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.accounts.services import participant_account_create
from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.models import ChangeRecord, Region
from jembatan.core.roles import Role
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.organisations.models import Organisation
from jembatan.organisations.rules import ensure_can_act
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.fields import IDENTITY, ParticipantDetails
from jembatan.participants.locks import lock_consent, lock_participant
from jembatan.participants.models import (
    Consent,
    ConsentText,
    JourneyStatus,
    Participant,
    ParticipantStatusChange,
)
from jembatan.participants.rules import (
    edit_hold,
    ensure_may_register,
    journey_hold,
    may_edit,
    may_edit_identity,
    may_move,
    may_verify_identity,
    verification_blockers,
)
from jembatan.participants.selectors import participants_visible_to
from jembatan.participants.services.duplicates import flag_probable_duplicates
from jembatan.participants.validation import (
    check_birth_date,
    check_identity,
    clean_passport_number,
    clean_phone,
    identity_errors,
    identity_warnings,
    nik_mismatch,
    nik_mismatch_refusal,
    regency_contradiction,
)
from jembatan.participants.workflows import (
    JOURNEY_STEPS,
    JOURNEY_WORKFLOW,
    JourneyAction,
    JourneyStep,
    allowed_targets,
    journey_step,
)

CLEANERS: dict[str, Callable[[str], str]] = {
    "phone": clean_phone,
    "emergency_contact_phone": clean_phone,
    "passport_number": clean_passport_number,
}


@dataclass
class Outcome:
    """A written participant and what the writer should tell the user."""

    participant: Participant
    warnings: list[str] = field(default_factory=list)
    duplicate_suspected: bool = False


@dataclass(frozen=True)
class ChangeSummary:
    """Who changed which fields of a record, and when."""

    actor: str
    at: dt.datetime
    fields: list[str]


class EditConflict(Exception):
    """Someone saved the record after the editor opened it; nothing was written."""

    def __init__(self, current: Participant, changes: list[ChangeSummary]) -> None:
        super().__init__("edit conflict")
        self.current = current
        self.changes = changes


# --- shared checks ---------------------------------------------------------------


def duplicate_nik_error() -> ValidationError:
    """The friendly refusal of a NIK that is already registered; it names nobody."""
    return ValidationError(
        {
            "nik": [
                ValidationError(
                    _("This NIK is already registered."), code=ParticipantErrorCode.DUPLICATE_NIK
                )
            ]
        }
    )


@dataclass(frozen=True)
class Validated:
    """Details that passed the checks, what to tell the user, and what the NIK disagrees with."""

    details: ParticipantDetails
    warnings: list[str]
    mismatch: str  # "birth_date", "sex", both, or "": see validation.nik_mismatch


def validated(
    details: ParticipantDetails, *, defer_mismatch: bool = False
) -> tuple[ParticipantDetails, list[str]]:
    """The details cleaned (E.164 phones, 16-digit NIK), and warnings; or a ValidationError.

    A NIK that disagrees with the birth date or sex is refused until a reason is
    given, unless ``defer_mismatch`` (nobody there can confirm: self-registration).
    """
    result = checked(details, defer_mismatch=defer_mismatch)
    return result.details, result.warnings


def checked(details: ParticipantDetails, *, defer_mismatch: bool = False) -> Validated:
    """:func:`validated`, also saying what the NIK disagrees with."""
    check = check_identity(details.nik, birth_date=details.birth_date, sex=details.sex)
    errors: dict[str, list[str]] = identity_errors(check)
    if details.birth_date is not None and "birth_date" not in errors:
        try:
            check_birth_date(details.birth_date)
        except ValidationError as error:
            errors["birth_date"] = error.messages
    cleaned: dict[str, Any] = {}
    for name, cleaner in CLEANERS.items():
        try:
            cleaned[name] = cleaner(getattr(details, name))
        except ValidationError as error:
            errors[name] = error.messages
    moved = regency_contradiction(check.nik, details.regency.code if details.regency else None)
    if moved and not details.regency_confirmed:
        errors.setdefault("regency", []).append(moved)
    if errors:
        raise ValidationError(errors)
    mismatch = nik_mismatch(check)
    reason = details.nik_mismatch_reason.strip()
    if mismatch and not reason and not defer_mismatch:
        raise nik_mismatch_refusal(check)
    cleaned_details = replace(
        details,
        nik=check.nik or details.nik,
        nik_mismatch_reason=reason if mismatch else "",
        **cleaned,
    )
    return Validated(cleaned_details, identity_warnings(check), mismatch)


def _set_mismatch(
    participant: Participant, result: Validated, acting_user: Any, *, identity_kept: bool = False
) -> None:
    """Record what the NIK disagrees with and, when an officer gave the reason, the confirmation.

    Kept as it is when nothing about it changed (an edit of the phone number does not
    undo an officer's confirmation; a new NIK, birth date or sex does); anyone else's
    reason leaves it for an officer.
    """
    reason = result.details.nik_mismatch_reason
    unchanged = identity_kept and (participant.nik_mismatch, participant.nik_mismatch_reason) == (
        result.mismatch,
        reason,
    )
    if unchanged and participant.nik_mismatch_confirmed_at is not None:
        return
    participant.nik_mismatch, participant.nik_mismatch_reason = result.mismatch, reason
    confirmed = bool(result.mismatch and reason and may_verify_identity(acting_user))
    participant.nik_mismatch_confirmed_at = timezone.now() if confirmed else None
    participant.nik_mismatch_confirmed_by = _actor(acting_user) if confirmed else None


def regency_note(details: ParticipantDetails) -> str:
    """The confirmation kept in the record when the regency differs from the NIK's."""
    if not details.regency_confirmed or not details.regency:
        return ""
    if regency_contradiction(details.nik, details.regency.code) is None:
        return ""
    return _(
        "Confirmed: lives in %(chosen)s, elsewhere than the NIK's regency/city (%(issued)s)."
    ) % {"chosen": details.regency.code, "issued": f"{details.nik[0:2]}.{details.nik[2:4]}"}


def _nik_taken(nik: str, *, other_than: int | None = None) -> bool:
    rows = Participant.objects.filter(nik=nik)
    return (rows.exclude(pk=other_than) if other_than is not None else rows).exists()


def _nik_taken_before_insert(nik: str) -> bool:
    """The early check; a concurrent request can still take the NIK before our INSERT
    (the tests simulate that by making this miss), which _save_unique then handles."""
    return _nik_taken(nik)


def _save_unique(participant: Participant, **save_kwargs: Any) -> None:
    """Save in a savepoint; a NIK taken meanwhile (a concurrent request) gets the friendly error."""
    try:
        with transaction.atomic():
            participant.save(**save_kwargs)
    except IntegrityError:
        if _nik_taken(participant.nik, other_than=participant.pk):
            raise duplicate_nik_error() from None
        raise


def _ensure_in_scope(acting_user: Any, participant: Participant) -> None:
    """A person may act only on records they may see (``None`` and the scheduler are the
    system)."""
    if acting_user is None or acting_user == SYSTEM_ACTOR:
        return
    if not participants_visible_to(acting_user).filter(pk=participant.pk).exists():
        raise PermissionDenied(_("This participant is not in your scope."))


def _province_of(regency: Region) -> Region:
    """A participant lives in a regency or city, whose parent is the province."""
    if regency.parent is None:
        raise ValidationError({"regency": [_("Choose a regency or city, not a province.")]})
    return regency.parent


def _actor(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _sync(target: Participant, source: Participant) -> None:
    """Copy the saved state back into the caller's instance."""
    for f in Participant._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def _record_step(
    participant: Participant, *, from_status: str, to_status: str, acting_user: Any, reason: str
) -> ParticipantStatusChange:
    return ParticipantStatusChange.objects.create(
        participant=participant,
        from_status=from_status,
        to_status=to_status,
        at=participant.status_changed_at,
        by=_actor(acting_user),
        by_label=str(acting_user.get_username()) if _actor(acting_user) else "system",
        reason=reason,
    )


# --- registering -------------------------------------------------------------------


@transaction.atomic
def participant_register(
    *,
    details: ParticipantDetails,
    sending_organisation: Organisation | None,
    acting_user: Any,
    privacy_notice: ConsentText | None,
    consent_language: str = "id",
    user: Any = None,
    submission: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Outcome:
    """Register a candidate: checks, the record, its first step, consent, duplicate flags.

    Side effects: a *registered* status change, a consent to ``privacy_notice``
    (the version the person was shown), a change record, and a review flag for
    each probable duplicate (same name and birth date, another NIK). Refuses a
    sending organisation without an acting licence, and a NIK already taken,
    also when a simultaneous request took it a moment earlier.
    """
    ensure_may_register(
        acting_user, organisation=sending_organisation, regency=details.regency, user=user
    )
    if sending_organisation is not None or role_of(acting_user) == Role.SENDER_OPERATOR:
        ensure_can_act(sending_organisation)
    result = checked(details, defer_mismatch=role_of(acting_user) == Role.PARTICIPANT)
    details, warnings = result.details, result.warnings
    if _nik_taken_before_insert(details.nik):
        raise duplicate_nik_error()
    participant = _new_participant(details, sending_organisation, acting_user, user, submission)
    _set_mismatch(participant, result, acting_user)
    _save_unique(participant)
    _record_step(
        participant,
        from_status="",
        to_status=JourneyStatus.REGISTERED,
        acting_user=acting_user,
        reason="",
    )
    if privacy_notice is not None:
        consent_record(
            participant=participant,
            text=privacy_notice,
            language=consent_language,
            acting_user=acting_user,
        )
    record_change(
        acting_user=acting_user,
        operation="participants.participant_register",
        instance=participant,
        action="create",
        changes=diff({}, snapshot(participant)),
        reason=regency_note(details),
        request=request,
    )
    flags = flag_probable_duplicates(participant=participant, acting_user=acting_user)
    return Outcome(participant, warnings, duplicate_suspected=bool(flags))


def _new_participant(
    details: ParticipantDetails,
    sending_organisation: Organisation | None,
    acting_user: Any,
    user: Any,
    submission: uuid.UUID | None,
) -> Participant:
    now = timezone.now()
    participant = Participant(
        **details.values(),
        province=_province_of(details.regency),
        status=JourneyStatus.REGISTERED,
        status_changed_at=now,
        created_at=now,
        sending_organisation=sending_organisation,
        user=user,
        registered_by=_actor(acting_user),
        registration_token=submission,
    )
    participant.full_clean(validate_unique=False)
    return participant


def registered_by_submission(nik: str, submission: uuid.UUID | None) -> Participant | None:
    """The record a form submission already created (a double click), if any."""
    if submission is None:
        return None
    return Participant.objects.filter(nik=nik, registration_token=submission).first()


@transaction.atomic
def participant_self_register(
    *,
    details: ParticipantDetails,
    username: str,
    password: str,
    sending_organisation: Organisation | None,
    privacy_notice: ConsentText,
    language: str,
    submission: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Outcome:
    """A person registers themselves: a participant account, then the record linked to it.

    Both or neither: a refused registration (NIK taken, organisation without
    an acting licence) leaves no account behind.
    """
    user = participant_account_create(
        username=username, password=password, full_name=details.full_name, email=details.email
    )
    return participant_register(
        details=details,
        sending_organisation=sending_organisation,
        acting_user=user,
        user=user,
        privacy_notice=privacy_notice,
        consent_language=language,
        submission=submission,
        request=request,
    )


# --- editing -------------------------------------------------------------------------


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    details: ParticipantDetails,
    acting_user: Any,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Outcome:
    """Save an edit made on ``expected_version``; raise :class:`EditConflict` if it is stale.

    Side effects: a change record of the fields that changed; new duplicate
    flags when the name or birth date changed. An edit that changes nothing
    writes nothing.
    """
    _ensure_in_scope(acting_user, participant)
    if acting_user is not None and not may_edit(acting_user):
        raise PermissionDenied(_("Your role may not edit participant records."))
    locked = lock_participant(participant.pk)
    hold = edit_hold(locked)
    if hold is not None:
        raise hold
    if locked.version != expected_version:
        raise EditConflict(locked, changes_since(locked, expected_version))
    result = checked(details)
    details, warnings = result.details, result.warnings
    changes = _apply_edit(locked, result, acting_user)
    if changes:
        _save_unique(locked)
        record_change(
            acting_user=acting_user,
            operation="participants.participant_update",
            instance=locked,
            action="update",
            changes=changes,
            reason=regency_note(details),
            request=request,
        )
    flagged = bool(changes.keys() & {"full_name", "birth_date"}) and bool(
        flag_probable_duplicates(participant=locked, acting_user=acting_user)
    )
    _sync(participant, locked)
    return Outcome(participant, warnings, duplicate_suspected=flagged)


def _apply_edit(locked: Participant, result: Validated, acting_user: Any) -> dict[str, Any]:
    """Set the new values on ``locked``; return the audit diff (empty if nothing changed)."""
    details = result.details
    if locked.archived_at is not None:
        raise ValidationError(_("This record was merged into another one and is archived."))
    before = snapshot(locked)
    identity_changed = [n for n in IDENTITY if getattr(locked, n) != getattr(details, n)]
    if identity_changed and acting_user is not None and not may_edit_identity(acting_user, locked):
        raise ValidationError(
            _("The identity was verified by an officer: only an officer may change it.")
        )
    if details.nik != locked.nik and _nik_taken(details.nik, other_than=locked.pk):
        raise duplicate_nik_error()
    for name, value in details.values().items():
        setattr(locked, name, value)
    locked.province = _province_of(details.regency)
    kept = not set(identity_changed) & {"nik", "birth_date", "sex"}
    _set_mismatch(locked, result, acting_user, identity_kept=kept)
    changes = diff(before, snapshot(locked))
    if not changes:
        return {}
    locked.version += 1
    locked.full_clean(validate_unique=False)
    return diff(before, snapshot(locked))


def changes_since(participant: Participant, version: int) -> list[ChangeSummary]:
    """The saved changes the editor of ``version`` has not seen, oldest first."""
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant), object_id=str(participant.pk)
    ).order_by("-at", "-id")[:50]
    labels = {f.attname: str(f.verbose_name) for f in Participant._meta.concrete_fields}
    hidden = {"version", "status_changed_at", "province_id"}
    summaries = []
    for record in reversed(records):
        after = (record.changes.get("version") or {}).get("after") or 0
        if after > version:
            names = [labels.get(k, k) for k in record.changes if k not in hidden]
            summaries.append(ChangeSummary(record.actor_label, record.at, names))
    return summaries


# --- the journey -------------------------------------------------------------------


@transaction.atomic
def participant_transition(
    *, participant: Participant, action: JourneyAction, acting_user: Any, reason: str
) -> Participant:
    """Take one move of the journey (``JOURNEY_WORKFLOW``) for ``participant``.

    Refuses a move the table does not allow from the participant's status, a
    move the person's role may not record, a move without the reason it needs,
    *verify* while rules.verification_blockers() lists anything, a move another
    app holds (rules.journey_hold: a restriction of processing), and any move
    that is neither undoing nor licence-free while the sending organisation has
    no acting licence. Side effects: a status change row (from, to, at, by,
    reason), ``version`` + 1, a change record.
    """
    _ensure_in_scope(acting_user, participant)
    locked = lock_participant(participant.pk)
    reason = reason.strip()
    step = _check_move(locked, action, acting_user, reason)
    before = snapshot(locked)
    from_status = locked.status
    locked.status = step.to_status
    locked.status_changed_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "status_changed_at", "version"])
    _record_step(
        locked,
        from_status=from_status,
        to_status=step.to_status,
        acting_user=acting_user,
        reason=reason,
    )
    record_change(
        acting_user=acting_user,
        operation="participants.participant_transition",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked)),
        reason=reason,
    )
    _sync(participant, locked)
    return participant


def journey_action_to(participant: Participant, to_status: str) -> JourneyAction:
    """The move that takes ``participant`` to ``to_status`` (pages and the API ask by status).

    Refuses, as the move itself would, an archived record, a status that is not
    a stage of the journey, and a status the journey does not lead to from here.
    """
    _check_live(participant)
    if to_status not in JourneyStatus.values:
        raise ValidationError(
            _("“%(status)s” is not a stage of the journey.") % {"status": to_status}
        )
    action = journey_step(participant.status, to_status)
    if action is None:
        raise ValidationError(
            _disallowed(participant.status, to_status), code=ParticipantErrorCode.NOT_ALLOWED
        )
    return action


def _check_live(participant: Participant) -> None:
    if participant.archived_at is not None:
        raise ValidationError(_("This record was merged into another one and is archived."))


def _check_move(
    participant: Participant, action: JourneyAction, acting_user: Any, reason: str
) -> JourneyStep:
    """The step of ``action``, or the clear refusal of it."""
    _check_live(participant)
    step = JOURNEY_STEPS[action]
    JOURNEY_WORKFLOW.check(
        participant.status,
        action,
        refusal=lambda: ValidationError(
            _disallowed(participant.status, step.to_status), code=ParticipantErrorCode.NOT_ALLOWED
        ),
    )
    to_status = step.to_status
    if acting_user is not None and not may_move(acting_user, participant, to_status):
        raise PermissionDenied(
            _("Your role may not record the step to “%(to)s”.") % {"to": _label(to_status)}
        )
    if step.needs_reason and not reason:
        raise ValidationError(
            _("Give a reason: moving a participant to “%(to)s” is always explained.")
            % {"to": _label(to_status)},
            code=ParticipantErrorCode.REASON_REQUIRED,
        )
    hold = journey_hold(participant, action)
    if hold is not None:
        raise hold
    if step.undoing:
        return step
    if action == JourneyAction.VERIFY:
        blockers = verification_blockers(participant)
        if blockers:
            raise ValidationError(
                [ValidationError(b, code=ParticipantErrorCode.NOT_VERIFIABLE) for b in blockers]
            )
    if not step.licence_free and participant.sending_organisation_id is not None:
        ensure_can_act(participant.sending_organisation)
    return step


def _label(status: str) -> str:
    return str(JourneyStatus(status).label)


def _disallowed(from_status: str, to_status: str) -> str:
    """Say that the move is not allowed and which moves are."""
    options = sorted(_label(s) for s in allowed_targets(from_status))
    message = _("A participant who is “%(from)s” cannot move to “%(to)s”.") % {
        "from": _label(from_status),
        "to": _label(to_status),
    }
    if not options:
        return (
            message
            + " "
            + _("“%(from)s” is the end of the journey.") % {"from": _label(from_status)}
        )
    return message + " " + _("Possible next steps: %(options)s.") % {"options": ", ".join(options)}


# --- identity and consent ------------------------------------------------------------


@transaction.atomic
def participant_verify_identity(
    *, participant: Participant, acting_user: Any, note: str
) -> Participant:
    """Record that an officer checked the identity against the KTP: who, when, and a note.

    Side effects: ``identity_verified_at/by/note``, ``version`` + 1, a change
    record. It does not change the status: the step to *verified* is
    participant_transition, which needs this (rules.verification_blockers).
    """
    _ensure_in_scope(acting_user, participant)
    if not may_verify_identity(acting_user):
        raise PermissionDenied(_("Only an officer may verify a participant's identity."))
    locked = lock_participant(participant.pk)
    if locked.identity_verified_at is not None:
        raise ValidationError(
            _("The identity has already been verified."),
            code=ParticipantErrorCode.IDENTITY_ALREADY_VERIFIED,
        )
    before = snapshot(locked)
    locked.identity_verified_at = timezone.now()
    locked.identity_verified_by = acting_user
    locked.identity_verification_note = note.strip()
    locked.version += 1
    locked.save(
        update_fields=[
            "identity_verified_at",
            "identity_verified_by",
            "identity_verification_note",
            "version",
        ]
    )
    record_change(
        acting_user=acting_user,
        operation="participants.participant_verify_identity",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked)),
        reason=note.strip(),
    )
    _sync(participant, locked)
    return participant


@transaction.atomic
def participant_nik_mismatch_confirm(
    *, participant: Participant, acting_user: Any, reason: str
) -> Participant:
    """An officer confirms that the NIK may disagree with the birth date or sex, and why.

    A NIK is never reissued when the civil registry corrects a birth date or sex, so the
    record keeps both. Side effects: ``nik_mismatch_reason/confirmed_at/confirmed_by``,
    ``version`` + 1, a change record with the reason. Refuses a record with nothing to
    confirm or confirmed already, a reason left empty, and anyone but an officer.
    """
    _ensure_in_scope(acting_user, participant)
    if not may_verify_identity(acting_user):
        raise PermissionDenied(_("Only an officer may confirm a NIK that disagrees."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the NIK may disagree (e.g. the birth date was corrected)."),
                    code=ParticipantErrorCode.REASON_REQUIRED,
                )
            }
        )
    locked = lock_participant(participant.pk)
    if not locked.nik_mismatch or locked.nik_mismatch_confirmed_at is not None:
        raise ValidationError(
            _("This record has no NIK disagreement awaiting confirmation."),
            code=ParticipantErrorCode.NIK_MISMATCH_NOT_PENDING,
        )
    before = snapshot(locked)
    locked.nik_mismatch_reason = reason
    locked.nik_mismatch_confirmed_at = timezone.now()
    locked.nik_mismatch_confirmed_by = acting_user
    locked.version += 1
    locked.save(
        update_fields=[
            "nik_mismatch_reason",
            "nik_mismatch_confirmed_at",
            "nik_mismatch_confirmed_by",
            "version",
        ]
    )
    record_change(
        acting_user=acting_user,
        operation="participants.participant_nik_mismatch_confirm",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked)),
        reason=reason,
    )
    _sync(participant, locked)
    return participant


def consent_record(
    *, participant: Participant, text: ConsentText, language: str, acting_user: Any
) -> Consent:
    """Record that ``participant`` agreed to this version of ``text`` (idempotent)."""
    existing = Consent.objects.filter(
        participant=participant, text=text, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    consent = Consent.objects.create(
        participant=participant,
        purpose=text.purpose,
        text=text,
        language=language[:5],
        agreed_at=timezone.now(),
        recorded_by=_actor(acting_user),
    )
    record_change(
        acting_user=acting_user,
        operation="participants.consent_record",
        instance=consent,
        action="create",
        changes=diff({}, snapshot(consent)),
    )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, acting_user: Any) -> Consent:
    """Withdraw a consent (UU PDP: at any time); the record of it stays."""
    locked = lock_consent(consent.pk)
    if locked.withdrawn_at is not None:
        return locked
    before = snapshot(locked)
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    record_change(
        acting_user=acting_user,
        operation="participants.consent_withdraw",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked)),
    )
    return locked
