# mypy: disable-error-code="no-untyped-call"
# (factory_boy declares its declarations without types.)
"""Test data for organisations and licences (factory_boy).

Defaults describe a licensed LPK in Kota Semarang; traits and keyword arguments
make the other kinds. Factories write through the ORM because organisations and
licences have no services yet; tests that check auditing call the services.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.declarations import LazyFunction, Sequence, SubFactory, Trait
from factory.django import DjangoModelFactory

from jembatan.organisations.models import Licence, LicenceStatus, Organisation, OrganisationKind


class OrganisationFactory(DjangoModelFactory[Organisation]):
    """An Indonesian LPK unless told otherwise (``kind=``, or the ``blk``/``partner`` traits)."""

    class Meta:
        model = Organisation

    class Params:
        blk = Trait(kind=OrganisationKind.BLK, name=Sequence(lambda n: f"BLK {n}"))
        partner = Trait(
            kind=OrganisationKind.PARTNER,
            country_id="JP",
            province_id=None,
            region_id=None,
            name=Sequence(lambda n: f"Partner Abroad {n}"),
        )

    name = Sequence(lambda n: f"LPK Contoh {n}")
    kind = OrganisationKind.LPK
    country_id = "ID"
    province_id = "33"
    region_id = "33.74"


def _today() -> dt.date:
    return timezone.localdate()


class LicenceFactory(DjangoModelFactory[Licence]):
    """An active licence valid from a year ago for three years."""

    class Meta:
        model = Licence

    class Params:
        expired = Trait(
            status=LicenceStatus.EXPIRED,
            valid_from=LazyFunction(lambda: _today() - dt.timedelta(days=3 * 365)),
            valid_to=LazyFunction(lambda: _today() - dt.timedelta(days=1)),
        )
        suspended = Trait(status=LicenceStatus.SUSPENDED)

    organisation = SubFactory(OrganisationFactory)
    number = Sequence(lambda n: f"KEP.{n + 1}/LN/2024")
    status = LicenceStatus.ACTIVE
    valid_from = LazyFunction(lambda: _today() - dt.timedelta(days=365))
    valid_to = LazyFunction(lambda: _today() + dt.timedelta(days=2 * 365))
