"""The licence risk view: exact figures on a small world, scope, decisions citing cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.deployment.factories import abroad, deployment_for
from jembatan.deployment.models import Deployment, DeploymentStatus
from jembatan.deployment.overdue import overdue_reports
from jembatan.organisations.models import LicenceDecision, Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.protection.factories import make_case
from jembatan.protection.models import Case, CaseCategory, CaseStatus, Outcome, SanctionCase
from jembatan.protection.risk import Figures, Quarter, last_quarters, per_hundred, ranked
from jembatan.protection.risk_selectors import risk_figures, risk_ranking

pytestmark = pytest.mark.django_db


# --- the arithmetic ---------------------------------------------------------------------


def test_rates_are_per_hundred_abroad_to_two_places_and_none_without_anyone_abroad() -> None:
    assert per_hundred(1, 3) == Decimal("33.33")
    assert per_hundred(2, 3) == Decimal("66.67")
    assert per_hundred(5, 0) is None


def test_the_score_weighs_what_was_found_above_what_is_alleged() -> None:
    alleged = Figures(1, "A", abroad=10, open_by_category={"violence": 3})
    found = Figures(2, "B", abroad=10, substantiated_by_category={"violence": 1})
    quiet = Figures(3, "C", abroad=10)

    assert alleged.score == Decimal("30.00")  # 3 open × 1 × 100 / 10
    assert found.score == Decimal("30.00")  # 1 substantiated × 3 × 100 / 10
    assert Figures(4, "D", abroad=0, overdue_reports=1).score == Decimal("50.00")
    assert [f.name for f in ranked([quiet, alleged, found])] == ["A", "B"]


def test_the_trend_covers_the_last_four_quarters_oldest_first() -> None:
    quarters = last_quarters(dt.date(2026, 2, 10))

    assert [q.label for q in quarters] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert Quarter(2026, 1).end == dt.date(2026, 3, 31)
    assert Quarter(2025, 4).end == dt.date(2025, 12, 31)


# --- the figures of a small world ---------------------------------------------------------


@pytest.fixture
def world(siti_abroad: Deployment, lpk_a: Organisation, lpk_b: Organisation, im_japan) -> dict:
    """LPK A: Siti and three others abroad, one returned early; five cases. LPK B: one case."""
    today = timezone.localdate()
    for _ in range(3):
        person = ParticipantFactory(sending_organisation=lpk_a, partner=im_japan)
        abroad(deployment_for(person), departed_on=today - dt.timedelta(days=2), arrived_on=today)
    home = deployment_for(ParticipantFactory(sending_organisation=lpk_a, partner=im_japan))
    Deployment.objects.filter(pk=home.pk).update(
        status=DeploymentStatus.RETURNED_EARLY,
        departed_on=today - dt.timedelta(days=100),
        ended_on=today - dt.timedelta(days=10),
    )
    make_case(sending_organisation=lpk_a, category=CaseCategory.UNPAID_WAGES)
    make_case(sending_organisation=lpk_a, category=CaseCategory.UNPAID_WAGES)
    make_case(sending_organisation=lpk_a, category=CaseCategory.VIOLENCE)
    found = make_case(
        sending_organisation=lpk_a,
        category=CaseCategory.HOUSING,
        status=CaseStatus.CLOSED,
        outcome=Outcome.SUBSTANTIATED,
    )
    make_case(
        sending_organisation=lpk_a,
        category=CaseCategory.HEALTH,
        status=CaseStatus.CLOSED,
        outcome=Outcome.NOT_SUBSTANTIATED,
    )
    make_case(sending_organisation=lpk_b, category=CaseCategory.OTHER)
    overdue = sum(1 for o in overdue_reports(today=today) if o.sending_organisation_id == lpk_a.pk)
    return {"today": today, "found": found, "overdue": overdue}


def test_an_organisations_figures_count_exactly_what_happened(world: dict, lpk_a) -> None:
    figures = risk_figures([lpk_a], today=world["today"])[0]

    assert figures.abroad == 4
    assert figures.open_by_category == {"unpaid_wages": 2, "violence": 1}
    assert figures.substantiated_by_category == {"housing": 1}
    assert figures.early_returns == 1
    assert (
        figures.overdue_reports == world["overdue"] == 2
    )  # Siti's first monthly reports (LPK, partner)
    assert figures.open_rate == Decimal("75.00")
    assert figures.substantiated_rate == Decimal("25.00")
    assert figures.early_return_rate == Decimal("25.00")
    assert figures.overdue_rate == Decimal("50.00")
    # (3 open × 1 + 1 found × 3 + 1 early × 2 + 2 overdue × 0.5) × 100 / 4
    assert figures.score == Decimal("225.00")
    now = figures.trend[-1]
    assert (now.abroad, now.reported, now.substantiated) == (4, 5, 1)
    assert sum(q.early_returns for q in figures.trend) == 1


def test_a_provincial_officer_ranks_only_the_organisations_of_their_province(
    world: dict, provincial_officer: User, national_officer: User, lpk_a, lpk_b
) -> None:
    national = [f.name for f in risk_ranking(national_officer, today=world["today"])]
    provincial = [f.name for f in risk_ranking(provincial_officer, today=world["today"])]

    assert national == [lpk_a.name, lpk_b.name]
    assert provincial == [lpk_a.name]


def test_the_risk_pages_show_the_figures_and_refuse_an_organisation_out_of_scope(
    world: dict, client: Client, provincial_officer: User, lpk_a, lpk_b
) -> None:
    client.force_login(provincial_officer)

    listed = client.get(reverse("risk:list")).content.decode()
    page = client.get(reverse("risk:detail", kwargs={"pk": lpk_a.pk})).content.decode()

    assert lpk_a.name in listed and lpk_b.name not in listed
    assert "225.00" in page
    assert client.get(reverse("risk:detail", kwargs={"pk": lpk_b.pk})).status_code == 404
    assert 'data-testid="decide-' not in page  # licence decisions are the ministry's


# --- a decision from the risk view ------------------------------------------------------


def _warn(client: Client, organisation: Organisation, cases: list[Case], **extra: object):
    return client.post(
        reverse("risk:decide", kwargs={"pk": organisation.pk, "action": "warn"}),
        {
            "reason": "Wages withheld and a worker's housing unsafe, found by the ministry.",
            "cases": [c.pk for c in cases],
            "published": "on",
            **extra,
        },
    )


def test_a_warning_from_the_risk_view_cites_its_cases_and_its_page_lists_them(
    world: dict, client: Client, national_officer: User, lpk_a
) -> None:
    client.force_login(national_officer)
    found = world["found"]

    response = _warn(client, lpk_a, [found])

    decision = LicenceDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("risk:decision", kwargs={"decision_pk": decision.pk})
    assert decision.kind == "warning" and decision.published
    assert list(SanctionCase.objects.values_list("case_id", flat=True)) == [found.pk]
    assert ChangeRecord.objects.filter(operation="protection.cited_cases_record").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert found.code in page
    assert AccessLog.objects.filter(
        purpose="protection.risk.decision_cases", object_id=str(found.pk)
    ).exists()
    detail = client.get(reverse("risk:detail", kwargs={"pk": lpk_a.pk})).content.decode()
    assert reverse("risk:decision", kwargs={"decision_pk": decision.pk}) in detail


def test_a_decision_without_cases_is_refused_and_changes_nothing(
    world: dict, client: Client, national_officer: User, lpk_a
) -> None:
    client.force_login(national_officer)
    before = ChangeRecord.objects.count()

    response = _warn(client, lpk_a, [])

    assert response.status_code == 400
    assert LicenceDecision.objects.count() == 0
    assert SanctionCase.objects.count() == 0
    assert ChangeRecord.objects.count() == before


def test_the_public_register_shows_the_sanction_and_never_its_cases(
    world: dict, client: Client, national_officer: User, lpk_a
) -> None:
    client.force_login(national_officer)
    found = world["found"]
    _warn(client, lpk_a, [found])
    client.logout()

    page = client.get(reverse("register:detail", kwargs={"pk": lpk_a.pk})).content.decode()

    assert "Wages withheld" in page  # the published warning's reason, as the officer wrote it
    assert found.code not in page
    assert found.description not in page
    assert reverse("risk:decision", kwargs={"decision_pk": 1}).rsplit("/", 2)[0] not in page
