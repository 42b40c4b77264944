"""Consent to the transfer abroad and the recorded hand-over of a full record to a partner."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.participants.forms import SignedConsentForm, TransferForm
from jembatan.participants.models import ConsentPurpose, ConsentText, Participant
from jembatan.participants.selectors import (
    current_consent_text,
    own_participant,
    participant_for,
    transfers_of,
)
from jembatan.participants.services.transfers import (
    active_transfer_consent,
    data_transfer_record,
    transfer_consent_give,
)
from jembatan.participants.workflows import SENDERS


def _text() -> ConsentText:
    text = current_consent_text(ConsentPurpose.TRANSFER_ABROAD)
    if text is None:  # the migration publishes version 1; this is a broken install
        raise Http404
    return text


def text_context(text: ConsentText) -> dict[str, Any]:
    """The transfer-abroad text in the reader's language, with its version."""
    language = get_language() or "id"
    return {
        "transfer_text": text,
        "transfer_title": text.title(language),
        "transfer_body": text.body(language),
    }


@allow(SENDERS)
def participant_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the full record goes to the participant's partner, with its purpose."""
    participant = participant_for(request.user, pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: data_transfer_record(
                participant=participant,
                purpose=form.cleaned_data["purpose"],
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("The transfer to %(partner)s is recorded: it now sees the full record.")
                % {"partner": participant.partner},
            )
            return redirect("participants:detail", pk=participant.pk)
    return _transfer_page(request, participant, form)


def _transfer_page(request: HttpRequest, participant: Participant, form: Any) -> HttpResponse:
    text = _text()
    record_access(
        acting_user=request.user,
        purpose="participants.transfer",
        instance=participant,
        request=request,
    )
    context = {
        "participant": participant,
        "form": form,
        "consent": active_transfer_consent(participant),
        "signed_form": SignedConsentForm(current_version=text.version),
        "transfers": list(transfers_of(participant)),
    } | text_context(text)
    return TemplateResponse(request, "participants/transfer.html", context)


@allow(SENDERS)
@require_POST
def participant_transfer_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the transfer-abroad consent the participant signed on paper."""
    participant = participant_for(request.user, pk)
    form = SignedConsentForm(request.POST, current_version=_text().version)
    if form.is_valid():
        done = attempt(
            request,
            None,
            lambda: transfer_consent_give(
                participant=participant, language=get_language() or "id", acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The signed consent is recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("participants:transfer", pk=participant.pk)


@allow(Role.PARTICIPANT)
@require_POST
def my_transfer_consent(request: HttpRequest) -> HttpResponse:
    """The signed-in participant agrees to the transfer-abroad text shown on their page."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    form = SignedConsentForm(
        {"version": request.POST.get("version"), "signed": "on"}, current_version=_text().version
    )
    if not form.is_valid():
        for message in form.errors.get("version", []):
            messages.error(request, str(message))
        return redirect("participants:mine")
    done = attempt(
        request,
        None,
        lambda: transfer_consent_give(
            participant=participant, language=get_language() or "id", acting_user=request.user
        ),
    )
    if done is not None:
        messages.success(request, _("Thank you: your consent to the transfer abroad is recorded."))
    return redirect("participants:mine")
