"""Sample path arguments for the URL-access walk (core/tests/test_url_access.py).

One small training world per test, built on first use and kept on the test's
node: a running batch of a BLK Semarang programme with the sample participant
(Siti, ``participant_jateng``) enrolled, and a certificate of hers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jembatan.training.factories import BatchFactory, ProgrammeFactory
from jembatan.training.models import CertificateKind, Enrolment
from jembatan.training.services.certification import certificate_issue


def _world(request: pytest.FixtureRequest) -> dict[str, Any]:
    cached = getattr(request.node, "_training_samples", None)
    if cached is not None:
        return cached
    participant = request.getfixturevalue("participant_jateng")
    programme = ProgrammeFactory(organisation=request.getfixturevalue("blk"))
    batch = BatchFactory(programme=programme)
    enrolment = Enrolment.objects.create(
        batch=batch, participant=participant, enrolled_at=timezone.now()
    )
    certificate = certificate_issue(
        enrolment=enrolment, kind=CertificateKind.TRAINING, acting_user=None
    )
    world = {
        "programme_pk": programme.pk,
        "batch_pk": batch.pk,
        "enrolment_pk": enrolment.pk,
        "unit_pk": programme.units.first().pk,  # type: ignore[union-attr]
        "certificate_pk": certificate.pk,
        "token": certificate.token,
    }
    request.node._training_samples = world
    return world


def _sample(key: str) -> Callable[[pytest.FixtureRequest], Any]:
    return lambda request: _world(request)[key]


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "training:programme_pk": _sample("programme_pk"),
    "training:batch_pk": _sample("batch_pk"),
    "training:enrolment_pk": _sample("enrolment_pk"),
    "training:unit_pk": _sample("unit_pk"),
    "training:certificate_pk": _sample("certificate_pk"),
    "verify:token": _sample("token"),
}
