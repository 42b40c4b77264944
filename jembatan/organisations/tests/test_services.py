"""Organisation and contact services: places agree, numbers are normalised, all audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.organisations.services import organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(username="nadia", role=Role.NATIONAL_ADMIN)


def test_creating_an_organisation_derives_the_province_and_is_audited(admin: User) -> None:
    organisation = organisations.organisation_create(
        acting_user=admin, name=" LPK Baru ", kind=OrganisationKind.LPK, region_id="35.78"
    )
    assert (organisation.name, organisation.province_id) == ("LPK Baru", "35")
    record = ChangeRecord.objects.get(operation="organisations.organisation_create")
    assert record.changes["province_id"] == {"before": None, "after": "35"}


def test_a_regency_outside_the_chosen_province_is_refused(admin: User) -> None:
    with pytest.raises(ValidationError, match="is not in the chosen province"):
        organisations.organisation_create(
            acting_user=admin, name="LPK X", kind="lpk", province_id="33", region_id="35.78"
        )
    assert not Organisation.objects.filter(name="LPK X").exists()


def test_a_partner_abroad_keeps_its_foreign_phone_and_has_no_province(admin: User) -> None:
    partner = organisations.organisation_create(
        acting_user=admin,
        name="IM Japan",
        kind=OrganisationKind.PARTNER,
        country_id="JP",
        province_id="33",
        phone="+81 3 1234 5678",
    )
    assert (partner.province_id, partner.phone) == (None, "+81 3 1234 5678")


def test_two_organisations_may_not_share_a_nib(admin: User) -> None:
    organisations.organisation_create(acting_user=admin, name="A", kind="lpk", nib="1234567890123")
    with pytest.raises(ValidationError):
        organisations.organisation_create(
            acting_user=admin, name="B", kind="lpk", nib="1234567890123"
        )


def test_an_organisation_cannot_be_its_own_member(admin: User, lpk: Organisation) -> None:
    child = organisations.organisation_create(
        acting_user=admin, name="Cabang", kind="lpk", parent=lpk
    )
    with pytest.raises(ValidationError, match="cannot be a member of itself"):
        organisations.organisation_update(
            organisation=lpk, acting_user=admin, changes={"parent": child}
        )
    assert Organisation.objects.get(pk=lpk.pk).parent_id is None


def test_an_update_that_changes_nothing_writes_no_audit(admin: User, lpk: Organisation) -> None:
    organisations.organisation_update(
        organisation=lpk, acting_user=admin, changes={"name": lpk.name}
    )
    assert not ChangeRecord.objects.filter(operation="organisations.organisation_update").exists()


@pytest.mark.parametrize("role", [Role.SENDER_OPERATOR, Role.PROVINCIAL_OFFICER, Role.AUDITOR])
def test_only_national_staff_create_organisations(role: Role) -> None:
    with pytest.raises(PermissionDenied):
        organisations.organisation_create(acting_user=UserFactory(role=role), name="X", kind="lpk")


def test_a_new_primary_contact_replaces_the_previous_one(admin: User, lpk: Organisation) -> None:
    first = organisations.contact_add(
        organisation=lpk, acting_user=admin, name="Dewi", is_primary=True
    )
    organisations.contact_add(organisation=lpk, acting_user=admin, name="Eko", is_primary=True)
    first.refresh_from_db()
    assert first.is_primary is False
    assert list(lpk.contacts.filter(is_primary=True).values_list("name", flat=True)) == ["Eko"]


def test_a_contact_with_a_bad_phone_is_refused(admin: User, lpk: Organisation) -> None:
    with pytest.raises(ValidationError):
        organisations.contact_add(organisation=lpk, acting_user=admin, name="Dewi", phone="12")
    assert lpk.contacts.count() == 0


def test_an_archived_contact_is_kept_but_not_listed(admin: User, lpk: Organisation) -> None:
    contact = organisations.contact_add(organisation=lpk, acting_user=admin, name="Dewi")
    organisations.contact_archive(contact=contact, acting_user=admin)
    assert lpk.contacts.count() == 1
    assert lpk.contacts.filter(archived_at__isnull=True).count() == 0
    assert ChangeRecord.objects.filter(operation="organisations.contact_archive").count() == 1


def test_an_operator_may_not_change_another_organisations_contacts(lpk: Organisation) -> None:
    stranger = UserFactory(role=Role.SENDER_OPERATOR)
    with pytest.raises(PermissionDenied):
        organisations.contact_add(organisation=lpk, acting_user=stranger, name="X")
