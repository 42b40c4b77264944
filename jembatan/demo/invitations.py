"""Demo data: people registered by an LPK who sign in through an invitation.

A person the LPK registered has no account until they accept an invitation.
The demo accepts one, for a participant certified in the welding batch
(``demo-lpk-participant``: their own page shows the certificate), and leaves
one invitation open, printing its link and the date of birth it asks for, so
a newcomer can walk the acceptance. Both go through the services.
"""

from __future__ import annotations

from collections.abc import Callable

from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.demo.cast import LPK_PARTICIPANT
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.services.invitations import invitation_accept, invitation_create

Progress = Callable[[str], None]


def _inviter(participant: Participant) -> User | None:
    """The demo operator of the person's sending organisation, else the national officer."""
    operator = User.objects.filter(
        role=Role.SENDER_OPERATOR, organisation=participant.sending_organisation
    ).first()
    return operator or User.objects.filter(username="demo-officer").first()


def seed_invitations(*, password: str, progress: Progress) -> None:
    """Accept one invitation (a certified person) and leave one open, unless done before."""
    if User.objects.filter(username=LPK_PARTICIPANT).exists():
        return
    certified = (
        Participant.objects.filter(
            certificates__isnull=False,
            certificates__revoked_at__isnull=True,
            user__isnull=True,
            archived_at__isnull=True,
        )
        .exclude(sending_organisation__isnull=True)
        .order_by("pk")
        .first()
    )
    inviter = _inviter(certified) if certified else None
    if certified is None or inviter is None:
        progress("Invitation demo data skipped: no certified participant without a login.")
        return
    issued = invitation_create(participant=certified, send_email=False, acting_user=inviter)
    invitation_accept(
        token=issued.token,
        birth_date=certified.birth_date,
        username=LPK_PARTICIPANT,
        password=password,
    )
    _leave_one_open(inviter, certified, progress)


def _leave_one_open(inviter: User, certified: Participant, progress: Progress) -> None:
    """An open invitation for someone else of the same sending organisation."""
    waiting = (
        Participant.objects.filter(
            sending_organisation_id=certified.sending_organisation_id,
            user__isnull=True,
            archived_at__isnull=True,
            status=JourneyStatus.VERIFIED,
        )
        .order_by("pk")
        .first()
    )
    if waiting is None:
        return
    issued = invitation_create(participant=waiting, send_email=False, acting_user=inviter)
    progress(
        f"An open sign-in invitation for {waiting.full_name} "
        f"(date of birth {waiting.birth_date:%d-%m-%Y}): {issued.url}"
    )
