"""Signing in and out, changing one's password and choosing the language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from jembatan.accounts.factories import DEFAULT_PASSWORD
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
LOGOUT = "/akun/keluar/"
PASSWORD = "/akun/kata-sandi/"
LANGUAGE = "/akun/bahasa/"
NEW_PASSWORD = "Sawah-hijau-2026"


def _signed_in_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# --- signing in --------------------------------------------------------------------


def test_login_page_renders_in_indonesian_by_default(client: Client, settings) -> None:
    settings.LANGUAGE_CODE = "id"  # the production default (tests otherwise run in English)
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'<html lang="id"' in response.content
    assert "<h1>Masuk</h1>" in response.text
    assert 'name="username"' in response.text and 'name="password"' in response.text


def test_login_page_follows_the_language_cookie(client: Client) -> None:
    client.cookies["django_language"] = "en"
    assert b'<html lang="en"' in client.get(LOGIN).content


def test_a_wrong_password_shows_the_form_error_and_signs_nobody_in(
    client: Client, national_officer: User
) -> None:
    response = client.post(LOGIN, {"username": "oki", "password": "not-the-password"})
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["__all__"]
    assert [e.code for e in errors] == ["invalid_login"]
    assert 'role="alert"' in response.text
    assert _signed_in_id(client) is None


def test_an_inactive_account_cannot_sign_in(client: Client, inactive_user: User) -> None:
    response = client.post(LOGIN, {"username": "lama", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert _signed_in_id(client) is None


def test_signing_in_leads_to_the_home_page(client: Client, national_officer: User) -> None:
    response = client.post(LOGIN, {"username": "oki", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in_id(client) == str(national_officer.pk)


def test_signing_in_returns_to_the_page_asked_for(client: Client, auditor: User) -> None:
    response = client.post(
        LOGIN, {"username": "agus", "password": DEFAULT_PASSWORD, "next": "/audit/perubahan/"}
    )
    assert response["Location"] == "/audit/perubahan/"


def test_signing_in_never_redirects_off_site(client: Client, auditor: User) -> None:
    response = client.post(
        LOGIN, {"username": "agus", "password": DEFAULT_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_signed_in_person_visiting_the_login_page_goes_home(client_for, national_officer):
    response = client_for(national_officer).get(LOGIN)
    assert (response.status_code, response["Location"]) == (302, "/")


# --- signing out ---------------------------------------------------------------------


def test_logout_refuses_get_so_a_link_cannot_sign_anyone_out(client_for, national_officer):
    client = client_for(national_officer)
    response = client.get(LOGOUT)
    assert response.status_code == 405
    assert _signed_in_id(client) == str(national_officer.pk)


def test_logout_by_post_ends_the_session(client_for, national_officer) -> None:
    client = client_for(national_officer)
    response = client.post(LOGOUT)
    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert _signed_in_id(client) is None
    assert client.get("/")["Location"] == f"{LOGIN}?next=/"


# --- changing one's password ------------------------------------------------------------


def _change_password(client: Client, old: str = DEFAULT_PASSWORD, new: str = NEW_PASSWORD):
    return client.post(PASSWORD, {"old_password": old, "new_password1": new, "new_password2": new})


def test_password_change_goes_through_the_audited_service(client_for, national_officer) -> None:
    client = client_for(national_officer)

    response = _change_password(client)

    assert (response.status_code, response["Location"]) == (302, "/")
    national_officer.refresh_from_db()
    assert national_officer.check_password(NEW_PASSWORD)
    record = ChangeRecord.objects.get(operation="accounts.user_change_password")
    assert (record.actor, record.object_id) == (national_officer, str(national_officer.pk))
    assert list(record.changes) == ["password"]
    assert NEW_PASSWORD not in str(record.changes)
    assert DEFAULT_PASSWORD not in str(record.changes)
    assert national_officer.password not in str(record.changes)


def test_password_change_keeps_the_person_signed_in(client_for, national_officer) -> None:
    client = client_for(national_officer)
    _change_password(client)
    assert client.get("/").status_code == 200


def test_a_wrong_old_password_changes_nothing(client_for, national_officer) -> None:
    client = client_for(national_officer)

    response = _change_password(client, old="not-the-password")

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    national_officer.refresh_from_db()
    assert national_officer.check_password(DEFAULT_PASSWORD)
    assert not ChangeRecord.objects.filter(operation="accounts.user_change_password").exists()


def test_a_weak_new_password_is_refused(client_for, national_officer) -> None:
    response = _change_password(client_for(national_officer), new="12345678")
    assert "new_password2" in response.context["form"].errors
    assert not ChangeRecord.objects.filter(operation="accounts.user_change_password").exists()


def test_the_auditor_may_change_its_own_password(client_for, auditor) -> None:
    assert _change_password(client_for(auditor)).status_code == 302
    auditor.refresh_from_db()
    assert auditor.check_password(NEW_PASSWORD)


# --- choosing the language ------------------------------------------------------------------


def test_set_language_sets_the_cookie_and_returns_to_the_page(client: Client) -> None:
    response = client.post(LANGUAGE, {"language": "en", "next": LOGIN})
    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert response.cookies["django_language"].value == "en"
    assert b'<html lang="en"' in client.get(LOGIN).content


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"],
)
def test_set_language_refuses_an_off_site_next(client: Client, target: str) -> None:
    response = client.post(LANGUAGE, {"language": "en", "next": target})
    assert response["Location"] == "/"


def test_set_language_ignores_an_unknown_language(client: Client) -> None:
    response = client.post(LANGUAGE, {"language": "xx", "next": LOGIN})
    assert response["Location"] == LOGIN
    assert "django_language" not in response.cookies


def test_set_language_refuses_get(client: Client) -> None:
    assert client.get(LANGUAGE).status_code == 405


def test_set_language_remembers_the_choice_on_the_account(client_for, national_officer) -> None:
    client = client_for(national_officer)

    client.post(LANGUAGE, {"language": "en", "next": "/"})

    national_officer.refresh_from_db()
    assert national_officer.preferred_language == "en"
    record = ChangeRecord.objects.get(operation="accounts.user_set_language")
    assert record.changes == {"preferred_language": {"before": "id", "after": "en"}}


def test_the_cookie_is_the_one_django_reads(client: Client) -> None:
    response = client.post(LANGUAGE, {"language": "en"})
    assert settings.LANGUAGE_COOKIE_NAME in response.cookies
