"""The participant's journey and the review of probable duplicates, as workflow tables.

The journey of domain.md, one declaration per move. Both real orders are here:
the government-to-government route (IM Japan) selects first, then trains, then
matches; the LPK route trains first, then selects. Before departure a
candidate may withdraw or be rejected at any stage. Moves back (a round not
passed, an offer withdrawn, registering again) and moves out (withdrawn,
rejected, returned early) always say why. Anything else is refused.

Each move says, besides its sources, target and roles:

- ``undoing``: it restores a status the person already held (a round not passed,
  an offer withdrawn), so neither the verification checks nor an acting licence
  are asked again: a lapsed document or licence never traps someone mid-journey;
- ``licence_free``: it needs no acting licence of the sending organisation
  (leaving the programme protects people); every other move does.

Scope (which participants a person may see) is the selectors'; a participant
may record only their own withdrawal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import Transition, Workflow, register
from jembatan.participants.models import DuplicateStatus, JourneyStatus

OFFICERS = NATIONAL | {Role.PROVINCIAL_OFFICER}
SENDERS = OFFICERS | {Role.SENDER_OPERATOR}
TRAINERS = OFFICERS | {Role.TRAINING_OPERATOR}
PARTNERS = OFFICERS | {Role.PARTNER}
BEFORE_DEPARTURE = frozenset(
    {
        JourneyStatus.REGISTERED,
        JourneyStatus.VERIFIED,
        JourneyStatus.IN_TRAINING,
        JourneyStatus.CERTIFIED,
        JourneyStatus.IN_SELECTION,
        JourneyStatus.SELECTED,
        JourneyStatus.MATCHED,
        JourneyStatus.CONTRACTED,
    }
)


@dataclass(frozen=True)
class JourneyStep(Transition[JourneyStatus]):
    """A move of the journey, with what it is spared (see the module's docstring)."""

    undoing: bool = False
    licence_free: bool = False

    @property
    def to_status(self) -> JourneyStatus:
        """The status the move leads to (every move of the journey has one)."""
        assert self.target is not None
        return self.target


class JourneyAction(StrEnum):
    """Every move of the journey, named for what happens to the person."""

    REGISTER_AGAIN = "register_again"
    VERIFY = "verify"
    START_TRAINING = "start_training"
    CERTIFY = "certify"
    ENTER_SELECTION = "enter_selection"
    SELECT = "select"
    BACK_TO_VERIFIED = "back_to_verified"
    BACK_TO_CERTIFIED = "back_to_certified"
    MATCH = "match"
    WITHDRAW_OFFER = "withdraw_offer"
    CONTRACT = "contract"
    DEPART = "depart"
    START_PLACEMENT = "start_placement"
    COMPLETE = "complete"
    RETURN_EARLY = "return_early"
    BECOME_ALUMNUS = "become_alumnus"
    WITHDRAW = "withdraw"
    REJECT = "reject"


def _step(
    label: str | Promise,
    sources: set[JourneyStatus],
    target: JourneyStatus,
    actors: frozenset[Role],
    effects: str,
    *,
    needs_reason: bool = False,
    undoing: bool = False,
    licence_free: bool = False,
    system: bool = False,
) -> JourneyStep:
    return JourneyStep(
        label,
        frozenset(sources),
        target,
        actors,
        system=system,
        needs_reason=needs_reason,
        effects=effects,
        undoing=undoing,
        licence_free=licence_free,
    )


LEAVING = "participant_transition: a status change row with the reason; no licence needed."
FORWARD = "participant_transition: a status change row (from, to, at, by, reason)."
JOURNEY_STEPS: dict[JourneyAction, JourneyStep] = {
    JourneyAction.REGISTER_AGAIN: _step(
        _("register again"),
        {JourneyStatus.WITHDRAWN},
        JourneyStatus.REGISTERED,
        SENDERS,
        FORWARD,
        needs_reason=True,
    ),
    JourneyAction.VERIFY: JourneyStep(
        _("verify"),
        frozenset({JourneyStatus.REGISTERED}),
        JourneyStatus.VERIFIED,
        OFFICERS,
        conditions=("nothing in rules.verification_blockers() (identity, documents)",),
        effects=FORWARD,
    ),
    JourneyAction.START_TRAINING: _step(
        _("start training"),
        {JourneyStatus.VERIFIED, JourneyStatus.SELECTED},
        JourneyStatus.IN_TRAINING,
        TRAINERS | SENDERS,
        FORWARD,
    ),
    JourneyAction.CERTIFY: _step(
        _("certify"), {JourneyStatus.IN_TRAINING}, JourneyStatus.CERTIFIED, TRAINERS, FORWARD
    ),
    JourneyAction.ENTER_SELECTION: _step(
        _("enter selection"),
        {JourneyStatus.VERIFIED, JourneyStatus.CERTIFIED},
        JourneyStatus.IN_SELECTION,
        SENDERS,
        FORWARD,
    ),
    JourneyAction.SELECT: _step(
        _("select"), {JourneyStatus.IN_SELECTION}, JourneyStatus.SELECTED, PARTNERS, FORWARD
    ),
    # Not passing a selection round returns the candidate to where they were before it.
    JourneyAction.BACK_TO_VERIFIED: _step(
        _("return to verified after selection"),
        {JourneyStatus.IN_SELECTION},
        JourneyStatus.VERIFIED,
        OFFICERS,
        FORWARD,
        needs_reason=True,
        undoing=True,
    ),
    JourneyAction.BACK_TO_CERTIFIED: _step(
        _("return to certified after selection"),
        {JourneyStatus.IN_SELECTION},
        JourneyStatus.CERTIFIED,
        TRAINERS,
        FORWARD,
        needs_reason=True,
        undoing=True,
    ),
    JourneyAction.MATCH: _step(
        _("match"),
        {JourneyStatus.CERTIFIED, JourneyStatus.SELECTED},
        JourneyStatus.MATCHED,
        PARTNERS,
        FORWARD,
    ),
    # A host company may withdraw its offer: back to selected, with a reason.
    JourneyAction.WITHDRAW_OFFER: _step(
        _("withdraw the offer"),
        {JourneyStatus.MATCHED},
        JourneyStatus.SELECTED,
        PARTNERS,
        FORWARD,
        needs_reason=True,
        undoing=True,
    ),
    JourneyAction.CONTRACT: _step(
        _("sign the contract"), {JourneyStatus.MATCHED}, JourneyStatus.CONTRACTED, SENDERS, FORWARD
    ),
    JourneyAction.DEPART: _step(
        _("depart"), {JourneyStatus.CONTRACTED}, JourneyStatus.DEPARTED, SENDERS, FORWARD
    ),
    JourneyAction.START_PLACEMENT: _step(
        _("start the placement"),
        {JourneyStatus.DEPARTED},
        JourneyStatus.IN_PLACEMENT,
        SENDERS | PARTNERS,
        FORWARD,
    ),
    JourneyAction.COMPLETE: _step(
        _("complete the placement"),
        {JourneyStatus.IN_PLACEMENT},
        JourneyStatus.COMPLETED,
        SENDERS | PARTNERS,
        FORWARD,
    ),
    JourneyAction.RETURN_EARLY: _step(
        _("return early"),
        {JourneyStatus.DEPARTED, JourneyStatus.IN_PLACEMENT},
        JourneyStatus.RETURNED_EARLY,
        SENDERS | PARTNERS,
        LEAVING,
        needs_reason=True,
        licence_free=True,
    ),
    JourneyAction.BECOME_ALUMNUS: _step(
        _("become an alumnus"),
        {JourneyStatus.COMPLETED, JourneyStatus.RETURNED_EARLY},
        JourneyStatus.ALUMNUS,
        SENDERS,
        FORWARD,
    ),
    # "You may register again later": a withdrawn candidate starts over.
    JourneyAction.WITHDRAW: _step(
        _("withdraw"),
        set(BEFORE_DEPARTURE),
        JourneyStatus.WITHDRAWN,
        SENDERS | {Role.PARTICIPANT},
        LEAVING,
        needs_reason=True,
        licence_free=True,
        # The retention run withdraws a file that passed its time before anonymising it.
        system=True,
    ),
    JourneyAction.REJECT: _step(
        _("reject"),
        set(BEFORE_DEPARTURE),
        JourneyStatus.REJECTED,
        SENDERS,
        LEAVING,
        needs_reason=True,
        licence_free=True,
    ),
}
JOURNEY_WORKFLOW: Workflow[JourneyAction, JourneyStatus] = Workflow(
    statuses=JourneyStatus, transitions=JOURNEY_STEPS, noun=_("participant")
)
register("participants.Participant", "status", JOURNEY_WORKFLOW)


def journey_step(from_status: str, to_status: str) -> JourneyAction | None:
    """The move from ``from_status`` to ``to_status``, if the journey has one."""
    return JOURNEY_WORKFLOW.action_between(from_status, to_status)


def allowed_targets(status: str) -> frozenset[str]:
    """Where a participant at ``status`` may go next."""
    return frozenset(JOURNEY_WORKFLOW.targets(status))


def needs_reason(from_status: str, to_status: str) -> bool:
    """Whether the move from ``from_status`` to ``to_status`` must give a reason."""
    action = journey_step(from_status, to_status)
    return action is not None and JOURNEY_STEPS[action].needs_reason


class DuplicateAction(StrEnum):
    """The decision on a probable duplicate."""

    MERGE = "merge"
    DISMISS = "dismiss"


REVIEWERS = OFFICERS  # a provincial officer only for a record of their province
DUPLICATE_WORKFLOW: Workflow[DuplicateAction, DuplicateStatus] = Workflow(
    statuses=DuplicateStatus,
    noun=_("duplicate flag"),
    transitions={
        DuplicateAction.MERGE: Transition(
            _("merge the records"),
            frozenset({DuplicateStatus.OPEN}),
            DuplicateStatus.MERGED,
            REVIEWERS,
            needs_reason=True,
            conditions=("the survivor is one of the flagged pair",),
            effects=(
                "duplicate_merge: the other record archived into the survivor (history, "
                "consents, empty fields, account, documents follow); its other open flags "
                "point at the survivor."
            ),
        ),
        DuplicateAction.DISMISS: Transition(
            _("dismiss the flag"),
            frozenset({DuplicateStatus.OPEN}),
            DuplicateStatus.DISMISSED,
            REVIEWERS,
            needs_reason=True,
            effects="duplicate_dismiss: the note kept; the pair is never flagged again.",
        ),
    },
)
register("participants.DuplicateFlag", "status", DUPLICATE_WORKFLOW)
