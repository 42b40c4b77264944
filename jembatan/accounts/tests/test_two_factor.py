"""Two-factor sign-in: who is held, the code prompt, recovery codes, enrolment, opting out."""

from __future__ import annotations

import secrets

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jembatan.accounts.errors import AccountErrorCode
from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.models import User
from jembatan.accounts.services import (
    recovery_codes_renew,
    two_factor_disable,
    two_factor_enrol,
)
from jembatan.accounts.tests.two_factor_helpers import (
    ENROL,
    VERIFY,
    app_code,
    enrol,
    next_code,
    signed_in,
)
from jembatan.accounts.two_factor_views import ENROL_KEY
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role

pytestmark = pytest.mark.django_db

STAFF_FIXTURES = [
    "national_admin",
    "national_officer",
    "provincial_officer",
    "training_operator",
    "sender_operator",
    "partner_user",
    "auditor",
]


DEVICE_OPERATIONS = [
    "accounts.two_factor_enrol",
    "accounts.recovery_code_use",
    "accounts.recovery_codes_renew",
    "accounts.two_factor_disable",
    "accounts.two_factor_reset",
]


@pytest.fixture(autouse=True)
def two_factor_required(settings) -> None:
    """As in production (the test settings turn it off for the rest of the suite)."""
    settings.JEMBATAN_TWO_FACTOR_REQUIRED = True


def _operations(user: User) -> list[str]:
    return list(
        ChangeRecord.objects.filter(object_id=str(user.pk), operation__in=DEVICE_OPERATIONS)
        .order_by("pk")
        .values_list("operation", flat=True)
    )


# --- who is held, and where ----------------------------------------------------------------


@pytest.mark.parametrize("who", STAFF_FIXTURES)
def test_every_staff_role_without_an_authenticator_is_held_at_enrolment(
    who: str, request: pytest.FixtureRequest
) -> None:
    client = signed_in(request.getfixturevalue(who))

    for page in ("/", "/peserta/", "/akun/kata-sandi/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{ENROL}?next="), page


