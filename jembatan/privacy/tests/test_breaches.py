"""The breach register: the 3 × 24-hour deadline, the people affected from the log, the notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.participants.models import ConsentPurpose, Participant
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services.registry import consent_record
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.models import Breach, BreachAffected
from jembatan.privacy.services.breaches import (
    breach_find_affected,
    breach_notify_authority,
    breach_notify_people,
    breach_record,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _read(actor: User, instance: Any, at: dt.datetime) -> AccessLog:
    """A logged read at a chosen moment (the log is append-only: written, never moved)."""
    return AccessLog.objects.create(
        actor=actor,
        actor_label=actor.username,
        actor_role=actor.role,
        purpose="participants.detail",
        content_type=ContentType.objects.get_for_model(instance) if instance else None,
        object_id=str(instance.pk) if instance else "",
        at=at,
    )


@pytest.fixture
def breach(national_admin: User) -> Breach:
    return breach_record(
        acting_user=national_admin,
        title="Officer password stolen",
        description="A phishing e-mail took Oki's password.",
        how="Someone signed in as Oki from abroad and opened records.",
        data_categories=["identity", "contact", "health"],
        discovered_at=NOW() - dt.timedelta(hours=5),
    )


def test_the_notice_deadline_is_3_times_24_hours_from_discovery(breach: Breach) -> None:
    assert breach.due_at - breach.discovered_at == dt.timedelta(hours=72)
    assert "art. 46(1)" in breach.deadline_basis
    assert ChangeRecord.objects.filter(operation="privacy.breach_record").count() == 1


def test_only_the_national_administrator_keeps_the_register(national_officer: User) -> None:
    with pytest.raises(PermissionDenied):
        breach_record(
            acting_user=national_officer,
            title="x",
            description="x",
            how="x",
            data_categories=["identity"],
            discovered_at=NOW(),
        )
    assert not Breach.objects.exists()


@pytest.mark.parametrize(
    ("categories", "discovered", "code"),
    [
        (["identity", "shoe_size"], dt.timedelta(hours=-1), PrivacyErrorCode.UNKNOWN_CATEGORY),
        ([], dt.timedelta(hours=-1), PrivacyErrorCode.UNKNOWN_CATEGORY),
        (["identity"], dt.timedelta(hours=2), PrivacyErrorCode.NOTICE_BEFORE_DISCOVERY),
    ],
)
def test_unknown_kinds_of_data_and_a_discovery_in_the_future_are_refused(
    national_admin: User, categories: list[str], discovered: dt.timedelta, code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        breach_record(
            acting_user=national_admin,
            title="x",
            description="x",
            how="x",
            data_categories=categories,
            discovered_at=NOW() + discovered,
        )
    assert _codes(refused.value) == {code}


def test_the_people_affected_are_those_whose_records_the_accounts_read_in_the_window(
    breach: Breach,
    national_admin: User,
    national_officer: User,
    sender_operator: User,
    participant_jateng: Participant,
    participant_jatim: Participant,
) -> None:
    text = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    assert text is not None
    consent = consent_record(
        participant=participant_jatim, text=text, language="id", acting_user=None
    )
    start = NOW() - dt.timedelta(hours=10)
    _read(national_officer, participant_jateng, start + dt.timedelta(hours=1))
    _read(national_officer, participant_jateng, start + dt.timedelta(hours=2))
    _read(national_officer, consent, start + dt.timedelta(hours=3))  # a record about Budi
    _read(national_officer, None, start + dt.timedelta(hours=3))  # a list: nobody identifiable
    _read(national_officer, participant_jatim, start - dt.timedelta(hours=1))  # before the window
    _read(sender_operator, participant_jatim, start + dt.timedelta(hours=1))  # another account

    breach_find_affected(
        breach=breach,
        accounts=[national_officer],
        window_start=start,
        window_end=NOW(),
        acting_user=national_admin,
    )

    affected = {a.participant_id: a for a in BreachAffected.objects.filter(breach=breach)}
    assert sorted(affected) == sorted([participant_jateng.pk, participant_jatim.pk])
    siti = affected[participant_jateng.pk]
    assert (siti.reads, siti.first_read_at, siti.last_read_at) == (
        2,
        start + dt.timedelta(hours=1),
        start + dt.timedelta(hours=2),
    )
    assert affected[participant_jatim.pk].reads == 1
    breach.refresh_from_db()
    assert breach.unattributed_reads == 1
    assert list(breach.accounts.all()) == [national_officer]


def test_a_new_lookup_replaces_the_list_until_the_people_are_notified(
    breach: Breach, national_admin: User, national_officer: User, participant_jateng: Participant
) -> None:
    _read(national_officer, participant_jateng, NOW() - dt.timedelta(hours=1))
    window = {"window_start": NOW() - dt.timedelta(hours=2), "window_end": NOW()}
    breach_find_affected(
        breach=breach, accounts=[national_officer], acting_user=national_admin, **window
    )
    breach_find_affected(
        breach=breach, accounts=[national_admin], acting_user=national_admin, **window
    )
    assert not BreachAffected.objects.exists()

    breach_find_affected(
        breach=breach, accounts=[national_officer], acting_user=national_admin, **window
    )
    breach_notify_people(
        breach=breach, at=NOW(), how="Letter to each person.", acting_user=national_admin
    )
    with pytest.raises(ValidationError) as refused:
        breach_find_affected(
            breach=breach, accounts=[national_admin], acting_user=national_admin, **window
        )
    assert _codes(refused.value) == {PrivacyErrorCode.ALREADY_NOTIFIED}
    assert BreachAffected.objects.count() == 1


def test_a_reversed_window_or_no_account_is_refused(
    breach: Breach, national_admin: User, national_officer: User
) -> None:
    with pytest.raises(ValidationError) as reversed_window:
        breach_find_affected(
            breach=breach,
            accounts=[national_officer],
            window_start=NOW(),
            window_end=NOW() - dt.timedelta(hours=1),
            acting_user=national_admin,
        )
    assert _codes(reversed_window.value) == {PrivacyErrorCode.WINDOW_ORDER}
    with pytest.raises(ValidationError) as no_account:
        breach_find_affected(
            breach=breach,
            accounts=[],
            window_start=NOW() - dt.timedelta(hours=1),
            window_end=NOW(),
            acting_user=national_admin,
        )
    assert _codes(no_account.value) == {PrivacyErrorCode.NO_ACCOUNTS}


def test_the_notices_are_recorded_once_with_their_dates(
    breach: Breach, national_admin: User
) -> None:
    sent = NOW() - dt.timedelta(hours=1)
    breach_notify_authority(
        breach=breach,
        at=sent,
        reference="B-12/2026",
        measures="Password reset; sessions closed.",
        acting_user=national_admin,
    )
    breach_notify_people(
        breach=breach, at=sent, how="E-mail and letter.", acting_user=national_admin
    )

    breach.refresh_from_db()
    assert (breach.authority_notified_at, breach.authority_reference) == (sent, "B-12/2026")
    assert (breach.people_notified_at, breach.fully_notified) == (sent, True)
    with pytest.raises(ValidationError) as again:
        breach_notify_people(breach=breach, at=sent, how="Again.", acting_user=national_admin)
    assert _codes(again.value) == {PrivacyErrorCode.ALREADY_NOTIFIED}


def test_a_notice_dated_before_the_discovery_is_refused(
    breach: Breach, national_admin: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        breach_notify_people(
            breach=breach,
            at=breach.discovered_at - dt.timedelta(minutes=1),
            how="Letter.",
            acting_user=national_admin,
        )
    assert _codes(refused.value) == {PrivacyErrorCode.NOTICE_BEFORE_DISCOVERY}
    breach.refresh_from_db()
    assert breach.people_notified_at is None


# --- the pages ---------------------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_administrator_records_a_breach_and_sees_the_time_left(national_admin: User) -> None:
    client = _client(national_admin)
    discovered = timezone.localtime(NOW() - dt.timedelta(hours=2))
    response = client.post(
        reverse("personal_data:breach_new"),
        {
            "title": "Laptop stolen",
            "discovered_at": discovered.strftime("%Y-%m-%dT%H:%M"),
            "description": "An officer's laptop was stolen from a car.",
            "how": "The laptop held an export of 40 records.",
            "data_categories": ["identity", "passport"],
        },
    )
    breach = Breach.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert 'data-testid="time-left"' in page and "left" in page
    assert "Passport number and validity" in page
    assert breach.data_categories == ["identity", "passport"]


def test_an_overdue_breach_is_marked(breach: Breach, national_admin: User) -> None:
    Breach.objects.filter(pk=breach.pk).update(due_at=NOW() - dt.timedelta(minutes=5))
    page = _client(national_admin).get(reverse("personal_data:breach", args=[breach.pk])).text
    assert 'data-testid="overdue"' in page


def test_the_auditor_reads_the_register_without_its_forms_and_officers_are_kept_out(
    breach: Breach, auditor: User, national_officer: User
) -> None:
    url = reverse("personal_data:breach", args=[breach.pk])
    page = _client(auditor).get(url).text
    assert breach.title in page and "Find the people affected" not in page
    assert _client(national_officer).get(url).status_code == 403


def test_the_affected_form_names_unknown_accounts(breach: Breach, national_admin: User) -> None:
    response = _client(national_admin).post(
        reverse("personal_data:breach_affected", args=[breach.pk]),
        {
            "accounts": "oki, nobody-here",
            "window_start": "2026-01-01T00:00",
            "window_end": "2026-01-02T00:00",
        },
    )
    assert response.status_code == 200
    assert "No account is named nobody-here, oki." in response.text
