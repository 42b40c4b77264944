"""Every move outside the case table is refused through its service and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.protection.models import (
    Case,
    CaseEvent,
    CaseLevel,
    CaseStatus,
    Outcome,
    Referral,
    ReferralKind,
)
from jembatan.protection.services.escalation import case_escalate
from jembatan.protection.services.handling import (
    case_ask_reporter,
    case_assign,
    case_close,
    case_reopen,
    case_resolve,
    case_start,
    case_triage,
)
from jembatan.protection.services.referrals import referral_answer, referral_create
from jembatan.protection.services.reporting import case_reporter_answer, case_withdraw
from jembatan.protection.workflows import (
    ANONYMOUS_REPORTER,
    CASE_WORKFLOW,
    CaseAction,
)

pytestmark = pytest.mark.django_db
FINISHED = {CaseStatus.CLOSED, CaseStatus.WITHDRAWN}


def _put_in(case: Case, status: str) -> None:
    finished = status in FINISHED or status == CaseStatus.RESOLVED
    Case.objects.filter(pk=case.pk).update(
        status=status,
        outcome=(Outcome.WITHDRAWN if status == CaseStatus.WITHDRAWN else Outcome.PARTLY)
        if finished
        else "",
        action_taken="Talked to the partner." if finished else "",
    )
    case.refresh_from_db()


def _state(case: Case) -> tuple[Any, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.level,
        fresh.owner_id,
        fresh.outcome,
        CaseEvent.objects.count(),
        Referral.objects.filter(answered_at__isnull=False).count(),
        ChangeRecord.objects.count(),
    )


def _answer_referral(case: Case, officer: User) -> None:
    referral = Referral.objects.create(
        case=case,
        kind=ReferralKind.PARTNER,
        recipient="IM Japan",
        request="Check the wages.",
        due_on=timezone.localdate(),
        referred_at=timezone.now(),
    )
    referral_answer(referral=referral, answer="Paid.", acting_user=officer)


ATTEMPTS: dict[CaseAction, Callable[[Case, User], Any]] = {
    CaseAction.TRIAGE: lambda c, o: case_triage(case=c, severity="high", owner=o, acting_user=o),
    CaseAction.START: lambda c, o: case_start(case=c, acting_user=o),
    CaseAction.ASSIGN: lambda c, o: case_assign(case=c, owner=o, acting_user=o),
    CaseAction.ASK_REPORTER: lambda c, o: case_ask_reporter(
        case=c, question="When?", acting_user=o
    ),
    CaseAction.REPORTER_ANSWERS: lambda c, o: case_reporter_answer(
        case=c, message="Since May.", acting_user=ANONYMOUS_REPORTER
    ),
    CaseAction.REFER: lambda c, o: referral_create(
        case=c,
        kind=ReferralKind.EMBASSY,
        mission_country="JP",
        request_text="Visit the dormitory.",
        due_on=timezone.localdate() + dt.timedelta(days=7),
        acting_user=o,
    ),
    CaseAction.ANSWER_REFERRAL: _answer_referral,
    CaseAction.ESCALATE: lambda c, o: case_escalate(case=c, reason="Urgent.", acting_user=o),
    CaseAction.RESOLVE: lambda c, o: case_resolve(
        case=c, outcome=Outcome.SUBSTANTIATED, action_taken="Paid.", acting_user=o
    ),
    CaseAction.CLOSE: lambda c, o: case_close(
        case=c, outcome=Outcome.PARTLY, action_taken="Paid.", acting_user=o
    ),
    CaseAction.REOPEN: lambda c, o: case_reopen(case=c, reason="Not paid.", acting_user=o),
    CaseAction.WITHDRAW: lambda c, o: case_withdraw(case=c, reason="Settled.", acting_user=o),
}


def test_every_action_has_an_attempt() -> None:
    assert set(ATTEMPTS) == set(CaseAction)


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(CASE_WORKFLOW)))
def test_a_move_outside_the_table_is_refused_and_changes_nothing(
    status: str, action: CaseAction, case: Case, national_admin: User
) -> None:
    Case.objects.filter(pk=case.pk).update(level=CaseLevel.DIRECTOR, owner=national_admin)
    _put_in(case, status)
    before = _state(case)

    with pytest.raises(TransitionRefused):
        ATTEMPTS[action](case, national_admin)

    assert _state(case) == before


def test_every_status_has_a_way_out_or_is_final() -> None:
    for status in CaseStatus:
        if status == CaseStatus.WITHDRAWN:
            continue
        assert CASE_WORKFLOW.targets(status), status


def test_the_auditor_may_take_no_action() -> None:
    from jembatan.core.roles import Role

    assert all(Role.AUDITOR not in t.actors for t in CASE_WORKFLOW.transitions.values())
