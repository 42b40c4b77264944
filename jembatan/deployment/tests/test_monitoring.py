"""Monitoring abroad: reports and check-ins, what is overdue, alerts raised then escalated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.factories import abroad, deployment_for, make_ready
from jembatan.deployment.models import (
    AlertStatus,
    Deployment,
    MonitoringAlert,
    MonitoringReport,
    Wellbeing,
)
from jembatan.deployment.months import add_months
from jembatan.deployment.overdue import overdue_reports
from jembatan.deployment.services.monitoring import (
    ReportAnswers,
    monitoring_run_daily,
    report_submit,
)
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def arrived(ready: Deployment) -> Deployment:
    """Siti arrived 40 days ago: the first monthly reports are overdue by about ten days."""
    return abroad(
        ready,
        departed_on=TODAY - dt.timedelta(days=41),
        arrived_on=TODAY - dt.timedelta(days=40),
    )


def _well(**extra: object) -> ReportAnswers:
    return ReportAnswers(wellbeing=Wellbeing.WELL, paid_in_full=True, housing_safe=True, **extra)  # type: ignore[arg-type]


def test_reports_due_at_the_end_of_their_first_period_are_overdue(arrived: Deployment) -> None:
    rows = overdue_reports(today=TODAY)

    first_month = add_months(arrived.arrived_on, 1)  # type: ignore[arg-type]
    assert sorted((r.kind, r.due_on, r.days, r.alert) for r in rows) == [
        ("check_in", first_month, (TODAY - first_month).days, ""),
        ("sender", first_month, (TODAY - first_month).days, ""),
    ]  # the partner's quarterly report is not due yet


def test_a_report_covers_its_period_and_the_next_is_due_a_period_later(
    arrived: Deployment, sender_operator: User
) -> None:
    report = report_submit(
        deployment=arrived, kind="sender", answers=_well(), acting_user=sender_operator
    )

    assert report.period == 2  # handed in during the second month: it covers it
    assert report.covers_until == add_months(arrived.arrived_on, 2)  # type: ignore[arg-type]
    assert [r.kind for r in overdue_reports(today=TODAY)] == ["check_in"]


def test_the_overdue_list_is_scoped_to_who_asks(
    arrived: Deployment, sender_operator: User, other_sender_operator: User, partner_user: User
) -> None:
    assert len(overdue_reports(today=TODAY, user=sender_operator)) == 2
    assert len(overdue_reports(today=TODAY, user=partner_user)) == 2
    assert overdue_reports(today=TODAY, user=other_sender_operator) == []


def test_a_partner_may_not_hand_in_the_sending_organisations_report(
    arrived: Deployment, partner_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        report_submit(deployment=arrived, kind="sender", answers=_well(), acting_user=partner_user)

    assert not MonitoringReport.objects.exists()


def test_reports_are_handed_in_only_while_abroad(ready: Deployment, sender_operator: User) -> None:
    with pytest.raises(ValidationError) as refused:
        report_submit(deployment=ready, kind="sender", answers=_well(), acting_user=sender_operator)

    assert refused.value.code == DeploymentErrorCode.NOT_ABROAD


def test_a_check_in_saying_something_is_wrong_tells_the_sending_organisation(
    arrived: Deployment,
    participant_user: User,
    sender_operator: User,
    django_capture_on_commit_callbacks,
) -> None:
    sender_operator.email = "sari@lpk-a.example"
    sender_operator.save()

    with django_capture_on_commit_callbacks(execute=True):
        report_submit(
            deployment=arrived,
            kind="check_in",
            answers=ReportAnswers(wellbeing=Wellbeing.WRONG, note="仕事がつらい", language="ja"),
            acting_user=participant_user,
        )

    assert [m.to for m in mail.outbox] == [["sari@lpk-a.example"]]
    # The organisation reads Indonesian (its address has no preferred language of its own).
    assert mail.outbox[0].subject == f"Siti Rahayu menyampaikan ada masalah ({arrived.reference})"


def test_the_daily_run_raises_alerts_once_and_tells_the_sending_organisation(
    arrived: Deployment, lpk_a: Organisation, django_capture_on_commit_callbacks
) -> None:
    Organisation.objects.filter(pk=lpk_a.pk).update(email="info@lpk-a.example")

    with django_capture_on_commit_callbacks(execute=True):
        first = monitoring_run_daily(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = monitoring_run_daily(today=TODAY)

    assert (first.overdue, first.raised, first.escalated) == (2, 2, 0)
    assert (second.overdue, second.raised, second.escalated) == (2, 0, 0)
    assert [m.to for m in mail.outbox] == [["info@lpk-a.example"]]
    assert "Laporan lembaga pengirim" in mail.outbox[0].body  # in the organisation's Indonesian
    alerts = MonitoringAlert.objects.filter(deployment=arrived)
    assert sorted(alerts.values_list("kind", "status")) == [
        ("check_in", "raised"),
        ("sender", "raised"),
    ]
    assert alerts.first().notified == ["info@lpk-a.example"]  # type: ignore[union-attr]


def test_an_alert_still_open_after_the_grace_period_is_escalated_to_the_ministry(
    ready: Deployment, django_capture_on_commit_callbacks
) -> None:
    due = TODAY - dt.timedelta(days=20)
    arrival = add_months(due, -1)  # the first reports were due 20 days ago
    abroad(ready, departed_on=arrival, arrived_on=arrival)
    UserFactory(role=Role.NATIONAL_OFFICER, email="oki@kemnaker.example")
    raised = monitoring_run_daily(today=TODAY - dt.timedelta(days=15))  # overdue since 5 days
    week_ago = monitoring_run_daily(today=TODAY - dt.timedelta(days=7))  # told 8 days before
    assert (raised.raised, raised.escalated, week_ago.escalated) == (2, 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        run = monitoring_run_daily(today=TODAY)  # told 15 days ago: past the 14 days of grace

    assert run.escalated == 2
    assert set(MonitoringAlert.objects.values_list("status", flat=True)) == {"escalated"}
    assert [m.to for m in mail.outbox] == [["oki@kemnaker.example"]]
    assert "masih terlambat setelah masa tenggang" in mail.outbox[0].subject  # Indonesian


def test_a_report_resolves_the_alert_it_answers(arrived: Deployment, sender_operator: User) -> None:
    monitoring_run_daily(today=TODAY)

    report_submit(deployment=arrived, kind="sender", answers=_well(), acting_user=sender_operator)

    statuses = dict(MonitoringAlert.objects.values_list("kind", "status"))
    assert statuses == {"sender": AlertStatus.RESOLVED, "check_in": AlertStatus.RAISED}
    assert [r.alert for r in overdue_reports(today=TODAY)] == ["raised"]


def _people_abroad(n: int, lpk: Organisation, partner: Organisation) -> None:
    for _ in range(n):
        person = ParticipantFactory(sending_organisation=lpk, partner=partner)
        abroad(
            make_ready(deployment_for(person)),
            departed_on=TODAY - dt.timedelta(days=100),
            arrived_on=TODAY - dt.timedelta(days=99),
        )


def test_the_overdue_report_takes_the_same_queries_for_3_or_30_people(
    fee_rule: object, lpk_a: Organisation, im_japan: Organisation
) -> None:
    _people_abroad(3, lpk_a, im_japan)
    with CaptureQueriesContext(connection) as few:
        small = overdue_reports(today=TODAY)
    _people_abroad(27, lpk_a, im_japan)
    with CaptureQueriesContext(connection) as many:
        large = overdue_reports(today=TODAY)

    assert (len(small), len(large)) == (9, 90)  # three reports each (three months in)
    assert len(few.captured_queries) == len(many.captured_queries) == 3


def test_the_overdue_report_for_a_provincial_officer_stays_at_three_queries(
    arrived: Deployment, provincial_officer: User
) -> None:
    with CaptureQueriesContext(connection) as queries:
        rows = overdue_reports(today=TODAY, user=provincial_officer)

    assert len(rows) == 2
    assert len(queries.captured_queries) == 3
