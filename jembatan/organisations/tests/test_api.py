"""The organisations API: the public register and officers' licence decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.organisations.models import Licence, LicenceDecision, LicenceStatus
from jembatan.organisations.services import licence_sanctions

pytestmark = pytest.mark.django_db


def _client(user: User | None = None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def test_the_register_is_public_and_shows_published_sanctions_only(
    licence_in: Callable[..., Licence],
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_warn(
        licence=licence, reason="Published warning.", acting_user=officer, published=True
    )
    licence_sanctions.licence_warn(licence=licence, reason="Private note.", acting_user=officer)
    body = _client().get("/api/v1/register", {"q": "KEP.77"}).json()
    (entry,) = body["items"]
    assert (entry["name"], entry["status"], entry["status_label"], entry["may_send"]) == (
        "LPK Harapan Bangsa",
        "active",
        "Licensed",
        True,
    )
    assert [s["reason_summary"] for s in entry["sanctions"]] == ["Published warning."]
    assert body["next_cursor"] is None


def test_an_officer_grants_through_the_api(licence_in: Callable[..., Licence]) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    today = timezone.localdate()
    response = _client(officer).post(
        f"/api/v1/licences/{licence.pk}/decisions",
        {
            "action": "grant",
            "reason": "Requirements met.",
            "number": "KEP.31/LN/2026",
            "valid_from": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=365)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["number"]) == ("active", "KEP.31/LN/2026")


def test_a_refused_transition_answers_409_and_changes_nothing(
    licence_in: Callable[..., Licence],
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.DRAFT)
    response = _client(officer).post(
        f"/api/v1/licences/{licence.pk}/decisions",
        {"action": "reject", "reason": "Incomplete."},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "Cannot reject the application" in response.json()["detail"]
    assert LicenceDecision.objects.count() == 0


def test_a_decision_without_a_reason_answers_400(licence_in: Callable[..., Licence]) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    response = _client(officer).post(
        f"/api/v1/licences/{licence.pk}/decisions",
        {"action": "warn", "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Give the reason for this decision."


@pytest.mark.parametrize("role", [Role.SENDER_OPERATOR, Role.AUDITOR, Role.PROVINCIAL_OFFICER])
def test_only_national_staff_may_decide_through_the_api(
    role: Role, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    response = _client(UserFactory(role=role)).post(
        f"/api/v1/licences/{licence.pk}/decisions",
        {"action": "warn", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert LicenceDecision.objects.count() == 0
