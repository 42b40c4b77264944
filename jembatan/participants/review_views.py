"""Working on one record: edit (optimistic concurrency), journey steps, identity, duplicates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, STAFF, Role
from jembatan.participants.forms import (
    DuplicateDecisionForm,
    EditForm,
    TransitionForm,
    VerifyIdentityForm,
)
from jembatan.participants.models import (
    DuplicateFlag,
    DuplicateStatus,
    JourneyStatus,
    Participant,
)
from jembatan.participants.rules import (
    OFFICERS,
    may_edit_identity,
    may_move,
    verification_blockers,
)
from jembatan.participants.selectors import (
    duplicate_flags_of,
    duplicate_flags_visible_to,
    participant_for,
)
from jembatan.participants.services.duplicates import duplicate_dismiss, duplicate_merge
from jembatan.participants.services.registry import (
    EditConflict,
    journey_action_to,
    participant_transition,
    participant_update,
    participant_verify_identity,
)
from jembatan.participants.workflows import allowed_targets

# --- edit ------------------------------------------------------------------------------


@allow(NATIONAL, Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR)
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a record; an edit made on an older version is refused and the input kept."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user, purpose="participants.edit", instance=participant, request=request
    )
    locked = not may_edit_identity(request.user, participant)
    form = EditForm(
        request.POST or None,
        instance=Participant.objects.get(pk=pk),  # the form's copy; the service writes
        initial={"version": participant.version},
        identity_locked=locked,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = attempt(
                request,
                form,
                lambda: participant_update(
                    participant=participant,
                    details=form.details(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                ),
            )
        except EditConflict as stale:  # not a refusal: the form comes back with the newer record
            conflict = stale
            form = _conflicted(request, stale, locked)
        else:
            if outcome is not None:
                messages.success(request, _("The record has been saved."))
                for warning in outcome.warnings:
                    messages.warning(request, warning)
                return redirect("participants:detail", pk=pk)
    context = {"form": form, "participant": participant, "conflict": conflict}
    return TemplateResponse(request, "participants/edit.html", context)


def _conflicted(request: HttpRequest, conflict: EditConflict, locked: bool) -> EditForm:
    """The user's input again, now based on the current version, with the refusal on top."""
    data = request.POST.copy()
    data["version"] = str(conflict.current.version)
    form = EditForm(data, instance=conflict.current, identity_locked=locked)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Someone else saved this record after you opened it, so your changes were not "
            "saved. They are still in the form below: compare them with the changes listed, "
            "then save again to keep yours."
        ),
    )
    return form


# --- the journey --------------------------------------------------------------------------


def _targets(user: Any, participant: Participant) -> list[str]:
    """The steps ``user`` may record now, in the order of the journey."""
    allowed = allowed_targets(participant.status)
    return [s for s in JourneyStatus.values if s in allowed and may_move(user, participant, s)]


@allow(STAFF, Role.PARTNER, Role.PARTICIPANT)
def participant_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the next step of a participant's journey (the steps the role may record)."""
    participant = participant_for(request.user, pk)
    if role_of(request.user) != Role.PARTICIPANT:  # her own record
        record_access(
            acting_user=request.user,
            purpose="participants.transition",
            instance=participant,
            request=request,
        )
    targets = _targets(request.user, participant)
    form = TransitionForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        moved = attempt(
            request,
            form,
            lambda: participant_transition(
                participant=participant,
                action=journey_action_to(participant, form.cleaned_data["to_status"]),
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
        )
        if moved is not None:
            messages.success(
                request,
                _("Status changed to “%(status)s”.") % {"status": moved.get_status_display()},
            )
            own = role_of(request.user) == Role.PARTICIPANT
            return redirect("participants:mine") if own else redirect("participants:detail", pk=pk)
    blockers = verification_blockers(participant) if JourneyStatus.VERIFIED in targets else []
    context = {"form": form, "participant": participant, "targets": targets, "blockers": blockers}
    return TemplateResponse(request, "participants/transition.html", context)


# --- identity -----------------------------------------------------------------------------


@allow(OFFICERS)
def participant_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer records that the identity was checked against the card."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="participants.verify",
        instance=participant,
        request=request,
    )
    form = VerifyIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = attempt(
            request,
            form,
            lambda: participant_verify_identity(
                participant=participant, acting_user=request.user, note=form.cleaned_data["note"]
            ),
        )
        if verified is not None:
            messages.success(request, _("The identity is recorded as verified."))
            return redirect("participants:detail", pk=pk)
    return TemplateResponse(
        request, "participants/verify.html", {"form": form, "participant": participant}
    )


# --- probable duplicates ----------------------------------------------------------------


@allow(OFFICERS)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Open probable duplicates the officer may decide, newest first."""
    rows = duplicate_flags_visible_to(request.user).filter(status=DuplicateStatus.OPEN)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    record_access(acting_user=request.user, purpose="participants.duplicates", request=request)
    return TemplateResponse(request, "participants/duplicates.html", {"page": page})


@allow(OFFICERS)
def participant_duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    """Review the probable duplicates of one record: merge into either, or dismiss."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="participants.duplicate_review",
        instance=participant,
        request=request,
    )
    flags = list(
        duplicate_flags_of(request.user, participant).select_related(
            "participant__regency",
            "candidate__regency",
            "participant__sending_organisation",
            "candidate__sending_organisation",
            "decided_by",
        )
    )
    if request.method == "POST":
        done = _take_duplicate_decision(request, participant, flags)
        if done is not None:
            return done
    for flag in flags:
        other = flag.candidate if flag.participant_id == participant.pk else flag.participant
        record_access(
            acting_user=request.user,
            purpose="participants.duplicate_review",
            instance=other,
            request=request,
        )
    forms = {f.pk: DuplicateDecisionForm(initial={"flag": f.pk}, flag=f) for f in flags}
    rows = [(flag, forms[flag.pk]) for flag in flags]
    return TemplateResponse(
        request,
        "participants/participant_duplicates.html",
        {"participant": participant, "rows": rows},
    )


def _take_duplicate_decision(
    request: HttpRequest, participant: Participant, flags: list[DuplicateFlag]
) -> HttpResponse | None:
    """Merge or dismiss the open flag the form names; a refusal is shown on the same page."""
    open_flags = {f.pk: f for f in flags if f.status == DuplicateStatus.OPEN}
    flag = open_flags.get(_int(request.POST.get("flag")) or 0)
    if flag is None:
        raise Http404
    form = DuplicateDecisionForm(request.POST, flag=flag)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and write a note."))
        return redirect("participants:duplicates_of", pk=participant.pk)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    if decision == "dismiss":
        dismissed = attempt(
            request,
            None,
            lambda: duplicate_dismiss(flag=flag, acting_user=request.user, note=note),
        )
        if dismissed is not None:
            messages.success(request, _("The flag is dismissed: they are different people."))
        return redirect("participants:duplicates_of", pk=participant.pk)
    survivor = flag.participant if decision == "keep_participant" else flag.candidate
    kept = attempt(
        request,
        None,
        lambda: duplicate_merge(flag=flag, survivor=survivor, acting_user=request.user, note=note),
    )
    if kept is None:
        return redirect("participants:duplicates_of", pk=participant.pk)
    messages.success(request, _("The records are merged into #%(pk)s.") % {"pk": kept.pk})
    return redirect("participants:duplicates")


def _int(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
