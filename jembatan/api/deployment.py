"""API: deployments abroad, their departure gates, the moves of a stay, reports, what is overdue.

Every read is scoped like the pages (a deployment outside the caller's scope
answers 404) and logged when it shows a person. Writes go through the same
services as the pages: a refused departure answers 409 with every unmet gate in
its ``detail``, a move the table does not allow 409, invalid input (a date ahead,
a missing reason) 400, a role or scope that may not act 403; nothing is written
in any of these cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from jembatan.api.access import roles
from jembatan.api.refusals import service_refusals
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import TransitionRefused
from jembatan.deployment import selectors
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.gates import checklist
from jembatan.deployment.models import Deployment, DeploymentStatus, ReportKind
from jembatan.deployment.overdue import overdue_reports
from jembatan.deployment.services import departure, monitoring, stay
from jembatan.deployment.services.monitoring import ReportAnswers
from jembatan.deployment.services.stay import NewHost
from jembatan.deployment.workflows import MOVERS, PREPARERS, DeploymentAction
from jembatan.organisations.models import Organisation

router = Router(tags=["deployment"])
READERS = NATIONAL | {Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR, Role.PARTNER, Role.AUDITOR}
REPORTERS = NATIONAL | {Role.SENDER_OPERATOR, Role.PARTNER, Role.PARTICIPANT}
# Refused states (409): a move the table does not allow, a departure with unmet gates.
CONFLICTS = (TransitionRefused, DeploymentErrorCode.GATES_UNMET, DeploymentErrorCode.NOT_ABROAD)


class DeploymentOut(Schema):
    """A deployment: who, where, and where it stands."""

    id: int
    reference: str
    status: str
    participant_id: int
    participant: str
    host_company: str
    host_prefecture: str
    sending_organisation: str
    partner: str
    planned_departure: dt.date
    departed_on: dt.date | None
    arrived_on: dt.date | None
    ended_on: dt.date | None


class GateOut(Schema):
    """One gate of departure and its verdict."""

    code: str
    name: str
    met: bool
    refusal: str | None


class StageOut(Schema):
    code: str
    name: str
    due_on: dt.date
    done_on: dt.date | None


class DetailOut(DeploymentOut):
    """A deployment with its gates (before departure) and the stages of the stay."""

    gates: list[GateOut]
    stages: list[StageOut]


class PageOut(Schema):
    items: list[DeploymentOut]
    next_cursor: int | None


class DepartIn(Schema):
    departed_on: dt.date | None = None


class ArriveIn(Schema):
    arrived_on: dt.date


class TransferIn(Schema):
    host_company_id: int
    host_prefecture: str
    host_address: str
    host_contact_name: str
    host_contact_phone: str
    host_city: str = ""
    host_contact_email: str = ""
    transferred_on: dt.date
    reason: str


class MoveIn(Schema):
    """A move of the stay: report_difficulty, resolve_difficulty, report_missing,
    report_found, return_early (with ``reason_code``), complete."""

    action: str
    on: dt.date
    reason: str = ""
    reason_code: str = ""


class ReportIn(Schema):
    wellbeing: str
    paid_in_full: bool | None = None
    housing_safe: bool | None = None
    note: str = ""
    language: str = "id"


class ReportOut(Schema):
    id: int
    kind: str
    period: int
    covers_until: dt.date


class OverdueOut(Schema):
    deployment: str
    participant_id: int
    participant: str
    sending_organisation: str
    partner: str
    host_company: str
    prefecture: str
    status: str
    report: str
    due_on: dt.date
    days_overdue: int
    alert: str


def _out(d: Deployment) -> dict[str, Any]:
    return {
        "id": d.pk,
        "reference": d.reference,
        "status": d.status,
        "participant_id": d.participant_id,
        "participant": d.participant.full_name,
        "host_company": d.host_company.name,
        "host_prefecture": d.host_prefecture,
        "sending_organisation": d.sending_organisation.name,
        "partner": d.partner.name,
        "planned_departure": d.planned_departure,
        "departed_on": d.departed_on,
        "arrived_on": d.arrived_on,
        "ended_on": d.ended_on,
    }


def _detail(d: Deployment) -> dict[str, Any]:
    gates = (
        checklist(d, today=timezone.localdate()) if d.status == DeploymentStatus.PREPARING else []
    )
    return _out(d) | {
        "gates": [
            {"code": g.gate.code, "name": str(g.gate.name), "met": g.met, "refusal": g.refusal}
            for g in gates
        ],
        "stages": [
            {"code": s.code, "name": s.name_en, "due_on": s.due_on, "done_on": s.done_on}
            for s in selectors.stages_of(d)
        ],
    }


def _read(request: HttpRequest, pk: int) -> Deployment:
    deployment = selectors.deployment_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="api.deployment.detail",
        instance=deployment.participant,
        request=request,
    )
    return deployment


@router.get("/deployments", response=PageOut, **roles(READERS | {Role.PARTICIPANT}))
def deployment_list(
    request: HttpRequest, status: str = "", after: int | None = None
) -> dict[str, Any]:
    """The deployments the caller may see, newest first (``status`` filters)."""
    rows = selectors.deployment_list(request.user, status=status)
    page = keyset_page(rows, after=parse_cursor(after))
    record_access(acting_user=request.user, purpose="api.deployment.list", request=request)
    return {"items": [_out(d) for d in page.items], "next_cursor": page.next_cursor}


@router.get("/deployments/overdue", response=list[OverdueOut], **roles(READERS))
def overdue(request: HttpRequest) -> list[dict[str, Any]]:
    """Every monitoring report overdue for people abroad in the caller's scope."""
    rows = overdue_reports(today=timezone.localdate(), user=request.user)
    record_access(acting_user=request.user, purpose="api.deployment.overdue", request=request)
    return [row.as_dict() for row in rows]


