"""The admin lists licences and decisions for superusers but cannot change them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from jembatan.accounts.factories import DEFAULT_PASSWORD
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.organisations.models import Licence, LicenceStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db: None) -> Client:
    user = User.objects.create_superuser(
        "root", "root@example.id", DEFAULT_PASSWORD, role=Role.NATIONAL_ADMIN
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", ["organisation", "contactperson", "licence", "licencedecision", "licencereminder"]
)
def test_a_superuser_lists_every_organisations_model(root: Client, model: str) -> None:
    assert root.get(f"/admin/organisations/{model}/").status_code == 200


@pytest.mark.parametrize("model", ["licence", "licencedecision", "licencereminder"])
def test_lifecycle_records_cannot_be_added_in_the_admin(root: Client, model: str) -> None:
    assert root.get(f"/admin/organisations/{model}/add/").status_code == 403


def test_a_licence_cannot_be_changed_in_the_admin(
    root: Client, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    root.post(f"/admin/organisations/licence/{licence.pk}/change/", {"status": "revoked"})
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.ACTIVE
