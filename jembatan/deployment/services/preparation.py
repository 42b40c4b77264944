"""The only writers before departure: the deployment itself, its contract and its steps.

A deployment starts from a confirmed placement (one per placement). Until the
departure is confirmed, the sending organisation (or an officer) records the
contract, held against the job order and the fee rule, and each step with its
date, its number and its evidence; the page shows which gates are still unmet.
After departure these records are closed: they are what the apprentice left on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.roles import NATIONAL
from jembatan.demand.models import Placement, PlacementStatus
from jembatan.demand.rules import check_costs, stage3_refusal
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.locks import lock_deployment
from jembatan.deployment.models import (
    Contract,
    Deployment,
    DeploymentStatus,
    PreDepartureStep,
    StepKind,
)
from jembatan.deployment.rules import (
    SUPERVISED,
    ContractTerms,
    check_wage,
    day,
    describe_difference,
    differences,
    ensure_in_scope,
    ensure_not_ahead,
    fee_records,
)
from jembatan.deployment.services.events import event_record
from jembatan.deployment.workflows import PREPARERS
from jembatan.documents.models import Document
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.models import JourneyStatus
from jembatan.participants.selectors import participants_visible_to
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction


def _values(data: Any) -> dict[str, Any]:
    """A dataclass's fields as they are (``asdict`` would deep-copy the records in it)."""
    return {f.name: getattr(data, f.name) for f in fields(data)}


def ensure_preparer(acting_user: Any) -> None:
    """Only national, provincial and sending-organisation staff prepare a departure."""
    if role_of(acting_user) not in PREPARERS:
        raise PermissionDenied(_("Your role may not prepare a departure."))


def ensure_preparing(deployment: Deployment) -> None:
    """Records of the preparation change only before departure."""
    if deployment.status != DeploymentStatus.PREPARING:
        raise ValidationError(
            _(
                "%(reference)s has left the preparation (it is %(status)s): what it departed "
                "on is kept as it was."
            )
            % {
                "reference": deployment.reference,
                "status": deployment.get_status_display().lower(),
            },
            code=DeploymentErrorCode.DEPARTURE_CLOSED,
        )


@dataclass(frozen=True)
class DeploymentDetails:
    """Where the apprentice will work and live, who to call, and the planned stay."""

    host_company: Organisation
    host_prefecture: str
    host_address: str
    host_contact_name: str
    host_contact_phone: str
    planned_departure: dt.date
    planned_months: int
    host_city: str = ""
    host_contact_email: str = ""
    supervising_organisation: Organisation | None = None
    supervisor_contact_name: str = ""
    supervisor_contact_phone: str = ""


def _check_details(details: DeploymentDetails, scheme: str) -> None:
    host = details.host_company
    if host.kind != OrganisationKind.HOST_COMPANY or host.country_id == "ID":
        raise ValidationError(
            {
                "host_company": ValidationError(
                    _("%(name)s is not a host company abroad.") % {"name": host.name},
                    code=DeploymentErrorCode.NOT_A_HOST_COMPANY,
                )
            }
        )
    if scheme in SUPERVISED and details.supervising_organisation is None:
        raise ValidationError(
            {
                "supervising_organisation": ValidationError(
                    _(
                        "This programme supervises apprentices through an organisation in the "
                        "destination country (in Japan the kanri dantai): name it."
                    ),
                    code=DeploymentErrorCode.SUPERVISOR_REQUIRED,
                )
            }
        )


