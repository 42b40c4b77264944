"""The hard gates, one by one: break exactly one and exactly that one is reported, in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from jembatan.demand.factories import FeeRuleFactory
from jembatan.demand.models import JobOrder, Placement, PlacementStatus
from jembatan.deployment.gates import GATES, checklist, unmet_gates
from jembatan.deployment.models import Contract, Deployment, PreDepartureStep, StepKind
from jembatan.deployment.months import add_months
from jembatan.documents.models import Document, DocumentKind, DocumentStatus
from jembatan.organisations.models import Licence, LicenceStatus
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Participant

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _step(d: Deployment, kind: str) -> PreDepartureStep:
    return PreDepartureStep.objects.get(deployment=d, kind=kind)


def _drop(kind: str) -> Callable[[Deployment], None]:
    return lambda d: _step(d, kind).delete()


def _passport_too_short(d: Deployment) -> None:
    ends = Contract.objects.get(deployment=d).ends_on
    PreDepartureStep.objects.filter(deployment=d, kind=StepKind.PASSPORT).update(expires_on=ends)


def _medical_old(d: Deployment) -> None:
    old = add_months(timezone.localdate(), -4)
    PreDepartureStep.objects.filter(deployment=d, kind=StepKind.MEDICAL).update(done_on=old)


def _jlpt_required(d: Deployment) -> None:
    JobOrder.objects.filter(pk=d.job_order_id).update(language_test="jlpt", language_min_level="N4")


def _difference_unapproved(d: Deployment) -> None:
    Contract.objects.filter(deployment=d).update(
        weekly_hours=44,
        differences=[{"code": "hours", "params": {"job_order": 40, "contract": 44}}],
        difference_reason="Busy season.",
    )


def _over_filled(d: Deployment) -> None:
    other = ParticipantFactory(sending_organisation=d.sending_organisation)
    Placement.objects.create(
        job_order=d.job_order, participant=other, status=PlacementStatus.CONFIRMED
    )
    JobOrder.objects.filter(pk=d.job_order_id).update(slots=1)


def _passport_unverified(d: Deployment) -> None:
    Document.objects.filter(participant_id=d.participant_id, kind=DocumentKind.PASSPORT).update(
        status=DocumentStatus.PENDING, verified_by=None, verified_at=None
    )


def _licence_expired(d: Deployment) -> None:
    Licence.objects.filter(organisation=d.sending_organisation).update(
        status=LicenceStatus.EXPIRED, valid_to=TODAY - dt.timedelta(days=1)
    )


def _forbidden_fee(d: Deployment) -> None:
    fee = {
        "kind": "placement_fee",
        "description": "Placement fee",
        "amount": "5000000",
        "currency": "IDR",
        "paid_to": "Agency X",
    }
    Contract.objects.filter(deployment=d).update(fees=[fee])


# Each gate of the table and how to break it alone, with a word its refusal must say.
BREAKERS: dict[str, tuple[Callable[[Deployment], object], str]] = {
    "identity": (
        lambda d: Participant.objects.filter(pk=d.participant_id).update(identity_verified_at=None),
        "has not verified Siti Rahayu's identity",
    ),
    "passport": (_passport_too_short, "before the contract ends"),
    "medical": (_medical_old, "older than 3 months"),
    "requirements": (_jlpt_required, "JLPT N4"),
    "documents": (_passport_unverified, "Passport is not verified yet (Waiting for verification"),
    "contract": (_difference_unapproved, "44 working hours a week instead of the job order's 40"),
    "job_order": (_over_filled, "over-filled: 2 confirmed placements for 1 slots"),
    "licence": (_licence_expired, "expired on"),
    "fees": (_forbidden_fee, "may not be charged to the apprentice"),
    "agreement": (_drop(StepKind.AGREEMENT), "source: UU 13/2003 art. 22"),
    "visa": (_drop(StepKind.VISA), "No certificate of eligibility or visa"),
    "orientation": (_drop(StepKind.ORIENTATION), "orientation is not recorded"),
    "insurance": (_drop(StepKind.INSURANCE), "Insurance in the destination country"),
    "flight": (_drop(StepKind.FLIGHT), "No flight is recorded"),
}


def test_a_ready_deployment_meets_every_gate(ready: Deployment) -> None:
    results = checklist(ready, today=timezone.localdate())

    assert [r.gate.code for r in results] == [g.code for g in GATES]
    assert [r.refusal for r in results if not r.met] == []


def test_every_gate_of_the_table_is_broken_by_one_test() -> None:
    assert sorted(g.code for g in GATES) == sorted(BREAKERS)


@pytest.mark.parametrize("code", list(BREAKERS))
def test_breaking_one_gate_reports_exactly_that_gate_in_words(code: str, ready: Deployment) -> None:
    breaker, words = BREAKERS[code]
    breaker(ready)

    unmet = unmet_gates(Deployment.objects.get(pk=ready.pk), today=timezone.localdate())

    assert [r.gate.code for r in unmet] == [code]
    assert words in str(unmet[0].refusal)


def test_nothing_recorded_reports_every_gate_but_the_organisations(deployment: Deployment) -> None:
    unmet = unmet_gates(deployment, today=timezone.localdate())

    assert [r.gate.code for r in unmet] == [
        "identity",
        "passport",
        "medical",
        "documents",
        "contract",
        "agreement",
        "fees",
        "visa",
        "orientation",
        "insurance",
        "flight",
    ]


def test_a_failed_medical_check_is_refused_however_recent(ready: Deployment) -> None:
    PreDepartureStep.objects.filter(deployment=ready, kind=StepKind.MEDICAL).update(passed=False)

    unmet = unmet_gates(ready, today=timezone.localdate())

    assert [r.gate.code for r in unmet] == ["medical"]
    assert "was not passed" in str(unmet[0].refusal)


def test_the_medical_check_stays_recent_for_the_configured_months(
    ready: Deployment, settings: object
) -> None:
    _medical_old(ready)
    settings.JEMBATAN_MEDICAL_VALID_MONTHS = 6  # type: ignore[attr-defined]

    assert unmet_gates(ready, today=timezone.localdate()) == []


def test_a_stricter_fee_rule_in_force_at_departure_is_the_one_checked(ready: Deployment) -> None:
    fee = {"kind": "training", "description": "Training", "amount": "6000000", "currency": "IDR"}
    Contract.objects.filter(deployment=ready).update(fees=[fee | {"paid_to": "LPK A"}])
    FeeRuleFactory(
        name="Stricter rule", max_total_amount=1_000_000, valid_from=timezone.localdate()
    )

    unmet = unmet_gates(ready, today=timezone.localdate())

    assert [r.gate.code for r in unmet] == ["fees"]
    assert "Stricter rule" in str(unmet[0].refusal)
