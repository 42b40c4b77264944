"""Organisation pages for officials: a filtered list and one organisation."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jembatan.core.access import allow
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.roles import READERS, Role
from jembatan.organisations import selectors
from jembatan.organisations.models import Licence, Organisation, OrganisationKind

LICENCE_FILTERS: dict[str, Callable[[], QuerySet[Licence]]] = {
    "awaiting_review": selectors.licences_awaiting_review,
    "expiring": selectors.licences_expiring,
}


def _filtered(request: HttpRequest) -> QuerySet[Organisation]:
    rows = selectors.organisations_visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in OrganisationKind.values:
        rows = rows.filter(kind=kind)
    licence_filter = LICENCE_FILTERS.get(request.GET.get("licence", ""))
    if licence_filter is not None:
        rows = rows.filter(pk__in=licence_filter().values("organisation_id"))
    query = request.GET.get("q", "").strip()
    return rows.filter(name__icontains=query) if query else rows


@allow(READERS, Role.PARTNER)
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations, filterable by kind, licence situation and name."""
    page = keyset_page(_filtered(request), after=parse_cursor(request.GET.get("after")))
    return TemplateResponse(
        request,
        "organisations/list.html",
        {
            "page": page,
            "kinds": OrganisationKind.choices,
            "kind": request.GET.get("kind", ""),
            "q": request.GET.get("q", ""),
            "licence": request.GET.get("licence", ""),
        },
    )


@allow(READERS, Role.PARTNER)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation with its licences and operators."""
    organisation = selectors.organisation_for(request.user, pk)
    return TemplateResponse(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "licences": organisation.licences.order_by("-valid_to"),
            "licence": selectors.current_licence(organisation),
        },
    )