def _preparable(placement: Placement, acting_user: Any) -> Placement:
    """The placement, if ``acting_user`` may prepare it: in scope, confirmed, with a sender."""
    ensure_preparer(acting_user)
    placement = Placement.objects.select_related("job_order", "participant").get(pk=placement.pk)
    person = placement.participant
    if not participants_visible_to(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This participant is not in your scope."))
    if placement.status != PlacementStatus.CONFIRMED:
        raise ValidationError(
            _("Only a confirmed placement is prepared for departure; this one is %(status)s.")
            % {"status": placement.get_status_display().lower()},
            code=DeploymentErrorCode.PLACEMENT_NOT_CONFIRMED,
        )
    if person.sending_organisation_id is None:
        raise PermissionDenied(_("A licensed sending organisation is required."))
    return placement


def _insert_once(deployment: Deployment) -> None:
    """Save a new deployment; a second one on the same placement is refused in words."""
    deployment.full_clean(exclude=["placement"])
    try:
        with transaction.atomic():
            deployment.save()
    except IntegrityError:
        raise ValidationError(
            _("The departure of %(name)s on this placement is already being prepared.")
            % {"name": deployment.participant.full_name},
            code=DeploymentErrorCode.ALREADY_DEPLOYED,
        ) from None


@transaction.atomic
def deployment_create(
    *, placement: Placement, details: DeploymentDetails, acting_user: Any
) -> Deployment:
    """Start preparing the departure of a confirmed placement (one deployment per placement).

    Side effects: a deployment *preparing*, its first event, a change record.
    """
    placement = _preparable(placement, acting_user)
    person, job_order = placement.participant, placement.job_order
    sender_id = person.sending_organisation_id
    assert sender_id is not None  # _preparable refused a person without one
    _check_details(details, job_order.scheme)
    stage3 = stage3_refusal(
        occupation=job_order.occupation,
        scheme=job_order.scheme,
        months=details.planned_months,
        field="planned_months",
    )
    if stage3 is not None:
        raise stage3
    deployment = Deployment(
        placement=placement,
        participant=person,
        job_order=job_order,
        partner_id=job_order.partner_id,
        sending_organisation_id=sender_id,
        scheme=job_order.scheme,
        country_id=job_order.country_id,
        status=DeploymentStatus.PREPARING,
        status_changed_at=timezone.now(),
        created_at=timezone.now(),
        created_by=acting_user,
        **_values(details),
    )
    _insert_once(deployment)
    event_record(
        deployment=deployment,
        action="create",
        from_status="",
        happened_on=timezone.localdate(),
        acting_user=acting_user,
    )
    record_change(
        acting_user=acting_user,
        operation="deployment.deployment_create",
        instance=deployment,
        action="create",
        changes=diff({}, snapshot(deployment)),
    )
    return deployment


def _check_document(document: Document | None, deployment: Deployment, field: str) -> None:
    if document is not None and document.participant_id != deployment.participant_id:
        raise ValidationError(
            {
                field: ValidationError(
                    _("This document belongs to someone else."),
                    code=DeploymentErrorCode.DOCUMENT_OF_ANOTHER,
                )
            }
        )


def _locked_for_preparation(deployment: Deployment, acting_user: Any) -> Deployment:
    ensure_preparer(acting_user)
    ensure_in_scope(acting_user, deployment)
    locked = lock_deployment(deployment.pk)
    ensure_preparing(locked)
    return locked


def _difference_refusal(found: list[dict[str, Any]]) -> ValidationError:
    return ValidationError(
        {
            "difference_reason": ValidationError(
                _(
                    "The contract differs from the job order: %(list)s. Say why; Kemnaker "
                    "approves the difference before departure."
                )
                % {"list": "; ".join(describe_difference(d) for d in found)},
                code=DeploymentErrorCode.DIFFERENCE_NEEDS_REASON,
            )
        }
    )


@transaction.atomic
def contract_record(
    *,
    deployment: Deployment,
    terms: ContractTerms,
    acting_user: Any,
    difference_reason: str = "",
    document: Document | None = None,
) -> Contract:
    """Record the signed contract (again, to correct it, until departure).

    Refuses a wage below the job order's or stated in another currency or
    period, costs the fee rule in force forbids, a signing date ahead, and any
    difference from the job order (more hours, another length, more costs)
    without a reason. A difference recorded by national staff is approved at
    once; otherwise it waits for their approval (contract_differences_approve).
    Side effects: the contract; a participant *matched* moves to *contracted*
    (the journey's CONTRACT); a change record.
    """
    locked = _locked_for_preparation(deployment, acting_user)
    job_order = locked.job_order
    ensure_not_ahead(
        terms.signed_on, timezone.localdate(), field="signed_on", what=_("A signature")
    )
    check_wage(job_order, terms)
    check_costs(country=job_order.country, scheme=job_order.scheme, costs=terms.fees)
    _check_document(document, locked, "document")
    found = differences(job_order, terms)
    reason = difference_reason.strip()
    if found and not reason:
        raise _difference_refusal(found)
    contract = Contract.objects.filter(deployment=locked).first() or Contract(deployment=locked)
    before = snapshot(contract) if contract.pk else {}
    values = _values(terms) | {"fees": fee_records(terms.fees)}
    for name, value in values.items():
        setattr(contract, name, value)
    approved = bool(found) and role_of(acting_user) in NATIONAL
    contract.differences = found
    contract.difference_reason = reason if found else ""
    contract.differences_approved_at = timezone.now() if approved else None
    contract.differences_approved_by = acting_user if approved else None
    contract.document = document
    contract.recorded_by = acting_user
    contract.recorded_at = timezone.now()
    contract.full_clean(exclude=["deployment"])
    contract.save()
    _contract_journey(locked, acting_user)
    record_change(
        acting_user=acting_user,
        operation="deployment.contract_record",
        instance=contract,
        action="update" if before else "create",
        changes=diff(before, snapshot(contract)),
        reason=reason,
    )
    return contract


def _contract_journey(deployment: Deployment, acting_user: Any) -> None:
    person = deployment.participant
    person.refresh_from_db(fields=["status", "version"])
    if person.status == JourneyStatus.MATCHED:
        participant_transition(
            participant=person, action=JourneyAction.CONTRACT, acting_user=acting_user, reason=""
        )


@transaction.atomic
def contract_differences_approve(
    *, deployment: Deployment, reason: str, acting_user: Any
) -> Contract:
    """Kemnaker approves how a contract differs from its job order, saying why."""
    if role_of(acting_user) not in NATIONAL:
        raise PermissionDenied(
            _("Only Kemnaker approves a contract that differs from its job order.")
        )
    locked = _locked_for_preparation(deployment, acting_user)
    contract = Contract.objects.filter(deployment=locked).first()
    if contract is None or not contract.differences or contract.differences_approved_at:
        raise ValidationError(
            _("There is no difference from the job order waiting for approval."),
            code=DeploymentErrorCode.NO_DIFFERENCE,
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the difference is acceptable."),
                    code=DeploymentErrorCode.REASON_REQUIRED,
                )
            }
        )
    before = snapshot(contract)
    contract.differences_approved_at = timezone.now()
    contract.differences_approved_by = acting_user
    contract.save(update_fields=["differences_approved_at", "differences_approved_by"])
    record_change(
        acting_user=acting_user,
        operation="deployment.contract_differences_approve",
        instance=contract,
        action="update",
        changes=diff(before, snapshot(contract)),
        reason=reason,
    )
    return contract


