"""Escalation runs by itself: deadlines passed move a case up, once per deadline, none skipped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jembatan.accounts.factories import UserFactory
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.protection.deadlines import deadline_for
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.factories import case_row
from jembatan.protection.models import Case, CaseEvent, CaseLevel, CaseStatus, EventKind
from jembatan.protection.services.escalation import case_escalate, escalate_overdue
from jembatan.protection.services.handling import case_close, case_triage

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def test_a_case_escalates_twice_on_deadlines_then_stays_with_the_director(
    case, provincial_officer, national_officer, national_admin, django_capture_on_commit_callbacks
):
    row = deadline_for(case.category, case.severity)
    first = case.first_response_due + HOUR

    with django_capture_on_commit_callbacks(execute=True):
        run = escalate_overdue(now=first)
    case.refresh_from_db()

    assert run.escalated == 1 and run.codes == [case.code]
    assert case.level == CaseLevel.NATIONAL and case.owner == national_officer
    assert case.first_response_due == first + dt.timedelta(hours=row.first_response_hours)
    assert case.escalations == 1
    assert [m.to for m in mail.outbox] == [[national_officer.email]]
    assert case.code in mail.outbox[0].body and "friend@example.org" not in mail.outbox[0].body

    second = case.first_response_due + HOUR
    escalate_overdue(now=second)
    case.refresh_from_db()

    assert case.level == CaseLevel.DIRECTOR and case.owner == national_admin
    assert case.escalations == 2
    lines = case.events.filter(kind=EventKind.ESCALATED).order_by("at")
    assert [(e.from_level, e.to_level) for e in lines] == [
        (CaseLevel.PROVINCIAL, CaseLevel.NATIONAL),
        (CaseLevel.NATIONAL, CaseLevel.DIRECTOR),
    ]
    assert all(e.by_label == "system:scheduler" for e in lines)

    assert escalate_overdue(now=second + dt.timedelta(days=400)).escalated == 0
    case.refresh_from_db()
    assert case.escalations == 2 and case.is_overdue(second + dt.timedelta(days=400))


def test_running_twice_escalates_nothing_the_second_time(case):
    moment = case.first_response_due + HOUR

    escalate_overdue(now=moment)
    events, changes = CaseEvent.objects.count(), ChangeRecord.objects.count()
    again = escalate_overdue(now=moment)

    assert again.escalated == 0
    assert CaseEvent.objects.count() == events and ChangeRecord.objects.count() == changes
    case.refresh_from_db()
    assert case.escalations == 1


def test_cases_whose_deadline_passed_while_the_worker_was_down_are_all_escalated_once(
    provincial_officer, national_officer, jateng
):
    down_since = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
    cases = [
        case_row(reported_at=down_since + dt.timedelta(hours=i), province_id=jateng.code)
        for i in range(30)
    ]
    Case.objects.bulk_create(cases)
    back = down_since + dt.timedelta(days=45)  # past every case's resolution deadline (30 days)

    run = escalate_overdue(now=back)
    again = escalate_overdue(now=back + HOUR)

    assert run.escalated == 30 and again.escalated == 0
    levels = set(Case.objects.values_list("level", "escalations"))
    assert levels == {(CaseLevel.NATIONAL, 1)}
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATED).count() == 30


def test_a_case_not_yet_due_is_left_where_it_is(case):
    run = escalate_overdue(now=case.first_response_due - HOUR)

    case.refresh_from_db()
    assert run.escalated == 0 and case.level == CaseLevel.PROVINCIAL


def test_a_triaged_case_escalates_on_its_resolution_deadline_not_the_first_response(
    case, provincial_officer, national_officer
):
    case_triage(case=case, severity="low", owner=provincial_officer, acting_user=provincial_officer)
    case.refresh_from_db()

    assert escalate_overdue(now=case.first_response_due + HOUR).escalated == 0
    assert escalate_overdue(now=case.resolution_due + HOUR).escalated == 1
    case.refresh_from_db()
    row = deadline_for(case.category, case.severity)
    assert case.level == CaseLevel.NATIONAL
    assert case.resolution_due > case.escalated_at
    assert case.resolution_due - case.escalated_at == dt.timedelta(days=row.escalated_days)


def test_closed_and_withdrawn_cases_never_escalate(case, provincial_officer):
    case_triage(case=case, severity="low", owner=provincial_officer, acting_user=provincial_officer)
    case_close(
        case=case,
        outcome="not_substantiated",
        action_taken="Checked the payslips with the partner.",
        acting_user=provincial_officer,
    )
    case.refresh_from_db()

    assert escalate_overdue(now=case.resolution_due + dt.timedelta(days=999)).escalated == 0


def test_escalations_spread_over_the_pool_by_open_cases(jateng, national_officer):
    second = UserFactory(username="nina", role=Role.NATIONAL_OFFICER)
    at = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    Case.objects.bulk_create([case_row(reported_at=at) for _ in range(4)])  # national level

    # National cases of no province: the run moves them to the director; none in the pool.
    assert escalate_overdue(now=at + dt.timedelta(days=100)).escalated == 4
    assert set(Case.objects.values_list("owner", flat=True)) == {None}

    Case.objects.bulk_create([case_row(reported_at=at, province_id=jateng.code) for _ in range(4)])
    escalate_overdue(now=at + dt.timedelta(days=100))
    owners = list(Case.objects.filter(level=CaseLevel.NATIONAL).values_list("owner", flat=True))
    assert sorted(owners) == sorted([national_officer.pk] * 2 + [second.pk] * 2)


def test_the_run_uses_a_fixed_number_of_queries_whatever_the_number_of_cases(
    jateng, national_officer
):
    at = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)

    def queries(n: int) -> int:
        Case.objects.bulk_create(
            [case_row(reported_at=at, province_id=jateng.code) for _ in range(n)]
        )
        with CaptureQueriesContext(connection) as captured:
            escalate_overdue(now=at + dt.timedelta(days=100))
        return len(captured)

    assert queries(3) == queries(40)


def test_an_officer_escalates_by_hand_with_a_reason(case, provincial_officer, national_officer):
    escalated = case_escalate(case=case, reason="Police involved.", acting_user=provincial_officer)

    assert escalated.level == CaseLevel.NATIONAL and escalated.owner == national_officer
    assert escalated.events.last().message == "Police involved."


def test_escalating_past_the_director_is_refused_and_changes_nothing(case, national_admin):
    Case.objects.filter(pk=case.pk).update(level=CaseLevel.DIRECTOR, owner=national_admin)
    case.refresh_from_db()
    events = CaseEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        case_escalate(case=case, reason="Again", acting_user=national_admin)

    assert refused.value.code == ProtectionErrorCode.AT_TOP_LEVEL
    assert CaseEvent.objects.count() == events
    case.refresh_from_db()
    assert case.level == CaseLevel.DIRECTOR


def test_an_officer_of_another_province_cannot_escalate_the_case(case, other_provincial_officer):
    with pytest.raises(PermissionDenied):
        case_escalate(case=case, reason="x", acting_user=other_provincial_officer)

    case.refresh_from_db()
    assert case.level == CaseLevel.PROVINCIAL and case.status == CaseStatus.REPORTED
