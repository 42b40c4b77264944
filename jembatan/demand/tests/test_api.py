"""The demand API: the public list, posting a job order, and the ministry's approval."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from jembatan.accounts.models import User
from jembatan.demand.factories import JobOrderFactory, titp_occupation
from jembatan.demand.models import FeeRule, JobOrder, JobOrderStatus
from jembatan.organisations.models import Organisation

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


def _payload(**overrides: Any) -> dict[str, Any]:
    body = {
        "country": "JP",
        "scheme": "titp",
        "occupation_id": titp_occupation().pk,
        "title": "Greenhouse worker",
        "slots": 4,
        "work_prefecture": "Ibaraki",
        "contract_months": 36,
        "wage_amount": "200000",
        "wage_currency": "JPY",
        "language_test": "jft_basic",
        "language_min_score": 200,
        "costs": [
            {
                "kind": "training",
                "description": "Pre-departure training",
                "amount": "6000000",
                "currency": "IDR",
                "paid_to": "LPK A",
            }
        ],
        "training_provinces": ["33"],
    }
    return body | overrides


def test_anyone_reads_the_public_list_without_personal_data() -> None:
    visible = JobOrderFactory(approved=True, title="Open farm")
    JobOrderFactory(title="Draft farm")
    body = Client().get("/api/v1/job-orders").json()
    assert [(o["id"], o["title"], o["slots_open"]) for o in body["items"]] == [
        (visible.pk, "Open farm", 10)
    ]
    assert body["next_cursor"] is None
    assert "created_by" not in body["items"][0]


def test_the_public_list_filters_by_country() -> None:
    JobOrderFactory(approved=True, title="Open farm")
    assert Client().get("/api/v1/job-orders", {"country": "kr"}).json()["items"] == []


def test_a_partner_posts_and_submits_a_job_order(
    partner_user: User, client_for: ClientFor, fee_rule: FeeRule, im_japan: Organisation
) -> None:
    response = client_for(partner_user).post(
        "/api/v1/job-orders", _payload(submit=True), content_type="application/json"
    )
    assert response.status_code == 201
    job_order = JobOrder.objects.get()
    assert response.json() == {
        "id": job_order.pk,
        "reference": job_order.reference,
        "status": "submitted",
        "partner_id": im_japan.pk,
    }


def test_a_refused_cost_answers_400_and_writes_nothing(
    partner_user: User, client_for: ClientFor, fee_rule: FeeRule
) -> None:
    cost = {
        "kind": "placement_fee",
        "description": "Agency fee",
        "amount": "1",
        "currency": "IDR",
        "paid_to": "Agency",
    }
    response = client_for(partner_user).post(
        "/api/v1/job-orders", _payload(costs=[cost]), content_type="application/json"
    )
    assert response.status_code == 400
    assert "“Agency fee” (Placement fee) may not be charged" in response.json()["detail"]
    assert JobOrder.objects.count() == 0


def test_a_national_officer_must_name_the_partner(
    national_officer: User, client_for: ClientFor, fee_rule: FeeRule, im_japan: Organisation
) -> None:
    client = client_for(national_officer)
    missing = client.post("/api/v1/job-orders", _payload(), content_type="application/json")
    assert missing.status_code == 400
    named = client.post(
        "/api/v1/job-orders", _payload(partner_id=im_japan.pk), content_type="application/json"
    )
    assert named.status_code == 201


def test_a_sender_operator_may_not_post(sender_operator: User, client_for: ClientFor) -> None:
    response = client_for(sender_operator).post(
        "/api/v1/job-orders", _payload(), content_type="application/json"
    )
    assert response.status_code == 403
    assert JobOrder.objects.count() == 0


def test_approval_through_the_api_and_a_second_approval_is_a_conflict(
    national_officer: User, client_for: ClientFor
) -> None:
    job_order = JobOrderFactory(status=JobOrderStatus.SUBMITTED)
    client = client_for(national_officer)
    url = f"/api/v1/job-orders/{job_order.pk}/approve"
    assert client.post(url).json()["status"] == "approved"
    again = client.post(url)
    assert again.status_code == 409
    assert "already been approved" in again.json()["detail"]


def test_a_partner_may_not_approve_through_the_api(
    partner_user: User, client_for: ClientFor, im_japan: Organisation
) -> None:
    job_order = JobOrderFactory(partner=im_japan, status=JobOrderStatus.SUBMITTED)
    response = client_for(partner_user).post(f"/api/v1/job-orders/{job_order.pk}/approve")
    assert response.status_code == 403
    job_order.refresh_from_db()
    assert job_order.status == "submitted"
