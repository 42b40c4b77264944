"""The licence lifecycle as one table: which action moves a licence from which status to which.

Services look every action up here before writing anything, so a refused
transition changes nothing and says why. The table is the single place to read
(and to change) the rules of domain.md:

draft → submitted → under review → granted → active → renewal → active, or → expired;
rejected; sanctions warning → improvement order → suspension → revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.organisations.models import DecisionKind, Licence, LicenceStatus

S = LicenceStatus
SYSTEM_ACTOR = "system:scheduler"


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
class Transition:
    """One allowed move. ``target=None`` keeps the status (a sanction on record)."""

    label: str | Promise
    sources: frozenset[LicenceStatus]
    target: LicenceStatus | None
    actors: frozenset[Role]
    decision: DecisionKind | None = None
    system: bool = False


SENDERS = frozenset({Role.SENDER_OPERATOR}) | NATIONAL
IN_FORCE = frozenset({S.ACTIVE, S.RENEWAL})

TRANSITIONS: dict[LicenceAction, Transition] = {
    LicenceAction.SUBMIT: Transition(
        gettext_lazy("submit the application"), frozenset({S.DRAFT}), S.SUBMITTED, SENDERS
    ),
    LicenceAction.START_REVIEW: Transition(
        gettext_lazy("start the review"), frozenset({S.SUBMITTED}), S.UNDER_REVIEW, NATIONAL
    ),
    LicenceAction.GRANT: Transition(
        gettext_lazy("grant the licence"),
        frozenset({S.UNDER_REVIEW}),
        S.GRANTED,
        NATIONAL,
        DecisionKind.GRANT,
    ),
    LicenceAction.REJECT: Transition(
        gettext_lazy("reject the application"),
        frozenset({S.SUBMITTED, S.UNDER_REVIEW}),
        S.REJECTED,
        NATIONAL,
        DecisionKind.REJECTION,
    ),
    LicenceAction.ACTIVATE: Transition(
        gettext_lazy("activate the licence"),
        frozenset({S.GRANTED}),
        S.ACTIVE,
        NATIONAL,
        system=True,
    ),
    LicenceAction.REQUEST_RENEWAL: Transition(
        gettext_lazy("request a renewal"), frozenset({S.ACTIVE}), S.RENEWAL, SENDERS
    ),
    LicenceAction.RENEW: Transition(
        gettext_lazy("grant the renewal"),
        frozenset({S.RENEWAL}),
        S.ACTIVE,
        NATIONAL,
        DecisionKind.RENEWAL,
    ),
    LicenceAction.REFUSE_RENEWAL: Transition(
        gettext_lazy("refuse the renewal"),
        frozenset({S.RENEWAL}),
        S.ACTIVE,
        NATIONAL,
        DecisionKind.RENEWAL_REFUSAL,
    ),
    LicenceAction.WARN: Transition(
        gettext_lazy("give a warning"), IN_FORCE, None, NATIONAL, DecisionKind.WARNING
    ),
    LicenceAction.ORDER_IMPROVEMENT: Transition(
        gettext_lazy("order an improvement"),
        IN_FORCE,
        None,
        NATIONAL,
        DecisionKind.IMPROVEMENT_ORDER,
    ),
    LicenceAction.SUSPEND: Transition(
        gettext_lazy("suspend the licence"),
        IN_FORCE,
        S.SUSPENDED,
        NATIONAL,
        DecisionKind.SUSPENSION,
    ),
    # The target is where the licence was before the suspension (Licence.resumes_as).
    LicenceAction.LIFT_SUSPENSION: Transition(
        gettext_lazy("lift the suspension"),
        frozenset({S.SUSPENDED}),
        S.ACTIVE,
        NATIONAL,
        DecisionKind.SUSPENSION_LIFT,
    ),
    LicenceAction.REVOKE: Transition(
        gettext_lazy("revoke the licence"),
        frozenset({S.GRANTED, S.ACTIVE, S.RENEWAL, S.SUSPENDED}),
        S.REVOKED,
        NATIONAL,
        DecisionKind.REVOCATION,
    ),
    LicenceAction.EXPIRE: Transition(
        gettext_lazy("mark the licence expired"),
        frozenset({S.ACTIVE, S.RENEWAL, S.SUSPENDED}),
        S.EXPIRED,
        frozenset(),
        system=True,
    ),
}
ACTION_OF_DECISION = {t.decision: a for a, t in TRANSITIONS.items() if t.decision}


class LicenceTransitionRefused(ValidationError):
    """The licence is not in a status from which this action is allowed."""


def _status_list(statuses: frozenset[LicenceStatus]) -> str:
    labels = [str(s.label) for s in LicenceStatus if s in statuses]
    return _(" or ").join(labels)


def check_allowed(licence: Licence, action: LicenceAction) -> Transition:
    """The transition for ``action``, or :class:`LicenceTransitionRefused` saying why not."""
    transition = TRANSITIONS[action]
    if licence.status not in transition.sources:
        raise LicenceTransitionRefused(
            _(
                "Cannot %(action)s: licence %(licence)s is %(status)s. "
                "This is possible only while it is %(allowed)s."
            )
            % {
                "action": transition.label,
                "licence": licence.number or f"#{licence.pk}",
                "status": licence.get_status_display(),
                "allowed": _status_list(transition.sources),
            },
            code="transition_refused",
        )
    return transition


def check_actor(licence: Licence, action: LicenceAction, actor: Any) -> None:
    """Refuse (PermissionDenied) an actor the table does not name for ``action``."""
    transition = TRANSITIONS[action]
    if actor == SYSTEM_ACTOR and transition.system:
        return
    role = role_of(actor)
    if role is None or role not in transition.actors:
        raise PermissionDenied(_("Your role may not %(action)s.") % {"action": transition.label})
    if role not in NATIONAL and actor.organisation_id != licence.organisation_id:
        raise PermissionDenied(_("This licence belongs to another organisation."))


def allowed_actions(licence: Licence, actor: Any) -> list[LicenceAction]:
    """The actions ``actor`` could take on ``licence`` now (to show only usable buttons)."""
    found = []
    for action, transition in TRANSITIONS.items():
        if transition.system or licence.status not in transition.sources:
            continue
        try:
            check_actor(licence, action, actor)
        except PermissionDenied:
            continue
        found.append(action)
    return found


def describe(action: LicenceAction) -> str:
    """The action's label with a capital letter, for buttons and headings."""
    return str(format_lazy("{}", TRANSITIONS[action].label)).capitalize()
