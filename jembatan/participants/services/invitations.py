"""Sign-in for people registered by staff: a one-time invitation, accepted with a password.

An LPK (or an officer) registers people who have no account; they could not
rank job orders or read their results. :func:`invitation_create` makes a
one-time link (kept only as a hash) that the LPK hands over or that is
e-mailed; :func:`invitation_accept` checks the person's date of birth, creates
their participant account and links it to their record — and to nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.accounts.models import User
from jembatan.accounts.services import participant_account_create
from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.locks import lock_invitation, lock_participant
from jembatan.participants.models import Invitation, Participant
from jembatan.participants.selectors import participants_visible_to
from jembatan.participants.workflows import SENDERS

VALID_FOR = dt.timedelta(days=14)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Issued:
    """A new invitation and its link (shown once: only the hash is stored)."""

    invitation: Invitation
    token: str
    url: str


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str, request: HttpRequest | None = None) -> str:
    """The invitation's absolute link (outside a request: ``JEMBATAN_PUBLIC_URL``)."""
    path = reverse("participants:invitation_accept", kwargs={"token": token})
    if request is not None:
        return request.build_absolute_uri(path)
    base = str(getattr(settings, "JEMBATAN_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")
    return f"{base}{path}"


def _ensure_may_invite(acting_user: Any, participant: Participant) -> None:
    in_scope = participants_visible_to(acting_user).filter(pk=participant.pk).exists()
    if role_of(acting_user) not in SENDERS or not in_scope:
        raise PermissionDenied(
            _("Only an officer or the sending organisation of this participant may do this.")
        )
    account = participant.user
    if account is not None:
        raise ValidationError(
            _("%(name)s already has an account and signs in as %(username)s.")
            % {"name": participant.full_name, "username": account.username},
            code=ParticipantErrorCode.HAS_ACCOUNT,
        )
    if participant.archived_at is not None:
        raise ValidationError(
            _("This record is archived (merged into another); invite from the surviving record."),
            code=ParticipantErrorCode.ARCHIVED,
        )


@transaction.atomic
def invitation_create(
    *,
    participant: Participant,
    send_email: bool,
    acting_user: Any,
    request: HttpRequest | None = None,
) -> Issued:
    """Create a one-time sign-in link for ``participant``, voiding any open one.

    Side effects: earlier open invitations voided, the invitation stored with
    the hash of its secret, an e-mail with the link when asked and the record
    has an address, a change record (without the secret).
    """
    _ensure_may_invite(acting_user, participant)
    if send_email and not participant.email:
        raise ValidationError(
            {"send_email": _("The record has no e-mail address: hand the link over instead.")}
        )
    now = timezone.now()
    Invitation.objects.filter(
        participant=participant, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        participant=participant,
        token_hash=token_hash(token),
        created_by=acting_user,
        created_at=now,
        expires_at=now + VALID_FOR,
        sent_to=participant.email if send_email else "",
    )
    url = invitation_url(token, request)
    if send_email:
        _send(participant, url, invitation.expires_at)
    record_change(
        acting_user=acting_user,
        operation="participants.invitation_create",
        instance=invitation,
        action="create",
        changes=diff({}, snapshot(invitation)),
    )
    return Issued(invitation, token, url)


def _send(participant: Participant, url: str, expires_at: dt.datetime) -> None:
    subject = _("Your sign-in to Jembatan")
    body = _(
        "Hello %(name)s,\n\nYour training centre registered you in the overseas apprenticeship "
        "programme. Open this link to choose your username and password (you will be asked "
        "for your date of birth):\n\n%(url)s\n\nThe link works once, until %(date)s. "
        "If you did not expect this message, ignore it."
    ) % {
        "name": participant.full_name,
        "url": url,
        "date": timezone.localtime(expires_at).strftime("%d-%m-%Y"),
    }
    send_mail(subject, body, None, [participant.email])


def open_invitation(token: str) -> Invitation | None:
    """The open invitation this token belongs to, or None (unknown, used, voided, expired)."""
    found = (
        Invitation.objects.select_related("participant")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return found if found is not None and found.is_open(timezone.now()) else None


def _not_valid() -> ValidationError:
    return ValidationError(
        _(
            "This link is not valid any more (used, replaced by a newer one, or expired). "
            "Ask your training centre or sending organisation for a new one."
        ),
        code=ParticipantErrorCode.INVITATION_CLOSED,
    )


def invitation_accept(
    *, token: str, birth_date: dt.date, username: str, password: str, email: str = ""
) -> User:
    """The invited person sets up their sign-in; the account is linked to their record only.

    Refuses a closed link and a wrong date of birth. Wrong answers are counted
    (and stay counted although the call is refused); the fifth voids the link.
    """
    with transaction.atomic():
        found = Invitation.objects.filter(token_hash=token_hash(token)).first()
        if found is None:
            raise _not_valid()
        invitation = lock_invitation(found.pk)
        participant = lock_participant(invitation.participant_id)
        if not invitation.is_open(timezone.now()) or participant.user_id is not None:
            raise _not_valid()
        if participant.birth_date == birth_date:
            user = participant_account_create(
                username=username,
                password=password,
                full_name=participant.full_name,
                email=email or participant.email,
            )
            _link(invitation, participant, user)
            return user
        left = _count_wrong_answer(invitation)
    if left <= 0:
        raise _not_valid()
    raise ValidationError(
        {
            "birth_date": _(
                "This is not the date of birth on your record (%(left)d tries left). "
                "Type it as on your identity card (KTP)."
            )
            % {"left": left}
        },
        code=ParticipantErrorCode.WRONG_BIRTH_DATE,
    )


def _count_wrong_answer(invitation: Invitation) -> int:
    """Count a wrong date of birth; void the link at the last one. Returns the tries left."""
    invitation.failed_tries += 1
    fields = ["failed_tries"]
    if invitation.failed_tries >= Invitation.MAX_TRIES:
        invitation.voided_at = timezone.now()
        fields.append("voided_at")
    invitation.save(update_fields=fields)
    return Invitation.MAX_TRIES - invitation.failed_tries


def _link(invitation: Invitation, participant: Participant, user: User) -> None:
    before = snapshot(participant)
    participant.user = user
    participant.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record_change(
        acting_user=user,
        operation="participants.invitation_accept",
        instance=participant,
        action="update",
        changes=diff(before, snapshot(participant)),
    )
