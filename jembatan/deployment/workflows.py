"""The workflows of deployment: a deployment's life, and an alert on an overdue report.

A deployment is *preparing* until its departure is confirmed (every gate of
gates.py met), *departed* until the arrival is recorded, then *in placement*.
Abroad, a difficulty notice, a missing-person report and a transfer to another
host company are moves of the same table, and the stay ends *completed* or
*returned early* (with a reason from a fixed list). The journey of the
participant follows through participants' own service: contracted → departed →
in placement → completed / returned early.

An alert is *raised* with the sending organisation when a monitoring report is
overdue, *escalated* to the ministry after the grace period, and *resolved*
when a report covering it arrives or the stay ends.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jembatan.core.roles import Role
from jembatan.core.transitions import Transition, Workflow, register
from jembatan.deployment.models import AlertStatus, DeploymentStatus
from jembatan.participants.workflows import PARTNERS, SENDERS

PREPARERS = SENDERS  # national, provincial and sending-organisation staff, each in scope
MOVERS = SENDERS | PARTNERS  # the above and the partner abroad the apprentice is placed with
IN_SCOPE = "the deployment is in the acting person's scope (selectors.deployments_visible_to)"
STAYING = frozenset(
    {DeploymentStatus.IN_PLACEMENT, DeploymentStatus.IN_DIFFICULTY, DeploymentStatus.MISSING}
)


class DeploymentAction(StrEnum):
    """What happens to a deployment, named for what happens to the apprentice."""

    DEPART = "depart"
    ARRIVE = "arrive"
    TRANSFER = "transfer"
    REPORT_DIFFICULTY = "report_difficulty"
    RESOLVE_DIFFICULTY = "resolve_difficulty"
    REPORT_MISSING = "report_missing"
    REPORT_FOUND = "report_found"
    RETURN_EARLY = "return_early"
    COMPLETE = "complete"
    CALL_OFF = "call_off"


DEPLOYMENT_WORKFLOW: Workflow[DeploymentAction, DeploymentStatus] = Workflow(
    statuses=DeploymentStatus,
    noun=_("deployment"),
    transitions={
        DeploymentAction.DEPART: Transition(
            _("confirm the departure"),
            frozenset({DeploymentStatus.PREPARING}),
            DeploymentStatus.DEPARTED,
            PREPARERS,
            conditions=(IN_SCOPE, "every gate of gates.GATES is met", "the date is not ahead"),
            effects=(
                "deployment_depart: departed_on and departed_by; an event; the journey "
                "contracted → departed (participant_transition DEPART)."
            ),
        ),
        DeploymentAction.ARRIVE: Transition(
            _("record the arrival"),
            frozenset({DeploymentStatus.DEPARTED}),
            DeploymentStatus.IN_PLACEMENT,
            MOVERS,
            conditions=(IN_SCOPE, "the arrival date is neither ahead nor before the departure"),
            effects=(
                "deployment_arrive: arrived_on; the stages of the stay with their due dates "
                "(stay-plans.csv); an event; the journey departed → in placement."
            ),
        ),
        DeploymentAction.TRANSFER: Transition(
            _("transfer to another host company"),
            frozenset({DeploymentStatus.IN_PLACEMENT, DeploymentStatus.IN_DIFFICULTY}),
            DeploymentStatus.IN_PLACEMENT,
            MOVERS,
            needs_reason=True,
            conditions=(IN_SCOPE, "the new host company is another host company"),
            effects=(
                "deployment_transfer: the host company, its address and contact replaced; an "
                "event with the host before and after; the journey is not changed."
            ),
        ),
        DeploymentAction.REPORT_DIFFICULTY: Transition(
            _("report a difficulty"),
            frozenset({DeploymentStatus.IN_PLACEMENT}),
            DeploymentStatus.IN_DIFFICULTY,
            MOVERS,
            needs_reason=True,
            conditions=(IN_SCOPE,),
            effects="deployment_move: an event with the reason; the journey is not changed.",
        ),
        DeploymentAction.RESOLVE_DIFFICULTY: Transition(
            _("record that the difficulty is resolved"),
            frozenset({DeploymentStatus.IN_DIFFICULTY}),
            DeploymentStatus.IN_PLACEMENT,
            MOVERS,
            needs_reason=True,
            conditions=(IN_SCOPE,),
            effects="deployment_move: an event with the reason; the journey is not changed.",
        ),
        DeploymentAction.REPORT_MISSING: Transition(
            _("report the apprentice missing"),
            frozenset(
                {
                    DeploymentStatus.DEPARTED,
                    DeploymentStatus.IN_PLACEMENT,
                    DeploymentStatus.IN_DIFFICULTY,
                }
            ),
            DeploymentStatus.MISSING,
            MOVERS,
            needs_reason=True,
            conditions=(IN_SCOPE, "the date last seen is not ahead"),
            effects="deployment_move: an event with the date last seen and the circumstances.",
        ),
        DeploymentAction.REPORT_FOUND: Transition(
            _("record that the apprentice is found"),
            frozenset({DeploymentStatus.MISSING}),
            DeploymentStatus.IN_PLACEMENT,
            MOVERS,
            needs_reason=True,
            conditions=(IN_SCOPE,),
            effects="deployment_move: an event with the reason; the journey is not changed.",
        ),
        DeploymentAction.RETURN_EARLY: Transition(
            _("record an early return"),
            frozenset({DeploymentStatus.DEPARTED, *STAYING}),
            DeploymentStatus.RETURNED_EARLY,
            MOVERS,
            needs_reason=True,
            conditions=(IN_SCOPE, "a reason from EarlyReturnReason, and the text"),
            effects=(
                "deployment_move: ended_on; an event with the reason code and text; open "
                "alerts resolved; the journey → returned early (licence-free, with the reason)."
            ),
        ),
        DeploymentAction.COMPLETE: Transition(
            _("record the completion"),
            frozenset({DeploymentStatus.IN_PLACEMENT}),
            DeploymentStatus.COMPLETED,
            MOVERS,
            conditions=(IN_SCOPE, "the date is not ahead"),
            effects=(
                "deployment_move: ended_on; an event; open alerts resolved; the journey in "
                "placement → completed."
            ),
        ),
        DeploymentAction.CALL_OFF: Transition(
            _("call off the departure"),
            frozenset({DeploymentStatus.PREPARING}),
            DeploymentStatus.CALLED_OFF,
            MOVERS,
            system=True,
            needs_reason=True,
            conditions=(
                "the deployment's placement is being cancelled (demand.placement_cancel, whose "
                "own rules say who may); a person who has left cannot be called off",
            ),
            effects=(
                "deployment_call_off: ended_on today; an event with the cancellation's reason; "
                "a change record. The journey follows the placement, not the deployment."
            ),
        ),
    },
)
register("deployment.Deployment", "status", DEPLOYMENT_WORKFLOW)


class AlertAction(StrEnum):
    """What happens to an alert after it is raised."""

    ESCALATE = "escalate"
    RESOLVE = "resolve"


ALERT_WORKFLOW: Workflow[AlertAction, AlertStatus] = Workflow(
    statuses=AlertStatus,
    noun=_("alert"),
    transitions={
        AlertAction.ESCALATE: Transition(
            _("escalate to the ministry"),
            frozenset({AlertStatus.RAISED}),
            AlertStatus.ESCALATED,
            frozenset(),
            system=True,
            conditions=("the report is overdue by more than the grace period",),
            effects=(
                "alerts_escalate (from monitoring_run_daily): escalated_at; the ministry's "
                "national staff told by e-mail."
            ),
        ),
        AlertAction.RESOLVE: Transition(
            _("resolve the alert"),
            frozenset({AlertStatus.RAISED, AlertStatus.ESCALATED}),
            AlertStatus.RESOLVED,
            MOVERS | {Role.PARTICIPANT},
            system=True,
            conditions=("a report covering the due date arrived, or the stay ended",),
            effects="alerts_resolve (from report_submit and the end of a stay): resolved_at.",
        ),
    },
)
register("deployment.MonitoringAlert", "status", ALERT_WORKFLOW)
