"""The flights that take apprentices abroad, and each flight's manifest as PDF or xlsx."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.roles import Role
from jembatan.deployment import manifest, selectors
from jembatan.deployment.workflows import PREPARERS

MANIFEST_READERS = PREPARERS | {Role.PARTNER, Role.AUDITOR}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@allow(MANIFEST_READERS)
def flights(request: HttpRequest) -> HttpResponse:
    """The flights recorded for the deployments the asker may see, latest first, by pages of
    whole days (``?sampai=YYYY-MM-DD``: the flights of that day and before)."""
    try:
        through = dt.date.fromisoformat(request.GET.get("sampai", ""))
    except ValueError:
        through = None
    shown, next_day = selectors.flights_visible_to(request.user, through=through)
    return TemplateResponse(
        request, "deployment/flights.html", {"flights": shown, "next_day": next_day}
    )


def _rows(
    request: HttpRequest, flight: str, date: str
) -> tuple[list[manifest.ManifestRow], dt.date]:
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Http404 from None
    deployments = selectors.manifest_rows(request.user, flight, day)
    if not deployments:
        raise Http404
    record_access(acting_user=request.user, purpose="deployment.manifest", request=request)
    return manifest.manifest_rows(deployments, request.user), day


def _download(content: bytes, content_type: str, name: str, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@allow(MANIFEST_READERS)
def manifest_pdf(request: HttpRequest, flight: str, date: str) -> HttpResponse:
    """The manifest of one flight as PDF."""
    rows, day = _rows(request, flight, date)
    pdf = manifest.render_pdf(rows, flight=flight, on=day)
    return _download(pdf, "application/pdf", f"manifest-{flight}-{day}.pdf", "inline")


@allow(MANIFEST_READERS)
def manifest_xlsx(request: HttpRequest, flight: str, date: str) -> HttpResponse:
    """The manifest of one flight as an xlsx workbook."""
    rows, day = _rows(request, flight, date)
    book = manifest.render_xlsx(rows, flight=flight, on=day)
    return _download(book, XLSX, f"manifest-{flight}-{day}.xlsx", "attachment")
