"""The retention schedule for officers, and the retention runs for national administrators."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow
from jembatan.core.roles import NATIONAL, Role
from jembatan.privacy.models import RetentionRun
from jembatan.privacy.schedule import schedule, schedule_version
from jembatan.privacy.services.retention_run import retention_dry_run_queue

RUNS_SHOWN = 20


@allow(NATIONAL, Role.PROVINCIAL_OFFICER, Role.AUDITOR)
def retention_schedule(request: HttpRequest) -> HttpResponse:
    """How long each kind of record is kept, why, and what happens at the end."""
    context = {
        "rows": list(schedule().values()),
        "version": schedule_version(),
        "language": translation.get_language() or "id",
    }
    return TemplateResponse(request, "privacy/retention_schedule.html", context)


@allow(Role.NATIONAL_ADMIN, Role.AUDITOR)
def retention_runs(request: HttpRequest) -> HttpResponse:
    """The last runs and dry runs, newest first, with counts per kind and what was left."""
    runs = list(RetentionRun.objects.all()[:RUNS_SHOWN])
    labels = {
        key: row.record(translation.get_language() or "id") for key, row in schedule().items()
    }
    context = {
        "runs": runs,
        "labels": labels,
        "last_dry_run": next((r for r in runs if r.dry_run), None),
    }
    return TemplateResponse(request, "privacy/retention_runs.html", context)


@require_POST
@allow(Role.NATIONAL_ADMIN)
def retention_dry_run_view(request: HttpRequest) -> HttpResponse:
    """Queue a dry run: the task worker writes its report, and the page shows it."""
    retention_dry_run_queue(acting_user=request.user)
    messages.success(request, _("The dry run is queued; its report appears here when it ends."))
    return redirect("personal_data:retention_runs")
