"""What a participant should do next at each stage of the journey."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.participants.models import JourneyStatus

NEXT_STEP: dict[str, Promise] = {
    JourneyStatus.REGISTERED: _(
        "Upload your documents (ID card, diploma, passport if you have one). "
        "An officer will then verify your identity."
    ),
    JourneyStatus.VERIFIED: _(
        "Your identity is verified. Enrol in a training batch at a BLK or LPK."
    ),
    JourneyStatus.IN_TRAINING: _(
        "Attend your training and language lessons; your assessments are recorded."
    ),
    JourneyStatus.CERTIFIED: _(
        "You are certified. Wait for the next selection round you are eligible for."
    ),
    JourneyStatus.IN_SELECTION: _("Follow the selection stages; each result appears here."),
    JourneyStatus.SELECTED: _("You passed selection. Rank the job orders you are eligible for."),
    JourneyStatus.MATCHED: _(
        "You are matched to a job order. Wait for the host company's confirmation."
    ),
    JourneyStatus.CONTRACTED: _(
        "Sign your contract and prepare your visa and departure documents."
    ),
    JourneyStatus.DEPARTED: _("Safe travels. Report your arrival to your sending organisation."),
    JourneyStatus.IN_PLACEMENT: _(
        "Send your monitoring reports. If you have a problem, report it here at any time."
    ),
    JourneyStatus.COMPLETED: _("Welcome home. Tell us about your work and plans as an alumnus."),
    JourneyStatus.RETURNED_EARLY: _(
        "Contact your sending organisation; the reason of your return is recorded."
    ),
    JourneyStatus.ALUMNUS: _("Keep your alumni profile up to date; IKAPEKSI connects returnees."),
    JourneyStatus.WITHDRAWN: _("You have withdrawn. You may register again later."),
    JourneyStatus.REJECTED: _(
        "Your application was not accepted; the reason is shown in your record."
    ),
}

S = JourneyStatus
# Before departure a candidate may withdraw or be rejected at any stage.
_LEAVING = frozenset({S.WITHDRAWN, S.REJECTED})

# Every move the journey allows, from -> {to}. Both real orders are here: the
# government-to-government route (IM Japan) selects first, then trains, then
# matches; the LPK route trains first, then selects. Anything else is refused.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.VERIFIED}) | _LEAVING,
    S.VERIFIED: frozenset({S.IN_TRAINING, S.IN_SELECTION}) | _LEAVING,
    S.IN_TRAINING: frozenset({S.CERTIFIED}) | _LEAVING,
    S.CERTIFIED: frozenset({S.IN_SELECTION, S.MATCHED}) | _LEAVING,
    # Not passing a selection round returns the candidate to where they were before it.
    S.IN_SELECTION: frozenset({S.SELECTED, S.VERIFIED, S.CERTIFIED}) | _LEAVING,
    S.SELECTED: frozenset({S.IN_TRAINING, S.MATCHED}) | _LEAVING,
    # A host company may withdraw its offer: back to selected, with a reason.
    S.MATCHED: frozenset({S.CONTRACTED, S.SELECTED}) | _LEAVING,
    S.CONTRACTED: frozenset({S.DEPARTED}) | _LEAVING,
    S.DEPARTED: frozenset({S.IN_PLACEMENT, S.RETURNED_EARLY}),
    S.IN_PLACEMENT: frozenset({S.COMPLETED, S.RETURNED_EARLY}),
    S.COMPLETED: frozenset({S.ALUMNUS}),
    S.RETURNED_EARLY: frozenset({S.ALUMNUS}),
    S.ALUMNUS: frozenset(),
    # "You may register again later": a withdrawn candidate starts over.
    S.WITHDRAWN: frozenset({S.REGISTERED}),
    S.REJECTED: frozenset(),
}

# Moves that must say why (domain.md: "always with a reason kept").
REASON_REQUIRED: frozenset[str] = frozenset({S.WITHDRAWN, S.REJECTED, S.RETURNED_EARLY})
# Moves back along the journey also need a reason.
BACKWARD: frozenset[tuple[str, str]] = frozenset(
    {
        (S.MATCHED, S.SELECTED),
        (S.WITHDRAWN, S.REGISTERED),
        (S.IN_SELECTION, S.VERIFIED),
        (S.IN_SELECTION, S.CERTIFIED),
    }
)
# Moves that never need an acting licence: leaving the programme protects people.
LICENCE_FREE: frozenset[str] = _LEAVING | {S.RETURNED_EARLY}
# Moves that undo a step and restore a status the person already held (a round not
# passed, an offer withdrawn): neither the verification checks nor an acting licence
# are asked again, so a lapsed document or licence can never trap someone mid-journey.
UNDOING: frozenset[tuple[str, str]] = frozenset(
    {(S.MATCHED, S.SELECTED), (S.IN_SELECTION, S.VERIFIED), (S.IN_SELECTION, S.CERTIFIED)}
)


def allowed_targets(status: str) -> frozenset[str]:
    """Where a participant at ``status`` may go next."""
    return ALLOWED_TRANSITIONS.get(status, frozenset())


def needs_reason(from_status: str, to_status: str) -> bool:
    """Whether the move from ``from_status`` to ``to_status`` must give a reason."""
    return to_status in REASON_REQUIRED or (from_status, to_status) in BACKWARD
