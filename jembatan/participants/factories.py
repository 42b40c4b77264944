# mypy: disable-error-code="no-untyped-call"
# (factory_boy declares its declarations without types.)
"""Test data for the registry (factory_boy).

Every participant gets a valid NIK: built by :func:`jembatan.core.nik.encode_nik`
from the regency, birth date and sex, with a serial from the factory's sequence
so NIKs never collide. Pass ``regency_code="35.78"`` to place someone elsewhere;
the province follows from the regency.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyAttributeSequence, LazyFunction, Sequence
from factory.django import DjangoModelFactory

from jembatan.core.models import Region
from jembatan.core.nik import encode_nik
from jembatan.participants.models import JourneyStatus, Participant, Sex

SERIALS = 9999  # a NIK's serial is 0001..9999


def nik_for(participant: Any, n: int) -> str:
    """A NIK consistent with ``participant``'s regency, birth date and sex."""
    return encode_nik(
        regency_code=participant.regency.code,
        district=(n // SERIALS) % 99 + 1,
        birth_date=participant.birth_date,
        sex=participant.sex,
        serial=n % SERIALS + 1,
    )


class ParticipantFactory(DjangoModelFactory[Participant]):
    """A registered man from Kota Semarang (Jawa Tengah) unless told otherwise."""

    class Meta:
        model = Participant

    class Params:
        regency_code = "33.74"

    full_name = Sequence(lambda n: f"Peserta Uji {n}")
    sex = Sex.MALE
    birth_place = "Semarang"
    birth_date = dt.date(2000, 8, 17)
    regency = LazyAttribute(lambda o: Region.objects.get(code=o.regency_code))
    province = LazyAttribute(lambda o: o.regency.parent)
    nik = LazyAttributeSequence(nik_for)
    status = JourneyStatus.REGISTERED
    status_changed_at = LazyFunction(timezone.now)
    created_at = LazyFunction(timezone.now)
