"""API: the public register of sending organisations, and licence decisions for officers.

The register answers anyone and shows no personal data. Decisions go through
the same services as the pages: a refused transition answers 409 with the
reason, invalid input 400, and nothing is written in either case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from jembatan.api.access import public, roles
from jembatan.api.refusals import service_refusals
from jembatan.core.password_check import password_checked_recently
from jembatan.core.roles import NATIONAL
from jembatan.core.transitions import TransitionRefused
from jembatan.organisations import register
from jembatan.organisations.selectors import licence_for
from jembatan.organisations.services.licensing import perform_action
from jembatan.organisations.workflows import SANCTION_ACTIONS, LicenceAction

router = Router(tags=["organisations"])


class SanctionOut(Schema):
    """A sanction Kemnaker published."""

    date: dt.date
    kind: str
    kind_label: str
    reason_summary: str


class RegisterEntryOut(Schema):
    """One sending organisation as the public register shows it."""

    id: int
    name: str
    kind: str
    province_code: str | None
    province: str | None
    licence_number: str | None
    status: str
    status_label: str
    status_explanation: str
    may_send: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    suspension_scope: str
    sanctions: list[SanctionOut]


class RegisterPageOut(Schema):
    """One page of the register and the cursor for the next."""

    items: list[RegisterEntryOut]
    next_cursor: str | None


class DecisionIn(Schema):
    """A decision on a licence; which fields matter depends on ``action``."""

    action: LicenceAction
    reason: str = ""
    number: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    deadline: dt.date | None = None
    bar_until: dt.date | None = None
    published: bool = False
    activities: list[str] = []
    countries: list[str] = []


class LicenceOut(Schema):
    """A licence after a decision."""

    id: int
    organisation_id: int
    number: str
    status: str
    valid_from: dt.date | None
    valid_to: dt.date | None


def _entry(row: register.RegisterRow) -> dict[str, Any]:
    licence, organisation = row.licence, row.organisation
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "province_code": organisation.province_id,
        "province": str(organisation.province) if organisation.province else None,
        "licence_number": licence.number or None if licence else None,
        "status": row.status.code,
        "status_label": str(row.status.label),
        "status_explanation": str(row.status.explanation),
        "may_send": row.status.may_send,
        "valid_from": licence.valid_from if licence else None,
        "valid_to": licence.valid_to if licence else None,
        "suspension_scope": row.suspension_scope,
        "sanctions": [
            {
                "date": d.decided_at.date(),
                "kind": d.kind,
                "kind_label": d.get_kind_display(),
                "reason_summary": register.reason_summary(d),
            }
            for d in row.sanctions
        ],
    }


@router.get("/register", response=RegisterPageOut, **public())
def register_search(
    request: HttpRequest, q: str = "", province: str = "", after: str | None = None
) -> dict[str, Any]:
    """Sending organisations by name or licence number and province; no personal data."""
    page = register.register_page(query=q[:100], province=province[:5], after=after)
    return {"items": [_entry(r) for r in page.rows], "next_cursor": page.next_cursor}


def _licence_out(licence: Any) -> dict[str, Any]:
    return {
        "id": licence.pk,
        "organisation_id": licence.organisation_id,
        "number": licence.number,
        "status": licence.status,
        "valid_from": licence.valid_from,
        "valid_to": licence.valid_to,
    }


@router.post("/licences/{pk}/decisions", response=LicenceOut, **roles(NATIONAL))
def licence_decide(
    request: HttpRequest, pk: int, payload: DecisionIn | None = None
) -> dict[str, Any]:
    """Take a decision on a licence (review, grant, reject, renew, sanction, lift, revoke).

    409 when the licence's status does not allow the action, 400 for invalid input;
    403 for a sanction when the password was last checked too long ago (as on the pages);
    attachments are uploaded through the pages.
    """
    licence = licence_for(request.user, pk)
    if payload is None:
        raise HttpError(400, "A JSON body with the decision is required.")
    if payload.action in SANCTION_ACTIONS and not password_checked_recently(request):
        raise HttpError(
            403, "A sanction needs a recent password check: confirm at /akun/konfirmasi/."
        )
    data = payload.dict(exclude={"action"})
    with service_refusals(TransitionRefused):
        updated = perform_action(
            licence=licence, action=payload.action, acting_user=request.user, data=data
        )
    return _licence_out(updated)
