"""Every API operation declares its roles, and the API enforces exactly them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.accounts.services import user_create
from jembatan.api.access import ROLES_KEY
from jembatan.api.urls import api
from jembatan.core.models import AccessLog, Region
from jembatan.core.roles import Role
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.models import Participant

pytestmark = pytest.mark.django_db
PATH_PARAM = re.compile(r"\{(\w+)\}")


def _operations() -> list[tuple[str, str, list[str]]]:
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append((path, method.upper(), operation.get(ROLES_KEY)))
    return found


@pytest.fixture
def world() -> dict[str, object]:
    lpk = Organisation.objects.create(name="LPK Uji", kind=OrganisationKind.LPK)
    partner = Organisation.objects.create(
        name="IM Japan", kind=OrganisationKind.PARTNER, country_id="JP"
    )
    participant = Participant.objects.create(
        nik="3374011708000001",
        full_name="Budi Santoso",
        sex="M",
        birth_place="Semarang",
        birth_date=dt.date(2000, 8, 17),
        regency=Region.objects.get(code="33.74"),
        province=Region.objects.get(code="33"),
        sending_organisation=lpk,
        status_changed_at=timezone.now(),
        created_at=timezone.now(),
    )
    scope = {
        Role.PROVINCIAL_OFFICER: {"province": Region.objects.get(code="33")},
        Role.SENDER_OPERATOR: {"organisation": lpk},
        Role.TRAINING_OPERATOR: {"organisation": lpk},
        Role.PARTNER: {"organisation": partner},
    }
    users = {
        role: user_create(
            username=f"u-{role.value}",
            role=role,
            password=None,
            acting_user=None,
            **scope.get(role, {}),
        )
        for role in Role
    }
    return {"users": users, "participant": participant}


def test_every_operation_declares_its_roles() -> None:
    undeclared = [(m, p) for p, m, roles in _operations() if not roles]
    assert undeclared == []


def _url(path: str, participant: Participant) -> str:
    return PATH_PARAM.sub(lambda _m: str(participant.pk), path)


@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r.value if r else "anonymous")
def test_each_operation_answers_exactly_the_declared_roles(world: dict, role: Role | None) -> None:
    client = Client()
    if role is not None:
        client.force_login(world["users"][role])
    for path, method, roles in _operations():
        response = client.generic(method, _url(path, world["participant"]))
        admitted = "public" in roles or (role is not None and role.value in roles)
        if admitted:  # 422: admitted, and the empty body was read and refused
            assert response.status_code in (200, 404, 422), (path, role, response.status_code)
        else:
            assert response.status_code in (401, 403), (path, role, response.status_code)
            assert b"Budi" not in response.content


def test_unknown_role_is_refused_everywhere_but_public(world: dict) -> None:
    ghost = world["users"][Role.NATIONAL_ADMIN]
    User.objects.filter(pk=ghost.pk).update(role="ghost")
    client = Client()
    client.force_login(User.objects.get(pk=ghost.pk))
    for path, method, roles in _operations():
        response = client.generic(method, _url(path, world["participant"]))
        expected = {200} if "public" in roles else {403}
        assert response.status_code in expected, (path, response.status_code)


def test_participant_list_is_scoped_and_logged(world: dict) -> None:
    client = Client()
    other_sender = user_create(
        username="other-sender",
        role=Role.SENDER_OPERATOR,
        password=None,
        acting_user=None,
        organisation=Organisation.objects.create(name="LPK Lain", kind=OrganisationKind.LPK),
    )
    client.force_login(other_sender)
    assert client.get("/api/v1/participants").json()["items"] == []
    client.force_login(world["users"][Role.SENDER_OPERATOR])
    items = client.get("/api/v1/participants").json()["items"]
    assert [p["nik"] for p in items] == ["3374011708000001"]
    assert AccessLog.objects.filter(purpose="api.participants.list").count() == 2


def test_out_of_scope_participant_is_404_and_in_scope_read_is_logged(world: dict) -> None:
    participant = world["participant"]
    client = Client()
    client.force_login(world["users"][Role.PARTNER])
    assert client.get(f"/api/v1/participants/{participant.pk}").status_code == 404
    client.force_login(world["users"][Role.NATIONAL_OFFICER])
    body = client.get(f"/api/v1/participants/{participant.pk}").json()
    assert body["full_name"] == "Budi Santoso"
    log = AccessLog.objects.get(purpose="api.participants.detail")
    assert log.object_id == str(participant.pk)


def test_auditor_reads_through_the_api_are_logged(world: dict) -> None:
    client = Client()
    client.force_login(world["users"][Role.AUDITOR])
    assert client.get("/api/v1/me").json()["role"] == "auditor"
    assert AccessLog.objects.filter(purpose="auditor_read").exists()


def test_regions_are_public_reference_data() -> None:
    body = Client().get("/api/v1/regions", {"level": "province"}).json()
    assert len(body) == 38
    assert {
        "code": "65",
        "name": "Kalimantan Utara",
        "level": "province",
        "parent_code": None,
    } in body


def test_openapi_schema_is_served() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/participants" in schema["paths"]
