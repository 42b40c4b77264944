"""Registering candidates: by a sending organisation, by an officer, or by oneself.

Every path calls the same service (participant_register), so the licence rule,
the NIK rules and the duplicate checks are the same everywhere. A form sent
twice (a double click) carries the same hidden token and is recognised: the
second submission shows what the first one created instead of an error.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jembatan.core.access import allow, public, role_of
from jembatan.core.audit import client_ip
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.throttle import seconds_to_wait
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.forms import (
    ParticipantForm,
    SelfRegistrationForm,
    StaffRegistrationForm,
    new_submission,
)
from jembatan.participants.models import ConsentPurpose, ConsentText, Participant
from jembatan.participants.rules import licence_refusal
from jembatan.participants.selectors import current_consent_text, participants_visible_to
from jembatan.participants.services.registry import (
    Outcome,
    participant_register,
    registered_by_submission,
)
from jembatan.participants.services.self_registration import (
    registered_nik_attempt_record,
    self_registration_receive,
)

DONE_SESSION_KEY = "participants.registered_username"
# Public tries allowed per window, per client address and per NIK typed.
TRIES_PER_ADDRESS = 20
TRIES_PER_NIK = 5
TRY_WINDOW = 3600  # seconds


def _privacy_notice() -> ConsentText:
    notice = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    if notice is None:  # the migration publishes version 1; this is a broken install
        raise RuntimeError("No privacy notice is published.")
    return notice


def _notice_context() -> dict[str, Any]:
    """The privacy notice in the reader's language, with its version."""
    notice = _privacy_notice()
    language = get_language() or "id"
    return {
        "notice": notice,
        "notice_title": notice.title(language),
        "notice_body": notice.body(language),
    }


def _initial() -> dict[str, Any]:
    return {"privacy_notice": _privacy_notice(), "submission": new_submission()}


def _same_submission(form: ParticipantForm) -> Participant | None:
    """The record this very form already created, if the NIK was refused as a duplicate."""
    nik = form.duplicate_nik
    refused_by_service = form.has_error("nik", ParticipantErrorCode.DUPLICATE_NIK)
    if nik is None and refused_by_service:
        nik = re.sub(r"\D", "", form.data.get("nik", ""))
    submission = form.cleaned_data.get("submission")
    return registered_by_submission(nik, submission) if nik else None


def _tell_outcome(request: HttpRequest, outcome: Outcome) -> None:
    for warning in outcome.warnings:
        messages.warning(request, warning)
    if outcome.duplicate_suspected:
        messages.warning(
            request,
            _(
                "A participant with the same name and date of birth is already registered "
                "under another NIK. An officer will review whether they are the same person."
            ),
        )


# --- by a sending organisation or an officer -----------------------------------------


@allow(NATIONAL, Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR)
def register(request: HttpRequest) -> HttpResponse:
    """Register a candidate: operators for their organisation, officers on behalf of one."""
    user: Any = request.user
    operator = role_of(user) == Role.SENDER_OPERATOR
    refusal = licence_refusal(user.organisation) if operator else None
    form = StaffRegistrationForm(
        request.POST or None, organisation_choice=not operator, initial=_initial(), registrar=user
    )
    if request.method == "POST":
        done = _register_submitted(request, form, refusal)
        if done is not None:
            return done
    context = {
        "form": form,
        "refusal": refusal,
        "organisation": user.organisation if operator else None,
    }
    return TemplateResponse(request, "participants/register.html", context)


def _register_submitted(
    request: HttpRequest, form: StaffRegistrationForm, refusal: str | None
) -> HttpResponse | None:
    user: Any = request.user
    if not form.is_valid():
        _with_refusal(form, refusal)
        if form.hidden_holder_nik:
            registered_nik_attempt_record(
                nik=form.hidden_holder_nik, acting_user=user, request=request
            )
        return _show_existing(request, form)
    operator = role_of(user) == Role.SENDER_OPERATOR
    organisation = user.organisation if operator else form.cleaned_data.get("sending_organisation")
    outcome = attempt(
        request,
        form,
        lambda: participant_register(
            details=form.details(),
            sending_organisation=organisation,
            acting_user=user,
            privacy_notice=form.cleaned_data["privacy_notice"],
            consent_language=get_language() or "id",
            submission=form.cleaned_data["submission"],
            request=request,
        ),
    )
    if outcome is None:
        return _show_existing(request, form)
    messages.success(
        request, _("%(name)s is registered.") % {"name": outcome.participant.full_name}
    )
    _tell_outcome(request, outcome)
    return redirect("participants:detail", pk=outcome.participant.pk)