@dataclass(frozen=True)
class StepInput:
    """What a step's evidence says: its date, number, expiry, result and the document."""

    done_on: dt.date
    reference: str = ""
    expires_on: dt.date | None = None
    passed: bool | None = None
    note: str = ""
    document: Document | None = None


# Steps whose date may lie ahead (a flight is booked before it leaves).
DATED_AHEAD = frozenset({StepKind.FLIGHT})


def _check_step(deployment: Deployment, kind: str, step: StepInput) -> None:
    if kind not in DATED_AHEAD:
        ensure_not_ahead(step.done_on, timezone.localdate(), field="done_on", what=_("This date"))
    if kind == StepKind.MEDICAL and step.passed is None:
        raise ValidationError(
            {
                "passed": ValidationError(
                    _("Say whether the medical check was passed."),
                    code=DeploymentErrorCode.MEDICAL_RESULT,
                )
            }
        )
    if kind == StepKind.PASSPORT:
        _check_passport(deployment, step)


def _check_passport(deployment: Deployment, step: StepInput) -> None:
    if not step.reference or step.expires_on is None:
        raise ValidationError(
            {
                "expires_on": ValidationError(
                    _("Give the passport's number and expiry date."),
                    code=DeploymentErrorCode.PASSPORT_EXPIRES,
                )
            }
        )
    contract = Contract.objects.filter(deployment=deployment).first()
    end = contract.ends_on if contract else deployment.planned_end
    if step.expires_on <= end:
        what = _("the contract ends") if contract else _("the planned stay ends")
        raise ValidationError(
            {
                "expires_on": ValidationError(
                    _(
                        "This passport expires on %(expires)s, before %(what)s on %(end)s. A "
                        "passport must be valid beyond the end of the contract: renew it first."
                    )
                    % {"expires": day(step.expires_on), "what": what, "end": day(end)},
                    code=DeploymentErrorCode.PASSPORT_EXPIRES,
                )
            }
        )


@transaction.atomic
def step_record(
    *, deployment: Deployment, kind: StepKind, step: StepInput, acting_user: Any
) -> PreDepartureStep:
    """Record (or correct) one step before departure, with who confirmed it and when.

    Refuses a date ahead (except a flight's), a medical check without its
    result, and a passport that expires before the contract (or the planned
    stay) ends. Side effects: the step; a change record.
    """
    locked = _locked_for_preparation(deployment, acting_user)
    kind = StepKind(kind)
    _check_step(locked, kind, step)
    _check_document(step.document, locked, "document")
    row = PreDepartureStep.objects.filter(deployment=locked, kind=kind).first()
    row = row or PreDepartureStep(deployment=locked, kind=kind)
    before = snapshot(row) if row.pk else {}
    for name, value in _values(step).items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.passed = step.passed if kind == StepKind.MEDICAL else None
    row.confirmed_by = acting_user
    row.confirmed_at = timezone.now()
    row.save()
    record_change(
        acting_user=acting_user,
        operation="deployment.step_record",
        instance=row,
        action="update" if before else "create",
        changes=diff(before, snapshot(row)),
    )
    return row
