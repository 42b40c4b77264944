"""Rights-request pages: a participant files and follows theirs, officers handle them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.paging import ordered_page
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.participants.models import Participant
from jembatan.participants.selectors import own_participant
from jembatan.privacy import selectors
from jembatan.privacy.deadlines import deadline_for
from jembatan.privacy.forms import (
    CompleteForm,
    CorrectionRequestForm,
    LiftForm,
    RefuseForm,
    RequestForm,
    WithdrawalRequestForm,
    complete_form,
)
from jembatan.privacy.models import RequestKind, RightsRequest
from jembatan.privacy.outcomes import field_label, shown_value
from jembatan.privacy.restrictions import restriction_in_force
from jembatan.privacy.retention import retention_reasons
from jembatan.privacy.rules import may_handle
from jembatan.privacy.services.requests import (
    request_complete,
    request_file,
    request_refuse,
    request_take,
)
from jembatan.privacy.services.restrictions import restriction_lift

HANDLERS = NATIONAL | {Role.PROVINCIAL_OFFICER}
KIND_HELP = {
    RequestKind.CORRECT: gettext_lazy(
        "Something in your record is wrong or out of date: say which part and what it should say."
    ),
    RequestKind.DELETE: gettext_lazy(
        "Remove your personal data. We must keep the records of people who departed, hold a "
        "certificate or are in the middle of the programme, and will tell you if that applies."
    ),
    RequestKind.RESTRICT: gettext_lazy(
        "Pause the use of your data: partners abroad stop seeing you and no new training or "
        "selection starts for you, until you ask to lift it."
    ),
    RequestKind.OBJECT: gettext_lazy(
        "Object to how your data are used, for example to a matching decision taken by the "
        "system. Until it is decided otherwise, it is handled like a restriction."
    ),
    RequestKind.WITHDRAW: gettext_lazy(
        "Withdraw a consent you gave. It takes effect at once; an officer then tells you what "
        "it means for your participation."
    ),
}


def _own(request: HttpRequest) -> Participant:
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    return participant


# --- the participant's pages -----------------------------------------------------------


@allow(Role.PARTICIPANT)
def my_requests(request: HttpRequest) -> HttpResponse:
    """The participant's requests about their data, their deadlines and outcomes."""
    participant = _own(request)
    context = {
        "participant": participant,
        "rows": list(selectors.requests_of(participant)),
        "restriction": restriction_in_force(participant),
        "kinds": _kinds(),
        "now": timezone.now(),
    }
    return TemplateResponse(request, "privacy/my_requests.html", context)


def _kinds() -> list[dict[str, Any]]:
    return [
        {
            "value": kind.value,
            "label": kind.label,
            "help": KIND_HELP[kind],
            "hours": deadline_for(kind.value).hours,
        }
        for kind in RequestKind
    ]


def _request_form(kind: str, participant: Participant, data: Any) -> RequestForm:
    if kind == RequestKind.CORRECT:
        return CorrectionRequestForm(data)
    if kind == RequestKind.WITHDRAW:
        return WithdrawalRequestForm(data, consents=selectors.consents_to_withdraw(participant))
    return RequestForm(data)


