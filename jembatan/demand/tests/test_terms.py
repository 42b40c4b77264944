"""A job order's terms checked where they are entered and again where they are decided.

The walk-through's case: an order paying ¥1 a month with an interview date in the
past reached the ministry's queue and was approved in one click.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.demand import wage_floor
from jembatan.demand.models import JobOrder, JobOrderStatus
from jembatan.demand.selectors import public_job_orders
from jembatan.demand.services.job_orders import job_order_transition
from jembatan.demand.workflows import JobOrderAction

pytestmark = pytest.mark.django_db


def test_one_yen_a_month_is_refused_naming_the_prefecture_and_the_floor(
    post_job_order: Callable[..., JobOrder], partner_user: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, wage_amount=Decimal(1), work_prefecture="Toyama")
    (message,) = refused.value.message_dict["wage_amount"]
    assert message.startswith("The wage ¥1 per month is below the minimum wage of Toyama:")
    assert "¥1,062 per hour × 173.3 hours = ¥184,080" in message
    assert not JobOrder.objects.exists()


def test_the_floor_follows_the_prefecture_the_hours_and_the_period() -> None:
    today = dt.date(2026, 12, 3)
    tokyo = wage_floor.floor_check("13", "month", 40, today)
    assert tokyo is not None
    assert (tokyo.rate.hourly, tokyo.needed) == (1226, 212507)  # 1226 × 40 × 52 / 12
    part_time = wage_floor.floor_check("13", "month", 20, today)
    assert part_time is not None and part_time.needed == 106254
    assert wage_floor.floor_check("13", "hour", 40, today).needed == 1226  # type: ignore[union-attr]
    # Akita's FY2025 rate came into force only on 2026-03-31.
    assert wage_floor.floor_on("05", dt.date(2026, 3, 30)) is None
    assert wage_floor.floor_on("05", dt.date(2026, 3, 31)).hourly == 1031  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "written", ["Aichi", "aichi-ken", "Aichi Prefecture", "愛知県", "愛知", "23"]
)
def test_a_prefecture_is_recognised_however_it_is_written(written: str) -> None:
    assert wage_floor.prefecture_code(written) == "23"


def test_a_place_that_is_not_a_japanese_prefecture_is_refused(
    post_job_order: Callable[..., JobOrder], partner_user: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, work_prefecture="Jawa Tengah")
    assert (
        "“Jawa Tengah” is not a Japanese prefecture"
        in refused.value.message_dict["work_prefecture"][0]
    )


def test_a_wage_in_another_currency_or_a_week_over_40_hours_is_refused_for_japan(
    post_job_order: Callable[..., JobOrder], partner_user: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, wage_currency="USD", weekly_hours=48)
    assert set(refused.value.message_dict) == {"wage_currency", "weekly_hours"}


def test_an_interview_date_in_the_past_is_refused(
    post_job_order: Callable[..., JobOrder], partner_user: User
) -> None:
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, interview_dates=[past])
    assert past in refused.value.message_dict["interview_dates"][0]
    assert not JobOrder.objects.exists()


def test_approval_checks_the_terms_again_when_they_have_gone_stale(
    post_job_order: Callable[..., JobOrder], partner_user: User, national_officer: User
) -> None:
    job_order = post_job_order(partner_user)
    job_order_transition(
        job_order=job_order, action=JobOrderAction.SUBMIT, acting_user=partner_user
    )
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    JobOrder.objects.filter(pk=job_order.pk).update(interview_dates=[yesterday])
    with pytest.raises(ValidationError) as refused:
        job_order_transition(
            job_order=job_order, action=JobOrderAction.APPROVE, acting_user=national_officer
        )
    assert "interview_dates" in refused.value.message_dict
    job_order.refresh_from_db()
    assert (job_order.status, job_order.approved_at) == (JobOrderStatus.SUBMITTED, None)


def _client(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_the_queue_has_no_one_click_approval_and_the_review_page_shows_the_terms(
    post_job_order: Callable[..., JobOrder], partner_user: User, national_officer: User
) -> None:
    job_order = post_job_order(partner_user, work_prefecture="Tokyo", wage_amount=Decimal(215000))
    job_order_transition(
        job_order=job_order, action=JobOrderAction.SUBMIT, acting_user=partner_user
    )
    client = _client(national_officer)
    queue = client.get(reverse("demand:review")).content.decode()
    approve_url = reverse("demand:action", args=[job_order.pk, "approve"])
    assert f'action="{approve_url}"' not in queue  # no form that approves from the list
    assert f'href="{approve_url}"' in queue
    page = client.get(approve_url).content.decode()
    for shown in (
        "¥215,000",  # the wage, in the page's number format
        "40 hours per week",
        "At least the minimum wage of Tokyo: ¥212,507",
        "Pre-departure training",  # a cost the apprentice pays
        "Within the fee rule Japan TITP costs",
        "Every interview date is still ahead.",
    ):
        assert shown in page
    response = client.post(approve_url, {"reason": ""})
    assert response.status_code == 302
    job_order.refresh_from_db()
    assert job_order.status == JobOrderStatus.APPROVED


def test_the_review_page_shows_a_failed_check_and_approval_is_refused_with_it(
    post_job_order: Callable[..., JobOrder], partner_user: User, national_officer: User
) -> None:
    job_order = post_job_order(partner_user)
    job_order_transition(
        job_order=job_order, action=JobOrderAction.SUBMIT, acting_user=partner_user
    )
    JobOrder.objects.filter(pk=job_order.pk).update(wage_amount=Decimal(1))
    client = _client(national_officer)
    approve_url = reverse("demand:action", args=[job_order.pk, "approve"])
    assert "Not met" in client.get(approve_url).content.decode()
    refused = client.post(approve_url, {"reason": ""})
    assert refused.status_code == 200
    assert "is below the minimum wage of Ibaraki" in refused.content.decode()
    job_order.refresh_from_db()
    assert job_order.status == JobOrderStatus.SUBMITTED


def test_an_approved_job_order_is_on_the_public_vacancy_list(
    post_job_order: Callable[..., JobOrder], partner_user: User, national_officer: User
) -> None:
    job_order = post_job_order(partner_user)
    for action, user in (
        (JobOrderAction.SUBMIT, partner_user),
        (JobOrderAction.APPROVE, national_officer),
    ):
        job_order_transition(job_order=job_order, action=action, acting_user=user)
    assert list(public_job_orders().values_list("pk", flat=True)) == [job_order.pk]
    listing = Client().get(reverse("jobs:list")).content.decode()
    assert "Greenhouse worker" in listing


def test_a_job_order_age_window_must_stay_within_its_scheme(
    post_job_order: Callable[..., JobOrder], partner_user: User
) -> None:
    from jembatan.core.models import Country
    from jembatan.demand.factories import titp_occupation

    with pytest.raises(ValidationError) as refused:
        post_job_order(
            partner_user,
            scheme="eps",
            country=Country.objects.get(pk="KR"),
            occupation=titp_occupation(),
            max_age=45,
        )
    messages = refused.value.messages
    assert any("takes people aged 18 to 39" in m for m in messages), messages
