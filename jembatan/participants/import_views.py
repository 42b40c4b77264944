"""Import pages: upload a spreadsheet, watch it being checked, download the report.

The import itself runs as a task (:mod:`jembatan.participants.tasks`); the
progress page polls every second with htmx and stops once the job is finished.
Every job, report and history line is looked up through
:func:`~jembatan.participants.selectors.jobs_visible_to`, so another
organisation's import answers 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jembatan.core import stored_files
from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.models import ImportJob
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.core.spreadsheet import SPREADSHEET_MIME
from jembatan.core.task_recovery import stale_task_of
from jembatan.participants import selectors
from jembatan.participants.models import ConsentPurpose
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services import importing
from jembatan.participants.tasks import run_participant_import

XLSX_TYPE = SPREADSHEET_MIME["xlsx"]


class ImportForm(forms.Form):
    """The file and the two options of an import."""

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .ods or .csv)"),
        help_text=_("Use the template; the first row holds the column headings."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check the file, write nothing"), required=False)
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows (import only the valid ones)"),
        required=False,
        help_text=_("Without this, one invalid row means nothing is imported."),
    )
    default_licence = forms.CharField(
        label=_("Licence number for rows that leave it empty"),
        required=False,
        max_length=60,
        help_text=_("Optional. Rows naming another organisation's licence are then refused."),
    )

    authority = forms.ChoiceField(
        label=_("On whose authority was the people's data collected?"),
        choices=ImportJob.Authority.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Required unless this is a dry run. Each person imported is recorded as having "
            "agreed to the privacy notice below, on this basis."
        ),
    )
    privacy_notice_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if role_of(user) == Role.SENDER_OPERATOR:
            del self.fields["default_licence"]  # an operator always imports for their own LPK


@allow(importing.HISTORY_READERS)
def import_list(request: HttpRequest) -> HttpResponse:
    """The imports the asker may see, newest first."""
    jobs = selectors.jobs_visible_to(request.user).select_related("organisation")
    page = keyset_page(jobs.order_by("-id"), after=parse_cursor(request.GET.get("after")))
    may_import = role_of(request.user) in importing.IMPORTERS
    return TemplateResponse(
        request, "participants/import_list.html", {"page": page, "may_import": may_import}
    )


@allow(importing.IMPORTERS)
def import_new(request: HttpRequest) -> HttpResponse:
    """Upload a file; the import is queued and the progress page opens."""
    notice = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"privacy_notice_version": notice.version if notice else None},
    )
    if request.method == "POST" and form.is_valid():
        job = attempt(request, form, lambda: _start(request, form.cleaned_data))
        if job is not None:
            return redirect("imports:detail", pk=job.pk)
    language = get_language() or "id"
    context = {
        "form": form,
        "notice": notice,
        "notice_title": notice.title(language) if notice else "",
        "notice_body": notice.body(language) if notice else "",
    }
    return TemplateResponse(request, "participants/import_new.html", context)


def _start(request: HttpRequest, data: dict[str, Any]) -> ImportJob:
    upload = data["file"]
    return importing.import_create(
        acting_user=request.user,
        chunks=upload.chunks(),
        file_name=upload.name or "upload",
        dry_run=data["dry_run"],
        skip_invalid=data["skip_invalid"],
        default_licence=data.get("default_licence") or "",
        authority=data.get("authority") or "",
        privacy_notice_version=data.get("privacy_notice_version"),
    )


@allow(importing.HISTORY_READERS)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress while the job runs (htmx polls the fragment), then the result."""
    job = selectors.job_for(request.user, pk)
    partial = bool(getattr(request, "htmx", False))
    template = f"participants/import_{'progress' if partial else 'detail'}.html"
    stale = job.status == ImportJob.Status.RUNNING and bool(
        stale_task_of(run_participant_import, job.pk)
    )
    may_resume = role_of(request.user) == Role.NATIONAL_ADMIN
    return TemplateResponse(
        request, template, {"job": job, "stale": stale, "may_resume": may_resume}
    )


@allow(importing.HISTORY_READERS)
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    """The report of one import (``?format=csv`` for CSV); it holds personal data: logged."""
    job = selectors.job_for(request.user, pk)
    kind = "csv" if request.GET.get("format") == "csv" else "xlsx"
    name = importing.report_file(job, kind)
    record_access(
        acting_user=request.user,
        purpose="participants.import_report",
        instance=job,
        request=request,
    )
    content_type = "text/csv; charset=utf-8" if kind == "csv" else XLSX_TYPE
    return FileResponse(
        stored_files.open_stored(name),
        as_attachment=True,
        filename=f"import-{job.pk}-report.{kind}",
        content_type=content_type,
    )


@allow(importing.HISTORY_READERS)
def import_template(request: HttpRequest) -> HttpResponse:
    """The empty import file, with Indonesian (``?lang=id``) or English headings."""
    language = "en" if request.GET.get("lang") == "en" else "id"
    response = HttpResponse(importing.template_workbook(language), content_type=XLSX_TYPE)
    name = "template-peserta.xlsx" if language == "id" else "participants-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