@allow(Role.PARTICIPANT)
def request_new(request: HttpRequest) -> HttpResponse:
    """File a request: first which kind (``?jenis=``), then what and why."""
    participant = _own(request)
    kind = request.GET.get("jenis", "")
    if kind not in RequestKind.values:
        context = {"kinds": _kinds(), "participant": participant}
        return TemplateResponse(request, "privacy/request_choose.html", context)
    form = _request_form(kind, participant, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filed = attempt(
            request,
            form,
            lambda: request_file(
                participant=participant,
                kind=kind,
                details=data["details"],
                field_name=data.get("field_name", ""),
                proposed_value=data.get("proposed_value", ""),
                consent=data.get("consent"),
                acting_user=request.user,
                language=translation.get_language() or "id",
                request=request,
            ),
        )
        if filed is not None:
            messages.success(
                request,
                _("Your request is received (#%(id)s). You will have an answer by %(due)s.")
                % {"id": filed.pk, "due": _moment(filed.due_at)},
            )
            return redirect("personal_data:my_requests")
    context = {
        "form": form,
        "kind": RequestKind(kind),
        "help": KIND_HELP[RequestKind(kind)],
        "hours": deadline_for(kind).hours,
    }
    return TemplateResponse(request, "privacy/request_new.html", context)


def _moment(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- officers' pages --------------------------------------------------------------------


@allow(HANDLERS, Role.AUDITOR)
def request_list(request: HttpRequest) -> HttpResponse:
    """Open requests, the nearest deadline first, overdue ones marked; the decided below."""
    record_access(acting_user=request.user, purpose="privacy.requests", request=request)
    decided = request.GET.get("selesai") == "1"
    if decided:
        rows, order = selectors.decided_requests(request.user), selectors.DECIDED_ORDER
    else:
        rows, order = selectors.open_requests(request.user), selectors.OPEN_ORDER
    context = {
        "page": ordered_page(rows, order=order, after=request.GET.get("after")),
        "decided": decided,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "privacy/request_list.html", context)


def _detail_context(
    request: HttpRequest,
    rights_request: RightsRequest,
    *,
    complete: CompleteForm | None = None,
    refuse: RefuseForm | None = None,
) -> dict[str, Any]:
    participant = rights_request.participant
    field = rights_request.field_name
    handles = rights_request.is_open and may_handle(request.user, rights_request)
    return {
        "rr": rights_request,
        "participant": participant,
        "now": timezone.now(),
        "may_handle": handles,
        "may_refuse": handles and rights_request.kind != RequestKind.WITHDRAW,
        "may_lift": may_handle(request.user, rights_request),
        "field_label": field_label(field) if field else "",
        "current_value": shown_value(participant, field) if field else "",
        "retention": [str(r) for r in retention_reasons(participant)]
        if rights_request.kind == RequestKind.DELETE
        else [],
        "restrictions": list(selectors.restrictions_of(participant)),
        "complete_form": complete
        or complete_form(field, initial={"value": rights_request.proposed_value}),
        "refuse_form": refuse or RefuseForm(),
    }


def _detail(request: HttpRequest, rights_request: RightsRequest, **forms: Any) -> HttpResponse:
    record_access(
        acting_user=request.user,
        purpose="privacy.request",
        instance=rights_request.participant,
        request=request,
    )
    context = _detail_context(request, rights_request, **forms)
    return TemplateResponse(request, "privacy/request_detail.html", context)


@allow(HANDLERS, Role.AUDITOR)
def request_detail(request: HttpRequest, request_pk: int) -> HttpResponse:
    """One request: what the person asked, the deadline, the record, and the decision."""
    return _detail(request, selectors.request_for(request.user, request_pk))


@allow(HANDLERS)
@require_POST
def request_take_view(request: HttpRequest, request_pk: int) -> HttpResponse:
    """An officer takes the request up."""
    rights_request = selectors.request_for(request.user, request_pk)
    attempt(
        request,
        None,
        lambda: request_take(
            rights_request=rights_request, acting_user=request.user, request=request
        ),
    )
    return redirect("personal_data:request", request_pk=rights_request.pk)


@allow(HANDLERS)
@require_POST
def request_complete_view(request: HttpRequest, request_pk: int) -> HttpResponse:
    """Carry the request out (the correction's value as the officer confirmed it)."""
    rights_request = selectors.request_for(request.user, request_pk)
    form = complete_form(rights_request.field_name, request.POST)
    if form.is_valid():
        done = attempt(
            request,
            form,
            lambda: request_complete(
                rights_request=rights_request,
                acting_user=request.user,
                note=form.cleaned_data["note"],
                value=form.cleaned_data.get("value"),
                request=request,
            ),
        )
        if done is not None:
            messages.success(request, _("The request is carried out; the person is told."))
            return redirect("personal_data:request", request_pk=rights_request.pk)
    return _detail(request, rights_request, complete=form)


@allow(HANDLERS)
@require_POST
def request_refuse_view(request: HttpRequest, request_pk: int) -> HttpResponse:
    """Refuse the request with the reason the person reads."""
    rights_request = selectors.request_for(request.user, request_pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        done = attempt(
            request,
            form,
            lambda: request_refuse(
                rights_request=rights_request,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            ),
        )
        if done is not None:
            messages.success(request, _("The request is refused; the person is told why."))
            return redirect("personal_data:request", request_pk=rights_request.pk)
    return _detail(request, rights_request, refuse=form)


@allow(HANDLERS)
def restriction_lift_view(request: HttpRequest, restriction_pk: int) -> HttpResponse:
    """Lift a restriction of processing, saying why."""
    restriction = selectors.restriction_for(request.user, restriction_pk)
    record_access(
        acting_user=request.user,
        purpose="privacy.restriction",
        instance=restriction.participant,
        request=request,
    )
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lifted = attempt(
            request,
            form,
            lambda: restriction_lift(
                restriction=restriction,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            ),
        )
        if lifted is not None:
            messages.success(request, _("The restriction is lifted."))
            return redirect("personal_data:request", request_pk=restriction.request_id)
    context = {"restriction": restriction, "form": form}
    return TemplateResponse(request, "privacy/restriction_lift.html", context)
