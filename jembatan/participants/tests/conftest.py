"""Fixtures for the registry's own tests: valid declarations and organisations by licence state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import Region
from jembatan.core.nik import encode_nik
from jembatan.core.roles import Role
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.fields import ParticipantDetails
from jembatan.participants.models import ConsentPurpose, ConsentText

BIRTH = dt.date(2000, 8, 17)


def nik(serial: int = 1, *, regency: str = "33.74", birth: dt.date = BIRTH, sex: str = "M") -> str:
    """A valid NIK for a man from Kota Semarang born 17 Aug 2000 (unless told otherwise)."""
    return encode_nik(regency_code=regency, district=1, birth_date=birth, sex=sex, serial=serial)


def form_data(**overrides: Any) -> dict[str, Any]:
    """What a person types into the registration form, valid unless overridden."""
    data = {
        "nik": nik(),
        "full_name": "Andi Wijaya",
        "sex": "M",
        "birth_place": "Semarang",
        "birth_date": "2000-08-17",
        "regency": "33.74",
        "district": "Semarang Tengah",
        "village": "Sekayu",
        "address": "Jl. Pemuda 1",
        "phone": "0812-3456-7890",
        "email": "andi@example.id",
        "education": "smk",
        "emergency_contact_name": "Siti Wijaya",
        "emergency_contact_relation": "parent",
        "emergency_contact_phone": "0813 1111 2222",
        "passport_number": "",
        "passport_expiry": "",
    }
    data.update(overrides)
    return data


def details(**overrides: Any) -> ParticipantDetails:
    """The same declaration as the services take it."""
    values: dict[str, Any] = {
        "nik": nik(),
        "full_name": "Andi Wijaya",
        "sex": "M",
        "birth_place": "Semarang",
        "birth_date": BIRTH,
        "regency": Region.objects.get(code="33.74"),
        "phone": "0812-3456-7890",
    }
    values.update(overrides)
    return ParticipantDetails(**values)


@pytest.fixture
def privacy_notice(db: None) -> ConsentText:
    """Version 1 of the privacy notice, published by migration."""
    return ConsentText.objects.get(purpose=ConsentPurpose.PRIVACY_NOTICE, version=1)


@pytest.fixture
def expired_lpk(db: None) -> Organisation:
    """LPK C: its licence expired yesterday."""
    lpk = OrganisationFactory(name="LPK C Kadaluwarsa", kind=OrganisationKind.LPK)
    LicenceFactory(organisation=lpk, number="KEP.103/LN/2021", expired=True)
    return lpk


@pytest.fixture
def expired_sender(expired_lpk: Organisation) -> User:
    """Dewi, operator of the LPK whose licence expired."""
    return UserFactory(username="dewi", role=Role.SENDER_OPERATOR, organisation=expired_lpk)


@pytest.fixture
def make_details() -> Callable[..., ParticipantDetails]:
    return details


@pytest.fixture(autouse=True)
def only_the_registry_verification_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check the registry's own blockers; other apps' checks are tested there."""
    from jembatan.participants import rules

    monkeypatch.setattr(rules, "VERIFICATION_CHECKS", [])
