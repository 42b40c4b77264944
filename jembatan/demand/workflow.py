"""The job order's workflow: which status may follow which, through which action, by whom.

The ministry verifies every job order before anyone may be matched to it:
draft → submitted → approved (by national officers) or returned with a reason;
approved → open for recruitment → filled / closed / cancelled (with a reason).
*Filled* follows from the placements (the last slot confirmed) and goes back to
*open* when a confirmed placement is cancelled; nobody sets it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from jembatan.demand.models import JobOrderStatus as S

# Every move the workflow allows, from -> {to}. Anything else is refused.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.APPROVED, S.RETURNED, S.CANCELLED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.APPROVED: frozenset({S.OPEN, S.FILLED, S.CLOSED, S.CANCELLED}),
    S.OPEN: frozenset({S.FILLED, S.CLOSED, S.CANCELLED}),
    S.FILLED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}
# Statuses in which anyone may be proposed for or placed on a job order.
MATCHABLE = frozenset({S.APPROVED, S.OPEN})
# Statuses in which the partner may still change what it asks for.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Statuses the public list and the public page show.
PUBLISHED = MATCHABLE


class JobOrderAction(models.TextChoices):
    """What a person can do to a job order."""

    SUBMIT = "submit", _("Submit for review")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for correction")
    OPEN = "open", _("Open for recruitment")
    CLOSE = "close", _("Close")
    CANCEL = "cancel", _("Cancel")


@dataclass(frozen=True)
class Step:
    """One action: the statuses it starts from, where it leads, who may take it."""

    sources: frozenset[str]
    target: str
    partner_may: bool  # the partner that owns the order (national staff always may)
    needs_reason: bool


A = JobOrderAction
STEPS: dict[str, Step] = {
    A.SUBMIT: Step(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, True, False),
    A.APPROVE: Step(frozenset({S.SUBMITTED}), S.APPROVED, False, False),
    A.RETURN: Step(frozenset({S.SUBMITTED}), S.RETURNED, False, True),
    A.OPEN: Step(frozenset({S.APPROVED}), S.OPEN, True, False),
    A.CLOSE: Step(frozenset({S.APPROVED, S.OPEN, S.FILLED}), S.CLOSED, True, True),
    A.CANCEL: Step(
        frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED, S.OPEN}), S.CANCELLED, True, True
    ),
}


def step_for(action: str) -> Step:
    """The step of ``action``; KeyError for an action that does not exist."""
    return STEPS[JobOrderAction(action)]


def actions_from(status: str) -> list[JobOrderAction]:
    """The actions whose step starts at ``status``, in the table's order."""
    return [JobOrderAction(a) for a, step in STEPS.items() if status in step.sources]
