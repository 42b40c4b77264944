# mypy: disable-error-code="no-untyped-call"
# (factory_boy declares its declarations without types.)
"""Test data for user accounts (factory_boy), created through ``user_create``.

Going through the service means factory-made users are as valid as real ones
(scope checks, audit record). A role that needs a scope gets a default one:
a provincial officer works in Jawa Tengah, an operator or partner gets a new
organisation of the matching kind.
"""

from __future__ import annotations

from typing import Any

from factory.declarations import LazyAttribute, Sequence
from factory.django import DjangoModelFactory

from jembatan.accounts.models import User
from jembatan.accounts.services import user_create
from jembatan.core.models import Region
from jembatan.core.roles import Role
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation, OrganisationKind

DEFAULT_PASSWORD = "Jembatan-uji-2025"  # noqa: S105 - test data only
ORGANISATION_KIND_OF_ROLE: dict[Role, dict[str, Any]] = {
    Role.TRAINING_OPERATOR: {"blk": True},
    Role.SENDER_OPERATOR: {"kind": OrganisationKind.LPK},
    Role.PARTNER: {"partner": True},
}


def default_organisation(role: Role) -> Organisation | None:
    """A new organisation of the kind ``role`` works for, or None if it needs none."""
    options = ORGANISATION_KIND_OF_ROLE.get(Role(role))
    if options is None:
        return None
    organisation: Organisation = OrganisationFactory.create(**options)
    return organisation


def default_province(role: Role) -> Region | None:
    """Jawa Tengah for a provincial officer, nothing for other roles."""
    return Region.objects.get(code="33") if role == Role.PROVINCIAL_OFFICER else None


class UserFactory(DjangoModelFactory[User]):
    """A national officer unless ``role=`` says otherwise; password ``DEFAULT_PASSWORD``."""

    class Meta:
        model = User

    username = Sequence(lambda n: f"user{n}")
    role = Role.NATIONAL_OFFICER
    password = DEFAULT_PASSWORD
    full_name = LazyAttribute(lambda o: o.username.title())
    email = LazyAttribute(lambda o: f"{o.username}@example.id")
    organisation = LazyAttribute(lambda o: default_organisation(o.role))
    province = LazyAttribute(lambda o: default_province(o.role))

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return user_create(acting_user=kwargs.pop("created_by", None), **kwargs)
