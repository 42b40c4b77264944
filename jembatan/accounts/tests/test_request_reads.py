"""Each request's session and user, read by compiled statements, follow Django's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from jembatan.accounts.backends import AccountBackend
from jembatan.accounts.factories import DEFAULT_PASSWORD
from jembatan.accounts.models import User
from jembatan.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

SignIn = Callable[[User | None], Client]
PAGE = "/peserta/"  # a page for signed-in staff only


def _signed_in_as(client: Client) -> object:
    return client.get(PAGE).wsgi_request.user


def test_signing_in_through_the_form_uses_jembatans_backend_and_store(
    client: Client, provincial_officer: User
) -> None:
    assert settings.SESSION_ENGINE == "jembatan.accounts.sessions"
    answer = client.post(
        "/akun/masuk/", {"username": provincial_officer.username, "password": DEFAULT_PASSWORD}
    )
    assert answer.status_code == 302
    assert isinstance(client.session, SessionStore)
    assert client.session["_auth_user_backend"] == "jembatan.accounts.backends.AccountBackend"
    assert _signed_in_as(client) == provincial_officer
    assert client.get(PAGE).status_code == 200


def test_an_expired_session_is_nobody_and_the_next_save_takes_a_new_key(
    client_for: SignIn, provincial_officer: User
) -> None:
    client = client_for(provincial_officer)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    answer = client.get(PAGE)
    assert answer.status_code == 302 and "/akun/masuk/" in answer["Location"]
    store = SessionStore(session_key=key)
    assert store.load() == {}
    assert store.session_key is None  # as Django's store: a lost session is never written back


def test_an_unknown_session_key_is_nobody(client: Client) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = "k" * 32
    assert not _signed_in_as(client).is_authenticated  # type: ignore[attr-defined]


def test_a_deactivated_account_is_signed_out_on_its_next_request(
    client_for: SignIn, provincial_officer: User
) -> None:
    client = client_for(provincial_officer)
    User.objects.filter(pk=provincial_officer.pk).update(is_active=False)
    assert not _signed_in_as(client).is_authenticated  # type: ignore[attr-defined]
    assert AccountBackend().get_user(provincial_officer.pk) is None


def test_a_changed_password_ends_the_other_sessions(
    client_for: SignIn, provincial_officer: User
) -> None:
    client = client_for(provincial_officer)
    provincial_officer.set_password("Another-passw0rd-2026")
    provincial_officer.save()
    assert not _signed_in_as(client).is_authenticated  # type: ignore[attr-defined]


def test_a_removed_account_is_nobody(provincial_officer: User) -> None:
    assert AccountBackend().get_user(provincial_officer.pk + 1000) is None
