"""Around two-factor sign-in: the admin's reset, the API, the re-check, production, resets."""

from __future__ import annotations

import importlib
import sys
import time

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jembatan.accounts.errors import AccountErrorCode
from jembatan.accounts.models import User
from jembatan.accounts.services import two_factor_reset
from jembatan.accounts.tests.two_factor_helpers import (
    ENROL,
    VERIFY,
    app_code,
    enrol,
    next_code,
    signed_in,
)
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.core.password_check import CHECKED_AT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_factor_required(settings) -> None:
    """As in production (the test settings turn it off for the rest of the suite)."""
    settings.JEMBATAN_TWO_FACTOR_REQUIRED = True


def verified(user: User) -> Client:
    """A client signed in with password and code (setting the authenticator up first if needed)."""
    device = TOTPDevice.objects.filter(user=user).first() or enrol(user)[0]
    client = signed_in(user)
    response = client.post(VERIFY, {"code": next_code(device), "next": "/"})
    assert response.status_code == 302, response.text
    return client


# --- an administrator resets a lost second factor -----------------------------------------


def test_an_administrator_resets_a_second_factor_with_a_reason(
    national_admin: User, national_officer: User
) -> None:
    enrol(national_officer)
    officer_session = verified(national_officer)
    admin = verified(national_admin)

    page = admin.get(f"/akun/pengguna/{national_officer.pk}/")
    response = admin.post(
        f"/akun/pengguna/{national_officer.pk}/", {"reason": "Phone stolen, called back"}
    )

    assert page.status_code == 200 and 'data-testid="two-factor-reset-form"' in page.text
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=national_officer).exists()
    assert not StaticDevice.objects.filter(user=national_officer).exists()
    record = ChangeRecord.objects.get(operation="accounts.two_factor_reset")
    assert (record.actor, record.object_id, record.reason) == (
        national_admin,
        str(national_officer.pk),
        "Phone stolen, called back",
    )
    assert AccessLog.objects.filter(actor=national_admin, purpose="accounts.account").exists()
    # The officer's open session owes the second factor again: a new authenticator.
    assert officer_session.get("/")["Location"].startswith(ENROL)


def test_a_reset_without_a_reason_changes_nothing(
    national_admin: User, national_officer: User
) -> None:
    enrol(national_officer)

    response = verified(national_admin).post(
        f"/akun/pengguna/{national_officer.pk}/", {"reason": "  "}
    )

    assert response.status_code == 200
    assert "Say why the second factor is reset" in response.text
    assert TOTPDevice.objects.filter(user=national_officer).exists()
    assert not ChangeRecord.objects.filter(operation="accounts.two_factor_reset").exists()


def test_only_a_national_administrator_may_reset(
    national_officer: User, provincial_officer: User
) -> None:
    enrol(provincial_officer)

    page = verified(national_officer).post(
        f"/akun/pengguna/{provincial_officer.pk}/", {"reason": "x"}
    )
    with pytest.raises(PermissionDenied):
        two_factor_reset(acting_user=national_officer, user=provincial_officer, reason="x")

    assert page.status_code == 403
    assert TOTPDevice.objects.filter(user=provincial_officer).exists()


def test_the_service_names_the_missing_reason(national_admin: User, national_officer: User) -> None:
    enrol(national_officer)

    with pytest.raises(ValidationError) as refused:
        two_factor_reset(acting_user=national_admin, user=national_officer, reason="")

    assert refused.value.error_dict["reason"][0].code == AccountErrorCode.REASON_REQUIRED
    assert TOTPDevice.objects.filter(user=national_officer).exists()


