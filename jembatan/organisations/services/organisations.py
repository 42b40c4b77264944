"""The only writers of organisations and their contact persons. Each change is audited.

Licences have their own services: applying and review
(:mod:`~.licence_applications`), renewals and expiry (:mod:`~.licence_renewals`),
sanctions (:mod:`~.licence_sanctions`), one action by name (:mod:`~.licensing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.phone import PhoneError, normalize_id_phone
from jembatan.core.roles import NATIONAL, Role
from jembatan.organisations.locks import lock_contact_person, lock_organisation
from jembatan.organisations.models import ContactPerson, Organisation, OrganisationKind

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "country",
    "province",
    "region",
    "parent",
    "nib",
    "registration_number",
    "bnsp_licence_number",
    "bnsp_licence_valid_until",
    "address",
    "email",
    "phone",
    "website",
)
AUDITED_ORGANISATION_FIELDS = tuple(
    f"{name}_id" if name in {"country", "province", "region", "parent"} else name
    for name in ORGANISATION_FIELDS
)
# Callers may pass related records (``province=``) or their keys (``province_id=``).
ACCEPTED_FIELDS = frozenset(ORGANISATION_FIELDS) | frozenset(AUDITED_ORGANISATION_FIELDS)
CONTACT_FIELDS = ("name", "position", "email", "phone", "is_primary")


def _require_national(acting_user: Any) -> None:
    if role_of(acting_user) not in NATIONAL:
        raise PermissionDenied(_("Only Kemnaker's national staff may change organisations."))


def _phone(value: str, *, indonesian: bool) -> str:
    """Indonesian numbers are stored in E.164; numbers abroad are kept as typed."""
    value = (value or "").strip()
    if not value or not indonesian:
        return value
    try:
        return normalize_id_phone(value)
    except PhoneError as error:
        raise ValidationError({"phone": str(error.message)}) from error


def _place(organisation: Organisation) -> None:
    """Derive the province from the regency/city and refuse places that disagree."""
    if organisation.country_id != "ID":
        organisation.province = organisation.region = None
        return
    region = organisation.region
    if region is None:
        return
    if region.level == "province":
        raise ValidationError({"region": _("Choose a regency or city, not a province.")})
    if organisation.province_id and organisation.province_id != region.parent_id:
        raise ValidationError(
            {"region": _("%(region)s is not in the chosen province.") % {"region": region}}
        )
    organisation.province_id = region.parent_id


def _check_parent(organisation: Organisation) -> None:
    parent = organisation.parent
    while parent is not None:
        if parent.pk == organisation.pk:
            raise ValidationError({"parent": _("An organisation cannot be a member of itself.")})
        parent = parent.parent


def _check_lsp(organisation: Organisation) -> None:
    """An LSP certifies only under a BNSP licence; other kinds hold none."""
    organisation.bnsp_licence_number = " ".join((organisation.bnsp_licence_number or "").split())
    if organisation.kind == OrganisationKind.LSP and not organisation.bnsp_licence_number:
        raise ValidationError(
            {
                "bnsp_licence_number": _(
                    "A professional certification body (LSP) certifies under a BNSP licence: "
                    "enter its number."
                )
            }
        )
    if organisation.kind != OrganisationKind.LSP and organisation.bnsp_licence_number:
        raise ValidationError(
            {"bnsp_licence_number": _("Only a professional certification body (LSP) has one.")}
        )


def _check_disnaker(organisation: Organisation) -> None:
    """A Disnaker kabupaten/kota serves one regency or city: its scope is that region."""
    if organisation.kind != OrganisationKind.DISNAKER:
        return
    if organisation.country_id != "ID" or organisation.region_id is None:
        raise ValidationError(
            {
                "region": _(
                    "A regency/city manpower office (Disnaker) serves one regency or city in "
                    "Indonesia: choose it."
                )
            }
        )


def _clean_and_save(organisation: Organisation) -> None:
    organisation.name = organisation.name.strip()
    _check_lsp(organisation)
    _check_disnaker(organisation)
    organisation.nib = (organisation.nib or "").strip()
    organisation.phone = _phone(organisation.phone, indonesian=organisation.country_id == "ID")
    _place(organisation)
    _check_parent(organisation)
    organisation.full_clean()
    organisation.save()


@transaction.atomic
def organisation_create(*, acting_user: Any, name: str, kind: str, **fields: Any) -> Organisation:
    """Register an organisation of any kind (``fields``: the other ACCEPTED_FIELDS)."""
    _require_national(acting_user)
    unknown = set(fields) - ACCEPTED_FIELDS
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    organisation = Organisation(name=name, kind=kind, **fields)
    _clean_and_save(organisation)
    record_change(
        acting_user=acting_user,
        operation="organisations.organisation_create",
        instance=organisation,
        action="create",
        changes={
            k: {"before": None, "after": v}
            for k, v in snapshot(organisation, AUDITED_ORGANISATION_FIELDS).items()
        },
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, acting_user: Any, changes: Mapping[str, Any]
) -> Organisation:
    """Correct an organisation's details; only ACCEPTED_FIELDS may change."""
    _require_national(acting_user)
    unknown = set(changes) - ACCEPTED_FIELDS
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    locked = lock_organisation(organisation.pk)
    before = snapshot(locked, AUDITED_ORGANISATION_FIELDS)
    for name, value in changes.items():
        setattr(locked, name, value)
    _clean_and_save(locked)
    found = diff(before, snapshot(locked, AUDITED_ORGANISATION_FIELDS))
    if found:
        record_change(
            acting_user=acting_user,
            operation="organisations.organisation_update",
            instance=locked,
            action="update",
            changes=found,
        )
    return locked


