# mypy: disable-error-code="no-untyped-call, untyped-decorator"
# (factory_boy declares its declarations without types.)
"""Test data for training (factory_boy): units, programmes at a BLK, batches.

Factories write through the ORM; tests that check rules and auditing call the
services (enrol, batch_complete, …).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory
from factory.helpers import post_generation

from jembatan.core.models import Occupation
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import OrganisationKind
from jembatan.training.models import Batch, BatchStatus, CompetencyUnit, Programme, Route


class CompetencyUnitFactory(DjangoModelFactory[CompetencyUnit]):
    """An SKKNI unit with a well-formed code."""

    class Meta:
        model = CompetencyUnit
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"C.812000.{n % 1000:03d}.01")
    title_id = Sequence(lambda n: f"Unit kompetensi {n}")
    title_en = Sequence(lambda n: f"Competency unit {n}")
    title_ja = Sequence(lambda n: f"能力単位{n}")
    hours = 40


def _occupation() -> Occupation:
    return Occupation.objects.filter(dataset__code="jp-titp-2025").order_by("code")[0]


class ProgrammeFactory(DjangoModelFactory[Programme]):
    """An LPK-route programme at a BLK with two units and no language test."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    organisation = SubFactory(OrganisationFactory, kind=OrganisationKind.BLK)
    name = Sequence(lambda n: f"Program Pelatihan {n}")
    occupation = LazyFunction(_occupation)
    route = Route.LPK
    total_hours = 480
    language_hours = 160
    capacity = 20

    @post_generation
    def units(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        chosen = extracted if extracted is not None else [CompetencyUnitFactory() for _ in range(2)]
        self.units.set(chosen)


class BatchFactory(DjangoModelFactory[Batch]):
    """A running batch that started a month ago and ends in two months."""

    class Meta:
        model = Batch

    programme = SubFactory(ProgrammeFactory)
    code = Sequence(lambda n: f"2026-{n + 1:02d}")
    starts_on = LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    capacity = LazyAttribute(lambda o: o.programme.capacity)
    status = BatchStatus.RUNNING
