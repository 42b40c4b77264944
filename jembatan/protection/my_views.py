"""The apprentice's own side: report a problem from their pages, and follow their cases.

The report is prefilled with whom it concerns from their latest deployment (the
host company, the sending organisation, the partner: the reporting service
completes them), and the replies are read in the language they choose.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.deployment.models import Deployment
from jembatan.participants.models import Participant
from jembatan.protection import selectors
from jembatan.protection.models import Case, ReporterKind
from jembatan.protection.public_forms import (
    ParticipantReportForm,
    ReporterFileForm,
    ReporterMessageForm,
    new_submission,
    page_language,
)
from jembatan.protection.public_views import (
    SUBMISSION_SECONDS,
    attach_for_reporter,
    case_context,
    render,
    reporter_adds,
)
from jembatan.protection.services import reporting
from jembatan.protection.services.reporting import ReportResult


def _latest_deployment(user: Any) -> Deployment | None:
    participant = Participant.objects.filter(user_id=user.pk).first()
    if participant is None:
        return None
    return (
        participant.deployments.select_related(
            "host_company", "sending_organisation", "partner", "country"
        )
        .order_by("-id")
        .first()
    )


def _preferred(request: HttpRequest) -> str:
    user: Any = request.user
    return page_language(
        request.POST.get("language"),
        request.GET.get("bahasa"),
        getattr(request, "LANGUAGE_CODE", None),
        getattr(user, "preferred_language", None),
    )


@allow(Role.PARTICIPANT)
def my_cases(request: HttpRequest) -> HttpResponse:
    """The cases the apprentice reported, with their status."""
    cases = list(selectors.cases_reported_by(request.user))
    language = _preferred(request)
    return render(request, "protection/public/mine.html", {"cases": cases, "language": language})


@allow(Role.PARTICIPANT)
def my_report(request: HttpRequest) -> HttpResponse:
    """Report a problem; whom it concerns comes from the apprentice's deployment."""
    language = _preferred(request)
    deployment = _latest_deployment(request.user)
    with translation.override(language):
        form = ParticipantReportForm(
            request.POST or None,
            request.FILES or None,
            initial={"language": language, "submission": new_submission()},
        )
        if request.method == "POST" and form.is_valid():
            done = _my_report_submitted(request, form)
            if done is not None:
                return done
    context = {"form": form, "language": language, "deployment": deployment}
    return render(
        request, "protection/public/my_report.html", context, status=400 if form.errors else 200
    )


def _my_report_submitted(request: HttpRequest, form: ParticipantReportForm) -> HttpResponse | None:
    token = f"protection.report.submission:{form.cleaned_data['submission']}"
    claims = caches["throttle"]
    if not claims.add(token, "taken", timeout=SUBMISSION_SECONDS):
        return redirect("report:mine")
    result = attempt(request, form, lambda: _open_own_case(request, form))
    if result is None:
        claims.delete(token)
        return None
    return redirect("report:my_case", code=result.case.code)


def _open_own_case(request: HttpRequest, form: ParticipantReportForm) -> ReportResult:
    data = form.cleaned_data
    with transaction.atomic():
        result = reporting.case_report(
            reporter_kind=ReporterKind.APPRENTICE,
            category=data["category"],
            description=data["description"],
            acting_user=request.user,
            language=data["language"],
            request=request,
        )
        if data.get("attachment"):
            attach_for_reporter(result.case, data["attachment"], acting_user=request.user)
    return result


def _own_case(request: HttpRequest, code: str) -> Case:
    found = selectors.cases_reported_by(request.user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


@allow(Role.PARTICIPANT)
def my_case(request: HttpRequest, code: str) -> HttpResponse:
    """One of the apprentice's cases: status, replies, outcome; add information or a file."""
    case = _own_case(request, code)
    language = page_language(
        request.POST.get("language"), request.GET.get("bahasa"), case.reporter_language
    )
    message_form = ReporterMessageForm(request.POST if "message" in request.POST else None)
    posted_file = "add_file" in request.POST
    file_form = ReporterFileForm(
        request.POST if posted_file else None, request.FILES if posted_file else None
    )
    here = reverse("report:my_case", kwargs={"code": case.code})
    if request.method == "POST":
        done = reporter_adds(
            request, case, message_form, file_form, language, acting_user=request.user, again=here
        )
        if done is not None:
            return done
    record_access(
        acting_user=request.user, purpose="protection.my_case", instance=case, request=request
    )
    context = case_context(case, language) | {
        "message_form": message_form,
        "file_form": file_form,
        "post_url": here,
    }
    status = 400 if message_form.errors or file_form.errors else 200
    return render(request, "protection/public/case.html", context, status=status)