def _with_refusal(form: StaffRegistrationForm, refusal: str | None) -> None:
    """The licence refusal comes first, whatever else is wrong with the form."""
    if refusal and refusal not in form.non_field_errors():
        form.add_error(None, refusal)


def _show_existing(request: HttpRequest, form: ParticipantForm) -> HttpResponse | None:
    """A double submission: show the record the first one created (if the user may see it)."""
    existing = _same_submission(form)
    if (
        existing is None
        or not participants_visible_to(request.user).filter(pk=existing.pk).exists()
    ):
        return None
    messages.info(
        request, _("This candidate was registered a moment ago; the form was sent twice.")
    )
    return redirect("participants:detail", pk=existing.pk)


# --- by oneself -----------------------------------------------------------------------


@public
def self_register(request: HttpRequest) -> HttpResponse:
    """A person registers as a candidate and gets an account (no personal data is shown).

    A NIK already in the registry gets the same answer as a new one (the
    registered person is told through their own contact instead), and tries are
    counted per client address and per NIK: past the limit the answer is 429.
    """
    if request.user.is_authenticated:
        messages.info(request, _("You are signed in already."))
        return redirect("home")
    form = SelfRegistrationForm(request.POST or None, initial=_initial())
    if request.method == "POST":
        wait = _seconds_to_wait(request)
        if wait:
            return _too_many_tries(request, wait)
        if form.is_robot():
            return _robot_refused(request)
        done = _self_submitted(request, form)
        if done is not None:
            return done
    return TemplateResponse(
        request, "participants/self_register.html", {"form": form, **_notice_context()}
    )


def _seconds_to_wait(request: HttpRequest) -> int:
    """Count this try per client address and per NIK; how long to wait once past a limit."""
    address = client_ip(request) or "unknown"
    by_address = seconds_to_wait(
        "self_register.address", address, limit=TRIES_PER_ADDRESS, window=TRY_WINDOW
    )
    typed_nik = re.sub(r"\D", "", request.POST.get("nik", ""))
    by_nik = (
        seconds_to_wait("self_register.nik", typed_nik, limit=TRIES_PER_NIK, window=TRY_WINDOW)
        if typed_nik
        else 0
    )
    return max(by_address, by_nik)


def _too_many_tries(request: HttpRequest, wait: int) -> HttpResponse:
    minutes = -(-wait // 60)
    response = TemplateResponse(
        request, "participants/self_register_wait.html", {"minutes": minutes}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _robot_refused(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "participants/self_register_refused.html", {}, status=400)


def _self_submitted(request: HttpRequest, form: SelfRegistrationForm) -> HttpResponse | None:
    if not form.is_valid():
        return _self_existing(request, form)
    received = attempt(
        request,
        form,
        lambda: self_registration_receive(
            details=form.details(),
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            sending_organisation=form.cleaned_data.get("sending_organisation"),
            privacy_notice=form.cleaned_data["privacy_notice"],
            language=get_language() or "id",
            submission=form.cleaned_data["submission"],
            request=request,
        ),
    )
    if received is None:
        return _self_existing(request, form)
    request.session[DONE_SESSION_KEY] = form.cleaned_data["username"]
    for warning in received.warnings:
        messages.warning(request, warning)
    return redirect("participants:self_register_done")


def _self_existing(request: HttpRequest, form: SelfRegistrationForm) -> HttpResponse | None:
    """The same form sent twice: the holder of its token sees the success page again."""
    existing = _same_submission(form)
    if existing is None or existing.user is None:
        return None
    request.session[DONE_SESSION_KEY] = existing.user.get_username()
    return redirect("participants:self_register_done")


@public
def self_register_done(request: HttpRequest) -> HttpResponse:
    """Registration complete: how to sign in (the username chosen, from this session only)."""
    username = request.session.get(DONE_SESSION_KEY, "")
    return TemplateResponse(request, "participants/self_register_done.html", {"username": username})
