"""The writers of referrals: a case handed to a body that must answer by a date.

The partner abroad, Indonesia's mission (KBRI/KJRI, from ``core/data/embassies.csv``),
a foreign supervisory body (e.g. OTIT in Japan) or another body. An unanswered
referral past its due date shows as overdue on the case and in the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.deployment.reference import mission_in
from jembatan.organisations.models import Organisation
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.locks import lock_case, lock_referral
from jembatan.protection.models import Case, CaseStatus, EventKind, Referral, ReferralKind
from jembatan.protection.rules import ensure_in_scope
from jembatan.protection.services.handling import _locked
from jembatan.protection.services.reporting import _text
from jembatan.protection.services.timeline import event_add, person
from jembatan.protection.workflows import CASE_WORKFLOW, CaseAction


def _recipient(
    kind: str, organisation: Organisation | None, mission_country: str, recipient: str
) -> tuple[str, str]:
    """(recipient's name, mission country) for ``kind``; refuses a referral to nobody."""
    if kind == ReferralKind.EMBASSY:
        mission = mission_in(mission_country or "")
        if mission is None:
            raise ValidationError(
                {
                    "mission_country": ValidationError(
                        _("No Indonesian mission is listed for this country."),
                        code=ProtectionErrorCode.NO_MISSION,
                    )
                }
            )
        return mission.name_id, mission.country
    name = (recipient or "").strip() or (organisation.name if organisation else "")
    if not name:
        raise ValidationError(
            {
                "recipient": ValidationError(
                    _("Name the organisation or body the case is referred to."),
                    code=ProtectionErrorCode.REFERRAL_RECIPIENT_REQUIRED,
                )
            }
        )
    return name[:200], ""


def _checked_referral(
    kind: str,
    organisation: Organisation | None,
    mission_country: str,
    recipient: str,
    due_on: dt.date,
    request_text: str,
) -> Referral:
    """What a referral needs: a known kind, a recipient, a due date not past, what is asked.

    Returns the referral, unsaved: its case, time and author are the write's to fill in.
    """
    if kind not in ReferralKind.values:
        raise ValidationError({"kind": ValidationError(_("Choose one of the options."))})
    name, country = _recipient(kind, organisation, mission_country, recipient)
    if due_on < timezone.localdate():
        raise ValidationError(
            {
                "due_on": ValidationError(
                    _("The answer cannot be due in the past."),
                    code=ProtectionErrorCode.DUE_DATE_PAST,
                )
            }
        )
    text = _text(
        request_text,
        field="request",
        code=ProtectionErrorCode.MESSAGE_REQUIRED,
        message=_("Say what is asked of them."),
    )
    return Referral(
        kind=kind,
        organisation=organisation if kind != ReferralKind.EMBASSY else None,
        mission_country=country,
        recipient=name,
        request=text,
        due_on=due_on,
    )


@transaction.atomic
def referral_create(
    *,
    case: Case,
    kind: str,
    request_text: str,
    due_on: dt.date,
    acting_user: Any,
    organisation: Organisation | None = None,
    mission_country: str = "",
    recipient: str = "",
    request: Any = None,
) -> Referral:
    """Refer the case; it is *referred* until the last open referral is answered."""
    locked = _locked(case, CaseAction.REFER, acting_user)
    referral = _checked_referral(
        kind, organisation, mission_country, recipient, due_on, request_text
    )
    now = timezone.now()
    referral.case, referral.referred_at = locked, now
    referral.referred_by = person(acting_user)
    referral.save(force_insert=True)
    from_status = locked.status
    locked.status = CaseStatus.REFERRED
    locked.status_changed_at = now
    locked.save(update_fields=["status", "status_changed_at"])
    event_add(
        case=locked,
        kind=EventKind.REFERRED,
        acting_user=acting_user,
        at=now,
        message=referral.request,
        from_status=from_status,
        to_status=locked.status,
        referral=referral,
    )
    record_change(
        acting_user=acting_user,
        operation="protection.referral_create",
        instance=referral,
        action="create",
        changes=diff({}, snapshot(referral, ["kind", "recipient", "due_on"])),
        request=request,
    )
    return referral


def _checked_answer(
    referral: Referral, answer: str, acting_user: Any
) -> tuple[Case, Referral, str]:
    """The checks before an answer is recorded; nothing is written.

    The case is in the user's scope, their role and its status allow the answer, the
    referral is not answered yet and the answer says something. Returns the case and
    the referral, both locked (in the caller's transaction), and the answer's text.
    """
    case = referral.case
    ensure_in_scope(acting_user, case)
    CASE_WORKFLOW.check_actor(CaseAction.ANSWER_REFERRAL, acting_user)
    locked_case = lock_case(case.pk)
    CASE_WORKFLOW.check(locked_case.status, CaseAction.ANSWER_REFERRAL, name=locked_case.code)
    locked = lock_referral(referral.pk)
    if locked.answered_at is not None:
        raise ValidationError(
            _("This referral's answer is already recorded."),
            code=ProtectionErrorCode.ALREADY_ANSWERED,
        )
    text = _text(
        answer,
        field="answer",
        code=ProtectionErrorCode.ANSWER_REQUIRED,
        message=_("Write the answer received."),
    )
    return locked_case, locked, text


@transaction.atomic
def referral_answer(
    *, referral: Referral, answer: str, acting_user: Any, request: Any = None
) -> Referral:
    """Record the body's answer; a referred case with no open referral left is in progress."""
    locked_case, locked, text = _checked_answer(referral, answer, acting_user)
    now = timezone.now()
    locked.answer, locked.answered_at = text, now
    locked.answer_recorded_by = person(acting_user)
    locked.save()
    from_status = locked_case.status
    still_open = locked_case.referrals.filter(answered_at__isnull=True).exists()
    if locked_case.status == CaseStatus.REFERRED and not still_open:
        locked_case.status = CaseStatus.IN_PROGRESS
        locked_case.status_changed_at = now
        locked_case.save(update_fields=["status", "status_changed_at"])
    event_add(
        case=locked_case,
        kind=EventKind.REFERRAL_ANSWERED,
        acting_user=acting_user,
        at=now,
        message=text,
        from_status=from_status,
        to_status=locked_case.status,
        referral=locked,
    )
    record_change(
        acting_user=acting_user,
        operation="protection.referral_answer",
        instance=locked,
        action="update",
        changes={"answered_at": {"before": None, "after": now.isoformat()}},
        request=request,
    )
    return locked
