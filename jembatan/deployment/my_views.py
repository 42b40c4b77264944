"""The apprentice's own pages: where they are in their stay, their check-in, whom to call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from jembatan.core.access import allow
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.deployment import selectors
from jembatan.deployment.forms import CHECK_IN_LANGUAGES, CheckInForm, check_in_language
from jembatan.deployment.models import Deployment, ReportKind, Wellbeing
from jembatan.deployment.reference import mission_in
from jembatan.deployment.services import monitoring
from jembatan.deployment.services.monitoring import ReportAnswers


def _mine(request: HttpRequest) -> Deployment:
    found = selectors.own_deployment(request.user)
    if found is None:
        raise Http404
    return found


def stay_summary(deployment: Deployment) -> dict[str, Any]:
    """Where the apprentice is in the stay and what is due next (the page and the include)."""
    return {
        "deployment": deployment,
        "next_stage": selectors.next_stage(deployment),
        "stages": selectors.stages_of(deployment),
    }


@allow(Role.PARTICIPANT)
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in apprentice's stay: status, host company, stages, check-ins, contacts."""
    deployment = selectors.own_deployment(request.user)
    context: dict[str, Any] = {"deployment": deployment}
    if deployment is not None:
        context |= stay_summary(deployment) | {
            "check_ins": [
                r for r in selectors.reports_of(deployment) if r.kind == ReportKind.CHECK_IN
            ][:6]
        }
    return TemplateResponse(request, "deployment/mine.html", context)


@allow(Role.PARTICIPANT)
def check_in(request: HttpRequest) -> HttpResponse:
    """The apprentice's short check-in; "something is wrong" leads to whom to call."""
    deployment = _mine(request)
    page_language = getattr(request, "LANGUAGE_CODE", "id")
    language = check_in_language(
        request.GET.get("bahasa") or request.POST.get("bahasa"), page_language
    )
    form = CheckInForm(request.POST or None, language=language)
    if request.method == "POST" and form.is_valid():
        answers = ReportAnswers(**form.answers(language))
        done = attempt(
            request,
            form,
            lambda: monitoring.report_submit(
                deployment=deployment,
                kind=ReportKind.CHECK_IN,
                answers=answers,
                acting_user=request.user,
            ),
        )
        if done is not None and done.wellbeing == Wellbeing.WRONG:
            return redirect(reverse("deployment:help") + "?laporan=1")
        if done is not None:
            messages.success(request, _("Thank you: your check-in is recorded."))
            return redirect("deployment:mine")
    return TemplateResponse(
        request,
        "deployment/check_in.html",
        {
            "deployment": deployment,
            "form": form,
            "language": language,
            "check_in_languages": CHECK_IN_LANGUAGES,
        },
    )


@allow(Role.PARTICIPANT)
def help_contacts(request: HttpRequest) -> HttpResponse:
    """Whom to call now: the sending organisation, the supervising organisation, the embassy."""
    deployment = _mine(request)
    sender = deployment.sending_organisation
    return TemplateResponse(
        request,
        "deployment/help.html",
        {
            "deployment": deployment,
            "sender": sender,
            "sender_contacts": selectors.contacts_of(sender),
            "supervisor_contacts": selectors.contacts_of(deployment.supervising_organisation),
            "mission": mission_in(deployment.country_id),
            "language": getattr(request, "LANGUAGE_CODE", "id"),
            "after_check_in": request.GET.get("laporan") == "1",
        },
    )
