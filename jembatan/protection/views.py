"""The officers' case pages: the list, one case with its timeline, and every move on it.

Every view declares who may use it (officers; the auditor reads); the selectors
limit what it shows to the asker's scope (404 outside it, never saying a case
exists) and every read of a case file is logged with ``record_access``. A page
shows a service's refusal only through ``core.refusals.attempt``. The public
side (the anonymous form and follow-up) lives in public_views.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

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
from jembatan.protection.models import Case, CaseCategory, ReporterKind, Severity
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
    form = make_form(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        done = attempt(request, form, lambda: act(request, case, form.cleaned_data))
        if done is not None:
            return _done(
                request, case, _("Saved: %(action)s.") % {"action": CASE_WORKFLOW[chosen].label}
            )
    return _form_page(request, case, form, CASE_WORKFLOW.describe(chosen))


@allow(OFFICERS)
def case_message(request: HttpRequest, code: str) -> HttpResponse:
    """A message to the reporter or an internal note."""
    case = selectors.case_for(request.user, code)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: handling.case_message(
                case=case,
                message=form.cleaned_data["message"],
                public=form.cleaned_data["public"],
                acting_user=request.user,
                request=request,
            ),
        )
        if done is not None:
            return _done(request, case, _("The message is on the timeline."))
    return _form_page(request, case, form, _("Message or internal note"), submit=_("Send"))


@allow(OFFICERS)
def case_attach(request: HttpRequest, code: str) -> HttpResponse:
    """Add a file to the case (checked by content)."""
    case = selectors.case_for(request.user, code)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: handling.case_attach(
                case=case,
                upload=form.cleaned_data["file"],
                public=form.cleaned_data["public"],
                acting_user=request.user,
                request=request,
            ),
        )
        if done is not None:
            return _done(request, case, _("The file is added."))
    return _form_page(request, case, form, _("Add a file"), submit=_("Upload"))


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
def referral_new(request: HttpRequest, code: str) -> HttpResponse:
    """Refer the case to the partner, the embassy or a supervisory body, with a due date."""
    case = selectors.case_for(request.user, code)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            form,
            lambda: referrals.referral_create(
                case=case,
                kind=data["kind"],
                mission_country=data["mission_country"],
                recipient=data["recipient"],
                organisation=case.partner if data["kind"] == "partner" else None,
                request_text=data["request"],
                due_on=data["due_on"],
                acting_user=request.user,
                request=request,
            ),
        )
        if done is not None:
            return _done(request, case, _("The case is referred."))
    return _form_page(request, case, form, CASE_WORKFLOW.describe(CaseAction.REFER))


@allow(OFFICERS)
def referral_answer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Record the answer a referral received."""
    case = selectors.case_for(request.user, code)
    referral = selectors.referrals_of(case).filter(pk=pk).first()
    if referral is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: referrals.referral_answer(
                referral=referral,
                answer=form.cleaned_data["answer"],
                acting_user=request.user,
                request=request,
            ),
        )
        if done is not None:
            return _done(request, case, _("The answer is recorded."))
    return _form_page(request, case, form, CASE_WORKFLOW.describe(CaseAction.ANSWER_REFERRAL))


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
