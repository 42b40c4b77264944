"""API: protection cases for officers (list, detail, triage, message, close) and reporting.

Reads are scoped like the pages (a case outside the caller's scope answers 404)
and every read of a case file is logged. The organisations a case is about never
reach a case here: only officers and the auditor read cases. Any signed-in
person may report one (``POST /protection/cases``) and gets back only its code
and status. Writes go through the same services as the pages: a move the table
does not allow answers 409, bad input 400, a role or scope that may not act 403;
nothing is written in any of these cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from jembatan.accounts.models import User
from jembatan.api.access import roles
from jembatan.api.refusals import service_refusals
from jembatan.core.access import role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.roles import ALL_ROLES, Role
from jembatan.core.transitions import TransitionRefused
from jembatan.deployment.selectors import deployments_visible_to
from jembatan.protection import selectors
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.models import Case, ReporterKind
from jembatan.protection.services import handling, reporting
from jembatan.protection.workflows import OFFICERS

router = Router(tags=["protection"])
READERS = OFFICERS | {Role.AUDITOR}
REPORTERS = ALL_ROLES - {Role.AUDITOR}
CONFLICTS = (
    TransitionRefused,
    ProtectionErrorCode.AT_TOP_LEVEL,
    ProtectionErrorCode.CASE_FINISHED,
    ProtectionErrorCode.CASE_ANONYMISED,
)
KIND_OF_ROLE = {
    Role.PARTICIPANT: ReporterKind.APPRENTICE,
    Role.SENDER_OPERATOR: ReporterKind.SENDING_ORGANISATION,
    Role.PARTNER: ReporterKind.PARTNER,
    Role.NATIONAL_ADMIN: ReporterKind.OFFICER,
    Role.NATIONAL_OFFICER: ReporterKind.OFFICER,
    Role.PROVINCIAL_OFFICER: ReporterKind.OFFICER,
}


class CaseOut(Schema):
    """A case as the list shows it."""

    code: str
    status: str
    category: str
    severity: str
    level: str
    province: str | None
    owner: str | None
    reported_at: dt.datetime
    first_response_due: dt.datetime
    resolution_due: dt.datetime
    overdue: bool


class EventOut(Schema):
    at: dt.datetime
    kind: str
    public: bool
    message: str
    from_status: str
    to_status: str
    from_level: str
    to_level: str
    by: str


class ReferralOut(Schema):
    kind: str
    recipient: str
    due_on: dt.date
    answered: bool
    overdue: bool


class CaseDetailOut(CaseOut):
    """A case file: what happened, whom it concerns, the confidential reporter, the timeline."""

    description: str
    participant_id: int | None
    participant: str | None
    sending_organisation: str | None
    partner: str | None
    host_company: str | None
    reporter_kind: str
    reporter_name: str
    reporter_contact: str
    reporter_language: str
    outcome: str
    action_taken: str
    # Set ten years after closing by the retention run: the texts and people are removed.
    anonymised_at: dt.datetime | None
    timeline: list[EventOut]
    referrals: list[ReferralOut]


class PageOut(Schema):
    items: list[CaseOut]
    next_cursor: int | None


class ReportIn(Schema):
    category: str
    description: str
    deployment_id: int | None = None
    language: str = "id"


class ReportedOut(Schema):
    """What the reporter gets back: the code to quote, and where the case stands."""

    code: str
    status: str


class TriageIn(Schema):
    severity: str
    owner_id: int
    note: str = ""


class MessageIn(Schema):
    message: str
    public: bool = False


class CloseIn(Schema):
    outcome: str
    action_taken: str


def _name(obj: Any) -> str | None:
    return None if obj is None else str(getattr(obj, "name", None) or obj)


def _out(c: Case) -> dict[str, Any]:
    owner = c.owner
    return {
        "code": c.code,
        "status": c.status,
        "category": c.category,
        "severity": c.severity,
        "level": c.level,
        "province": c.province_id,
        "owner": None if owner is None else owner.get_username(),
        "reported_at": c.reported_at,
        "first_response_due": c.first_response_due,
        "resolution_due": c.resolution_due,
        "overdue": c.is_overdue(),
    }


def _detail(c: Case) -> dict[str, Any]:
    return _out(c) | {
        "description": c.description,
        "participant_id": c.participant_id,
        "participant": c.participant.full_name if c.participant else None,
        "sending_organisation": _name(c.sending_organisation),
        "partner": _name(c.partner),
        "host_company": _name(c.host_company),
        "reporter_kind": c.reporter_kind,
        "reporter_name": c.reporter_name,
        "reporter_contact": c.reporter_contact,
        "reporter_language": c.reporter_language,
        "outcome": c.outcome,
        "action_taken": c.action_taken,
        "anonymised_at": c.anonymised_at,
        "timeline": [
            {
                "at": e.at,
                "kind": e.kind,
                "public": e.public,
                "message": e.message,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "from_level": e.from_level,
                "to_level": e.to_level,
                "by": e.by_label,
            }
            for e in selectors.timeline(c)
        ],
        "referrals": [
            {
                "kind": r.kind,
                "recipient": r.recipient,
                "due_on": r.due_on,
                "answered": r.is_answered,
                "overdue": r.is_overdue(),
            }
            for r in selectors.referrals_of(c)
        ],
    }


def _read(request: HttpRequest, code: str) -> Case:
    case = selectors.case_for(request.user, code)
    record_access(
        acting_user=request.user,
        purpose="api.protection.detail",
        instance=case.participant or case,
        request=request,
    )
    return case


@router.get("/protection/cases", response=PageOut, **roles(READERS))
def case_list(
    request: HttpRequest,
    status: str = "",
    category: str = "",
    severity: str = "",
    overdue: bool = False,
    mine: bool = False,
    after: int | None = None,
) -> dict[str, Any]:
    """The cases the caller may open, newest first, with the list's filters."""
    filters = selectors.CaseFilters(
        status=status, category=category, severity=severity, overdue=overdue, mine=mine
    )
    page = keyset_page(selectors.case_list(request.user, filters), after=parse_cursor(after))
    record_access(acting_user=request.user, purpose="api.protection.list", request=request)
    return {"items": [_out(c) for c in page.items], "next_cursor": page.next_cursor}


