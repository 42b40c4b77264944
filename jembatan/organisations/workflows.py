"""The licence lifecycle as one table: which action moves a licence from which status to which.

Services look every action up here before writing anything, so a refused
transition changes nothing and says why. The table is the single place to read
(and to change) the rules of domain.md:

draft → submitted → under review → granted → active → renewal → active, or → expired;
rejected; sanctions (Indonesian terms, core/data/licence-sanctions.csv): written warning
→ written warning with a deadline → temporary suspension → revocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import SYSTEM_ACTOR, Transition, Workflow, register
from jembatan.organisations.models import DecisionKind, Licence, LicenceStatus


class LicenceAction(StrEnum):
    """Everything that can happen to a licence after it is applied for."""

    SUBMIT = "submit"
    START_REVIEW = "start_review"
    GRANT = "grant"
    REJECT = "reject"
    ACTIVATE = "activate"
    REQUEST_RENEWAL = "request_renewal"
    RENEW = "renew"
    REFUSE_RENEWAL = "refuse_renewal"
    WARN = "warn"
    ORDER_IMPROVEMENT = "order_improvement"
    SUSPEND = "suspend"
    LIFT_SUSPENSION = "lift_suspension"
    REVOKE = "revoke"
    EXPIRE = "expire"


@dataclass(frozen=True)
class LicenceStep(Transition[LicenceStatus]):
    """A move of the licence, with the decision record it writes (None: the status alone)."""

    decision: DecisionKind | None = None


SENDERS = frozenset({Role.SENDER_OPERATOR}) | NATIONAL
IN_FORCE = frozenset({LicenceStatus.ACTIVE, LicenceStatus.RENEWAL})
# Sanctions and their lifting: the page and the API ask for the password again first.
SANCTION_ACTIONS = frozenset(
    {
        LicenceAction.WARN,
        LicenceAction.ORDER_IMPROVEMENT,
        LicenceAction.SUSPEND,
        LicenceAction.LIFT_SUSPENSION,
        LicenceAction.REVOKE,
    }
)

LICENCE_STEPS: dict[LicenceAction, LicenceStep] = {
    LicenceAction.SUBMIT: LicenceStep(
        gettext_lazy("submit the application"),
        frozenset({LicenceStatus.DRAFT}),
        LicenceStatus.SUBMITTED,
        SENDERS,
        conditions=("an operator acts only for their own organisation",),
        effects="licence_submit: the status only.",
    ),
    LicenceAction.START_REVIEW: LicenceStep(
        gettext_lazy("start the review"),
        frozenset({LicenceStatus.SUBMITTED}),
        LicenceStatus.UNDER_REVIEW,
        NATIONAL,
        effects="licence_start_review: the status only.",
    ),
    LicenceAction.GRANT: LicenceStep(
        gettext_lazy("grant the licence"),
        frozenset({LicenceStatus.UNDER_REVIEW}),
        LicenceStatus.GRANTED,
        NATIONAL,
        needs_reason=True,
        conditions=(
            "a licence number no other licence has",
            "the validity ends after it starts",
        ),
        effects=(
            "licence_grant: number and validity set; a GRANT decision; activated at "
            "once (ACTIVATE) when the validity has already begun."
        ),
        decision=DecisionKind.GRANT,
    ),
    LicenceAction.REJECT: LicenceStep(
        gettext_lazy("reject the application"),
        frozenset({LicenceStatus.SUBMITTED, LicenceStatus.UNDER_REVIEW}),
        LicenceStatus.REJECTED,
        NATIONAL,
        needs_reason=True,
        effects="licence_reject: a REJECTION decision; the organisation may apply again.",
        decision=DecisionKind.REJECTION,
    ),
    LicenceAction.ACTIVATE: LicenceStep(
        gettext_lazy("activate the licence"),
        frozenset({LicenceStatus.GRANTED}),
        LicenceStatus.ACTIVE,
        NATIONAL,
        system=True,
        conditions=("its validity has begun",),
        effects="licence_activate (the daily run, or a grant): the status only.",
    ),
    LicenceAction.REQUEST_RENEWAL: LicenceStep(
        gettext_lazy("request a renewal"),
        frozenset({LicenceStatus.ACTIVE}),
        LicenceStatus.RENEWAL,
        SENDERS,
        conditions=("an operator acts only for their own organisation",),
        effects="licence_request_renewal: the status; the licence keeps letting it act.",
    ),
    LicenceAction.RENEW: LicenceStep(
        gettext_lazy("grant the renewal"),
        frozenset({LicenceStatus.RENEWAL}),
        LicenceStatus.ACTIVE,
        NATIONAL,
        needs_reason=True,
        conditions=("the new validity ends after the current one",),
        effects="licence_renew: a later valid_to; a RENEWAL decision.",
        decision=DecisionKind.RENEWAL,
    ),
    LicenceAction.REFUSE_RENEWAL: LicenceStep(
        gettext_lazy("refuse the renewal"),
        frozenset({LicenceStatus.RENEWAL}),
        LicenceStatus.ACTIVE,
        NATIONAL,
        needs_reason=True,
        effects=(
            "licence_refuse_renewal: a RENEWAL_REFUSAL decision; the licence runs until "
            "its valid_to, then expires."
        ),
        decision=DecisionKind.RENEWAL_REFUSAL,
    ),
    LicenceAction.WARN: LicenceStep(
        gettext_lazy("give a written warning"),
        IN_FORCE,
        None,
        NATIONAL,
        needs_reason=True,
        conditions=("not the same warning a few minutes ago",),
        effects="licence_warn: a WARNING decision, published if asked; the status stays.",
        decision=DecisionKind.WARNING,
    ),
    LicenceAction.ORDER_IMPROVEMENT: LicenceStep(
        gettext_lazy("give a written warning with a deadline to remedy"),
        IN_FORCE,
        None,
        NATIONAL,
        needs_reason=True,
        conditions=(
            "a deadline in the future",
            "not the same order a few minutes ago",
        ),
        effects=(
            "licence_order_improvement: an IMPROVEMENT_ORDER decision with its deadline; "
            "the status stays."
        ),
        decision=DecisionKind.IMPROVEMENT_ORDER,
    ),
    LicenceAction.SUSPEND: LicenceStep(
        gettext_lazy("suspend the licence temporarily"),
        IN_FORCE,
        LicenceStatus.SUSPENDED,
        NATIONAL,
        needs_reason=True,
        effects=(
            "licence_suspend: the previous status kept in resumes_as; a SUSPENSION "
            "decision with its scope (activities, countries; none means everything)."
        ),
        decision=DecisionKind.SUSPENSION,
    ),
    # The target is where the licence was before the suspension (Licence.resumes_as).
    LicenceAction.LIFT_SUSPENSION: LicenceStep(
        gettext_lazy("lift the suspension"),
        frozenset({LicenceStatus.SUSPENDED}),
        LicenceStatus.ACTIVE,
        NATIONAL,
        needs_reason=True,
        effects=(
            "licence_lift_suspension: back to resumes_as (active or renewal); a "
            "SUSPENSION_LIFT decision."
        ),
        decision=DecisionKind.SUSPENSION_LIFT,
    ),
    LicenceAction.REVOKE: LicenceStep(
        gettext_lazy("revoke the licence"),
        frozenset(
            {
                LicenceStatus.GRANTED,
                LicenceStatus.ACTIVE,
                LicenceStatus.RENEWAL,
                LicenceStatus.SUSPENDED,
            }
        ),
        LicenceStatus.REVOKED,
        NATIONAL,
        needs_reason=True,
        conditions=("a bar on applying again that ends in the future",),
        effects="licence_revoke: a REVOCATION decision with the bar on applying again.",
        decision=DecisionKind.REVOCATION,
    ),
    LicenceAction.EXPIRE: LicenceStep(
        gettext_lazy("mark the licence expired"),
        frozenset({LicenceStatus.ACTIVE, LicenceStatus.RENEWAL, LicenceStatus.SUSPENDED}),
        LicenceStatus.EXPIRED,
        frozenset(),
        system=True,
        conditions=("its valid_to has passed",),
        effects="licence_expire (the daily run): resumes_as cleared.",
    ),
}
LICENCE_WORKFLOW: Workflow[LicenceAction, LicenceStatus] = Workflow(
    statuses=LicenceStatus, transitions=LICENCE_STEPS, noun=gettext_lazy("licence")
)
register("organisations.Licence", "status", LICENCE_WORKFLOW)

# The decision record each action writes (the others change the status alone).
DECISION_OF = {action: t.decision for action, t in LICENCE_STEPS.items() if t.decision}
ACTION_OF_DECISION = {kind: action for action, kind in DECISION_OF.items()}


def check_allowed(licence: Licence, action: LicenceAction) -> Transition[LicenceStatus]:
    """The transition for ``action``, or ``TransitionRefused`` saying why not."""
    return LICENCE_WORKFLOW.check(licence.status, action, name=licence.number or f"#{licence.pk}")


def check_actor(licence: Licence, action: LicenceAction, actor: Any) -> None:
    """Refuse (PermissionDenied) an actor the table does not name, or of another organisation."""
    LICENCE_WORKFLOW.check_actor(action, actor)
    if actor == SYSTEM_ACTOR:
        return
    if role_of(actor) not in NATIONAL and actor.organisation_id != licence.organisation_id:
        raise PermissionDenied(_("This licence belongs to another organisation."))


def allowed_actions(licence: Licence, actor: Any) -> list[LicenceAction]:
    """The actions ``actor`` could take on ``licence`` now (to show only usable buttons).

    Actions the system takes (activation, expiry) are never buttons.
    """
    found = []
    for action in LICENCE_WORKFLOW.actions_from(licence.status):
        if LICENCE_WORKFLOW[action].system:
            continue
        try:
            check_actor(licence, action, actor)
        except PermissionDenied:
            continue
        found.append(action)
    return found


def describe(action: LicenceAction) -> str:
    """The action's label with a capital letter, for buttons and headings."""
    return LICENCE_WORKFLOW.describe(action)
