"""``jembatan protection``: the escalation run from the command line, and the overdue list."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from jembatan.protection.models import CaseLevel

pytestmark = pytest.mark.django_db


def test_escalate_moves_the_overdue_case_and_a_second_run_moves_nothing(case, national_officer):
    moment = (case.first_response_due + dt.timedelta(hours=1)).isoformat()
    first, second = io.StringIO(), io.StringIO()

    call_command("protection", "escalate", "--now", moment, stdout=first)
    call_command("protection", "run-daily", "--now", moment, stdout=second)

    assert json.loads(first.getvalue())["cases"] == [case.code]
    assert json.loads(second.getvalue())["escalated"] == 0
    case.refresh_from_db()
    assert case.level == CaseLevel.NATIONAL


def test_overdue_lists_codes_levels_and_owners_never_the_reporter(case):
    out = io.StringIO()

    call_command(
        "protection",
        "overdue",
        "--now",
        (case.resolution_due + dt.timedelta(days=1)).isoformat(),
        stdout=out,
    )

    assert case.code in out.getvalue() and "putri" in out.getvalue()
    assert "friend@example.org" not in out.getvalue()


def test_a_malformed_moment_is_refused():
    with pytest.raises(CommandError):
        call_command("protection", "escalate", "--now", "tomorrow")
