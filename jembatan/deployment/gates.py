"""The hard gates before departure: one table, each gate a name, a check and its refusal in words.

Nobody departs unless every gate is met (domain.md: verified identity, a valid
passport, a passed medical check, the required certificates, a signed contract,
an approved job order, a licensed sending organisation, fees within the rules;
the documents the route's checklist requires at the departure stage, verified;
plus the visa, the orientation, the insurances and the flight the steps
record). :func:`unmet_gates` lists *every* gate not met, so the page, the API
and the command line all say everything that is missing at once.

The facts are read once (:func:`load_facts`), then each check is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.core import legal_frame
from jembatan.demand import eligibility
from jembatan.demand.models import JobOrder, JobOrderStatus, Placement, PlacementStatus
from jembatan.demand.rules import check_costs
from jembatan.deployment.models import Contract, Deployment, PreDepartureStep, StepKind
from jembatan.deployment.months import add_months
from jembatan.deployment.rules import day, describe_difference, fee_lines, medical_valid_months
from jembatan.documents.models import DocumentKind, DocumentType, Stage
from jembatan.documents.rules import DocumentGap, document_gaps
from jembatan.organisations.models import LicenceActivity
from jembatan.organisations.rules import LicenceRequired, ensure_can_act
from jembatan.participants.models import Participant

# Requirements of the job order that are results the apprentice holds (not age or education,
# which selection and matching already checked and which do not change before departure).
HELD_REQUIREMENTS = frozenset({"jlpt_level", "language_score", "units", "certificates"})
# A job order that was approved and still sends the people confirmed on it.
SENDING_STATUSES = frozenset(
    {JobOrderStatus.APPROVED, JobOrderStatus.OPEN, JobOrderStatus.FILLED, JobOrderStatus.CLOSED}
)
# Departure-stage documents a step of its own already gates: the signed perjanjian
# pemagangan is the ``agreement`` step (which knows whether the scheme is an
# apprenticeship), so the ``documents`` gate does not ask for it a second time. The
# passport is not here: its step records the number and expiry, the document is the
# scan an officer verified against the person, and departure needs both.
STEP_DOCUMENTS = frozenset({DocumentKind.APPRENTICESHIP_AGREEMENT})


@dataclass(frozen=True)
class GateFacts:
    """Everything the gates read about one deployment on one day."""

    deployment: Deployment
    participant: Participant
    placement: Placement
    job_order: JobOrder
    steps: Mapping[str, PreDepartureStep]
    contract: Contract | None
    confirmed: int
    unmet_requirements: tuple[str, ...]
    missing_documents: tuple[str, ...]
    today: dt.date


@dataclass(frozen=True)
class Gate:
    """One condition of departure: its name, and a check giving the refusal or None."""

    code: str
    name: str | Promise
    check: Callable[[GateFacts], str | None]


def _identity(f: GateFacts) -> str | None:
    if f.participant.identity_verified_at is not None:
        return None
    return _("An officer has not verified %(name)s's identity against the KTP.") % {
        "name": f.participant.full_name
    }


def stay_end(f: GateFacts) -> dt.date:
    """The end of the contract, or of the planned stay while no contract is recorded."""
    return f.contract.ends_on if f.contract else f.deployment.planned_end


def _passport(f: GateFacts) -> str | None:
    step = f.steps.get(StepKind.PASSPORT)
    if step is None or not step.reference or step.expires_on is None:
        return _("No passport (number and expiry date) is recorded.")
    if step.expires_on <= stay_end(f):
        return _(
            "The passport expires on %(expires)s, before the contract ends on %(end)s: it must "
            "be valid beyond the end of the contract. Renew it first."
        ) % {"expires": day(step.expires_on), "end": day(stay_end(f))}
    return None


def _medical(f: GateFacts) -> str | None:
    step = f.steps.get(StepKind.MEDICAL)
    if step is None:
        return _("No medical check is recorded.")
    if not step.passed:
        return _("The medical check of %(date)s was not passed.") % {"date": day(step.done_on)}
    months = medical_valid_months()
    oldest = add_months(f.today, -months)
    if step.done_on < oldest:
        return _(
            "The medical check of %(date)s is older than %(months)s months: a new check is needed."
        ) % {"date": day(step.done_on), "months": months}
    return None


def _requirements(f: GateFacts) -> str | None:
    if not f.unmet_requirements:
        return None
    return _("The job order's required results are missing: %(list)s") % {
        "list": " ".join(f.unmet_requirements)
    }


def _documents(f: GateFacts) -> str | None:
    if not f.missing_documents:
        return None
    return " ".join(f.missing_documents)


def _contract(f: GateFacts) -> str | None:
    contract = f.contract
    if contract is None:
        return _("No signed contract is recorded.")
    if contract.signed_on > f.today:
        return _("The contract is dated %(date)s, after today: record it once it is signed.") % {
            "date": day(contract.signed_on)
        }
    if not contract.differences_settled:
        return _(
            "The contract differs from the job order (%(list)s) and Kemnaker has not approved "
            "the difference."
        ) % {"list": "; ".join(describe_difference(d) for d in contract.differences)}
    return None


def _job_order(f: GateFacts) -> str | None:
    job_order = f.job_order
    values = {"reference": job_order.reference, "status": job_order.get_status_display().lower()}
    if f.placement.status != PlacementStatus.CONFIRMED:
        return _("The placement on job order %(reference)s is no longer confirmed.") % values
    if job_order.approved_at is None or job_order.status not in SENDING_STATUSES:
        return (
            _("Job order %(reference)s is %(status)s: only an approved job order sends people.")
            % values
        )
    if f.confirmed > job_order.slots:
        return _(
            "Job order %(reference)s is over-filled: %(confirmed)s confirmed placements for "
            "%(slots)s slots. Kemnaker must settle who goes first."
        ) % (values | {"confirmed": f.confirmed, "slots": job_order.slots})
    return None


def _licence(f: GateFacts) -> str | None:
    try:
        ensure_can_act(
            f.deployment.sending_organisation,
            activity=LicenceActivity.SEND,
            country=f.job_order.country_id,
            scheme=f.job_order.scheme,
            today=f.today,
        )
    except LicenceRequired as refused:
        return " ".join(refused.messages)
    return None


def _fees(f: GateFacts) -> str | None:
    if f.contract is None:
        return _("No contract is recorded, so what the apprentice pays cannot be checked.")
    try:
        check_costs(
            country=f.job_order.country,
            scheme=f.job_order.scheme,
            costs=fee_lines(f.contract.fees),
        )
    except ValidationError as refused:
        return " ".join(refused.messages)
    return None


def _agreement(f: GateFacts) -> str | None:
    """An apprenticeship abroad needs the signed perjanjian pemagangan (UU 13/2003 art. 22)."""
    frame = legal_frame.frame_for(f.job_order.scheme)
    if frame is None or frame.regime != "apprenticeship" or StepKind.AGREEMENT in f.steps:
        return None
    return _(
        "The apprenticeship agreement (perjanjian pemagangan) between the apprentice and "
        "the organiser is not recorded (rule: %(scheme)s is an apprenticeship; source: "
        "UU 13/2003 art. 22)."
    ) % {"scheme": frame.label}


def _visa(f: GateFacts) -> str | None:
    step = f.steps.get(StepKind.VISA)
    if step is None:
        return _("No certificate of eligibility or visa is recorded.")
    if step.expires_on is not None and step.expires_on < f.today:
        return _("The visa expired on %(date)s.") % {"date": day(step.expires_on)}
    return None


def _orientation(f: GateFacts) -> str | None:
    if StepKind.ORIENTATION in f.steps:
        return None
    return _("Attendance at the pre-departure orientation is not recorded.")


def _insurance(f: GateFacts) -> str | None:
    missing = [
        str(StepKind(kind).label)
        for kind in (StepKind.SOCIAL_SECURITY, StepKind.INSURANCE)
        if kind not in f.steps
    ]
    if not missing:
        return None
    return _("Not recorded: %(list)s.") % {"list": ", ".join(missing)}


def _flight(f: GateFacts) -> str | None:
    if StepKind.FLIGHT in f.steps:
        return None
    return _("No flight is recorded.")


GATES: tuple[Gate, ...] = (
    Gate("identity", gettext_lazy("Identity verified"), _identity),
    Gate("passport", gettext_lazy("Passport valid beyond the end of the contract"), _passport),
    Gate("medical", gettext_lazy("Medical check passed and recent"), _medical),
    Gate("requirements", gettext_lazy("Required certificates and language results"), _requirements),
    Gate("documents", gettext_lazy("Selection and departure documents verified"), _documents),
    Gate("contract", gettext_lazy("Contract signed"), _contract),
    Gate(
        "agreement",
        gettext_lazy("Apprenticeship agreement (perjanjian pemagangan) signed"),
        _agreement,
    ),
    Gate("job_order", gettext_lazy("Job order approved and not over-filled"), _job_order),
    Gate("licence", gettext_lazy("Sending organisation's licence in force"), _licence),
    Gate("fees", gettext_lazy("Fees within the rules"), _fees),
    Gate("visa", gettext_lazy("Certificate of eligibility / visa"), _visa),
    Gate("orientation", gettext_lazy("Pre-departure orientation attended"), _orientation),
    Gate("insurance", gettext_lazy("BPJS Ketenagakerjaan and destination insurance"), _insurance),
    Gate("flight", gettext_lazy("Flight booked"), _flight),
)


def _requirements_unmet(
    job_order: JobOrder, participant: Participant, today: dt.date
) -> tuple[str, ...]:
    facts = eligibility.load_facts([participant.pk], on=today).get(participant.pk)
    if facts is None:
        return ()
    return tuple(
        str(unmet)
        for unmet in eligibility.unmet_requirements(job_order, facts)
        if unmet.code in HELD_REQUIREMENTS
    )


def _document_refusal(gap: DocumentGap, bases: Mapping[str, str]) -> str:
    requirement = gap.requirement
    return _(
        "%(problem)s (rule: %(stage)s checklist, %(route)s, version %(version)s; "
        "source: %(basis)s)."
    ) % {
        "problem": gap.problem.rstrip("."),
        "stage": requirement.get_needed_for_display().lower(),
        "route": requirement.get_route_display(),
        "version": requirement.version,
        "basis": bases.get(requirement.kind) or "-",
    }


def _documents_missing(participant: Participant) -> tuple[str, ...]:
    """Each selection- and departure-stage document of the current checklist not verified.

    What selection asked for is still owed at departure: a police record (SKCK) or a
    certificate rejected after the shortlist, or a placement that came without one,
    stops the departure as surely as a missing departure paper.
    """
    gaps = [
        *document_gaps(participant, Stage.SELECTION),
        *document_gaps(participant, Stage.DEPARTURE, skip=STEP_DOCUMENTS),
    ]
    if not gaps:
        return ()
    kinds = {gap.requirement.kind for gap in gaps}
    bases = dict(DocumentType.objects.filter(pk__in=kinds).values_list("code", "basis"))
    return tuple(_document_refusal(gap, bases) for gap in gaps)


def load_facts(deployment: Deployment, *, today: dt.date) -> GateFacts:
    """The facts the gates read for ``deployment`` on ``today`` (a handful of queries)."""
    placement = Placement.objects.select_related(
        "job_order", "job_order__country", "participant"
    ).get(pk=deployment.placement_id)
    job_order = placement.job_order
    contract = Contract.objects.filter(deployment=deployment).first()
    return GateFacts(
        deployment=deployment,
        participant=placement.participant,
        placement=placement,
        job_order=job_order,
        steps={s.kind: s for s in PreDepartureStep.objects.filter(deployment=deployment)},
        contract=contract,
        confirmed=job_order.placements.filter(status=PlacementStatus.CONFIRMED).count(),
        unmet_requirements=_requirements_unmet(job_order, placement.participant, today),
        missing_documents=_documents_missing(placement.participant),
        today=today,
    )


@dataclass(frozen=True)
class GateResult:
    """One gate's verdict for one deployment: met (refusal None) or the refusal in words."""

    gate: Gate
    refusal: str | None

    @property
    def met(self) -> bool:
        return self.refusal is None


def checklist(deployment: Deployment, *, today: dt.date) -> list[GateResult]:
    """Every gate with its verdict, in the table's order (for the page)."""
    facts = load_facts(deployment, today=today)
    return [GateResult(gate, gate.check(facts)) for gate in GATES]


def unmet_gates(deployment: Deployment, *, today: dt.date) -> list[GateResult]:
    """Every gate ``deployment`` does not meet on ``today`` (empty: it may depart)."""
    return [result for result in checklist(deployment, today=today) if not result.met]
