"""The daily licence run: activation, expiry and reminders, on frozen dates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.models import Licence, LicenceReminder, LicenceStatus, Organisation
from jembatan.organisations.services.expiry import licences_run_daily, threshold_for
from jembatan.organisations.tasks import expire_licences

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


@pytest.fixture
def operators(lpk: Organisation) -> list[str]:
    UserFactory(username="sari", role=Role.SENDER_OPERATOR, organisation=lpk, email="sari@lpk.id")
    english = UserFactory(
        username="ben", role=Role.SENDER_OPERATOR, organisation=lpk, email="ben@lpk.id"
    )
    retired = UserFactory(
        username="pensiun", role=Role.SENDER_OPERATOR, organisation=lpk, email="old@lpk.id"
    )
    User.objects.filter(pk=english.pk).update(preferred_language="en")
    User.objects.filter(pk=retired.pk).update(is_active=False)
    return ["ben@lpk.id", "sari@lpk.id"]


def test_an_active_licence_past_its_end_is_expired_by_the_scheduler(
    licence_in: Callable[..., Licence],
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE, valid_from=_days(-365), valid_to=_days(-1))
    report = licences_run_daily(today=DAY)
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXPIRED
    assert report.expired == ["KEP.77/LN/2025"]
    record = ChangeRecord.objects.get(operation="organisations.licence_expire")
    assert (record.actor_label, record.actor_id) == ("system:scheduler", None)
    assert record.changes == {"status": {"before": "active", "after": "expired"}}


def test_a_licence_on_its_last_day_is_not_expired(licence_in: Callable[..., Licence]) -> None:
    licence = licence_in(LicenceStatus.RENEWAL, valid_from=_days(-365), valid_to=DAY)
    licences_run_daily(today=DAY)
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.RENEWAL


def test_a_renewal_not_decided_in_time_expires(licence_in: Callable[..., Licence]) -> None:
    licence = licence_in(LicenceStatus.RENEWAL, valid_from=_days(-365), valid_to=_days(-1))
    licences_run_daily(today=DAY)
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.EXPIRED


@pytest.mark.parametrize(
    "status",
    [LicenceStatus.REVOKED, LicenceStatus.REJECTED, LicenceStatus.EXPIRED, LicenceStatus.DRAFT],
)
def test_licences_that_have_ended_or_never_started_are_left_alone(
    status: LicenceStatus, licence_in: Callable[..., Licence]
) -> None:
    fields = (
        {"valid_from": _days(-365), "valid_to": _days(-1)} if status != LicenceStatus.DRAFT else {}
    )
    licence = licence_in(status, **fields)
    licences_run_daily(today=DAY)
    assert Licence.objects.get(pk=licence.pk).status == status
    assert ChangeRecord.objects.filter(operation__startswith="organisations.licence").count() == 0


def test_a_granted_licence_becomes_active_on_its_first_day(
    licence_in: Callable[..., Licence],
) -> None:
    licence = licence_in(LicenceStatus.GRANTED, valid_from=_days(1), valid_to=_days(366))
    assert licences_run_daily(today=DAY).activated == []
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.GRANTED
    report = licences_run_daily(today=_days(1))
    assert report.activated == ["KEP.77/LN/2025"]
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.ACTIVE
    record = ChangeRecord.objects.get(operation="organisations.licence_activate")
    assert record.actor_label == "system:scheduler"


def test_running_twice_on_the_same_day_changes_nothing_the_second_time(
    licence_in: Callable[..., Licence], operators: list[str]
) -> None:
    licence_in(LicenceStatus.ACTIVE, valid_from=_days(-365), valid_to=_days(30))
    first = licences_run_daily(today=DAY)
    changes = ChangeRecord.objects.count()
    second = licences_run_daily(today=DAY)
    assert (first.reminded, second.as_dict()) == (
        ["KEP.77/LN/2025"],
        {"activated": [], "expired": [], "reminded": [], "failed": []},
    )
    assert ChangeRecord.objects.count() == changes
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (0, 7)],
)
def test_the_reminder_threshold_follows_the_days_left(days_left: int, threshold: int) -> None:
    assert threshold_for(days_left) == threshold


def test_reminders_go_once_per_threshold_to_active_operators_in_their_language(
    licence_in: Callable[..., Licence], operators: list[str], lpk: Organisation
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE, valid_from=_days(-300), valid_to=_days(90))
    sent_on = {}
    for offset in range(91):
        mail.outbox.clear()
        licences_run_daily(today=_days(offset))
        if mail.outbox:
            sent_on[offset] = sorted(m.to[0] for m in mail.outbox)
    assert sent_on == {0: operators, 60: operators, 83: operators}
    reminders = LicenceReminder.objects.filter(licence=licence).order_by("sent_at")
    assert [r.days_before for r in reminders] == [90, 30, 7]
    assert reminders[0].recipients == operators


def test_the_reminder_says_when_and_what_to_do(
    licence_in: Callable[..., Licence], operators: list[str]
) -> None:
    licence_in(LicenceStatus.ACTIVE, valid_from=_days(-300), valid_to=_days(7))
    licences_run_daily(today=DAY)
    english = next(m for m in mail.outbox if m.to == ["ben@lpk.id"])
    assert english.subject == "Licence KEP.77/LN/2025 expires in 7 days"
    assert "valid until 9 March 2026, 7 days from now" in english.body
    assert "request a renewal" in english.body


def test_a_renewed_licence_is_reminded_again_before_its_new_end(
    licence_in: Callable[..., Licence], operators: list[str]
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE, valid_from=_days(-300), valid_to=_days(7))
    licences_run_daily(today=DAY)
    Licence.objects.filter(pk=licence.pk).update(valid_to=_days(7 + 365))
    licences_run_daily(today=_days(7 + 365 - 90))
    assert LicenceReminder.objects.filter(licence=licence).count() == 2


def test_no_reminder_without_anyone_to_tell_still_records_the_threshold(
    licence_in: Callable[..., Licence],
) -> None:
    licence_in(LicenceStatus.ACTIVE, valid_from=_days(-300), valid_to=_days(20))
    licences_run_daily(today=DAY)
    assert mail.outbox == []
    assert LicenceReminder.objects.get().recipients == []


def test_the_task_takes_an_iso_date_and_returns_its_report(
    licence_in: Callable[..., Licence],
) -> None:
    licence_in(LicenceStatus.ACTIVE, valid_from=_days(-365), valid_to=_days(-1))
    result = expire_licences.enqueue(today=DAY.isoformat())
    assert result.return_value == {
        "activated": [],
        "expired": ["KEP.77/LN/2025"],
        "reminded": [],
        "failed": [],
    }


def test_the_command_runs_the_daily_run_and_prints_the_report(
    licence_in: Callable[..., Licence],
) -> None:
    licence_in(LicenceStatus.ACTIVE, valid_from=_days(-365), valid_to=_days(-1))
    out = StringIO()
    call_command("licences", "run-daily", "--date", DAY.isoformat(), stdout=out)
    assert json.loads(out.getvalue())["expired"] == ["KEP.77/LN/2025"]


def test_the_command_can_enqueue_the_run_instead(licence_in: Callable[..., Licence]) -> None:
    licence_in(LicenceStatus.ACTIVE, valid_from=_days(-365), valid_to=_days(-1))
    out = StringIO()
    call_command("licences", "run-daily", "--enqueue", "--date", DAY.isoformat(), stdout=out)
    assert out.getvalue().startswith("enqueued ")
    # The test settings run tasks immediately, so the run has happened.
    assert Licence.objects.get().status == LicenceStatus.EXPIRED


def test_the_command_refuses_a_malformed_date(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date must be YYYY-MM-DD"):
        call_command("licences", "run-daily", "--date", "02/03/2026")
