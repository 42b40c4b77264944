"""The officers' case pages: the list, one case with its timeline, and every move on it.

Every view declares who may use it (officers; the auditor reads); the selectors
limit what it shows to the asker's scope (404 outside it, never saying a case
exists) and every read of a case file is logged with ``record_access``. A page
shows a service's refusal only through ``core.refusals.attempt``. The public
side (the anonymous form and follow-up) lives in public_views.py.

The workflow's moves are one view over one table (``case_act``, ``PAGES``); the
other pages on a case (a message, a file, a referral, its answer) are one view
over another (``case_page``, ``CASE_PAGES``); both share ``_submit``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.deployment.selectors import deployments_visible_to
from jembatan.protection import deadlines, selectors
from jembatan.protection.files import open_content
from jembatan.protection.forms import (
    AnswerForm,
    AssignForm,
    AttachmentForm,
    CaseFilterForm,
    MessageForm,
    NewCaseForm,
    OutcomeForm,
    QuestionForm,
    ReasonForm,
    ReferralForm,
    TriageForm,
)
from jembatan.protection.models import Case, CaseCategory, Referral, ReporterKind, Severity
from jembatan.protection.services import escalation, handling, referrals, reporting
from jembatan.protection.workflows import CASE_WORKFLOW, OFFICERS, CaseAction

VIEWERS = OFFICERS | {Role.AUDITOR}


def _log(request: HttpRequest, case: Case, purpose: str) -> None:
    """A case file is personal data: log the read, of the person concerned when known."""
    record_access(
        acting_user=request.user,
        purpose=f"protection.{purpose}",
        instance=case.participant or case,
        request=request,
    )


@allow(VIEWERS)
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the asker may open, newest first, filterable; paged by keyset."""
    form = CaseFilterForm(request.GET or None)
    filters = (
        selectors.CaseFilters(**form.cleaned_data) if form.is_valid() else selectors.CaseFilters()
    )
    page = keyset_page(
        selectors.case_list(request.user, filters), after=parse_cursor(request.GET.get("after"))
    )
    record_access(acting_user=request.user, purpose="protection.list", request=request)
    return TemplateResponse(
        request,
        "protection/list.html",
        {
            "page": page,
            "form": form,
            "overdue": selectors.overdue_count(request.user),
            "may_report": role_of(request.user) in OFFICERS,
        },
    )


