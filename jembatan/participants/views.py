"""Registry pages: scoped lists, one participant's record, one's own record."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.roles import READERS, Role
from jembatan.participants.journey import NEXT_STEP
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.selectors import (
    own_participant,
    participant_for,
    participants_visible_to,
)

NIK_PATTERN = re.compile(r"^\d{16}$")


def _filtered(request: HttpRequest) -> QuerySet[Participant]:
    rows = participants_visible_to(request.user).select_related("regency", "sending_organisation")
    status = request.GET.get("status", "")
    if status in JourneyStatus.values:
        rows = rows.filter(status=status)
    query = request.GET.get("q", "").strip()
    if NIK_PATTERN.match(query):
        rows = rows.filter(nik=query)
    elif query:
        rows = rows.filter(full_name__istartswith=query)
    return rows


@allow(READERS, Role.PARTNER)
def participant_list(request: HttpRequest) -> HttpResponse:
    """Participants in the asker's scope, newest first, searchable by NIK or name."""
    page = keyset_page(_filtered(request), after=parse_cursor(request.GET.get("after")))
    record_access(actor=request.user, purpose="participants.list", request=request)
    template = "participants/_table.html" if request.htmx else "participants/list.html"  # type: ignore[attr-defined]
    return TemplateResponse(
        request,
        template,
        {
            "page": page,
            "statuses": JourneyStatus.choices,
            "status": request.GET.get("status", ""),
            "q": request.GET.get("q", ""),
        },
    )


@allow(READERS, Role.PARTNER)
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant's record; every view of it is logged."""
    participant = participant_for(request.user, pk)
    record_access(
        actor=request.user, purpose="participants.detail", instance=participant, request=request
    )
    return TemplateResponse(request, "participants/detail.html", {"participant": participant})


@allow(Role.PARTICIPANT)
def my_record(request: HttpRequest) -> HttpResponse:
    """The signed-in participant's own record and next step."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    return TemplateResponse(
        request,
        "participants/detail.html",
        {"participant": participant, "own": True, "next_step": NEXT_STEP.get(participant.status)},
    )