@pytest.mark.parametrize("who", STAFF_FIXTURES)
def test_every_staff_role_with_an_authenticator_is_held_at_the_code_prompt(
    who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    enrol(user)

    response = signed_in(user).get("/")

    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=%2F")


def test_a_participant_without_an_authenticator_is_not_held(participant_user: User) -> None:
    response = signed_in(participant_user).get("/peserta/saya/")

    assert response.status_code == 200


def test_public_pages_signing_out_and_the_language_stay_open_while_the_code_is_owed(
    national_officer: User,
) -> None:
    client = signed_in(national_officer)

    assert client.get("/daftar-lpk/").status_code == 200
    assert client.post("/akun/bahasa/", {"language": "en", "next": "/daftar-lpk/"}).status_code == (
        302
    )
    assert client.get(ENROL).status_code == 200
    response = client.post("/akun/keluar/")
    assert (response.status_code, response["Location"]) == (302, "/akun/masuk/")
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_is_sent_to_the_prompt_as_a_whole_page(national_officer: User) -> None:
    enrol(national_officer)

    response = signed_in(national_officer).get(
        "/peserta/?q=siti",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/peserta/?q=sit"},
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{VERIFY}?next=%2Fpeserta%2F%3Fq%3Dsit"


def test_with_the_setting_off_staff_without_an_authenticator_are_not_held(
    settings, national_officer: User
) -> None:
    settings.JEMBATAN_TWO_FACTOR_REQUIRED = False

    assert signed_in(national_officer).get("/peserta/").status_code == 200


# --- the code prompt ----------------------------------------------------------------------


def test_signing_in_with_the_password_leads_straight_to_the_code_prompt(
    national_officer: User,
) -> None:
    enrol(national_officer)

    response = Client().post(
        "/akun/masuk/?next=/peserta/", {"username": "oki", "password": DEFAULT_PASSWORD}
    )

    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=%2Fpeserta%2F")


def test_the_right_code_finishes_signing_in_and_returns_to_the_page(
    national_officer: User,
) -> None:
    device, _codes = enrol(national_officer)
    client = signed_in(national_officer)
    session_before = client.session.session_key

    response = client.post(VERIFY, {"code": next_code(device), "next": "/peserta/"})

    assert (response.status_code, response["Location"]) == (302, "/peserta/")
    assert client.get("/peserta/").status_code == 200
    assert client.session.session_key != session_before  # a new key once verified


def test_a_wrong_code_is_refused_and_counts_like_a_wrong_password(national_officer: User) -> None:
    device, _codes = enrol(national_officer)
    client = signed_in(national_officer)
    wrong = f"{(int(next_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong, "next": "/"})

    assert response.status_code == 200
    assert "This code is not right." in response.text
    assert AccessAttempt.objects.get(username="oki").failures_since_start == 1
    assert client.get("/")["Location"].startswith(VERIFY)  # still held


def test_a_second_wrong_code_at_once_is_told_to_wait(national_officer: User) -> None:
    device, _codes = enrol(national_officer)
    client = signed_in(national_officer)

    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": next_code(device)})  # even the right one

    assert "Too many wrong codes in a row. Wait" in response.text
    assert client.get("/")["Location"].startswith(VERIFY)


def test_wrong_codes_up_to_the_limit_lock_the_account_and_sign_out(
    settings, national_officer: User
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own wait aside, to reach the lockout
    enrol(national_officer)
    client = signed_in(national_officer)

    for _try in range(2):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    response = client.post(VERIFY, {"code": "000000"})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    signing_in = Client().post("/akun/masuk/", {"username": "oki", "password": DEFAULT_PASSWORD})
    assert signing_in.status_code == 429  # the password alone cannot start again either


def test_a_recovery_code_signs_in_once(national_officer: User) -> None:
    _device, codes = enrol(national_officer)
    first = signed_in(national_officer)

    response = first.post(VERIFY, {"code": codes[0].upper(), "next": "/"})

    assert (response.status_code, response["Location"]) == (302, "/")
    again = signed_in(national_officer)
    refused = again.post(VERIFY, {"code": codes[0], "next": "/"})
    assert refused.status_code == 200 and "This code is not right." in refused.text
    assert StaticToken.objects.filter(device__user=national_officer).count() == 9
    assert _operations(national_officer)[-1] == "accounts.recovery_code_use"


def test_new_recovery_codes_replace_the_old_ones(national_officer: User) -> None:
    _device, old = enrol(national_officer)

    new = recovery_codes_renew(acting_user=national_officer)

    assert len(new) == 10 and len(set(new)) == 10 and not set(new) & set(old)
    left = set(
        StaticToken.objects.filter(device__user=national_officer).values_list("token", flat=True)
    )
    assert left == set(new)
    assert _operations(national_officer) == [
        "accounts.two_factor_enrol",
        "accounts.recovery_codes_renew",
    ]


def test_new_recovery_codes_through_the_page_are_shown_once(national_officer: User) -> None:
    device, _codes = enrol(national_officer)
    client = signed_in(national_officer)
    client.post(VERIFY, {"code": next_code(device)})

    response = client.post("/akun/dua-langkah/kode-cadangan/")

    assert response.status_code == 200
    shown = [t.token for t in StaticToken.objects.filter(device__user=national_officer)]
    assert all(code in response.text for code in shown)
    assert "1 recovery code left" not in client.get("/akun/dua-langkah/").text
    assert "10 recovery codes left." in client.get("/akun/dua-langkah/").text


# --- enrolment ----------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_and_sets_up_with_the_first_code(
    national_officer: User,
) -> None:
    client = signed_in(national_officer)

    page = client.get(f"{ENROL}?next=/peserta/")
    key = client.session[ENROL_KEY]
    response = client.post(ENROL, {"code": app_code(key), "next": "/peserta/"})

    assert page.status_code == 200
    qr = page.text.split('data-testid="two-factor-qr">', 1)[1].split("</figure>", 1)[0]
    assert qr.startswith("<svg") and "<script" not in qr
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=national_officer)
    assert device.confirmed and device.key == key
    codes = StaticToken.objects.filter(device__user=national_officer)
    assert codes.count() == 10
    assert all(code.token in response.text for code in codes)
    assert client.get("/peserta/").status_code == 200  # this session gave the second factor
    assert _operations(national_officer) == ["accounts.two_factor_enrol"]


def test_enrolment_with_a_wrong_code_sets_up_nothing(national_officer: User) -> None:
    client = signed_in(national_officer)
    client.get(ENROL)

    response = client.post(ENROL, {"code": "123"})

    assert response.status_code == 200
    assert "This code is not right." in response.text
    assert response.context["form"].errors.as_data()["code"][0].code == "wrong_code"
    assert not TOTPDevice.objects.filter(user=national_officer).exists()
    assert not StaticDevice.objects.filter(user=national_officer).exists()
    assert _operations(national_officer) == []


def test_the_password_alone_cannot_set_up_a_second_authenticator(national_officer: User) -> None:
    device, _codes = enrol(national_officer)
    client = signed_in(national_officer)
    key = secrets.token_hex(20)
    session = client.session
    session[ENROL_KEY] = key
    session.save()

    response = client.post(ENROL, {"code": app_code(key)})

    assert response.status_code == 302 and response["Location"] == "/"
    assert list(TOTPDevice.objects.filter(user=national_officer)) == [device]
    assert client.get("/")["Location"].startswith(VERIFY)


def test_the_service_refuses_a_second_enrolment(national_officer: User) -> None:
    enrol(national_officer)
    key = secrets.token_hex(20)

    with pytest.raises(ValidationError) as refused:
        two_factor_enrol(acting_user=national_officer, key=key, code=app_code(key))

    assert refused.value.code == AccountErrorCode.ALREADY_ENROLLED
    assert TOTPDevice.objects.filter(user=national_officer).count() == 1


# --- participants opt in and out ----------------------------------------------------------


def test_a_participant_who_opted_in_is_asked_for_the_code_even_with_the_setting_off(
    settings, participant_user: User
) -> None:
    settings.JEMBATAN_TWO_FACTOR_REQUIRED = False
    client = signed_in(participant_user)
    client.get(ENROL)
    client.post(ENROL, {"code": app_code(client.session[ENROL_KEY])})

    later = signed_in(participant_user)

    assert later.get("/peserta/saya/")["Location"].startswith(VERIFY)


def test_a_participant_turns_it_off_with_password_and_code(participant_user: User) -> None:
    device, _codes = enrol(participant_user)
    client = signed_in(participant_user)
    client.post(VERIFY, {"code": next_code(device)})

    response = client.post(
        "/akun/dua-langkah/matikan/",
        {"password": DEFAULT_PASSWORD, "code": app_code(device.key, ahead=2)},
    )

    assert (response.status_code, response["Location"]) == (302, "/akun/dua-langkah/")
    assert not TOTPDevice.objects.filter(user=participant_user).exists()
    assert not StaticDevice.objects.filter(user=participant_user).exists()
    assert _operations(participant_user)[-1] == "accounts.two_factor_disable"
    assert signed_in(participant_user).get("/peserta/saya/").status_code == 200


def test_turning_it_off_with_a_wrong_password_changes_nothing(participant_user: User) -> None:
    device, _codes = enrol(participant_user)
    client = signed_in(participant_user)
    client.post(VERIFY, {"code": next_code(device)})

    response = client.post(
        "/akun/dua-langkah/matikan/",
        {"password": "not-hers", "code": app_code(device.key, ahead=2)},
    )

    assert response.status_code == 400
    assert "This is not your password." in response.text
    assert TOTPDevice.objects.filter(user=participant_user, confirmed=True).exists()
    assert _operations(participant_user) == ["accounts.two_factor_enrol"]


def test_a_staff_role_cannot_turn_it_off(national_officer: User) -> None:
    enrol(national_officer)

    with pytest.raises(ValidationError) as refused:
        two_factor_disable(acting_user=national_officer)

    assert refused.value.code == AccountErrorCode.TWO_FACTOR_REQUIRED
    assert TOTPDevice.objects.filter(user=national_officer).exists()


def test_the_own_page_says_whether_it_is_on(participant_user: User) -> None:
    client = signed_in(participant_user)

    assert 'data-testid="two-factor-start"' in client.get("/akun/dua-langkah/").text


def test_a_new_user_role_factory_makes_staff_owe_it(db: None) -> None:
    """The rule is the role's, not a list of usernames: a partner made now is held too."""
    partner = UserFactory(role=Role.PARTNER)

    assert signed_in(partner).get("/")["Location"].startswith(ENROL)