@allow(VIEWERS)
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One case: who and what, the deadlines, the timeline, referrals and files."""
    case = selectors.case_for(request.user, code)
    _log(request, case, "detail")
    actions = [
        (str(a), CASE_WORKFLOW.describe(a))
        for a in CASE_WORKFLOW.allowed_actions(case.status, request.user)
        if a in PAGES
    ]
    return TemplateResponse(
        request,
        "protection/detail.html",
        {
            "case": case,
            "events": selectors.timeline(case),
            "referrals": selectors.referrals_of(case),
            "attachments": selectors.attachments_of(case),
            "actions": actions,
            "may_act": role_of(request.user) in OFFICERS and not case.is_anonymised,
            "may_refer": CASE_WORKFLOW.allows(case.status, CaseAction.REFER)
            and CASE_WORKFLOW.may(CaseAction.REFER, request.user),
            "overdue": case.is_overdue(),
        },
    )


def _form_page(
    request: HttpRequest, case: Case, form: Any, title: str, *, submit: str = ""
) -> HttpResponse:
    match = request.resolver_match
    _log(request, case, (match.url_name if match else None) or "form")
    return TemplateResponse(
        request,
        "protection/form.html",
        {"case": case, "form": form, "title": title, "submit": submit or _("Save")},
    )


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("protection:detail", code=case.code)


# What each action's page asks, and the service it calls with the form's data.
Act = Callable[[HttpRequest, Case, dict[str, Any]], Any]
PAGES: dict[CaseAction, tuple[Callable[..., forms.Form], Act]] = {
    CaseAction.TRIAGE: (
        TriageForm,
        lambda r, c, d: handling.case_triage(
            case=c,
            severity=d["severity"],
            owner=d["owner"],
            note=d["note"],
            acting_user=r.user,
            request=r,
        ),
    ),
    CaseAction.START: (
        forms.Form,
        lambda r, c, d: handling.case_start(case=c, acting_user=r.user, request=r),
    ),
    CaseAction.ASSIGN: (
        AssignForm,
        lambda r, c, d: handling.case_assign(
            case=c, owner=d["owner"], reason=d["reason"], acting_user=r.user, request=r
        ),
    ),
    CaseAction.ASK_REPORTER: (
        QuestionForm,
        lambda r, c, d: handling.case_ask_reporter(
            case=c, question=d["message"], acting_user=r.user, request=r
        ),
    ),
    CaseAction.ESCALATE: (
        ReasonForm,
        lambda r, c, d: escalation.case_escalate(
            case=c, reason=d["reason"], acting_user=r.user, request=r
        ),
    ),
    CaseAction.RESOLVE: (
        OutcomeForm,
        lambda r, c, d: handling.case_resolve(
            case=c,
            outcome=d["outcome"],
            action_taken=d["action_taken"],
            acting_user=r.user,
            request=r,
        ),
    ),
    CaseAction.CLOSE: (
        OutcomeForm,
        lambda r, c, d: handling.case_close(
            case=c,
            outcome=d["outcome"],
            action_taken=d["action_taken"],
            acting_user=r.user,
            request=r,
        ),
    ),
    CaseAction.REOPEN: (
        ReasonForm,
        lambda r, c, d: handling.case_reopen(
            case=c, reason=d["reason"], acting_user=r.user, request=r
        ),
    ),
    CaseAction.WITHDRAW: (
        ReasonForm,
        lambda r, c, d: reporting.case_withdraw(
            case=c, reason=d["reason"], acting_user=r.user, request=r
        ),
    ),
}
NEEDS_CASE = (TriageForm, AssignForm)


def _submit(
    request: HttpRequest,
    case: Case,
    form: forms.Form,
    act: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    title: str,
    submit: str = "",
) -> HttpResponse:
    """The shape every page on a case shares: the form; on POST the service, or its refusal."""
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, form, lambda: act(form.cleaned_data)) is not None
    ):
        return _done(request, case, done)
    return _form_page(request, case, form, title, submit=submit)


@allow(OFFICERS)
def case_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """One move on the case (triage, start, assign, ask, escalate, resolve, close, reopen...)."""
    case = selectors.case_for(request.user, code)
    try:
        chosen = CaseAction(action)
        make_form, act = PAGES[chosen]
    except (ValueError, KeyError):
        raise Http404 from None
    kwargs: dict[str, Any] = {"case": case} if make_form in NEEDS_CASE else {}
    return _submit(
        request,
        case,
        make_form(request.POST or None, **kwargs),
        lambda data: act(request, case, data),
        done=_("Saved: %(action)s.") % {"action": CASE_WORKFLOW[chosen].label},
        title=CASE_WORKFLOW.describe(chosen),
    )


def _referral(case: Case, pk: int | None) -> Referral:
    """The case's referral the URL names (404 for another case's)."""
    referral = selectors.referrals_of(case).filter(pk=pk).first() if pk is not None else None
    if referral is None:
        raise Http404
    return referral


@dataclass(frozen=True)
class CasePage:
    """A page on one case beside the workflow's moves (``PAGES``): its form and its service."""

    form: type[forms.Form]
    # The service, called with the request, what the page acts on and the form's data.
    act: Callable[[HttpRequest, Any, dict[str, Any]], Any]
    done: StrOrPromise  # the message after the redirect to the case
    title: Callable[[], str]
    submit: StrOrPromise = ""
    # What the page acts on: the case itself, or a record of it the URL names.
    subject: Callable[[Case, int | None], Any] = lambda case, pk: case


