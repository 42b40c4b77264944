"""Consent at first sign-in: the notice page, and the officers' list of people not yet confirmed."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.participants.models import ConsentPurpose, Participant
from jembatan.participants.selectors import current_consent_text, own_participant
from jembatan.privacy.first_sign_in import SESSION_KEY
from jembatan.privacy.forms import NoticeRefusalForm
from jembatan.privacy.notice import awaiting_confirmation, without_own_confirmation
from jembatan.privacy.services.notice import notice_confirm, notice_refuse

LISTERS = (NATIONAL, Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR, Role.AUDITOR)


@allow(Role.PARTICIPANT)
def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice to confirm or refuse; the person's other pages wait for the answer."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    if not awaiting_confirmation(participant):
        request.session[SESSION_KEY] = True
        return redirect("participants:mine")
    language = translation.get_language() or "id"
    form = NoticeRefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = attempt(request, form, lambda: _answer(request, participant, language, form))
        if answer is not None:
            request.session[SESSION_KEY] = True
            return redirect("participants:mine")
    context = {
        "text": current_consent_text(ConsentPurpose.PRIVACY_NOTICE),
        "language": language,
        "form": form,
    }
    return TemplateResponse(request, "privacy/notice.html", context)


def _answer(
    request: HttpRequest, participant: Participant, language: str, form: NoticeRefusalForm
) -> object:
    if request.POST.get("answer") == "confirm":
        confirmed = notice_confirm(
            participant=participant, acting_user=request.user, language=language, request=request
        )
        messages.success(request, _("Thank you: your confirmation is recorded."))
        return confirmed
    refused = notice_refuse(
        participant=participant,
        acting_user=request.user,
        language=language,
        details=form.cleaned_data["details"],
        request=request,
    )
    messages.info(
        request,
        _("Your refusal is recorded as request #%(id)s; an officer answers it on your page.")
        % {"id": refused.request_id},
    )
    return refused


@allow(*LISTERS)
def unconfirmed_list(request: HttpRequest) -> HttpResponse:
    """People in the asker's scope without their own confirmation of the notice, newest first."""
    rows = without_own_confirmation(request.user)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    record_access(acting_user=request.user, purpose="privacy.unconfirmed_list", request=request)
    template = "privacy/_unconfirmed_table.html" if request.htmx else "privacy/unconfirmed.html"  # type: ignore[attr-defined]
    return TemplateResponse(request, template, {"page": page})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet never runs as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv_lines(rows: Iterator[Participant]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(
        [
            _("Id"),
            _("NIK"),
            _("Full name"),
            _("Regency/city"),
            _("Sending organisation"),
            _("Consent recorded by others"),
            _("Refused the notice"),
        ]
    )
    for p in rows:
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    p.pk,
                    p.nik,
                    p.full_name,
                    p.regency.name,
                    p.sending_organisation or "",
                    _("yes") if p.has_consent else _("no"),  # type: ignore[attr-defined]
                    _("yes") if p.refused else _("no"),  # type: ignore[attr-defined]
                )
            ]
        )


@allow(*LISTERS)
def unconfirmed_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The whole list as CSV (UTF-8 with BOM), streamed in id order; the download is logged."""
    rows = without_own_confirmation(request.user).order_by("pk").iterator(chunk_size=2000)
    record_access(acting_user=request.user, purpose="privacy.unconfirmed_csv", request=request)
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    name = f"tanpa-konfirmasi-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
