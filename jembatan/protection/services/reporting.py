"""The writers of the reporter's side: a new case, the reporter's messages, a withdrawal.

Anyone may report: a signed-in person (``acting_user`` is their account) or
someone without one (``acting_user=ANONYMOUS_REPORTER``), who receives the case
code and a secret, shown once: only the secret's hash is kept (Django's password
hasher), so nobody at the ministry can read it back or follow up in their place.
The public form and its abuse protection are the public side's (public_views.py);
they call these services after checking the code and the secret.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, fingerprint, record_change, snapshot
from jembatan.core.roles import Role
from jembatan.deployment.models import Deployment
from jembatan.organisations.models import Organisation
from jembatan.participants.models import Participant
from jembatan.protection.deadlines import deadline_for, table_version
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.locks import lock_case
from jembatan.protection.models import (
    STARTS_HIGH,
    Case,
    CaseCategory,
    CaseLevel,
    CaseStatus,
    EventKind,
    Outcome,
    ReporterKind,
    ReporterLanguage,
    Severity,
)
from jembatan.protection.reporter_secret import new_secret
from jembatan.protection.rules import ensure_in_scope, pick_owner
from jembatan.protection.services.timeline import event_add, person
from jembatan.protection.workflows import ANONYMOUS_REPORTER, CASE_WORKFLOW, CaseAction

MAX_TEXT = 10_000


@dataclass(frozen=True)
class ReportResult:
    """The new case, and the plain secret when the reporter has no account (shown once)."""

    case: Case
    secret: str | None


def _text(value: str, *, field: str, code: ProtectionErrorCode, message: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ValidationError({field: ValidationError(message, code=code)})
    if len(cleaned) > MAX_TEXT:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Write at most %(n)s characters.") % {"n": MAX_TEXT},
                    code=ProtectionErrorCode.MESSAGE_REQUIRED,
                )
            }
        )
    return cleaned


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: ValidationError(_("Choose one of the options."))})
    return str(value)


@dataclass(frozen=True)
class Concerned:
    """Whom a case is about, as far as the reporter knows."""

    participant: Participant | None = None
    deployment: Deployment | None = None
    host_company: Organisation | None = None
    sending_organisation: Organisation | None = None
    partner: Organisation | None = None


def _filled(concerned: Concerned, acting_user: Any) -> dict[str, Any]:
    """The concerned fields, completed from the deployment (given or the person's latest)."""
    participant = concerned.participant
    if participant is None and role_of(acting_user) == Role.PARTICIPANT:
        participant = Participant.objects.filter(user_id=acting_user.pk).first()
    deployment = concerned.deployment
    if deployment is None and participant is not None:
        deployment = participant.deployments.order_by("-id").first()
    if deployment is not None:
        participant = participant or deployment.participant
    return {
        "participant": participant,
        "deployment": deployment,
        "host_company": concerned.host_company or (deployment and deployment.host_company),
        "sending_organisation": concerned.sending_organisation
        or (deployment and deployment.sending_organisation),
        "partner": concerned.partner or (deployment and deployment.partner),
        "country_id": deployment.country_id if deployment else None,
    }


def _province_of(participant: Participant | None, acting_user: Any) -> str | None:
    if participant is not None:
        return str(participant.province_id)
    if role_of(acting_user) == Role.PROVINCIAL_OFFICER:
        return str(acting_user.province_id)
    return None


@transaction.atomic
def case_report(
    *,
    reporter_kind: str,
    category: str,
    description: str,
    acting_user: Any,
    concerned: Concerned = Concerned(),
    reporter_name: str = "",
    reporter_contact: str = "",
    language: str = ReporterLanguage.INDONESIAN,
    request: Any = None,
) -> ReportResult:
    """Open a case; a reporter without an account gets its code and a secret (shown once).

    Severity starts high for the categories of ``models.STARTS_HIGH`` (medium otherwise);
    the case goes to the apprentice's province (the national directorate when unknown),
    to the least loaded officer of that level, with both deadlines from the table.
    """
    account = person(acting_user)
    kind, text = _checked_report(
        account, acting_user, reporter_kind, category, description, language
    )
    fields = _filled(concerned, acting_user)
    now = timezone.now()
    secret = new_secret() if account is None else None
    case = Case.objects.create(
        code=f"new-{secrets.token_hex(6)}",
        secret_hash=make_password(secret) if secret else "",
        reporter_kind=kind,
        reporter=account,
        reporter_name=(reporter_name or "").strip()[:150],
        reporter_contact=(reporter_contact or "").strip()[:200],
        reporter_language=language,
        category=category,
        description=text,
        status=CaseStatus.REPORTED,
        status_changed_at=now,
        reported_at=now,
        created_by=account,
        **_routed(category, fields["participant"], acting_user, now),
        **fields,
    )
    case.code = f"PK-{now.year}-{case.pk:06d}"
    case.save(update_fields=["code"])
    _record_report(case, acting_user, now, request)
    return ReportResult(case=case, secret=secret)


def _routed(category: str, participant: Any, acting_user: Any, now: Any) -> dict[str, Any]:
    """Severity, level, province, owner and both deadlines of a new case."""
    province = _province_of(participant, acting_user)
    level = CaseLevel.PROVINCIAL if province else CaseLevel.NATIONAL
    severity = Severity.HIGH if category in STARTS_HIGH else Severity.MEDIUM
    row = deadline_for(category, severity)
    return {
        "severity": severity,
        "level": level,
        "province_id": province,
        "owner": pick_owner(level, province),
        "first_response_due": row.first_response_due(now),
        "resolution_due": row.resolution_due(now),
        "deadlines_version": table_version(),
    }


def _record_report(case: Case, acting_user: Any, now: Any, request: Any) -> None:
    """The case's first timeline line and its change record."""
    event_add(
        case=case,
        kind=EventKind.REPORTED,
        acting_user=acting_user,
        at=now,
        public=True,
        to_status=case.status,
        to_level=case.level,
        owner=case.owner,
    )
    record_change(
        acting_user=acting_user,
        operation="protection.case_report",
        instance=case,
        action="create",
        changes=diff({}, snapshot(case, ["code", "category", "severity", "level", "status"])),
        request=request,
    )


def _checked_report(
    account: Any,
    acting_user: Any,
    reporter_kind: str,
    category: str,
    description: str,
    language: str,
) -> tuple[str, str]:
    """Who may report and what a report needs: the reporter's kind and the description."""
    if account is None and acting_user != ANONYMOUS_REPORTER:
        raise PermissionDenied(_("Only a person can report a case."))
    kind = _choice(reporter_kind, ReporterKind, "reporter_kind")
    if account is not None and kind == ReporterKind.ANONYMOUS:
        kind = ReporterKind.OTHER
    _choice(category, CaseCategory, "category")
    if language not in ReporterLanguage.values:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("Choose one of the options."), code=ProtectionErrorCode.UNKNOWN_LANGUAGE
                )
            }
        )
    text = _text(
        description,
        field="description",
        code=ProtectionErrorCode.DESCRIPTION_REQUIRED,
        message=_("Describe what happened."),
    )
    return kind, text


