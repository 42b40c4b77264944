# mypy: disable-error-code="no-untyped-call"
# (factory_boy declares its declarations without types.)
"""Test data for deployment (factory_boy and plain builders writing through the ORM).

:func:`deployment_for` puts a participant on a confirmed placement of an
approved TITP job order and starts its deployment; :func:`make_ready` records
everything the gates ask for (identity, contract, every step, the departure
documents handed in and verified through the documents services), so that a test
breaks exactly one thing. Tests of the rules call the services instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone
from factory.declarations import Sequence
from factory.django import DjangoModelFactory

from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder, Placement, PlacementStatus
from jembatan.deployment.models import (
    Contract,
    Deployment,
    DeploymentStatus,
    PreDepartureStep,
    StepKind,
)
from jembatan.documents.factories import stage_documents_verified
from jembatan.documents.models import Stage
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.models import JourneyStatus, Participant


class HostCompanyFactory(DjangoModelFactory[Organisation]):
    """A host company in Japan."""

    class Meta:
        model = Organisation

    name = Sequence(lambda n: f"Kabushiki Kaisha Uji {n}")
    kind = OrganisationKind.HOST_COMPANY
    country_id = "JP"
    province_id = None
    region_id = None


class SupervisorFactory(DjangoModelFactory[Organisation]):
    """A supervising organisation (kanri dantai) in Japan."""

    class Meta:
        model = Organisation

    name = Sequence(lambda n: f"Kyōdō Kumiai Uji {n}")
    kind = OrganisationKind.ASSOCIATION
    country_id = "JP"
    province_id = None
    region_id = None


def deployment_for(
    participant: Participant, *, job_order: JobOrder | None = None, **fields: Any
) -> Deployment:
    """A deployment *preparing* on a new confirmed placement of ``participant``."""
    order = job_order or cast(JobOrder, JobOrderFactory(partner=participant.partner, approved=True))
    placement = Placement.objects.create(
        job_order=order,
        participant=participant,
        status=PlacementStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    values: dict[str, Any] = {
        "placement": placement,
        "participant": participant,
        "job_order": order,
        "partner_id": order.partner_id,
        "sending_organisation_id": participant.sending_organisation_id,
        "scheme": order.scheme,
        "country_id": order.country_id,
        "host_company": HostCompanyFactory(),
        "host_prefecture": order.work_prefecture,
        "host_city": order.work_city,
        "host_address": "1-2-3 Hokota, Hokota-shi, Ibaraki-ken",
        "host_contact_name": "Suzuki Kenji",
        "host_contact_phone": "+81 291 00 0000",
        "supervising_organisation": SupervisorFactory(),
        "supervisor_contact_name": "Tanaka Yumi",
        "supervisor_contact_phone": "+81 29 000 0000",
        "planned_departure": timezone.localdate() + dt.timedelta(days=14),
        "planned_months": order.contract_months,
        "status": DeploymentStatus.PREPARING,
        "status_changed_at": timezone.now(),
        "created_at": timezone.now(),
    }
    return Deployment.objects.create(**(values | fields))


def make_ready(
    deployment: Deployment, *, today: dt.date | None = None, documents: bool = True
) -> Deployment:
    """Record everything the gates ask for, as if each step had been done properly.

    ``documents=False`` leaves out the selection and departure documents (for their gate's tests).
    """
    today = today or timezone.localdate()
    person = deployment.participant
    Participant.objects.filter(pk=person.pk).update(
        identity_verified_at=timezone.now(), status=JourneyStatus.CONTRACTED
    )
    job_order = deployment.job_order
    contract = Contract.objects.create(
        deployment=deployment,
        signed_on=today - dt.timedelta(days=20),
        starts_on=today + dt.timedelta(days=14),
        months=job_order.contract_months,
        wage_amount=job_order.wage_amount,
        wage_currency=job_order.wage_currency,
        wage_period=job_order.wage_period,
        weekly_hours=job_order.weekly_hours,
        recorded_at=timezone.now(),
    )
    steps: dict[str, dict[str, Any]] = {
        StepKind.AGREEMENT: {"reference": "PP-2026-0001"},
        StepKind.VISA: {"reference": "CoE-2026-0001", "expires_on": today + dt.timedelta(days=80)},
        StepKind.ORIENTATION: {"reference": "OPP-01"},
        StepKind.MEDICAL: {"reference": "MCU-01", "passed": True},
        StepKind.SOCIAL_SECURITY: {"reference": "BPJS-0001"},
        StepKind.INSURANCE: {"reference": "JP-INS-0001"},
        StepKind.PASSPORT: {
            "reference": "C1234567",
            "expires_on": contract.ends_on + dt.timedelta(days=365),
        },
        StepKind.FLIGHT: {"reference": "GA874", "done_on": today},
    }
    for kind, values in steps.items():
        PreDepartureStep.objects.create(
            deployment=deployment,
            kind=kind,
            done_on=values.pop("done_on", today - dt.timedelta(days=10)),
            confirmed_at=timezone.now(),
            **values,
        )
    deployment.participant.refresh_from_db()
    if documents:
        stage_documents_verified(deployment.participant, Stage.SELECTION)
        stage_documents_verified(deployment.participant, Stage.DEPARTURE)
    return deployment


def abroad(
    deployment: Deployment, *, departed_on: dt.date, arrived_on: dt.date | None = None
) -> Deployment:
    """Put ``deployment`` abroad directly (no gates, no journey): for monitoring tests."""
    status = DeploymentStatus.IN_PLACEMENT if arrived_on else DeploymentStatus.DEPARTED
    Deployment.objects.filter(pk=deployment.pk).update(
        status=status, departed_on=departed_on, arrived_on=arrived_on
    )
    Participant.objects.filter(pk=deployment.participant_id).update(
        status=JourneyStatus.IN_PLACEMENT if arrived_on else JourneyStatus.DEPARTED
    )
    deployment.refresh_from_db()
    return deployment
