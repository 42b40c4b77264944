"""Row locks of training (house rule 5): one function per locked model.

Each returns the row read with ``SELECT … FOR UPDATE``, so it stays locked
until the calling service's transaction ends (PostgreSQL; SQLite serialises
writes anyway). Services lock before they check a status or a count, so two
people acting at once run one after the other and the second sees the first's
change.
"""

from __future__ import annotations

from jembatan.training.models import (
    Batch,
    Certificate,
    CertificateSeries,
    CompetencyUnit,
    Enrolment,
)


def lock_batch(pk: int) -> Batch:
    """The batch with its programme and centre: enrolments and completion queue up behind it."""
    return Batch.objects.select_for_update().select_related("programme__organisation").get(pk=pk)


def lock_enrolment(pk: int) -> Enrolment:
    """One participant's enrolment in a batch."""
    return Enrolment.objects.select_for_update().get(pk=pk)


def lock_certificate(pk: int) -> Certificate:
    """A certificate with its issuer."""
    return Certificate.objects.select_for_update().select_related("issuer").get(pk=pk)


def lock_certificate_series(year: int) -> CertificateSeries:
    """The year's certificate numbering series (the row must exist)."""
    return CertificateSeries.objects.select_for_update().get(year=year)


def lock_competency_unit(code: str) -> CompetencyUnit | None:
    """The SKKNI unit with this code, None when there is none yet (units are keyed by code)."""
    return CompetencyUnit.objects.select_for_update().filter(code=code).first()
