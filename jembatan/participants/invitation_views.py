"""Inviting a person registered by staff to set up their own sign-in, and accepting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import allow, public
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.participants.forms import AcceptInvitationForm, InviteForm
from jembatan.participants.selectors import invitations_of, participant_for
from jembatan.participants.services.invitations import (
    invitation_accept,
    invitation_create,
    open_invitation,
)
from jembatan.participants.workflows import SENDERS


@allow(SENDERS)
def participant_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a one-time sign-in link; it is shown once, to hand over (and e-mailed if asked)."""
    participant = participant_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="participants.invite",
        instance=participant,
        request=request,
    )
    form = InviteForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = attempt(
            request,
            form,
            lambda: invitation_create(
                participant=participant,
                send_email=form.cleaned_data["send_email"],
                acting_user=request.user,
                request=request,
            ),
        )
    context = {
        "participant": participant,
        "form": form,
        "issued": issued,
        "invitations": list(invitations_of(participant)),
        "now": timezone.now(),
    }
    return TemplateResponse(request, "participants/invite.html", context)


@public
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person checks their date of birth and chooses a username and password."""
    invitation = open_invitation(token)
    if invitation is None:
        return TemplateResponse(request, "participants/invitation_closed.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = attempt(
            request,
            form,
            lambda: invitation_accept(
                token=token,
                birth_date=form.cleaned_data["birth_date"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            ),
        )
        if user is not None:
            messages.success(
                request,
                _("Your account is ready. Sign in as %(username)s with the password you chose.")
                % {"username": user.username},
            )
            return redirect("accounts:login")
        if open_invitation(token) is None:  # the last wrong answer voided it
            return TemplateResponse(request, "participants/invitation_closed.html", status=404)
    context = {"form": form, "name": invitation.participant.full_name}
    return TemplateResponse(request, "participants/invitation_accept.html", context)