CASE_PAGES: dict[str, CasePage] = {
    "message": CasePage(
        MessageForm,
        lambda r, case, d: handling.case_message(
            case=case, message=d["message"], public=d["public"], acting_user=r.user, request=r
        ),
        done=gettext_lazy("The message is on the timeline."),
        title=lambda: _("Message or internal note"),
        submit=gettext_lazy("Send"),
    ),
    "attach": CasePage(
        AttachmentForm,
        lambda r, case, d: handling.case_attach(
            case=case, upload=d["file"], public=d["public"], acting_user=r.user, request=r
        ),
        done=gettext_lazy("The file is added."),
        title=lambda: _("Add a file"),
        submit=gettext_lazy("Upload"),
    ),
    "refer": CasePage(
        ReferralForm,
        lambda r, case, d: referrals.referral_create(
            case=case,
            kind=d["kind"],
            mission_country=d["mission_country"],
            recipient=d["recipient"],
            organisation=case.partner if d["kind"] == "partner" else None,
            request_text=d["request"],
            due_on=d["due_on"],
            acting_user=r.user,
            request=r,
        ),
        done=gettext_lazy("The case is referred."),
        title=lambda: CASE_WORKFLOW.describe(CaseAction.REFER),
    ),
    "referral_answer": CasePage(
        AnswerForm,
        lambda r, referral, d: referrals.referral_answer(
            referral=referral, answer=d["answer"], acting_user=r.user, request=r
        ),
        done=gettext_lazy("The answer is recorded."),
        title=lambda: CASE_WORKFLOW.describe(CaseAction.ANSWER_REFERRAL),
        subject=_referral,
    ),
}


@allow(OFFICERS)
def case_page(request: HttpRequest, code: str, page: str, pk: int | None = None) -> HttpResponse:
    """A message or note, a file, a referral or its answer: ``page`` (urls.py) names the row."""
    case = selectors.case_for(request.user, code)
    chosen = CASE_PAGES[page]
    subject = chosen.subject(case, pk)
    return _submit(
        request,
        case,
        chosen.form(request.POST or None, request.FILES or None),
        lambda data: chosen.act(request, subject, data),
        done=str(chosen.done),
        title=chosen.title(),
        submit=str(chosen.submit),
    )


@allow(VIEWERS)
def attachment_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A case's file, to those who may open the case; the read is logged."""
    attachment = selectors.attachment_for(request.user, code, pk)
    _log(request, attachment.case, "attachment")
    response = FileResponse(
        open_content(attachment),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@allow(OFFICERS)
def case_new(request: HttpRequest) -> HttpResponse:
    """An officer opens a case on someone's behalf (a call, a visit, a letter)."""
    form = NewCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        deployment = None
        digits = data["deployment"].upper().removeprefix("DP-").strip()
        if digits:
            deployment = (
                deployments_visible_to(request.user).filter(pk=int(digits)).first()
                if digits.isdigit()
                else None
            )
            if deployment is None:
                form.add_error("deployment", _("No deployment with this number in your scope."))
        if form.is_valid():
            result = attempt(
                request,
                form,
                lambda: reporting.case_report(
                    reporter_kind=ReporterKind.OFFICER,
                    category=data["category"],
                    description=data["description"],
                    concerned=reporting.Concerned(deployment=deployment),
                    reporter_name=data["reporter_name"],
                    reporter_contact=data["reporter_contact"],
                    acting_user=request.user,
                    request=request,
                ),
            )
            if result is not None:
                return _done(request, result.case, _("The case is opened."))
    return TemplateResponse(request, "protection/new.html", {"form": form})


@allow(VIEWERS)
def deadlines_table(request: HttpRequest) -> HttpResponse:
    """The deadlines per category and severity (the versioned table officers work by)."""
    table = deadlines.deadlines()
    rows = [
        (label, [table[(str(category), str(severity))] for severity in Severity])
        for category, label in CaseCategory.choices
    ]
    return TemplateResponse(
        request,
        "protection/deadlines.html",
        {"rows": rows, "severities": Severity.choices, "meta": deadlines.meta()},
    )
