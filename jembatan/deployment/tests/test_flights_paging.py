"""The flights page goes back in time by pages of whole days: no flight is lost or split."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.demand.factories import JobOrderFactory
from jembatan.deployment.factories import deployment_for
from jembatan.deployment.models import PreDepartureStep, StepKind
from jembatan.deployment.selectors import flights_visible_to
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D1, D2, D3 = (TODAY - dt.timedelta(days=n) for n in (30, 20, 10))


@pytest.fixture
def fly(lpk_a: Organisation) -> Callable[[str, dt.date], None]:
    """Record a flight ``reference`` on ``day`` for a new person's departure."""

    def record(reference: str, day: dt.date) -> None:
        person = ParticipantFactory(sending_organisation=lpk_a)
        deployment = deployment_for(person, job_order=JobOrderFactory(approved=True))
        PreDepartureStep.objects.create(
            deployment=deployment,
            kind=StepKind.FLIGHT,
            reference=reference,
            done_on=day,
            confirmed_at=timezone.now(),
        )

    return record


def _codes(flights) -> list[str]:
    return [f"{f.number}@{(TODAY - f.day).days}" for f in flights]


def test_a_page_ends_at_a_days_end_and_the_next_starts_with_that_day(
    national_officer: User, fly
) -> None:
    for reference, day in [("GA1", D1), ("GA2", D1), ("JL1", D2), ("JL2", D2), ("NH1", D3)]:
        fly(reference, day)

    first, next_day = flights_visible_to(national_officer, size=3)
    assert _codes(first) == ["NH1@10", "JL1@20", "JL2@20"]  # D1's flights all go to page 2
    assert next_day == D1
    second, after = flights_visible_to(national_officer, through=next_day, size=3)
    assert _codes(second) == ["GA1@30", "GA2@30"]
    assert after is None


def test_a_day_with_more_flights_than_a_page_is_shown_whole(national_officer: User, fly) -> None:
    for reference in ("GA1", "GA2", "GA3", "GA4"):
        fly(reference, D2)
    fly("JL9", D1)

    first, next_day = flights_visible_to(national_officer, size=3)
    assert _codes(first) == ["GA1@20", "GA2@20", "GA3@20", "GA4@20"]
    assert next_day == D1
    assert _codes(flights_visible_to(national_officer, through=D1, size=3)[0]) == ["JL9@30"]


def test_the_page_links_to_earlier_flights_and_ignores_a_bad_date(
    national_officer: User, client: Client, monkeypatch: pytest.MonkeyPatch, fly
) -> None:
    fly("GA1", D1)
    fly("JL1", D2)
    client.force_login(national_officer)
    whole = client.get(reverse("deployment:flights"))
    assert whole.context["next_day"] is None and "sampai=" not in whole.content.decode()

    monkeypatch.setattr("jembatan.deployment.selectors.FLIGHTS_PER_PAGE", 1)
    page = client.get(reverse("deployment:flights"))
    assert _codes(page.context["flights"]) == ["JL1@20"]
    assert f'href="?sampai={D1.isoformat()}"' in page.content.decode()
    older = client.get(reverse("deployment:flights"), {"sampai": D1.isoformat()})
    assert _codes(older.context["flights"]) == ["GA1@30"]
    bad = client.get(reverse("deployment:flights"), {"sampai": "kemarin"})
    assert _codes(bad.context["flights"]) == ["JL1@20"]  # the first page
