"""The pages: posting, reviewing, targets, and the public list that shows no personal data."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.demand.factories import JobOrderFactory, titp_occupation
from jembatan.demand.models import FeeRule, JobOrder, JobOrderStatus, Target
from jembatan.demand.services.planning import target_set
from jembatan.organisations.models import Organisation

# An interview date still ahead whenever the suite runs.
INTERVIEW = (_dt.date.today() + _dt.timedelta(days=60)).isoformat()

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "country": "JP",
        "scheme": "titp",
        "occupation": titp_occupation().pk,
        "title": "Greenhouse worker",
        "slots": "5",
        "work_prefecture": "Ibaraki",
        "work_city": "Hokota",
        "contract_months": "36",
        "wage_amount": "200000",
        "wage_currency": "JPY",
        "wage_period": "month",
        "weekly_hours": "40",
        "min_age": "19",
        "max_age": "30",
        "min_education": "sma",
        "language_test": "jlpt",
        "language_min_level": "N4",
        "training_provinces": ["33"],
        "required_units_text": "A.010000.001.01\n",
        "interview_dates_text": INTERVIEW,
        "allowance-TOTAL_FORMS": "2",
        "allowance-INITIAL_FORMS": "0",
        "allowance-0-name": "Housing",
        "allowance-0-amount": "20000",
        "allowance-0-currency": "JPY",
        "allowance-0-period": "month",
        "cost-TOTAL_FORMS": "3",
        "cost-INITIAL_FORMS": "0",
        "cost-0-kind": "training",
        "cost-0-description": "Pre-departure training",
        "cost-0-amount": "6000000",
        "cost-0-currency": "IDR",
        "cost-0-paid_to": "LPK A",
    }
    return data | overrides


def test_a_partner_posts_and_submits_a_job_order_through_the_form(
    partner_user: User, client_for: ClientFor, fee_rule: FeeRule, im_japan: Organisation
) -> None:
    response = client_for(partner_user).post(reverse("demand:create"), _form(submit="1"))
    job_order = JobOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("demand:detail", args=[job_order.pk])
    assert (job_order.partner, job_order.status, job_order.slots) == (im_japan, "submitted", 5)
    assert job_order.required_units == ["A.010000.001.01"]
    assert job_order.interview_dates == [INTERVIEW]
    assert [a.name for a in job_order.allowances.all()] == ["Housing"]
    assert [c.paid_to for c in job_order.costs.all()] == ["LPK A"]


def test_the_form_explains_the_sex_requirement_and_refuses_it_without_a_legal_reason(
    partner_user: User, client_for: ClientFor, fee_rule: FeeRule
) -> None:
    client = client_for(partner_user)
    assert "only where the law" in client.get(reverse("demand:create")).content.decode()
    response = client.post(reverse("demand:create"), _form(sex_requirement="M"))
    assert response.status_code == 200
    assert "State the law that requires this sex for the work." in response.content.decode()
    assert JobOrder.objects.count() == 0


def test_the_form_shows_a_fee_rule_violation_and_saves_nothing(
    partner_user: User, client_for: ClientFor, fee_rule: FeeRule
) -> None:
    response = client_for(partner_user).post(
        reverse("demand:create"),
        _form(**{"cost-0-kind": "placement_fee", "cost-0-description": "Agency fee"}),
    )
    assert response.status_code == 200
    assert "“Agency fee” (Placement fee) may not be charged" in response.content.decode()
    assert JobOrder.objects.count() == 0


def test_a_half_filled_cost_row_is_refused(
    partner_user: User, client_for: ClientFor, fee_rule: FeeRule
) -> None:
    response = client_for(partner_user).post(
        reverse("demand:create"), _form(**{"cost-1-description": "Medical"})
    )
    assert "Fill in every column of this row, or none." in response.content.decode()
    assert JobOrder.objects.count() == 0


def test_a_national_officer_approves_from_the_review_queue_with_htmx(
    national_officer: User, client_for: ClientFor
) -> None:
    job_order = JobOrderFactory(status=JobOrderStatus.SUBMITTED)
    client = client_for(national_officer)
    assert job_order.reference in client.get(reverse("demand:review")).content.decode()
    response = client.post(
        reverse("demand:action", args=[job_order.pk, "approve"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-testid="review-status-' in response.content.decode()
    job_order.refresh_from_db()
    assert (job_order.status, job_order.approved_by) == ("approved", national_officer)


def test_returning_without_a_reason_shows_the_error_and_changes_nothing(
    national_officer: User, client_for: ClientFor
) -> None:
    job_order = JobOrderFactory(status=JobOrderStatus.SUBMITTED)
    url = reverse("demand:action", args=[job_order.pk, "return"])
    response = client_for(national_officer).post(url, {"reason": ""})
    assert "Say why: the partner and the record keep it." in response.content.decode()
    job_order.refresh_from_db()
    assert job_order.status == "submitted"


def test_a_partner_is_not_offered_the_approval(
    partner_user: User, client_for: ClientFor, im_japan: Organisation
) -> None:
    job_order = JobOrderFactory(partner=im_japan, status=JobOrderStatus.SUBMITTED)
    client = client_for(partner_user)
    assert client.get(reverse("demand:action", args=[job_order.pk, "approve"])).status_code == 404
    assert client.post(reverse("demand:action", args=[job_order.pk, "approve"])).status_code == 404
    detail = client.get(reverse("demand:detail", args=[job_order.pk])).content.decode()
    assert 'data-testid="action-approve"' not in detail
    assert 'data-testid="action-cancel"' in detail


def test_partners_see_only_their_own_job_orders(
    partner_user: User, client_for: ClientFor, im_japan: Organisation
) -> None:
    mine = JobOrderFactory(partner=im_japan, title="Ours")
    theirs = JobOrderFactory(title="Someone else's")
    client = client_for(partner_user)
    listing = client.get(reverse("demand:list")).content.decode()
    assert "Ours" in listing
    assert "Someone else" not in listing
    assert client.get(reverse("demand:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("demand:detail", args=[theirs.pk])).status_code == 404


def test_officials_at_home_see_approved_job_orders_only(
    sender_operator: User, client_for: ClientFor
) -> None:
    draft = JobOrderFactory()
    approved = JobOrderFactory(approved=True)
    client = client_for(sender_operator)
    assert client.get(reverse("demand:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("demand:detail", args=[approved.pk])).status_code == 200


# --- targets -----------------------------------------------------------------------


def test_national_staff_set_targets_and_see_them_all(
    national_officer: User, client_for: ClientFor, im_japan: Organisation
) -> None:
    client = client_for(national_officer)
    response = client.post(
        reverse("demand:targets"),
        {"year": "2026", "partner": im_japan.pk, "stage": "departed", "number": "10000"},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.year, target.partner, target.number, target.set_by) == (
        2026,
        im_japan,
        10000,
        national_officer,
    )
    page = client.get(reverse("demand:targets")).content.decode()
    assert f'data-testid="target-{target.pk}"' in page


def test_a_partner_sees_its_own_targets_only_and_cannot_set_any(
    partner_user: User, client_for: ClientFor, im_japan: Organisation, national_officer: User
) -> None:
    own = target_set(year=2026, number=10_000, partner=im_japan, acting_user=national_officer)
    national = target_set(year=2026, number=50_000, acting_user=national_officer)
    client = client_for(partner_user)
    page = client.get(reverse("demand:targets")).content.decode()
    assert f'data-testid="target-{own.pk}"' in page
    assert f'data-testid="target-{national.pk}"' not in page
    assert 'name="number"' not in page
    response = client.post(reverse("demand:targets"), {"year": "2026", "number": "1"})
    assert response.status_code == 403
    assert Target.objects.count() == 2


# --- the public list -----------------------------------------------------------------


def _titles(response: Any) -> list[str]:
    return [o.title for o in response.context["page"].items]


def test_the_public_list_shows_approved_job_orders_with_open_slots_and_no_personal_data(
    published: dict[str, JobOrder],
) -> None:
    response = Client().get(reverse("jobs:list"))
    assert _titles(response) == ["Shipyard", "Nursing care", "Greenhouse"]
    content = response.content.decode()
    for secret in ("Hidden Creator", "pembuat", "Ani Rahasia", "Rahasia Peserta"):
        assert secret not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "KR"}, ["Shipyard"]),
        ({"province": "35"}, ["Nursing care"]),
        ({"province": "33", "country": "JP"}, ["Greenhouse"]),
        ({"country": "ZZ"}, []),
    ],
)
def test_the_public_list_filters_by_country_and_province_of_training(
    published: dict[str, JobOrder], query: dict[str, str], expected: list[str]
) -> None:
    assert _titles(Client().get(reverse("jobs:list"), query)) == expected


def test_the_public_list_filters_by_an_occupation_or_its_category(
    published: dict[str, JobOrder],
) -> None:
    occupation = titp_occupation()
    category = occupation.parent.parent  # TITP-S1 agriculture and forestry
    for chosen in (occupation, category):
        response = Client().get(reverse("jobs:list"), {"occupation": chosen.pk})
        assert _titles(response) == ["Greenhouse"]


def test_htmx_asks_the_public_list_for_the_results_only(published: dict[str, JobOrder]) -> None:
    response = Client().get(reverse("jobs:list"), {"country": "JP"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="job-order-results">')
    assert "<html" not in content


def test_the_public_list_pages_by_keyset(published: dict[str, JobOrder]) -> None:
    from jembatan.core.paging import keyset_page
    from jembatan.demand.selectors import public_job_orders

    first = keyset_page(public_job_orders(), after=None, size=2)
    second = keyset_page(public_job_orders(), after=first.next_cursor, size=2)
    assert [o.title for o in first.items] == ["Shipyard", "Nursing care"]
    assert ([o.title for o in second.items], second.next_cursor) == (["Greenhouse"], None)


def test_the_public_page_of_a_job_order_shows_what_it_offers_and_no_personal_data(
    published: dict[str, JobOrder],
) -> None:
    greenhouse = published["greenhouse"]
    response = Client().get(reverse("jobs:detail", args=[greenhouse.pk]))
    content = response.content.decode()
    assert "Greenhouse" in content
    assert "¥200,000" in content
    for secret in ("Hidden Creator", "pembuat", "Ani Rahasia"):
        assert secret not in content


@pytest.mark.parametrize("name", ["draft", "full"])
def test_unpublished_or_full_job_orders_have_no_public_page(
    published: dict[str, JobOrder], name: str
) -> None:
    response = Client().get(reverse("jobs:detail", args=[published[name].pk]))
    assert response.status_code == 404
