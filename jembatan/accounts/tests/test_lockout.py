"""Password guessing is locked out per account and per address, and people are told."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.formats import date_format

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.lockout import client_address
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
PASSWORD = "/akun/kata-sandi/"
LOCKOUTS = "/akun/terkunci/"
HOME_ADDRESS = "10.1.1.1"
OTHER_ADDRESS = "10.2.2.2"


@pytest.fixture(autouse=True)
def in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts read English unless a test says otherwise (the tests read the source strings)."""
    monkeypatch.setattr("jembatan.accounts.services._first_language", lambda *args: "en")


@pytest.fixture(autouse=True)
def small_limits(settings):
    """Three wrong passwords lock an account, six an address."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.JEMBATAN_LOGIN_FAILURES_PER_ADDRESS = 6
    return settings


def _sign_in(client: Client, username: str, password: str, address: str = HOME_ADDRESS):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _guess(username: str, times: int, address: str = HOME_ADDRESS) -> list[int]:
    client = Client()
    return [_sign_in(client, username, "wrong-guess", address).status_code for _ in range(times)]


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _in_a_quarter_hour() -> str:
    moment = timezone.localtime(timezone.now() + dt.timedelta(minutes=15))
    return date_format(moment, "DATETIME_FORMAT")


def _without_tokens(page: str) -> str:
    """The page without its per-request CSRF tokens (which differ on every answer)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", page)


# --- the lockout ------------------------------------------------------------------------


def test_the_third_wrong_password_locks_the_account_and_says_when_to_try_again(
    national_officer: User,
) -> None:
    assert _guess("oki", 2) == [200, 200]

    earliest = _in_a_quarter_hour()
    response = _sign_in(Client(), "oki", "wrong-guess")
    latest = _in_a_quarter_hour()

    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.text
    assert "Signing in is paused" in response.text
    assert "in 15 minutes" in response.text
    assert earliest in response.text or latest in response.text


def test_a_locked_account_cannot_sign_in_even_with_the_right_password(
    national_officer: User,
) -> None:
    _guess("oki", 3)
    client = Client()

    response = _sign_in(client, "oki", DEFAULT_PASSWORD, address=OTHER_ADDRESS)

    assert response.status_code == 429
    assert not _signed_in(client)


def test_the_answer_is_the_same_whether_the_account_exists_or_not(
    national_officer: User,
) -> None:
    _guess("oki", 2)
    _guess("nobody-here", 2)
    known = _sign_in(Client(), "oki", "wrong-guess")
    unknown = _sign_in(Client(), "nobody-here", "wrong-guess")

    assert (known.status_code, unknown.status_code) == (429, 429)
    assert _without_tokens(known.text) == _without_tokens(unknown.text)


def test_wrong_passwords_below_the_limit_change_nothing_for_the_right_one(
    national_officer: User,
) -> None:
    _guess("oki", 2)
    client = Client()
    assert _sign_in(client, "oki", DEFAULT_PASSWORD).status_code == 302
    assert _signed_in(client)


def test_an_address_is_locked_after_its_own_limit_whatever_the_accounts(
    national_officer: User, national_admin: User
) -> None:
    for name in ("a1", "a2", "a3"):
        _guess(name, 2)  # 6 failures from one address, no account past its limit

    here, elsewhere = Client(), Client()
    assert _sign_in(here, "nadia", DEFAULT_PASSWORD).status_code == 429
    assert not _signed_in(here)
    assert _sign_in(elsewhere, "nadia", DEFAULT_PASSWORD, OTHER_ADDRESS).status_code == 302


def test_an_account_lock_does_not_lock_its_address_for_other_accounts(
    national_officer: User, national_admin: User
) -> None:
    _guess("oki", 3)
    client = Client()
    assert _sign_in(client, "nadia", DEFAULT_PASSWORD).status_code == 302


def test_attempts_older_than_the_cool_off_no_longer_count(national_officer: User) -> None:
    _guess("oki", 3)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    client = Client()
    assert _sign_in(client, "oki", DEFAULT_PASSWORD).status_code == 302


def test_a_wrong_old_password_on_the_password_page_counts_too(client_for, national_officer):
    client = client_for(national_officer)
    data = {"old_password": "wrong-guess", "new_password1": "x", "new_password2": "x"}
    statuses = [client.post(PASSWORD, data, REMOTE_ADDR=HOME_ADDRESS).status_code for _ in "abc"]
    assert statuses == [200, 200, 429]
    assert AccessAttempt.objects.get(username="oki").failures_since_start == 3


def test_the_attempts_keep_no_password(national_officer: User) -> None:
    _guess("oki", 1)
    attempt = AccessAttempt.objects.get()
    assert "wrong-guess" not in attempt.post_data
    assert (attempt.username, attempt.ip_address) == ("oki", HOME_ADDRESS)


# --- who is told ----------------------------------------------------------------------------


def test_the_owner_and_the_administrators_are_told_once(
    national_officer: User, national_admin: User
) -> None:
    _guess("oki", 3)
    _guess("oki", 2)  # still locked: nobody is told again

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["nadia@example.id", "oki@example.id"]
    owner = next(m for m in mail.outbox if m.to == ["oki@example.id"])
    assert "oki" in owner.body and HOME_ADDRESS in owner.body
    assert "http://testserver/akun/kata-sandi/lupa/" in owner.body
    admin = next(m for m in mail.outbox if m.to == ["nadia@example.id"])
    assert "Account locked: oki" in admin.body
    assert "http://testserver/akun/terkunci/" in admin.body


