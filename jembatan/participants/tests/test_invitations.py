"""People registered by an LPK get a sign-in: a one-time invitation, accepted with a password.

The walk-through found that participants registered by an LPK had no login,
so they could not rank job orders or read their results.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.models import Organisation
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Invitation, Participant
from jembatan.participants.services.invitations import (
    invitation_accept,
    invitation_create,
    token_hash,
)

pytestmark = pytest.mark.django_db

BIRTH = dt.date(2001, 3, 9)
PASSWORD = "Bunga-Melati-2026"


@pytest.fixture
def budi(lpk_a: Organisation) -> Participant:
    """Budi, registered by LPK A's operator; no account."""
    return ParticipantFactory(
        full_name="Budi Santoso",
        birth_date=BIRTH,
        sending_organisation=lpk_a,
        email="budi@example.id",
    )


def _client(user: User | None = None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_lpk_invites_and_the_person_sets_up_their_sign_in(
    budi: Participant, sender_operator: User
) -> None:
    staff = _client(sender_operator)
    detail = staff.get(reverse("participants:detail", args=[budi.pk])).content.decode()
    assert 'data-testid="invite-link"' in detail
    page = staff.post(reverse("participants:invite", args=[budi.pk]), {"send_email": "on"})
    html = page.content.decode()
    assert 'data-testid="invitation-link"' in html
    invitation = Invitation.objects.get(participant=budi)
    link = html.split('readonly value="', 1)[1].split('"', 1)[0]
    assert invitation.token_hash == token_hash(_token(link))  # only the hash is stored
    assert _token(link) not in str(
        ChangeRecord.objects.filter(operation="participants.invitation_create").get().changes
    )
    assert (
        len(mail.outbox) == 1
        and link in mail.outbox[0].body
        and mail.outbox[0].to == ["budi@example.id"]
    )
    anonymous = _client()
    form = anonymous.get(link)
    assert form.status_code == 200 and "Budi Santoso" in form.content.decode()
    done = anonymous.post(
        link,
        {
            "birth_date": "2001-03-09",
            "username": "budi.s",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse("accounts:login")
    budi.refresh_from_db()
    account = User.objects.get(username="budi.s")
    assert (
        budi.user == account
        and account.role == Role.PARTICIPANT
        and account.check_password(PASSWORD)
    )
    assert ChangeRecord.objects.filter(
        operation="participants.invitation_accept", actor=account
    ).exists()
    own = _client(account).get(reverse("participants:mine")).content.decode()
    assert "Budi Santoso" in own
    assert anonymous.get(link).status_code == 404  # once only


def test_a_wrong_birth_date_is_refused_and_the_fifth_voids_the_link(
    budi: Participant, sender_operator: User
) -> None:
    issued = invitation_create(participant=budi, send_email=False, acting_user=sender_operator)
    client = _client()
    wrong = {
        "birth_date": "2001-09-03",
        "username": "budi.s",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    first = client.post(issued.url, wrong).content.decode()
    assert "not the date of birth on your record (4 tries left)" in first
    assert 'value="budi.s"' in first  # what was typed is kept
    for _ in range(3):
        client.post(issued.url, wrong)
    last = client.post(issued.url, wrong)
    assert last.status_code == 404 and 'data-testid="invitation-closed"' in last.content.decode()
    assert not User.objects.filter(username="budi.s").exists()
    with pytest.raises(ValidationError) as closed:
        invitation_accept(
            token=_token(issued.url), birth_date=BIRTH, username="budi.s", password=PASSWORD
        )
    assert closed.value.code == ParticipantErrorCode.INVITATION_CLOSED


def test_a_new_invitation_replaces_the_open_one(budi: Participant, sender_operator: User) -> None:
    old = invitation_create(participant=budi, send_email=False, acting_user=sender_operator)
    new = invitation_create(participant=budi, send_email=False, acting_user=sender_operator)
    assert _client().get(old.url).status_code == 404
    assert _client().get(new.url).status_code == 200


def test_refusals_say_why(
    budi: Participant,
    participant_jateng: Participant,
    sender_operator: User,
    other_sender_operator: User,
    training_operator: User,
) -> None:
    with pytest.raises(ValidationError) as has_account:
        invitation_create(
            participant=participant_jateng, send_email=False, acting_user=sender_operator
        )
    assert "signs in as siti" in has_account.value.messages[0]
    budi.email = ""
    budi.save(update_fields=["email"])
    with pytest.raises(ValidationError) as no_address:
        invitation_create(participant=budi, send_email=True, acting_user=sender_operator)
    assert "send_email" in no_address.value.message_dict
    for outsider in (other_sender_operator, training_operator):
        with pytest.raises(PermissionDenied):
            invitation_create(participant=budi, send_email=False, acting_user=outsider)
    assert not Invitation.objects.exists()
    assert (
        _client(other_sender_operator)
        .get(reverse("participants:invite", args=[budi.pk]))
        .status_code
        == 404
    )


def test_an_unknown_or_expired_link_says_so(budi: Participant, sender_operator: User) -> None:
    assert (
        _client().get(reverse("participants:invitation_accept", args=["nope"])).status_code == 404
    )
    issued = invitation_create(participant=budi, send_email=False, acting_user=sender_operator)
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    page = _client().get(issued.url)
    assert page.status_code == 404 and "expired" in page.content.decode()