def test_resetting_someone_without_a_second_factor_is_refused(
    national_admin: User, national_officer: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        two_factor_reset(acting_user=national_admin, user=national_officer, reason="lost")

    assert refused.value.code == AccountErrorCode.NOT_ENROLLED
    assert not ChangeRecord.objects.filter(operation="accounts.two_factor_reset").exists()


def test_the_administrator_finds_an_account_by_username(
    national_admin: User, national_officer: User
) -> None:
    response = verified(national_admin).get("/akun/pengguna/", {"q": "ok"})

    assert f'href="/akun/pengguna/{national_officer.pk}/"' in response.text


# --- the API ------------------------------------------------------------------------------


def test_the_api_refuses_a_staff_session_that_owes_the_code(national_officer: User) -> None:
    enrol(national_officer)

    response = signed_in(national_officer).get("/api/v1/me")

    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_the_api_answers_once_the_code_is_given(national_officer: User) -> None:
    response = verified(national_officer).get("/api/v1/me")

    assert (response.status_code, response.json()["username"]) == (200, "oki")


def test_the_api_answers_a_participant_without_an_authenticator(participant_user: User) -> None:
    assert signed_in(participant_user).get("/api/v1/me").status_code == 200


# --- the re-check before a sensitive action -----------------------------------------------


def _stale(client: Client, settings) -> None:
    session = client.session
    session[CHECKED_AT] = time.time() - settings.JEMBATAN_PASSWORD_RECHECK_SECONDS - 1
    session.save()


def test_a_fresh_code_serves_as_the_re_check(settings, national_officer: User) -> None:
    client = verified(national_officer)
    _stale(client, settings)
    device = TOTPDevice.objects.get(user=national_officer)

    page = client.get("/akun/konfirmasi/?next=/peserta/")
    response = client.post(
        "/akun/konfirmasi/", {"code": app_code(device.key, ahead=2), "next": "/peserta/"}
    )

    assert 'data-testid="confirm-code-form"' in page.text
    assert (response.status_code, response["Location"]) == (302, "/peserta/")
    assert time.time() - client.session[CHECKED_AT] < 5


def test_a_wrong_code_does_not_serve_as_the_re_check(settings, national_officer: User) -> None:
    client = verified(national_officer)
    _stale(client, settings)
    stale = client.session[CHECKED_AT]

    response = client.post("/akun/konfirmasi/", {"code": "000000", "next": "/peserta/"})

    assert response.status_code == 200 and "This code is not right." in response.text
    assert client.session[CHECKED_AT] == stale


# --- production refuses to start without it -----------------------------------------------


def _import_prod(monkeypatch: pytest.MonkeyPatch, two_factor: str | None) -> None:
    monkeypatch.setenv("JEMBATAN_SECRET_KEY", "k" * 40 + "abcdefghijklmnop")
    monkeypatch.setenv("JEMBATAN_ALLOWED_HOSTS", "jembatan.example.id")
    monkeypatch.setenv("DATABASE_URL", "postgres://jembatan@db/jembatan")
    monkeypatch.setenv("JEMBATAN_PUBLIC_URL", "https://jembatan.example.id")
    if two_factor is None:
        monkeypatch.delenv("JEMBATAN_TWO_FACTOR_REQUIRED", raising=False)
    else:
        monkeypatch.setenv("JEMBATAN_TWO_FACTOR_REQUIRED", two_factor)
    for module in ("config.settings.prod", "config.settings.base"):
        sys.modules.pop(module, None)
    try:
        importlib.import_module("config.settings.prod")
    finally:
        sys.modules.pop("config.settings.prod", None)
        sys.modules.pop("config.settings.base", None)


def test_production_refuses_to_start_with_two_factor_sign_in_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        _import_prod(monkeypatch, "0")

    assert "JEMBATAN_TWO_FACTOR_REQUIRED is off" in str(refused.value)


@pytest.mark.parametrize("value", [None, "1"])
def test_production_starts_with_two_factor_sign_in_on(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    _import_prod(monkeypatch, value)


# --- password-reset requests are throttled ------------------------------------------------

RESET = "/akun/kata-sandi/lupa/"


def test_reset_requests_for_one_address_stop_after_the_limit(
    settings, national_officer: User
) -> None:
    settings.JEMBATAN_RESET_REQUESTS_PER_EMAIL = 2
    answers = [Client().post(RESET, {"email": "oki@example.id"}) for _try in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "Too many requests for a new password. Try again in" in answers[2].text
    assert len(mail.outbox) == 2


def test_the_refusal_is_the_same_for_an_address_without_an_account(settings, db: None) -> None:
    settings.JEMBATAN_RESET_REQUESTS_PER_EMAIL = 2
    answers = [Client().post(RESET, {"email": "nobody@example.id"}) for _try in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "Too many requests for a new password. Try again in" in answers[2].text


def test_reset_requests_from_one_client_address_stop_after_the_limit(
    settings, national_officer: User
) -> None:
    settings.JEMBATAN_RESET_REQUESTS_PER_ADDRESS = 3
    client = Client()
    answers = [client.post(RESET, {"email": f"person{i}@example.id"}) for i in range(3)]
    last = client.post(RESET, {"email": "oki@example.id"})

    assert [a.status_code for a in answers] == [302, 302, 302]
    assert last.status_code == 429
    assert mail.outbox == []
