"""A new password through a link sent by e-mail: a reset, or an account's first password."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.models import User
from jembatan.accounts.services import user_create
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role

pytestmark = pytest.mark.django_db

RESET = "/akun/kata-sandi/lupa/"
SENT = "/akun/kata-sandi/lupa/terkirim/"
DONE = "/akun/kata-sandi/atur/selesai/"
NEW_PASSWORD = "Sawah-hijau-2026"


@pytest.fixture(autouse=True)
def in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts read English unless a test says otherwise (the tests read the source strings)."""
    monkeypatch.setattr("jembatan.accounts.services._first_language", lambda *args: "en")


def _ask(client: Client, email: str):
    return client.post(RESET, {"email": email})


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/akun/kata-sandi/atur/[^/\s]+/[^/\s]+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def _choose(client: Client, link: str, first: str = NEW_PASSWORD, second: str | None = None):
    """Open the link (Django moves the token into the session) and post the new password."""
    form_url = client.get(link)["Location"]
    return client.post(form_url, {"password1": first, "password2": second or first})


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(national_officer) -> None:
    known, unknown = _ask(Client(), "oki@example.id"), _ask(Client(), "nobody@example.id")

    assert (known.status_code, known["Location"]) == (302, SENT)
    assert (unknown.status_code, unknown["Location"]) == (302, SENT)
    assert [m.to for m in mail.outbox] == [["oki@example.id"]]
    page = Client().get(SENT).text
    assert "If an account has this e-mail address" in page


def test_the_address_is_matched_whatever_its_case(national_officer) -> None:
    _ask(Client(), "OKI@Example.ID")
    assert [m.to for m in mail.outbox] == [["oki@example.id"]]


def test_an_inactive_account_gets_no_link(inactive_user) -> None:
    _ask(Client(), inactive_user.email)
    assert mail.outbox == []


def test_the_link_sets_the_new_password_through_the_audited_service(national_officer) -> None:
    _ask(Client(), "oki@example.id")
    client = Client()

    response = _choose(client, _link(mail.outbox[0]))

    assert (response.status_code, response["Location"]) == (302, DONE)
    national_officer.refresh_from_db()
    assert national_officer.check_password(NEW_PASSWORD)
    record = ChangeRecord.objects.get(operation="accounts.user_set_password_by_link")
    assert (record.actor, record.object_id) == (national_officer, str(national_officer.pk))
    assert NEW_PASSWORD not in str(record.changes)
    assert "Your password is set" in client.get(DONE).text


def test_the_e_mail_names_the_username_and_until_when_the_link_works(national_officer) -> None:
    _ask(Client(), "oki@example.id")
    message = mail.outbox[0]
    assert "Your username is oki." in message.body
    assert "Someone asked to reset the password" in message.body
    assert "The link works once, until" in message.body


def test_the_link_works_once(national_officer) -> None:
    _ask(Client(), "oki@example.id")
    link = _link(mail.outbox[0])
    _choose(Client(), link)

    again = Client().get(link)

    assert again.status_code == 200
    assert 'data-testid="reset-link-invalid"' in again.text


def test_the_link_expires_after_the_reset_timeout(settings, national_officer) -> None:
    _ask(Client(), "oki@example.id")
    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)

    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = Client().get(_link(mail.outbox[0]), follow=True)

    assert 'data-testid="reset-link-invalid"' in response.text


def test_a_weak_or_mismatched_new_password_is_refused_and_changes_nothing(national_officer):
    _ask(Client(), "oki@example.id")
    link = _link(mail.outbox[0])
    client = Client()

    weak = _choose(client, link, "12345678")
    differ = client.post(weak.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": "x"})

    assert weak.status_code == 200 and "password1" in weak.context["form"].errors
    assert differ.context["form"].errors["password2"] == ["The two passwords differ."]
    national_officer.refresh_from_db()
    assert national_officer.check_password(DEFAULT_PASSWORD)
    assert not ChangeRecord.objects.filter(operation="accounts.user_set_password_by_link")


def test_the_new_password_form_shows_the_password_rules(national_officer) -> None:
    _ask(Client(), "oki@example.id")
    client = Client()
    page = client.get(client.get(_link(mail.outbox[0]))["Location"]).text
    assert "Your password must contain at least 10 characters." in page


def test_an_account_without_a_password_gets_its_first_one_by_the_same_link(national_admin):
    user_create(
        username="baru",
        role=Role.NATIONAL_OFFICER,
        password=None,
        acting_user=national_admin,
        email="baru@example.id",
    )
    _ask(Client(), "baru@example.id")
    message = mail.outbox[0]
    assert "Choose your password here to sign in for the first time" in message.body

    _choose(Client(), _link(message))

    response = Client().post("/akun/masuk/", {"username": "baru", "password": NEW_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_new_password_by_link_ends_the_accounts_lockout(settings, national_officer) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        Client().post("/akun/masuk/", {"username": "oki", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="oki").exists()
    _ask(Client(), "oki@example.id")

    _choose(Client(), _link(mail.outbox[-1]))

    assert not AccessAttempt.objects.filter(username="oki").exists()
    client = Client()
    response = client.post("/akun/masuk/", {"username": "oki", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(("language", "separator"), [("id", "."), ("en", ":")])
def test_the_e_mail_dates_follow_the_accounts_language(language: str, separator: str) -> None:
    UserFactory(username="hana", email="hana@example.id", role=Role.NATIONAL_OFFICER)
    User.objects.filter(username="hana").update(preferred_language=language)
    _ask(Client(), "hana@example.id")
    # Indonesian writes the time with a dot (14.30), English with a colon (14:30).
    assert re.search(rf"\d+ \w+ \d{{4}}, \d\d\{separator}\d\d", mail.outbox[0].body)


def test_the_login_page_offers_the_reset(client: Client) -> None:
    assert f'href="{RESET}"' in client.get("/akun/masuk/").text
