"""The deployment API: refused with every gate then allowed, the stay's moves, reports, overdue."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog
from jembatan.deployment.factories import HostCompanyFactory, abroad, make_ready
from jembatan.deployment.models import Deployment, DeploymentStatus, MonitoringReport

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _post(client: Client, url: str, body: dict[str, object]) -> object:
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def test_a_departure_is_refused_with_every_unmet_gate_then_allowed(
    deployment: Deployment, sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(sender_operator)
    url = f"/api/v1/deployments/{deployment.pk}/depart"

    refused = _post(client, url, {})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    detail = refused.json()["detail"]  # type: ignore[attr-defined]
    assert "Identity verified:" in detail and "Flight booked: No flight is recorded." in detail
    assert Deployment.objects.get(pk=deployment.pk).status == DeploymentStatus.PREPARING

    make_ready(deployment)
    allowed = _post(client, url, {})

    assert allowed.status_code == 200  # type: ignore[attr-defined]
    assert allowed.json()["status"] == "departed"  # type: ignore[attr-defined]


def test_the_detail_shows_the_gates_and_logs_the_read(
    deployment: Deployment, national_officer: User, client_for: Callable[[User], Client]
) -> None:
    body = client_for(national_officer).get(f"/api/v1/deployments/{deployment.pk}").json()

    gates = {g["code"]: g["met"] for g in body["gates"]}
    assert gates["licence"] is True and gates["identity"] is False
    assert AccessLog.objects.filter(purpose="api.deployment.detail").count() == 1


def test_another_sending_organisation_gets_404(
    deployment: Deployment, other_sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(other_sender_operator)

    assert client.get(f"/api/v1/deployments/{deployment.pk}").status_code == 404
    assert _post(client, f"/api/v1/deployments/{deployment.pk}/depart", {}).status_code == 404  # type: ignore[attr-defined]


def test_an_arrival_ahead_is_bad_input(
    ready: Deployment, partner_user: User, client_for: Callable[[User], Client]
) -> None:
    abroad(ready, departed_on=TODAY)
    ahead = TODAY + dt.timedelta(days=1)

    response = _post(
        client_for(partner_user), f"/api/v1/deployments/{ready.pk}/arrive", {"arrived_on": ahead}
    )

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "cannot be in the future" in response.json()["detail"]  # type: ignore[attr-defined]


def test_a_transfer_then_an_early_return_then_a_move_the_table_refuses(
    ready: Deployment, partner_user: User, client_for: Callable[[User], Client]
) -> None:
    abroad(ready, departed_on=TODAY - dt.timedelta(days=9), arrived_on=TODAY - dt.timedelta(days=8))
    client = client_for(partner_user)
    host = HostCompanyFactory(name="Chiba Poultry K.K.")

    moved = _post(
        client,
        f"/api/v1/deployments/{ready.pk}/transfer",
        {
            "host_company_id": host.pk,
            "host_prefecture": "Chiba",
            "host_address": "7-8 Narita",
            "host_contact_name": "Kato Jun",
            "host_contact_phone": "+81 476 00 0000",
            "transferred_on": TODAY,
            "reason": "The first company lost its licence to take trainees.",
        },
    )
    assert moved.json()["host_company"] == "Chiba Poultry K.K."  # type: ignore[attr-defined]

    home = _post(
        client,
        f"/api/v1/deployments/{ready.pk}/moves",
        {
            "action": "return_early",
            "on": TODAY,
            "reason": "Hospitalised.",
            "reason_code": "illness",
        },
    )
    assert home.json()["status"] == "returned_early"  # type: ignore[attr-defined]

    again = _post(
        client, f"/api/v1/deployments/{ready.pk}/moves", {"action": "complete", "on": TODAY}
    )
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_an_unknown_move_is_bad_input(
    ready: Deployment, partner_user: User, client_for: Callable[[User], Client]
) -> None:
    response = _post(
        client_for(partner_user),
        f"/api/v1/deployments/{ready.pk}/moves",
        {"action": "fly", "on": TODAY},
    )

    assert response.status_code == 400  # type: ignore[attr-defined]


def test_reports_by_kind_of_reporter_and_the_overdue_list(
    ready: Deployment,
    partner_user: User,
    participant_user: User,
    national_officer: User,
    client_for: Callable[[User], Client],
) -> None:
    abroad(
        ready, departed_on=TODAY - dt.timedelta(days=100), arrived_on=TODAY - dt.timedelta(days=100)
    )
    overdue = client_for(national_officer).get("/api/v1/deployments/overdue").json()
    assert sorted(r["report"] for r in overdue) == ["check_in", "partner", "sender"]

    _post(
        client_for(partner_user), f"/api/v1/deployments/{ready.pk}/reports", {"wellbeing": "well"}
    )
    _post(
        client_for(participant_user),
        f"/api/v1/deployments/{ready.pk}/reports",
        {"wellbeing": "concerns"},
    )

    assert sorted(MonitoringReport.objects.values_list("kind", flat=True)) == [
        "check_in",
        "partner",
    ]
    after = client_for(national_officer).get("/api/v1/deployments/overdue").json()
    assert [r["report"] for r in after] == ["sender"]


def test_a_report_with_an_answer_outside_the_list_is_bad_input(
    ready: Deployment, partner_user: User, client_for: Callable[[User], Client]
) -> None:
    abroad(ready, departed_on=TODAY, arrived_on=TODAY)

    response = _post(
        client_for(partner_user), f"/api/v1/deployments/{ready.pk}/reports", {"wellbeing": "meh"}
    )

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert not MonitoringReport.objects.exists()
