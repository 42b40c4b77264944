"""Sessions end after a while without activity and after a maximum age, and say so."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from jembatan.accounts.session_limits import SEEN_AT, SIGNED_IN_AT
from jembatan.core.password_check import CHECKED_AT

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = "You were signed out because the page was not used for a while."
MAX_MESSAGE = "You were signed out because your session reached its maximum length."


def _age(client: Client, **seconds_ago: float) -> None:
    """Move the session's clocks back (``signed_in=…``, ``seen=…`` seconds ago)."""
    session = client.session
    now = time.time()
    if "signed_in" in seconds_ago:
        session[SIGNED_IN_AT] = now - seconds_ago["signed_in"]
    if "seen" in seconds_ago:
        session[SEEN_AT] = now - seconds_ago["seen"]
    session.save()


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_signing_in_starts_the_clocks_and_counts_as_a_password_check(client_for, auditor):
    before = time.time()
    session = client_for(auditor).session
    assert before <= session[SIGNED_IN_AT] == session[SEEN_AT] <= time.time()
    assert before <= session[CHECKED_AT] <= time.time()


def test_an_idle_staff_session_ends_and_the_sign_in_page_says_why(settings, client_for, auditor):
    settings.JEMBATAN_SESSION_IDLE_SECONDS = 1800
    client = client_for(auditor)
    _age(client, seen=1801)

    response = client.get("/audit/perubahan/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/akun/masuk/?next=/audit/perubahan/",
    )
    assert not _signed_in(client)
    assert IDLE_MESSAGE in client.get(response["Location"]).text


def test_a_staff_session_used_within_the_idle_limit_goes_on(settings, client_for, auditor):
    settings.JEMBATAN_SESSION_IDLE_SECONDS = 1800
    client = client_for(auditor)
    _age(client, seen=1700)

    assert client.get("/audit/perubahan/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5  # the visit counted as activity


def test_a_session_ends_at_its_maximum_age_however_busy(settings, client_for, auditor) -> None:
    settings.JEMBATAN_SESSION_MAX_SECONDS = 12 * 3600
    client = client_for(auditor)
    _age(client, signed_in=12 * 3600 + 1, seen=1)

    response = client.get("/audit/perubahan/")

    assert response.status_code == 302
    assert not _signed_in(client)
    assert MAX_MESSAGE in client.get(response["Location"]).text


def test_participants_have_their_own_idle_limit(settings, client_for, participant_user) -> None:
    settings.JEMBATAN_SESSION_IDLE_SECONDS = 60
    settings.JEMBATAN_PARTICIPANT_SESSION_IDLE_SECONDS = 3600
    client = client_for(participant_user)
    _age(client, seen=600)
    assert client.get("/peserta/saya/").status_code == 200

    _age(client, seen=3601)
    assert client.get("/peserta/saya/").status_code == 302
    assert not _signed_in(client)


def test_a_public_page_after_expiry_shows_the_person_signed_out(settings, client_for, auditor):
    settings.JEMBATAN_SESSION_IDLE_SECONDS = 60
    client = client_for(auditor)
    _age(client, seen=61)

    response = client.get("/akun/masuk/")

    assert response.status_code == 200
    assert IDLE_MESSAGE in response.text
    assert not _signed_in(client)


def test_an_htmx_request_after_expiry_sends_the_whole_page_to_sign_in(
    settings, client_for, auditor
) -> None:
    settings.JEMBATAN_SESSION_IDLE_SECONDS = 60
    client = client_for(auditor)
    _age(client, seen=61)

    response = client.get(
        "/audit/perubahan/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/audit/perubahan/?page=2",
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/akun/masuk/?next=/audit/perubahan/%3Fpage%3D2"
    assert not _signed_in(client)


def test_a_session_from_before_the_limits_starts_its_clocks_now(client_for, auditor) -> None:
    client = client_for(auditor)
    session = client.session
    del session[SIGNED_IN_AT], session[SEEN_AT]
    session.save()

    assert client.get("/audit/perubahan/").status_code == 200
    assert time.time() - client.session[SIGNED_IN_AT] < 5


def test_the_api_refuses_an_expired_session(settings, client_for, national_officer) -> None:
    settings.JEMBATAN_SESSION_IDLE_SECONDS = 60
    client = client_for(national_officer)
    assert client.get("/api/v1/participants").status_code == 200
    _age(client, seen=61)

    assert client.get("/api/v1/participants").status_code == 401
    assert not _signed_in(client)
