"""The public side of protection cases: an anonymous report, and its follow-up with code and secret.

Nobody needs an account. The report form is protected against abuse without
blocking people: tries are counted per client address (``core/throttle.py``,
the database cache every process shares), a honeypot field catches robots, and
a report sent twice (the same hidden token) opens one case. The case code and
the secret are shown once, on the page after the report; only the secret's hash
is kept.

The follow-up asks for the code and the secret; a wrong pair gets one message
that does not say which part was wrong, and tries are counted per address and
per code. A right pair opens the case for this browser session for a short
while (``FOLLOW_UP_SECONDS``). Nothing the reporter could be identified by is
written to the audit trail: the services are called without the request (so
no client address is kept) and the reporter is ``ANONYMOUS_REPORTER``.

Each page is rendered in the language chosen on it (Indonesian, English or
Japanese: ``?bahasa=``), whatever the site's language.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jembatan.core.access import public
from jembatan.core.audit import client_ip, record_access
from jembatan.core.refusals import attempt
from jembatan.core.throttle import seconds_to_wait
from jembatan.protection import selectors
from jembatan.protection.models import Case, ReporterLanguage
from jembatan.protection.public_forms import (
    FollowUpForm,
    PublicReportForm,
    ReporterFileForm,
    ReporterMessageForm,
    new_submission,
    page_language,
)
from jembatan.protection.reporting import public_description
from jembatan.protection.services import handling, reporting
from jembatan.protection.services.reporting import Concerned, ReportResult
from jembatan.protection.workflows import ANONYMOUS_REPORTER

DONE_KEY = "protection.report_done"
FOLLOW_UP_KEY = "protection.follow_up"
FOLLOW_UP_SECONDS = 20 * 60
# Public tries allowed per window: reports per address; follow-up sign-ins per address and code.
REPORTS_PER_ADDRESS = 10
FOLLOW_UPS_PER_ADDRESS = 20
FOLLOW_UPS_PER_CODE = 5
TRY_WINDOW = 3600  # seconds
SUBMISSION_SECONDS = 24 * 3600


def render(
    request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
) -> HttpResponse:
    """The page rendered in ``context["language"]`` (the site's language stays as it is)."""
    language = context["language"]
    with translation.override(language):
        response = TemplateResponse(
            request, template, context | {"report_languages": _language_links(request)}, **kwargs
        )
        response.render()
    response["Content-Language"] = language
    return response


def _language_links(request: HttpRequest) -> list[tuple[str, str, str]]:
    return [
        (code, label, f"{request.path}?bahasa={code}") for code, label in ReporterLanguage.choices
    ]


def _language(request: HttpRequest) -> str:
    return page_language(request.POST.get("language"), request.GET.get("bahasa"))


def _too_many_tries(request: HttpRequest, wait: int, language: str, back: str) -> HttpResponse:
    context = {"language": language, "minutes": -(-wait // 60), "back": back}
    response = render(request, "protection/public/wait.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


# --- the report -------------------------------------------------------------------------


@public
def report(request: HttpRequest) -> HttpResponse:
    """The public report form; on success, the case code and the secret are shown once."""
    language = _language(request)
    with translation.override(language):
        form = PublicReportForm(
            request.POST or None,
            request.FILES or None,
            initial={"language": language, "submission": new_submission()},
        )
        if request.method == "POST":
            done = _report_submitted(request, form, language)
            if done is not None:
                return done
    return render(
        request,
        "protection/public/report.html",
        {"form": form, "language": language},
        status=400 if form.errors else 200,
    )


def _report_submitted(
    request: HttpRequest, form: PublicReportForm, language: str
) -> HttpResponse | None:
    address = client_ip(request) or "unknown"
    wait = seconds_to_wait(
        "protection.report.address", address, limit=REPORTS_PER_ADDRESS, window=TRY_WINDOW
    )
    if wait:
        return _too_many_tries(request, wait, language, reverse("report:report"))
    if form.is_robot():
        return render(request, "protection/public/refused.html", {"language": language}, status=400)
    if not form.is_valid():
        return None
    token = f"protection.report.submission:{form.cleaned_data['submission']}"
    claims = caches["throttle"]
    if not claims.add(token, "taken", timeout=SUBMISSION_SECONDS):
        return redirect(reverse("report:done") + f"?bahasa={language}")
    result = attempt(request, form, lambda: _open_anonymous_case(form))
    if result is None:
        claims.delete(token)  # refused: the same form may be sent again once corrected
        return None
    request.session[DONE_KEY] = {
        "code": result.case.code,
        "secret": result.secret,
        "language": language,
    }
    return redirect(reverse("report:done") + f"?bahasa={language}")


def _open_anonymous_case(form: PublicReportForm) -> ReportResult:
    """The case and its file in one transaction: a refused file opens no case.

    The request is not passed on: the audit trail keeps no client address of the reporter.
    """
    data = form.cleaned_data
    with transaction.atomic():
        result = reporting.case_report(
            reporter_kind="anonymous",
            category=data["category"],
            description=public_description(data),
            acting_user=ANONYMOUS_REPORTER,
            concerned=Concerned(sending_organisation=data.get("sending_organisation")),
            reporter_contact=data.get("contact") or "",
            language=data["language"],
        )
        if data.get("attachment"):
            attach_for_reporter(result.case, data["attachment"])
    return result


def attach_for_reporter(case: Case, upload: Any, *, acting_user: Any = ANONYMOUS_REPORTER) -> None:
    """Add the reporter's file; a refused file is told above the form (``attempt``)."""
    handling.case_attach(case=case, upload=upload, acting_user=acting_user)


@public
def report_done(request: HttpRequest) -> HttpResponse:
    """The case code and the secret, once: the session forgets the secret as it is shown."""
    shown = request.session.pop(DONE_KEY, None)
    language = page_language(request.GET.get("bahasa"), (shown or {}).get("language"))
    response = render(
        request, "protection/public/done.html", {"shown": shown, "language": language}
    )
    response["Cache-Control"] = "no-store"
    return response


# --- the follow-up ----------------------------------------------------------------------


def _follow_up_wait(request: HttpRequest, code: str) -> int:
    address = client_ip(request) or "unknown"
    by_address = seconds_to_wait(
        "protection.follow_up.address", address, limit=FOLLOW_UPS_PER_ADDRESS, window=TRY_WINDOW
    )
    by_code = seconds_to_wait(
        "protection.follow_up.code", code.upper(), limit=FOLLOW_UPS_PER_CODE, window=TRY_WINDOW
    )
    return max(by_address, by_code)


@public
def follow_up(request: HttpRequest) -> HttpResponse:
    """Enter the case code and the secret; a right pair opens the case for a short while."""
    language = _language(request)
    form = FollowUpForm(request.POST or None, initial={"language": language})
    if request.method == "POST":
        wait = _follow_up_wait(request, request.POST.get("code", "").strip())
        if wait:
            return _too_many_tries(request, wait, language, reverse("report:follow_up"))
        if form.is_valid():
            case = selectors.reporter_case(form.cleaned_data["code"], form.cleaned_data["secret"])
            if case is not None:
                request.session.cycle_key()
                request.session[FOLLOW_UP_KEY] = {
                    "case": case.pk,
                    "until": time.time() + FOLLOW_UP_SECONDS,
                }
                return redirect(reverse("report:follow_up_case") + f"?bahasa={language}")
            with translation.override(language):
                form.add_error(
                    None, _("The case code and secret do not match. Check both and try again.")
                )
    return render(
        request,
        "protection/public/follow_up.html",
        {"form": form, "language": language},
        status=400 if form.errors else 200,
    )


def _followed_case(request: HttpRequest) -> Case | None:
    held = request.session.get(FOLLOW_UP_KEY)
    if not held or held.get("until", 0) < time.time():
        request.session.pop(FOLLOW_UP_KEY, None)
        return None
    return Case.objects.filter(pk=held["case"], reporter__isnull=True).first()


def case_context(case: Case, language: str) -> dict[str, Any]:
    return {
        "case": case,
        "events": list(selectors.public_timeline(case)),
        "files": list(selectors.attachments_of(case, public_only=True)),
        "language": language,
    }


@public
def follow_up_case(request: HttpRequest) -> HttpResponse:
    """The case as its anonymous reporter sees it: status, public replies, outcome; add more."""
    case = _followed_case(request)
    if case is None:
        return redirect(reverse("report:follow_up") + f"?bahasa={_language(request)}")
    language = page_language(
        request.POST.get("language"), request.GET.get("bahasa"), case.reporter_language
    )
    message_form = ReporterMessageForm(request.POST if "message" in request.POST else None)
    file_form = ReporterFileForm(
        request.POST if "add_file" in request.POST else None,
        request.FILES if "add_file" in request.POST else None,
    )
    if request.method == "POST":
        done = reporter_adds(request, case, message_form, file_form, language)
        if done is not None:
            return done
    record_access(acting_user=ANONYMOUS_REPORTER, purpose="protection.follow_up", instance=case)
    context = case_context(case, language) | {
        "message_form": message_form,
        "file_form": file_form,
        "post_url": reverse("report:follow_up_case"),
    }
    status = 400 if message_form.errors or file_form.errors else 200
    return render(request, "protection/public/case.html", context, status=status)


def reporter_adds(
    request: HttpRequest,
    case: Case,
    message_form: ReporterMessageForm,
    file_form: ReporterFileForm,
    language: str,
    acting_user: Any = ANONYMOUS_REPORTER,
    again: str = "",
) -> HttpResponse | None:
    """A message or a file from the reporter; after it, the case page again (PRG)."""
    done: Any = None
    with translation.override(language):
        if message_form.is_bound and message_form.is_valid():
            text = message_form.cleaned_data["message"]
            done = attempt(
                request,
                message_form,
                lambda: reporting.case_reporter_message(
                    case=case, message=text, acting_user=acting_user
                ),
            )
        elif file_form.is_bound and file_form.is_valid():
            upload = file_form.cleaned_data["file"]
            done = attempt(
                request,
                file_form,
                lambda: handling.case_attach(case=case, upload=upload, acting_user=acting_user),
            )
    if done is None:
        return None
    return redirect((again or reverse("report:follow_up_case")) + f"?bahasa={language}")


@public
def follow_up_end(request: HttpRequest) -> HttpResponse:
    """Close the case in this browser (POST); the code and the secret open it again."""
    if request.method != "POST":
        raise Http404
    request.session.pop(FOLLOW_UP_KEY, None)
    return redirect(reverse("report:follow_up") + f"?bahasa={_language(request)}")
