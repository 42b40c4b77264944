"""API: the registry, filtered by who asks, paged by keyset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jembatan.api.access import roles
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page
from jembatan.core.roles import READERS, Role
from jembatan.participants.models import JourneyStatus
from jembatan.participants.selectors import participant_for, participants_visible_to

router = Router(tags=["participants"])


class ParticipantOut(Schema):
    """A participant as the API shows it to staff in scope."""

    id: int
    nik: str
    full_name: str
    sex: str
    birth_date: dt.date
    regency_code: str
    status: str
    sending_organisation_id: int | None


class ParticipantPage(Schema):
    """One page of participants and the cursor for the next."""

    items: list[ParticipantOut]
    next_cursor: int | None


def _out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "nik": p.nik,
        "full_name": p.full_name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "regency_code": p.regency_id,
        "status": p.status,
        "sending_organisation_id": p.sending_organisation_id,
    }


@router.get("/participants", response=ParticipantPage, **roles(READERS, Role.PARTNER))
def list_participants(
    request: HttpRequest, status: str = "", after: int | None = None, limit: int = 50
) -> dict[str, Any]:
    """Participants in the caller's scope, newest first; pass ``next_cursor`` as ``after``."""
    rows = participants_visible_to(request.user)
    if status in JourneyStatus.values:
        rows = rows.filter(status=status)
    page = keyset_page(rows, after=after, size=max(1, min(limit, 500)))
    record_access(actor=request.user, purpose="api.participants.list", request=request)
    return {"items": [_out(p) for p in page.items], "next_cursor": page.next_cursor}


@router.get("/participants/{pk}", response=ParticipantOut, **roles(READERS, Role.PARTNER))
def get_participant(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One participant in the caller's scope (404 otherwise); the read is logged."""
    participant = participant_for(request.user, pk)
    record_access(
        actor=request.user, purpose="api.participants.detail", instance=participant, request=request
    )
    return _out(participant)