def _ensure_reporter(case: Case, acting_user: Any) -> None:
    """The anonymous reporter (code and secret checked by the caller) or the reporting account."""
    if acting_user == ANONYMOUS_REPORTER:
        if case.reporter_id is not None:
            raise PermissionDenied(_("Sign in to follow this case."))
        return
    if case.reporter_id is None or case.reporter_id != getattr(acting_user, "pk", None):
        raise PermissionDenied(_("Only the person who reported the case can do this."))


def _reporter_text(message: str) -> str:
    return _text(
        message,
        field="message",
        code=ProtectionErrorCode.MESSAGE_REQUIRED,
        message=_("Write your message."),
    )


def _reporter_line(
    locked: Case, text: str, acting_user: Any, request: Any, *, answers: bool
) -> Case:
    before = locked.status
    if answers:
        transition = CASE_WORKFLOW.check(
            locked.status, CaseAction.REPORTER_ANSWERS, name=locked.code
        )
        if acting_user != ANONYMOUS_REPORTER:
            CASE_WORKFLOW.check_actor(CaseAction.REPORTER_ANSWERS, acting_user)
        assert transition.target is not None
        locked.status = transition.target
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
    event_add(
        case=locked,
        kind=EventKind.REPORTER_MESSAGE,
        acting_user=acting_user,
        public=True,
        message=text,
        from_status=before,
        to_status=locked.status,
    )
    record_change(
        acting_user=acting_user,
        operation="protection.case_reporter_message",
        instance=locked,
        action="transition" if before != locked.status else "update",
        changes={"status": {"before": before, "after": locked.status}},
        request=request,
    )
    return locked


