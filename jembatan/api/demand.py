"""API: the public list of job orders, posting a job order, and the ministry's approval.

The list answers anyone and shows no personal data. Posting and approving go
through the same services as the pages: a refused transition answers 409 with
the reason, invalid input 400, a role or scope that may not act 403, and
nothing is written in any of these cases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from jembatan.api.access import public, roles
from jembatan.api.refusals import service_refusals
from jembatan.core.models import Country, Occupation
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.roles import NATIONAL, Role
from jembatan.demand import selectors
from jembatan.demand.models import JobOrder
from jembatan.demand.rules import CostLine
from jembatan.demand.selectors import PublicFilter
from jembatan.demand.services import job_orders
from jembatan.demand.services.job_orders import (
    AllowanceLine,
    JobOrderInput,
    JobOrderTransitionRefused,
)
from jembatan.demand.workflows import JobOrderAction
from jembatan.organisations.models import Organisation

router = Router(tags=["demand"])


class PublicJobOrderOut(Schema):
    """A job order as the public list shows it."""

    id: int
    reference: str
    title: str
    country: str
    country_name: str
    scheme: str
    occupation_code: str
    occupation: str
    work_prefecture: str
    work_city: str
    contract_months: int
    wage_amount: Decimal
    wage_currency: str
    wage_period: str
    weekly_hours: int
    slots: int
    slots_open: int
    training_provinces: list[str]


class PublicPageOut(Schema):
    """One page of the public list and the cursor of the next."""

    items: list[PublicJobOrderOut]
    next_cursor: int | None


class AllowanceIn(Schema):
    name: str
    amount: Decimal
    currency: str
    period: str


class CostIn(Schema):
    kind: str
    description: str
    amount: Decimal
    currency: str
    paid_to: str


class JobOrderIn(Schema):
    """A new job order; ``partner_id`` is required from national officers only."""

    partner_id: int | None = None
    host_company_id: int | None = None
    country: str
    scheme: str
    # "im_japan" for IM Japan's orders (its own rules apply), else empty.
    programme: str = ""
    occupation_id: int
    title: str
    duties: str = ""
    slots: int
    work_prefecture: str
    work_city: str = ""
    contract_months: int
    wage_amount: Decimal
    wage_currency: str
    wage_period: str = "month"
    weekly_hours: int = 40
    min_age: int | None = None
    max_age: int | None = None
    min_education: str = ""
    language_test: str = ""
    language_min_level: str = ""
    language_min_score: int | None = None
    required_units: list[str] = []
    required_certificates: list[str] = []
    sex_requirement: str = ""
    sex_requirement_legal_reason: str = ""
    interview_dates: list[dt.date] = []
    allowances: list[AllowanceIn] = []
    costs: list[CostIn] = []
    training_provinces: list[str] = []
    submit: bool = False


class JobOrderOut(Schema):
    """A job order after a change."""

    id: int
    reference: str
    status: str
    partner_id: int


def _public_out(job_order: Any) -> dict[str, Any]:
    return {
        "id": job_order.pk,
        "reference": job_order.reference,
        "title": job_order.title,
        "country": job_order.country_id,
        "country_name": str(job_order.country),
        "scheme": job_order.scheme,
        "occupation_code": job_order.occupation.code,
        "occupation": str(job_order.occupation),
        "work_prefecture": job_order.work_prefecture,
        "work_city": job_order.work_city,
        "contract_months": job_order.contract_months,
        "wage_amount": job_order.wage_amount,
        "wage_currency": job_order.wage_currency,
        "wage_period": job_order.wage_period,
        "weekly_hours": job_order.weekly_hours,
        "slots": job_order.slots,
        "slots_open": job_order.slots_open,
        "training_provinces": [p.code for p in job_order.training_provinces.all()],
    }


@router.get("/job-orders", response=PublicPageOut, **public())
def job_orders_public(
    request: HttpRequest,
    country: str = "",
    occupation: int | None = None,
    province: str = "",
    after: int | None = None,
) -> dict[str, Any]:
    """Approved job orders with open slots; filter by country code, occupation id, province code."""
    filters = PublicFilter(
        country=country[:2].upper(), occupation=occupation, province=province[:5]
    )
    rows = selectors.public_job_orders(filters).prefetch_related("training_provinces")
    page = keyset_page(rows, after=parse_cursor(after))
    return {"items": [_public_out(o) for o in page.items], "next_cursor": page.next_cursor}


def _job_order_out(job_order: JobOrder) -> dict[str, Any]:
    return {
        "id": job_order.pk,
        "reference": job_order.reference,
        "status": job_order.status,
        "partner_id": job_order.partner_id,
    }


def _fields(payload: JobOrderIn) -> dict[str, Any]:
    data = payload.dict(
        exclude={
            "partner_id",
            "host_company_id",
            "country",
            "occupation_id",
            "allowances",
            "costs",
            "training_provinces",
            "submit",
        }
    )
    data["country"] = _get(Country, "country", pk=payload.country.upper())
    data["occupation"] = _get(Occupation, "occupation_id", pk=payload.occupation_id)
    data["host_company"] = (
        _get(Organisation, "host_company_id", pk=payload.host_company_id)
        if payload.host_company_id
        else None
    )
    if payload.partner_id is not None:
        data["partner"] = _get(Organisation, "partner_id", pk=payload.partner_id)
    return data


def _get(model: Any, name: str, **lookup: Any) -> Any:
    found = model.objects.filter(**lookup).first()
    if found is None:
        raise HttpError(400, f"{name}: no such record.")
    return found


def _extra(payload: JobOrderIn) -> JobOrderInput:
    return JobOrderInput(
        allowances=[AllowanceLine(**a.dict()) for a in payload.allowances],
        costs=[CostLine(**c.dict()) for c in payload.costs],
        training_provinces=payload.training_provinces,
    )


@router.post("/job-orders", response={201: JobOrderOut}, **roles(NATIONAL | {Role.PARTNER}))
def job_order_post(request: HttpRequest, payload: JobOrderIn) -> Status[dict[str, Any]]:
    """Post a job order as a draft (``submit``: and submit it for review at once)."""
    # The rollback first, inside: a refused submission leaves no draft behind.
    with service_refusals(), transaction.atomic():
        job_order = job_orders.job_order_create(
            acting_user=request.user,
            fields=_fields(payload),
            extra=_extra(payload),
            request=request,
        )
        if payload.submit:
            job_order = job_orders.job_order_transition(
                job_order=job_order, action=JobOrderAction.SUBMIT, acting_user=request.user
            )
    return Status(201, _job_order_out(job_order))


@router.post("/job-orders/{pk}/approve", response=JobOrderOut, **roles(NATIONAL))
def job_order_approve(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Approve a submitted job order (409 if it is not submitted, e.g. already approved)."""
    job_order = selectors.job_order_for(request.user, pk)
    with service_refusals(JobOrderTransitionRefused):
        approved = job_orders.job_order_transition(
            job_order=job_order,
            action=JobOrderAction.APPROVE,
            acting_user=request.user,
            request=request,
        )
    return _job_order_out(approved)
