"""The public register (``/daftar-lpk/``): no login, no personal data.

Anyone can check whether an organisation may send apprentices abroad: search
by name, licence number or province, read the status in plain words, see the
sanctions Kemnaker published, and download the same list as CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from jembatan.core.access import public
from jembatan.core.replica import reads_replica
from jembatan.organisations import register, selectors
from jembatan.organisations.forms import RegisterSearchForm
from jembatan.organisations.models import SENDING_KINDS, Organisation


def _filters(request: HttpRequest) -> tuple[RegisterSearchForm, str, str]:
    form = RegisterSearchForm(request.GET or None)
    if not form.is_valid():
        return form, "", ""
    province = form.cleaned_data["province"]
    return form, form.cleaned_data["q"] or "", province.pk if province else ""


@public
@reads_replica
def register_search(request: HttpRequest) -> HttpResponse:
    """Search the register; htmx asks for the results fragment only."""
    form, query, province = _filters(request)
    page = register.register_page(query=query, province=province, after=request.GET.get("after"))
    fragment = bool(getattr(request, "htmx", False))
    template = "organisations/register/" + ("results.html" if fragment else "search.html")
    return TemplateResponse(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query,
            "province": province,
            "statuses": register.ALL_STATUSES,
            "searched": bool(query or province),
        },
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(query: str, province: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the BOM tells Excel the file is UTF-8
    yield writer.writerow(register.csv_header())
    for row in register.register_all(query=query, province=province):
        yield writer.writerow(register.csv_row(row))


@public
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The register with the same filters as CSV (UTF-8 with BOM, formulas escaped)."""
    _form, query, province = _filters(request)
    response = StreamingHttpResponse(
        _csv_lines(query, province), content_type="text/csv; charset=utf-8"
    )
    name = f"daftar-lpk-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public
def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation in the register, with every published sanction."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("province", "region"),
        pk=pk,
        kind__in=sorted(SENDING_KINDS),
        archived_at__isnull=True,
    )
    row = register.register_entry(organisation)
    return TemplateResponse(
        request,
        "organisations/register/detail.html",
        {"row": row, "statuses": register.ALL_STATUSES},
    )


@public
def register_attachment(request: HttpRequest, decision_pk: int) -> FileResponse:
    """The attachment of a published decision that Kemnaker made public."""
    decision = selectors.public_attachment(decision_pk)
    return FileResponse(decision.attachment.open("rb"), as_attachment=True)
