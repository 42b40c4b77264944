"""Registry pages: scoped lists, one participant's record, one's own record and consents."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import access_of, allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.choices import stored_label
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.replica import reads_replica
from jembatan.core.roles import READERS, Role
from jembatan.core.row_links import row_link
from jembatan.core.tones import NEUTRAL, TONES
from jembatan.participants.disclosure import mask_nik, minimum_view, sees_full_record
from jembatan.participants.journey import NEXT_STEP
from jembatan.participants.models import Consent, ConsentPurpose, JourneyStatus, Participant
from jembatan.participants.rules import (
    is_officer,
    may_edit,
    may_move,
    may_register,
    may_verify_identity,
    verification_blockers,
)
from jembatan.participants.selectors import (
    consents_of,
    current_consent_text,
    duplicate_flags_of,
    own_participant,
    participant_for,
    participants_visible_to,
    status_history,
    transfers_of,
)
from jembatan.participants.services.registry import consent_withdraw
from jembatan.participants.services.transfers import active_transfer_consent
from jembatan.participants.transfer_views import text_context
from jembatan.participants.validation import issued_region_note
from jembatan.participants.workflows import SENDERS, allowed_targets

NIK_PATTERN = re.compile(r"^\d{16}$")
# What a row of the list shows, read as plain values: a page of 50 builds no model
# instance (three per row with the regency and the organisation) and reverses no URL.
LIST_COLUMNS = (
    "pk",
    "nik",
    "full_name",
    "status",
    "regency__name",
    "sending_organisation__name",
)
_STATUS = Participant._meta.get_field("status")
_TONES = TONES[Participant._meta.label]


def _filtered(request: HttpRequest) -> QuerySet[Participant]:
    rows = participants_visible_to(request.user).filter(archived_at__isnull=True)
    status = request.GET.get("status", "")
    if status in JourneyStatus.values:
        rows = rows.filter(status=status)
    query = request.GET.get("q", "").strip()
    if NIK_PATTERN.match(query):
        rows = rows.filter(nik=query)
    elif query:
        rows = rows.filter(full_name__istartswith=query)
    return rows


def _list_rows(rows: list[dict[str, Any]], *, partner: bool) -> list[dict[str, Any]]:
    """What each row shows: its link, NIK (a partner's never whole), stage and badge."""
    link = row_link("participants:detail")
    for row in rows:
        row["url"] = link(row["pk"])
        row["shown_nik"] = mask_nik(row["nik"]) if partner else row["nik"]
        row["stage"] = stored_label(_STATUS, row["status"])
        row["tone"] = f"tone-{_TONES.get(row['status'], NEUTRAL)}"
    return rows


@allow(READERS, Role.PARTNER)
@reads_replica
def participant_list(request: HttpRequest) -> HttpResponse:
    """Participants in the asker's scope, newest first, searchable by NIK or name."""
    rows = _filtered(request).values(*LIST_COLUMNS)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    _list_rows(page.items, partner=role_of(request.user) == Role.PARTNER)
    record_access(acting_user=request.user, purpose="participants.list", request=request)
    template = "participants/_table.html" if request.htmx else "participants/list.html"  # type: ignore[attr-defined]
    return TemplateResponse(
        request,
        template,
        {
            "page": page,
            "statuses": JourneyStatus.choices,
            "status": request.GET.get("status", ""),
            "q": request.GET.get("q", ""),
            "can_register": may_register(request.user),
            "can_review_duplicates": is_officer(request.user),
        },
    )


def _record_context(participant: Participant) -> dict[str, Any]:
    """What every view of one record shows: history, consents, verification."""
    return {
        "participant": participant,
        "history": list(status_history(participant)),
        "consents": list(consents_of(participant)),
        "blockers": verification_blockers(participant),
        # What a region code retired since the NIK was issued meant then (issue 10).
        "nik_issued_note": issued_region_note(participant.nik, participant.birth_date),
    }


def _actions(user: Any, participant: Participant) -> dict[str, Any]:
    """Which buttons to show; the views and services enforce the same rules again."""
    live = participant.archived_at is None
    targets = allowed_targets(participant.status)
    return {
        "can_edit": live and may_edit(user),
        "can_verify": live and may_verify_identity(user) and not participant.identity_verified_at,
        "can_confirm_nik": live and may_verify_identity(user),
        "can_move": live and any(may_move(user, participant, t) for t in targets),
        "open_flags": duplicate_flags_of(user, participant).filter(status="open").count()
        if is_officer(user)
        else 0,
        "documents_url": _documents_url(user, participant),
    }


def _documents_url(user: Any, participant: Participant) -> str:
    """The participant's document checklist, if the asker's role may open it (else "")."""
    url = reverse("documents:checklist", args=[participant.pk])
    access = access_of(resolve(url).func)
    return url if access is not None and access.admits(role_of(user)) else ""


@allow(READERS, Role.PARTNER)
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant's record, history and consents; every view of it is logged."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="participants.detail",
        instance=participant,
        request=request,
    )
    context = (
        _record_context(participant)
        | _actions(request.user, participant)
        | _disclosure(request.user, participant)
    )
    return TemplateResponse(request, "participants/detail.html", context)


def _disclosure(user: Any, participant: Participant) -> dict[str, Any]:
    """Whether the asker sees the whole record, and the transfers abroad staff may record."""
    full = sees_full_record(user, participant)
    staff = role_of(user) in SENDERS
    return {
        "full": full,
        "minimum": None if full else minimum_view(participant),
        "transfers": list(transfers_of(participant)) if staff else [],
        "can_transfer": staff and participant.archived_at is None,
    }


@allow(Role.PARTICIPANT)
def my_record(request: HttpRequest) -> HttpResponse:
    """The signed-in participant's own record, status history, consents and next step."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    context = _record_context(participant) | {
        "own": True,
        "documents_url": reverse("documents:mine"),
        "next_step": NEXT_STEP.get(participant.status),
        "can_withdraw": JourneyStatus.WITHDRAWN in allowed_targets(participant.status),
        "full": True,
        "transfer_consent": active_transfer_consent(participant),
    }
    text = current_consent_text(ConsentPurpose.TRANSFER_ABROAD)
    if text is not None:
        context |= text_context(text)
    return TemplateResponse(request, "participants/detail.html", context)


@allow(Role.PARTICIPANT)
@require_POST
def my_consent_withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw one of one's own consents (UU PDP: at any time)."""
    participant = own_participant(request.user)
    consent_id = _int(request.POST.get("consent"))
    if participant is None or consent_id is None:
        raise Http404
    consent = Consent.objects.filter(
        participant=participant, pk=consent_id, withdrawn_at__isnull=True
    ).first()
    if consent is None:
        raise Http404
    consent_withdraw(consent=consent, acting_user=request.user)
    messages.info(
        request,
        _(
            "Your consent is withdrawn. An officer will contact you about what this means "
            "for your participation."
        ),
    )
    return redirect("participants:mine")


def _int(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
