"""API: certificate verification for anyone, training programmes and the gap for officials.

Verification answers 200 with ``status`` valid, revoked or unknown, so a
scanner or an employer's system never has to interpret an HTTP error; like
the public page it shows the name, the certificate, the date and the issuer
and nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jembatan.api.access import public, roles
from jembatan.api.paging import page_size
from jembatan.core.paging import ordered_page
from jembatan.insights.gap import gap_view
from jembatan.training.models import Certificate, Programme
from jembatan.training.rules import SEE_GAP, SEE_TRAINING
from jembatan.training.selectors import programmes_visible_to

router = Router(tags=["training"])


class VerificationOut(Schema):
    """What anyone may learn about a certificate from its token."""

    status: str
    number: str | None = None
    kind: str | None = None
    holder: str | None = None
    issuer: str | None = None
    issued_on: dt.date | None = None
    revoked_on: dt.date | None = None


class ProgrammeOut(Schema):
    """A training programme (no personal data)."""

    id: int
    name: str
    organisation: str
    occupation_code: str
    route: str
    total_hours: int
    language_hours: int
    capacity: int
    language_test: str
    jlpt_level: str


class ProgrammePage(Schema):
    """One page of programmes and the cursor (opaque text) for the next."""

    items: list[ProgrammeOut]
    next_cursor: str | None


class GapRowOut(Schema):
    """One occupation of the gap view."""

    occupation_id: int
    occupation_code: str
    demand: int | None
    in_training: int
    certified: int
    gap: int | None


class GapOut(Schema):
    demand_available: bool
    note: str
    rows: list[GapRowOut]


def _verification(certificate: Certificate | None) -> dict[str, Any]:
    if certificate is None:
        return {"status": "unknown"}
    return {
        "status": "revoked" if certificate.is_revoked else "valid",
        "number": certificate.number,
        "kind": certificate.kind,
        "holder": certificate.holder_name,
        "issuer": certificate.issuer.name,
        "issued_on": certificate.issued_on,
        "revoked_on": certificate.revoked_at.date() if certificate.revoked_at else None,
    }


@router.get("/certificates/verify/{token}", response=VerificationOut, **public())
def certificate_verify(request: HttpRequest, token: str) -> dict[str, Any]:
    """Verify a certificate by the token in its QR code (never by its number)."""
    found = Certificate.objects.select_related("issuer").filter(token=token[:64]).first()
    return _verification(found)


# Programmes are listed by name (as on the pages); the id breaks ties between equal names.
PROGRAMME_ORDER = ("name", "pk")


@router.get("/training/programmes", response=ProgrammePage, **roles(SEE_TRAINING))
def programme_list(
    request: HttpRequest, after: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """The programmes the caller may see (an operator: their centre's), by name; pass
    ``next_cursor`` as ``after`` for the next page."""
    rows = programmes_visible_to(request.user)
    page = ordered_page(rows, order=PROGRAMME_ORDER, after=after, size=page_size(limit))
    return {"items": [_programme(p) for p in page.items], "next_cursor": page.next_cursor}


def _programme(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "organisation": p.organisation.name,
        "occupation_code": p.occupation.code,
        "route": p.route,
        "total_hours": p.total_hours,
        "language_hours": p.language_hours,
        "capacity": p.capacity,
        "language_test": p.language_test,
        "jlpt_level": p.jlpt_level,
    }


@router.get("/training/gap", response=GapOut, **roles(SEE_GAP))
def gap(request: HttpRequest) -> dict[str, Any]:
    """Demand per occupation against people in training and certified."""
    view = gap_view()
    return {
        "demand_available": view.demand_available,
        "note": str(view.note),
        "rows": [
            {
                "occupation_id": r.occupation.pk,
                "occupation_code": r.occupation.code,
                "demand": r.demand,
                "in_training": r.in_training,
                "certified": r.certified,
                "gap": r.gap,
            }
            for r in view.rows
        ],
    }