@pytest.mark.parametrize(
    ("language", "time_pattern"), [("id", r", \d\d\.\d\d"), ("en", r", \d\d:\d\d")]
)
def test_the_owner_is_told_in_their_language(
    national_officer: User, language: str, time_pattern: str
) -> None:
    User.objects.filter(pk=national_officer.pk).update(preferred_language=language)
    _guess("oki", 3)
    owner = next(m for m in mail.outbox if m.to == ["oki@example.id"])
    # Dates follow the language: Indonesian writes the time with a dot (14.30).
    assert len(re.findall(time_pattern, owner.body)) == 2


def test_a_locked_address_is_told_to_the_administrators_only(national_admin: User) -> None:
    for name in ("a1", "a2", "a3"):
        _guess(name, 2)
    assert [m.to for m in mail.outbox] == [["nadia@example.id"]]
    assert f"Address locked: {HOME_ADDRESS}" in mail.outbox[0].body


def test_a_username_that_does_not_exist_tells_nobody(national_admin: User) -> None:
    _guess("nobody-here", 3)
    assert mail.outbox == []


def test_without_administrators_with_e_mail_settings_admins_are_told(
    settings, national_officer: User
) -> None:
    settings.ADMINS = [("Ops", "ops@example.id")]
    _guess("oki", 3)
    assert sorted(m.to[0] for m in mail.outbox) == ["oki@example.id", "ops@example.id"]


def test_an_administrator_who_is_locked_is_told_once_as_the_owner(national_admin: User) -> None:
    other = UserFactory(username="ayu", role=Role.NATIONAL_ADMIN)
    _guess("nadia", 3)
    assert sorted(m.to[0] for m in mail.outbox) == [other.email, "nadia@example.id"]


# --- the client's address -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded", "expected"),
    [
        (False, "203.0.113.9", "127.0.0.1"),  # no proxy: the header is only the client's word
        (True, "203.0.113.9", "203.0.113.9"),
        (True, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own entry is not believed
        (True, "", "127.0.0.1"),
        (True, "not-an-address", "127.0.0.1"),
    ],
)
def test_the_client_address_is_the_one_the_proxy_saw(
    settings, behind_proxy: bool, forwarded: str, expected: str
) -> None:
    settings.JEMBATAN_BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# --- unlocking ------------------------------------------------------------------------------


def test_a_national_administrator_sees_the_locks_and_unlocks_an_account(
    client_for, national_admin: User, national_officer: User
) -> None:
    _guess("oki", 3)
    admin = client_for(national_admin)

    page = admin.get(LOCKOUTS).text
    assert "<code>oki</code>" in page
    response = admin.post(LOCKOUTS, {"username": "oki", "address": ""})

    assert (response.status_code, response["Location"]) == (302, LOCKOUTS)
    assert not AccessAttempt.objects.filter(username="oki").exists()
    record = ChangeRecord.objects.get(operation="accounts.lockout_clear")
    assert (record.actor, record.object_id) == (national_admin, str(national_officer.pk))
    assert record.changes == {"failed_attempts": {"before": 1, "after": 0}}
    assert _sign_in(Client(), "oki", DEFAULT_PASSWORD).status_code == 302
    assert 'data-testid="no-lockouts"' in admin.get(LOCKOUTS).text


def test_a_national_administrator_unlocks_an_address(client_for, national_admin: User) -> None:
    for name in ("a1", "a2", "a3"):
        _guess(name, 2)
    admin = client_for(national_admin)
    assert f"<code>{HOME_ADDRESS}</code>" in admin.get(LOCKOUTS).text

    admin.post(LOCKOUTS, {"username": "", "address": HOME_ADDRESS})

    assert not AccessAttempt.objects.filter(ip_address=HOME_ADDRESS).exists()
    record = ChangeRecord.objects.get(operation="accounts.lockout_clear")
    assert (record.object_id, record.object_repr) == ("*", f"sign-in lockout of {HOME_ADDRESS}")


@pytest.mark.parametrize(
    "data",
    [{"username": "", "address": ""}, {"username": "oki", "address": HOME_ADDRESS}],
)
def test_unlocking_needs_exactly_one_account_or_address(client_for, national_admin, data):
    _guess("oki", 3)
    response = client_for(national_admin).post(LOCKOUTS, data, follow=True)
    assert "Name one account or one address to unlock." in response.text
    assert AccessAttempt.objects.filter(username="oki").exists()
    assert not ChangeRecord.objects.filter(operation="accounts.lockout_clear").exists()


def test_unlocking_what_is_not_locked_is_refused(client_for, national_admin: User) -> None:
    response = client_for(national_admin).post(
        LOCKOUTS, {"username": "oki", "address": ""}, follow=True
    )
    assert "Nothing to unlock" in response.text
    assert not ChangeRecord.objects.filter(operation="accounts.lockout_clear").exists()


def test_only_national_administrators_see_the_locks(client_for, national_officer: User) -> None:
    _guess("oki", 3)
    assert client_for(national_officer).get(LOCKOUTS).status_code == 403
    assert client_for(national_officer).post(LOCKOUTS, {"username": "oki"}).status_code == 403
    assert AccessAttempt.objects.filter(username="oki").exists()
