"""The public list of job orders with open slots: what anyone may see, no personal data.

It shows what a job order asks and offers (work, pay, costs the apprentice pays,
requirements), never who posted, reviewed or fills it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jembatan.core.access import public
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.public_cache import kept_for_visitors
from jembatan.core.replica import reads_replica
from jembatan.demand import selectors
from jembatan.demand.forms import PublicFilterForm
from jembatan.demand.selectors import PublicFilter


def _filters(form: PublicFilterForm) -> PublicFilter:
    if not form.is_valid():
        return PublicFilter(country="-")  # an invalid choice matches nothing
    data = form.cleaned_data
    return PublicFilter(
        country=data["country"], occupation=data["occupation"], province=data["province"]
    )


@public
@kept_for_visitors
@reads_replica
def public_list(request: HttpRequest) -> HttpResponse:
    """Approved job orders with open slots, by country, occupation and province of training."""
    form = PublicFilterForm(request.GET or None, choices=selectors.public_filter_choices())
    rows = selectors.public_job_orders(_filters(form) if form.is_bound else None)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    fragment = bool(getattr(request, "htmx", False))
    template = "demand/_public_results.html" if fragment else "demand/public_list.html"
    return TemplateResponse(request, template, {"form": form, "page": page})


@public
@kept_for_visitors
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published job order with open slots."""
    job_order = selectors.public_job_order(pk)
    return TemplateResponse(
        request,
        "demand/public_detail.html",
        {
            "job_order": job_order,
            "allowances": job_order.allowances.all(),
            "costs": job_order.costs.all(),
            "provinces": job_order.training_provinces.all(),
        },
    )