@router.get("/deployments/{pk}", response=DetailOut, **roles(READERS | {Role.PARTICIPANT}))
def deployment_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One deployment, with its gates before departure and the stages of its stay."""
    return _detail(_read(request, pk))


@router.post("/deployments/{pk}/depart", response=DetailOut, **roles(PREPARERS))
def depart(request: HttpRequest, pk: int, payload: DepartIn) -> dict[str, Any]:
    """Confirm the departure; 409 lists every unmet gate, or says who already confirmed it."""
    deployment = _read(request, pk)
    with service_refusals(*CONFLICTS):
        done = departure.deployment_depart(
            deployment=deployment, departed_on=payload.departed_on, acting_user=request.user
        )
    return _detail(done)


@router.post("/deployments/{pk}/arrive", response=DetailOut, **roles(MOVERS))
def arrive(request: HttpRequest, pk: int, payload: ArriveIn) -> dict[str, Any]:
    """Record the arrival (a date ahead of today is refused, 400)."""
    deployment = _read(request, pk)
    with service_refusals(*CONFLICTS):
        done = stay.deployment_arrive(
            deployment=deployment, arrived_on=payload.arrived_on, acting_user=request.user
        )
    return _detail(done)


@router.post("/deployments/{pk}/transfer", response=DetailOut, **roles(MOVERS))
def transfer(request: HttpRequest, pk: int, payload: TransferIn) -> dict[str, Any]:
    """Transfer the apprentice to another host company, with the reason."""
    deployment = _read(request, pk)
    host = Organisation.objects.filter(pk=payload.host_company_id).first()
    if host is None:
        raise HttpError(400, "host_company_id: no such organisation.")
    fields = payload.dict(exclude={"host_company_id", "transferred_on", "reason"})
    with service_refusals(*CONFLICTS):
        done = stay.deployment_transfer(
            deployment=deployment,
            new_host=NewHost(host_company=host, **fields),
            transferred_on=payload.transferred_on,
            reason=payload.reason,
            acting_user=request.user,
        )
    return _detail(done)


def _move_action(value: str) -> DeploymentAction:
    try:
        action = DeploymentAction(value)
    except ValueError:
        action = None
    if action is None or action not in stay.SIMPLE_MOVES:
        names = ", ".join(sorted(stay.SIMPLE_MOVES))
        raise HttpError(400, f"action: one of {names}.")
    return action


@router.post("/deployments/{pk}/moves", response=DetailOut, **roles(MOVERS))
def move(request: HttpRequest, pk: int, payload: MoveIn) -> dict[str, Any]:
    """A difficulty, a missing person, an early return (with its reason code), a completion."""
    deployment = _read(request, pk)
    action = _move_action(payload.action)
    with service_refusals(*CONFLICTS):
        done = stay.deployment_move(
            deployment=deployment,
            action=action,
            on=payload.on,
            reason=payload.reason,
            reason_code=payload.reason_code,
            acting_user=request.user,
        )
    return _detail(done)


def _kind_for(user: Any) -> str:
    role = Role(user.role)
    if role == Role.PARTICIPANT:
        return ReportKind.CHECK_IN
    return ReportKind.PARTNER if role == Role.PARTNER else ReportKind.SENDER


@router.post("/deployments/{pk}/reports", response=ReportOut, **roles(REPORTERS))
def report(request: HttpRequest, pk: int, payload: ReportIn) -> dict[str, Any]:
    """Hand in the caller's report: the sending organisation's, the partner's, or one's check-in."""
    deployment = _read(request, pk)
    with service_refusals(*CONFLICTS):
        done = monitoring.report_submit(
            deployment=deployment,
            kind=_kind_for(request.user),
            answers=ReportAnswers(**payload.dict()),
            acting_user=request.user,
        )
    return {
        "id": done.pk,
        "kind": done.kind,
        "period": done.period,
        "covers_until": done.covers_until,
    }
