"""Reference data and the audit trail, for the ministry and auditors."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow
from jembatan.core.change_display import with_related_names
from jembatan.core.forms import OccupationForm
from jembatan.core.models import AccessLog, ChangeRecord, Occupation, ReferenceDataset, Region
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.selectors import FILTERS, parse_task_cursor, tasks_page
from jembatan.core.services.reference import occupation_update
from jembatan.core.services.tasks import task_resume

AUDIT_READERS = (Role.NATIONAL_ADMIN, Role.AUDITOR)


@allow(NATIONAL, Role.AUDITOR)
def reference(request: HttpRequest) -> HttpResponse:
    """The reference tables in use, with versions, sources and row counts."""
    provinces = Region.objects.filter(level="province").annotate(children_count=Count("children"))
    return TemplateResponse(
        request,
        "core/reference.html",
        {
            "datasets": ReferenceDataset.objects.annotate(rows=Count("occupations")),
            "provinces": provinces,
        },
    )


@allow(NATIONAL, Role.AUDITOR)
def occupation_table(request: HttpRequest, code: str) -> HttpResponse:
    """Every entry of one occupation table."""
    dataset = get_object_or_404(ReferenceDataset, code=code, kind="occupations")
    rows = dataset.occupations.select_related("parent").order_by("code")
    return TemplateResponse(request, "core/occupations.html", {"dataset": dataset, "rows": rows})


@allow(Role.NATIONAL_ADMIN)
def occupation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the names of one occupation (audited)."""
    occupation = get_object_or_404(Occupation.objects.select_related("dataset"), pk=pk)
    form = OccupationForm(request.POST or None, instance=Occupation.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            form,
            lambda: occupation_update(
                occupation=occupation, acting_user=request.user, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The occupation has been saved."))
            return redirect("core:occupations", code=occupation.dataset.code)
    return TemplateResponse(
        request, "core/occupation_edit.html", {"form": form, "occupation": occupation}
    )


@allow(AUDIT_READERS)
def changes(request: HttpRequest) -> HttpResponse:
    """The change history, newest first, filterable by operation."""
    rows = ChangeRecord.objects.select_related("content_type")
    operation = request.GET.get("operation", "").strip()
    if operation:
        rows = rows.filter(operation=operation)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    with_related_names(page.items)  # names of the organisations, places… the changes point at
    return TemplateResponse(request, "core/changes.html", {"page": page, "operation": operation})


@allow(AUDIT_READERS)
def access_log(request: HttpRequest) -> HttpResponse:
    """Who read personal data, newest first, filterable by person."""
    rows = AccessLog.objects.select_related("content_type")
    actor = request.GET.get("actor", "").strip()
    if actor:
        rows = rows.filter(actor_label=actor)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    return TemplateResponse(request, "core/access_log.html", {"page": page, "actor": actor})


@allow(Role.NATIONAL_ADMIN)
def tasks(request: HttpRequest) -> HttpResponse:
    """The background tasks, newest first: kind, state, progress, the worker's last beat."""
    status = request.GET.get("status", "open")
    if status not in FILTERS:
        status = "open"
    page = tasks_page(status=status, after=parse_task_cursor(request.GET.get("after")))
    filters = [(key, label) for key, (label, _statuses) in FILTERS.items()]
    return TemplateResponse(
        request, "core/tasks.html", {"page": page, "status": status, "filters": filters}
    )


@require_POST
@allow(Role.NATIONAL_ADMIN)
def task_resume_view(request: HttpRequest, task_id: str) -> HttpResponse:
    """Resume a task whose worker stopped, as ``jembatan tasks resume`` does (audited)."""
    outcome = attempt(
        request, None, lambda: task_resume(task_id=str(task_id), acting_user=request.user)
    )
    if outcome is not None:
        messages.success(request, outcome)
    return redirect("core:tasks")
