"""``jembatan seed``: protection cases in every state, escalated and referred ones among them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from jembatan.demo import cast
from jembatan.demo.protection import DEMO_SECRET
from jembatan.protection.models import Case, CaseLevel, CaseStatus, Outcome, ReporterKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeding is for development databases; the tests play one."""
    settings.DEBUG = True
    monkeypatch.delenv(cast.PASSWORD_ENV, raising=False)


def test_the_demo_has_cases_in_every_state_escalated_referred_and_closed_with_each_outcome() -> (
    None
):
    call_command("seed", "--participants", "600", stdout=io.StringIO(), stderr=io.StringIO())

    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert {CaseLevel.NATIONAL, CaseLevel.DIRECTOR} <= set(
        Case.objects.values_list("level", flat=True)
    )
    closed = set(Case.objects.filter(status=CaseStatus.CLOSED).values_list("outcome", flat=True))
    assert closed == {Outcome.SUBSTANTIATED, Outcome.PARTLY, Outcome.NOT_SUBSTANTIATED}
    referred = Case.objects.get(status=CaseStatus.REFERRED)
    assert all(r.is_overdue() for r in referred.referrals.all()) and referred.referrals.exists()
    anonymous = Case.objects.get(reporter_kind=ReporterKind.ANONYMOUS)
    assert anonymous.secret_matches(DEMO_SECRET)
    count = Case.objects.count()

    call_command("seed", "--participants", "600", stdout=io.StringIO(), stderr=io.StringIO())
    assert Case.objects.count() == count
