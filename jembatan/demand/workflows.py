"""The workflows of demand: a job order's review and recruitment, and a placement on it.

The ministry verifies every job order before anyone may be matched to it:
draft → submitted → approved (by national officers) or returned with a reason;
approved → open for recruitment → filled / closed / cancelled (with a reason).
*Filled* follows from the placements (the last slot confirmed) and goes back to
*open* when a confirmed placement is cancelled; nobody sets it by hand.

A placement is proposed (created so), then confirmed or cancelled.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import Transition, Workflow, register
from jembatan.demand.models import JobOrderStatus, PlacementStatus

# Statuses in which anyone may be proposed for or placed on a job order.
MATCHABLE = frozenset({JobOrderStatus.APPROVED, JobOrderStatus.OPEN})
# Statuses in which the partner may still change what it asks for.
EDITABLE = frozenset({JobOrderStatus.DRAFT, JobOrderStatus.RETURNED})
# Statuses the public list and the public page show.
PUBLISHED = MATCHABLE

PARTNER_OR_NATIONAL = NATIONAL | {Role.PARTNER}  # a partner only on its own orders


class JobOrderAction(models.TextChoices):
    """What can happen to a job order; the label is the button's."""

    SUBMIT = "submit", _("Submit for review")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for correction")
    OPEN = "open", _("Open for recruitment")
    CLOSE = "close", _("Close")
    CANCEL = "cancel", _("Cancel")
    FILL = "fill", _("Mark filled")
    REOPEN = "reopen", _("Reopen for recruitment")


JOB_ORDER_WORKFLOW: Workflow[JobOrderAction, JobOrderStatus] = Workflow(
    statuses=JobOrderStatus,
    noun=_("job order"),
    transitions={
        JobOrderAction.SUBMIT: Transition(
            JobOrderAction.SUBMIT.label,
            frozenset({JobOrderStatus.DRAFT, JobOrderStatus.RETURNED}),
            JobOrderStatus.SUBMITTED,
            PARTNER_OR_NATIONAL,
            conditions=("the costs agree with the fee rule in force",),
            effects="job_order_transition: submitted_at set, the previous reason cleared.",
        ),
        JobOrderAction.APPROVE: Transition(
            JobOrderAction.APPROVE.label,
            frozenset({JobOrderStatus.SUBMITTED}),
            JobOrderStatus.APPROVED,
            NATIONAL,
            conditions=("the costs agree with the fee rule in force",),
            effects="job_order_transition: approved_at and approved_by set.",
        ),
        JobOrderAction.RETURN: Transition(
            JobOrderAction.RETURN.label,
            frozenset({JobOrderStatus.SUBMITTED}),
            JobOrderStatus.RETURNED,
            NATIONAL,
            needs_reason=True,
            effects="job_order_transition: the reason kept for the partner (status_reason).",
        ),
        JobOrderAction.OPEN: Transition(
            JobOrderAction.OPEN.label,
            frozenset({JobOrderStatus.APPROVED}),
            JobOrderStatus.OPEN,
            PARTNER_OR_NATIONAL,
            effects="job_order_transition: the status only.",
        ),
        JobOrderAction.CLOSE: Transition(
            JobOrderAction.CLOSE.label,
            frozenset({JobOrderStatus.APPROVED, JobOrderStatus.OPEN, JobOrderStatus.FILLED}),
            JobOrderStatus.CLOSED,
            PARTNER_OR_NATIONAL,
            needs_reason=True,
            effects=(
                "job_order_transition: the reason kept; every proposal still pending is "
                "cancelled with it (demand.placement_cancel)."
            ),
        ),
        JobOrderAction.CANCEL: Transition(
            JobOrderAction.CANCEL.label,
            frozenset(
                {
                    JobOrderStatus.DRAFT,
                    JobOrderStatus.SUBMITTED,
                    JobOrderStatus.RETURNED,
                    JobOrderStatus.APPROVED,
                    JobOrderStatus.OPEN,
                }
            ),
            JobOrderStatus.CANCELLED,
            PARTNER_OR_NATIONAL,
            needs_reason=True,
            conditions=("no confirmed placement (cancel those first, or close instead)",),
            effects=(
                "job_order_transition: the reason kept; every proposal still pending is "
                "cancelled with it (demand.placement_cancel)."
            ),
        ),
        JobOrderAction.FILL: Transition(
            JobOrderAction.FILL.label,
            frozenset({JobOrderStatus.APPROVED, JobOrderStatus.OPEN}),
            JobOrderStatus.FILLED,
            frozenset(),
            system=True,
            conditions=("the placement just confirmed took the last slot",),
            effects="set_filled (from placement_confirm): the status only.",
        ),
        JobOrderAction.REOPEN: Transition(
            JobOrderAction.REOPEN.label,
            frozenset({JobOrderStatus.FILLED}),
            JobOrderStatus.OPEN,
            frozenset(),
            system=True,
            conditions=("a confirmed placement was cancelled, freeing a slot",),
            effects="set_filled (from placement_cancel): the status only.",
        ),
    },
)
register("demand.JobOrder", "status", JOB_ORDER_WORKFLOW)


class PlacementAction(models.TextChoices):
    """What can happen to a proposed placement."""

    CONFIRM = "confirm", _("Confirm")
    CANCEL = "cancel", _("Cancel")


PLACEMENT_WORKFLOW: Workflow[PlacementAction, PlacementStatus] = Workflow(
    statuses=PlacementStatus,
    noun=_("placement"),
    transitions={
        PlacementAction.CONFIRM: Transition(
            PlacementAction.CONFIRM.label,
            frozenset({PlacementStatus.PROPOSED}),
            PlacementStatus.CONFIRMED,
            PARTNER_OR_NATIONAL,
            conditions=(
                "the job order is approved or open",
                "a slot is still open on it",
            ),
            effects=(
                "placement_confirm: confirmed_at set; the last slot marks the job order "
                "filled (JobOrderAction.FILL)."
            ),
        ),
        PlacementAction.CANCEL: Transition(
            PlacementAction.CANCEL.label,
            frozenset({PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED}),
            PlacementStatus.CANCELLED,
            PARTNER_OR_NATIONAL,
            needs_reason=True,
            effects=(
                "placement_cancel: cancelled_at and the reason; a confirmed one frees its slot "
                "and a filled job order reopens (JobOrderAction.REOPEN)."
            ),
        ),
    },
)
register("demand.Placement", "status", PLACEMENT_WORKFLOW)
