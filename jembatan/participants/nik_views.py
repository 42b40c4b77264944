"""Officers confirm NIKs that disagree with the birth date or sex: the list and the confirmation.

A NIK is never reissued when the civil registry corrects a birth date or sex, so a
record may keep a NIK whose date or sex part disagrees. Records registered by the
person themselves, imported, or registered by a sending organisation wait here for
an officer (``services/registry.participant_nik_mismatch_confirm``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.participants.forms import NikMismatchConfirmForm
from jembatan.participants.rules import OFFICERS
from jembatan.participants.selectors import nik_mismatches_awaiting, participant_for
from jembatan.participants.services.registry import participant_nik_mismatch_confirm
from jembatan.participants.validation import check_identity


@allow(OFFICERS)
def nik_mismatch_list(request: HttpRequest) -> HttpResponse:
    """Records in the officer's scope whose NIK disagreement awaits confirmation, newest first."""
    page = keyset_page(
        nik_mismatches_awaiting(request.user), after=parse_cursor(request.GET.get("after"))
    )
    record_access(acting_user=request.user, purpose="participants.nik_mismatches", request=request)
    return TemplateResponse(request, "participants/nik_mismatches.html", {"page": page})


@allow(OFFICERS)
def nik_mismatch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What the NIK says against what was declared, and the officer's confirmation with a reason."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="participants.nik_mismatch_confirm",
        instance=participant,
        request=request,
    )
    form = NikMismatchConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: participant_nik_mismatch_confirm(
                participant=participant,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("The NIK is confirmed as it is."))
            return redirect("participants:detail", pk=pk)
    check = check_identity(participant.nik, birth_date=participant.birth_date, sex=participant.sex)
    context = {
        "form": form,
        "participant": participant,
        "disagreements": [str(problem.message) for problem in check.to_confirm],
    }
    return TemplateResponse(request, "participants/nik_confirm.html", context)