@transaction.atomic
def case_reporter_answer(
    *, case: Case, message: str, acting_user: Any, request: Any = None
) -> Case:
    """The reporter answers the officer's question: awaiting reporter → in progress."""
    _ensure_reporter(case, acting_user)
    locked = lock_case(case.pk)
    CASE_WORKFLOW.check(locked.status, CaseAction.REPORTER_ANSWERS, name=locked.code)
    return _reporter_line(locked, _reporter_text(message), acting_user, request, answers=True)


@transaction.atomic
def case_reporter_message(
    *, case: Case, message: str, acting_user: Any, request: Any = None
) -> Case:
    """The reporter adds information (the answer, when the case awaits one); not once closed."""
    _ensure_reporter(case, acting_user)
    locked = lock_case(case.pk)
    if locked.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        raise ValidationError(
            _("This case is closed. Report a new case if something else happened."),
            code=ProtectionErrorCode.CASE_FINISHED,
        )
    answers = locked.status == CaseStatus.AWAITING_REPORTER
    return _reporter_line(locked, _reporter_text(message), acting_user, request, answers=answers)


@transaction.atomic
def case_withdraw(*, case: Case, reason: str, acting_user: Any, request: Any = None) -> Case:
    """Withdraw a case (the reporter, or an officer on their word); the outcome is withdrawn."""
    if person(acting_user) is not None and role_of(acting_user) in {
        Role.NATIONAL_ADMIN,
        Role.NATIONAL_OFFICER,
        Role.PROVINCIAL_OFFICER,
    }:
        ensure_in_scope(acting_user, case)
    else:
        _ensure_reporter(case, acting_user)
    locked = lock_case(case.pk)
    CASE_WORKFLOW.check(locked.status, CaseAction.WITHDRAW, name=locked.code)
    if acting_user != ANONYMOUS_REPORTER:
        CASE_WORKFLOW.check_actor(CaseAction.WITHDRAW, acting_user)
    text = _text(
        reason,
        field="reason",
        code=ProtectionErrorCode.REASON_REQUIRED,
        message=_("Say why the case is withdrawn."),
    )
    before = snapshot(locked, ["status", "outcome", "action_taken"])
    now = timezone.now()
    locked.status = CaseStatus.WITHDRAWN
    locked.status_changed_at = now
    locked.outcome = Outcome.WITHDRAWN
    locked.action_taken = locked.action_taken or text
    locked.closed_at = now
    locked.save()
    event_add(
        case=locked,
        kind=EventKind.WITHDRAWN,
        acting_user=acting_user,
        at=now,
        public=True,
        message=text,
        from_status=before["status"],
        to_status=locked.status,
    )
    record_change(
        acting_user=acting_user,
        operation="protection.case_withdraw",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked, ["status", "outcome", "action_taken"])),
        reason=fingerprint(text) or "",
        request=request,
    )
    return locked
