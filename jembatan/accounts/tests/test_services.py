"""The account services: a role always comes with its scope, and every write is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jembatan.accounts.factories import DEFAULT_PASSWORD
from jembatan.accounts.models import User
from jembatan.accounts.services import user_change_password, user_create, user_set_language
from jembatan.core.models import ChangeRecord, Region
from jembatan.core.roles import ORGANISATION_SCOPED, Role
from jembatan.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    return User.objects.count(), ChangeRecord.objects.count()


def test_user_create_stores_the_role_and_scope_and_audits_it(
    national_admin: User, jateng: Region
) -> None:
    user = user_create(
        username="putri2",
        role=Role.PROVINCIAL_OFFICER,
        password=DEFAULT_PASSWORD,
        acting_user=national_admin,
        full_name="Putri Lestari Ayu",
        province=jateng,
    )

    stored = User.objects.get(username="putri2")
    assert (stored.role, stored.province_id, stored.organisation_id) == (
        "provincial_officer",
        "33",
        None,
    )
    assert (stored.first_name, stored.last_name) == ("Putri", "Lestari Ayu")
    assert stored.check_password(DEFAULT_PASSWORD)
    record = ChangeRecord.objects.get(operation="accounts.user_create", object_id=str(user.pk))
    assert record.actor == national_admin
    assert record.changes["role"] == {"before": None, "after": "provincial_officer"}
    assert record.changes["province_id"] == {"before": None, "after": "33"}
    assert "password" not in record.changes
    assert DEFAULT_PASSWORD not in str(record.changes)


def test_user_create_without_password_makes_it_unusable(national_admin: User) -> None:
    user = user_create(
        username="later", role=Role.AUDITOR, password=None, acting_user=national_admin
    )
    assert not user.has_usable_password()


def test_user_create_refuses_a_provincial_officer_without_a_province(
    national_admin: User,
) -> None:
    before = _counts()
    with pytest.raises(ValidationError):
        user_create(
            username="nowhere",
            role=Role.PROVINCIAL_OFFICER,
            password=None,
            acting_user=national_admin,
        )
    assert _counts() == before
    assert not User.objects.filter(username="nowhere").exists()


@pytest.mark.parametrize("role", sorted(ORGANISATION_SCOPED))
def test_user_create_refuses_an_operator_or_partner_without_an_organisation(
    national_admin: User, role: Role
) -> None:
    before = _counts()
    with pytest.raises(ValidationError):
        user_create(username="orphan", role=role, password=None, acting_user=national_admin)
    assert _counts() == before


def test_user_create_refuses_a_duplicate_username(national_admin: User) -> None:
    before = _counts()
    with pytest.raises(ValidationError):
        user_create(username="nadia", role=Role.AUDITOR, password=None, acting_user=national_admin)
    assert _counts() == before


def test_the_database_refuses_a_provincial_officer_without_a_province() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nowhere", role=Role.PROVINCIAL_OFFICER)
    assert not User.objects.filter(username="nowhere").exists()


@pytest.mark.parametrize("role", sorted(ORGANISATION_SCOPED))
def test_the_database_refuses_an_operator_or_partner_without_an_organisation(
    role: Role,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="orphan", role=role)
    assert not User.objects.filter(username="orphan").exists()


def test_the_database_refuses_removing_the_scope_later(sender_operator: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=sender_operator.pk).update(organisation=None)
    assert User.objects.get(pk=sender_operator.pk).organisation_id is not None


def test_the_database_accepts_scoped_roles_with_their_scope(
    jateng: Region, lpk_a: Organisation
) -> None:
    User.objects.create(username="scoped1", role=Role.PROVINCIAL_OFFICER, province=jateng)
    User.objects.create(username="scoped2", role=Role.SENDER_OPERATOR, organisation=lpk_a)
    assert User.objects.filter(username__startswith="scoped").count() == 2


def test_user_set_language_records_before_and_after(national_officer: User) -> None:
    user_set_language(acting_user=national_officer, language="en")
    record = ChangeRecord.objects.get(operation="accounts.user_set_language")
    assert record.actor == national_officer
    assert record.changes == {"preferred_language": {"before": "id", "after": "en"}}
    assert User.objects.get(pk=national_officer.pk).preferred_language == "en"


def test_user_change_password_never_records_the_password(national_officer: User) -> None:
    user_change_password(acting_user=national_officer, new_password="Sawah-hijau-2026")
    record = ChangeRecord.objects.get(operation="accounts.user_change_password")
    stored = User.objects.get(pk=national_officer.pk)
    assert stored.check_password("Sawah-hijau-2026")
    assert "Sawah-hijau-2026" not in str(record.changes)
    assert stored.password not in str(record.changes)