def _may_manage_contacts(acting_user: Any, organisation: Organisation) -> None:
    role = role_of(acting_user)
    own = getattr(acting_user, "organisation_id", None) == organisation.pk
    if role in NATIONAL or (role == Role.SENDER_OPERATOR and own):
        return
    raise PermissionDenied(_("You may not change the contacts of this organisation."))


@transaction.atomic
def contact_add(
    *,
    organisation: Organisation,
    acting_user: Any,
    name: str,
    position: str = "",
    email: str = "",
    phone: str = "",
    is_primary: bool = False,
) -> ContactPerson:
    """Add a contact person; a new primary contact replaces the previous one."""
    _may_manage_contacts(acting_user, organisation)
    contact = ContactPerson(
        organisation=organisation,
        name=name.strip(),
        position=position.strip(),
        email=email.strip(),
        phone=_phone(phone, indonesian=organisation.country_id == "ID"),
        is_primary=is_primary,
    )
    contact.full_clean()
    if is_primary:
        organisation.contacts.filter(is_primary=True).update(is_primary=False)
    contact.save()
    record_change(
        acting_user=acting_user,
        operation="organisations.contact_add",
        instance=contact,
        action="create",
        changes={
            k: {"before": None, "after": v} for k, v in snapshot(contact, CONTACT_FIELDS).items()
        },
    )
    return contact


@transaction.atomic
def contact_archive(*, contact: ContactPerson, acting_user: Any) -> ContactPerson:
    """Stop listing a contact person (kept for the record, never deleted)."""
    _may_manage_contacts(acting_user, contact.organisation)
    locked = lock_contact_person(contact.pk)
    if locked.archived_at is not None:
        return locked
    locked.archived_at = timezone.now()
    locked.is_primary = False
    locked.save(update_fields=["archived_at", "is_primary"])
    record_change(
        acting_user=acting_user,
        operation="organisations.contact_archive",
        instance=locked,
        action="archive",
        changes={"archived_at": {"before": None, "after": locked.archived_at.isoformat()}},
    )
    return locked