@router.get("/protection/cases/{code}", response=CaseDetailOut, **roles(READERS))
def case_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One case file with its timeline and referrals (the read is logged)."""
    return _detail(_read(request, code))


@router.post("/protection/cases", response={201: ReportedOut}, **roles(REPORTERS))
def case_report(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    """Report a case as the signed-in caller; the answer is only its code and status."""
    deployment = None
    if payload.deployment_id is not None:
        deployment = deployments_visible_to(request.user).filter(pk=payload.deployment_id).first()
        if deployment is None:
            raise HttpError(400, "deployment_id: no such deployment in your scope.")
    kind = KIND_OF_ROLE.get(role_of(request.user) or Role.AUDITOR, ReporterKind.OTHER)
    with service_refusals(*CONFLICTS):
        result = reporting.case_report(
            reporter_kind=kind,
            category=payload.category,
            description=payload.description,
            concerned=reporting.Concerned(deployment=deployment),
            language=payload.language,
            acting_user=request.user,
            request=request,
        )
    return Status(201, {"code": result.case.code, "status": result.case.status})


@router.post("/protection/cases/{code}/triage", response=CaseDetailOut, **roles(OFFICERS))
def triage(request: HttpRequest, code: str, payload: TriageIn) -> dict[str, Any]:
    """Set the severity and the owner (an officer of the case's level)."""
    case = _read(request, code)
    owner = User.objects.filter(pk=payload.owner_id).first()
    if owner is None:
        raise HttpError(400, "owner_id: no such user.")
    with service_refusals(*CONFLICTS):
        done = handling.case_triage(
            case=case,
            severity=payload.severity,
            owner=owner,
            note=payload.note,
            acting_user=request.user,
            request=request,
        )
    return _detail(done)


@router.post("/protection/cases/{code}/messages", response=CaseDetailOut, **roles(OFFICERS))
def message(request: HttpRequest, code: str, payload: MessageIn) -> dict[str, Any]:
    """A message to the reporter (``public``) or an internal note."""
    case = _read(request, code)
    with service_refusals(*CONFLICTS):
        done = handling.case_message(
            case=case,
            message=payload.message,
            public=payload.public,
            acting_user=request.user,
            request=request,
        )
    return _detail(done)


@router.post("/protection/cases/{code}/close", response=CaseDetailOut, **roles(OFFICERS))
def close(request: HttpRequest, code: str, payload: CloseIn) -> dict[str, Any]:
    """Close with an outcome and what was done."""
    case = _read(request, code)
    with service_refusals(*CONFLICTS):
        done = handling.case_close(
            case=case,
            outcome=payload.outcome,
            action_taken=payload.action_taken,
            acting_user=request.user,
            request=request,
        )
    return _detail(done)
