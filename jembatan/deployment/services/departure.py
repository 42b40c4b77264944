"""The one writer of a departure: every gate met, then the deployment and the journey move.

The deployment's row is locked first, so two officers confirming the same
departure at once are served one after the other: the second finds it
departed and is told by whom and when, and nothing is written twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.errors import CoreErrorCode
from jembatan.core.transitions import TransitionRefused
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.gates import unmet_gates
from jembatan.deployment.locks import lock_deployment
from jembatan.deployment.models import Deployment, DeploymentStatus
from jembatan.deployment.rules import day, ensure_in_scope, ensure_not_ahead
from jembatan.deployment.services.events import event_record
from jembatan.deployment.workflows import DEPLOYMENT_WORKFLOW, DeploymentAction
from jembatan.participants.models import JourneyStatus
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction


def _already_left(deployment: Deployment) -> TransitionRefused:
    """The clear answer to a second confirmation (or any departure after the first)."""
    if deployment.departed_on is None:
        message = _("%(reference)s is %(status)s: its departure cannot be confirmed.") % {
            "reference": deployment.reference,
            "status": deployment.get_status_display().lower(),
        }
    else:
        by = deployment.departed_by
        message = _(
            "The departure of %(name)s was already confirmed by %(by)s (departed on %(date)s). "
            "Nothing was changed."
        ) % {
            "name": deployment.participant.full_name,
            "by": (by.get_full_name() or by.get_username()) if by else _("the system"),
            "date": day(deployment.departed_on),
        }
    return TransitionRefused(message, code=CoreErrorCode.TRANSITION_REFUSED)


def gates_refusal(deployment: Deployment, today: dt.date) -> ValidationError | None:
    """Every unmet gate of ``deployment`` as one refusal (None: every gate is met)."""
    unmet = unmet_gates(deployment, today=today)
    if not unmet:
        return None
    return ValidationError(
        [
            ValidationError(
                f"{result.gate.name}: {result.refusal}",
                code=DeploymentErrorCode.GATES_UNMET,
            )
            for result in unmet
        ]
    )


@transaction.atomic
def deployment_depart(
    *, deployment: Deployment, departed_on: dt.date | None = None, acting_user: Any
) -> Deployment:
    """Confirm that the apprentice has departed (on ``departed_on``, today by default).

    Refuses a deployment that is not *preparing* (a second confirmation says
    who confirmed the first), a role or scope that may not, a date ahead, and
    any unmet gate: the refusal lists every gate not met. Side effects:
    departed_on and departed_by; an event; the journey to *departed* (through
    *contracted* if the contract's move is still missing); a change record.
    """
    ensure_in_scope(acting_user, deployment)
    locked = lock_deployment(deployment.pk)
    DEPLOYMENT_WORKFLOW.check(
        locked.status, DeploymentAction.DEPART, refusal=lambda: _already_left(locked)
    )
    DEPLOYMENT_WORKFLOW.check_actor(DeploymentAction.DEPART, acting_user)
    today = timezone.localdate()
    departed_on = departed_on or today
    ensure_not_ahead(departed_on, today, field="departed_on", what=_("A departure"))
    refused = gates_refusal(locked, today)
    if refused is not None:
        raise refused
    before = snapshot(locked)
    locked.status = DeploymentStatus.DEPARTED
    locked.status_changed_at = timezone.now()
    locked.departed_on = departed_on
    locked.departed_by = acting_user
    locked.save(update_fields=["status", "status_changed_at", "departed_on", "departed_by"])
    event_record(
        deployment=locked,
        action=DeploymentAction.DEPART,
        from_status=DeploymentStatus.PREPARING,
        happened_on=departed_on,
        acting_user=acting_user,
    )
    _journey_departs(locked, acting_user)
    record_change(
        acting_user=acting_user,
        operation="deployment.deployment_depart",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked)),
    )
    return locked


def _journey_departs(deployment: Deployment, acting_user: Any) -> None:
    person = deployment.participant
    person.refresh_from_db(fields=["status", "version"])
    if person.status == JourneyStatus.MATCHED:
        participant_transition(
            participant=person, action=JourneyAction.CONTRACT, acting_user=acting_user, reason=""
        )
    participant_transition(
        participant=person, action=JourneyAction.DEPART, acting_user=acting_user, reason=""
    )
