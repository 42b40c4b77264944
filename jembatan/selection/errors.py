"""Why a selection service refused, as stable codes (house rule 3).

The API answers 409 for the refused states it names (``api/selection.py``), and
the score page tells a stale entry from other refusals by its code.
"""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class SelectionErrorCode(ErrorCode):
    """Refusal codes of the selection services."""

    # Rounds and candidacies (services/rounds.py).
    NOT_READY = "not_ready"
    NOT_ELIGIBLE = "not_eligible"
    # Scores (services/scoring.py, RoundStage.result_of).
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    TOO_PRECISE = "too_precise"
    REQUIRED = "required"
    ROUND_NOT_OPEN = "round_not_open"
    STALE = "stale"
    CORRECTION_WITHOUT_REASON = "correction_without_reason"
    NOTHING_TO_SAVE = "nothing_to_save"
    # Closing a round (services/ranking.py).
    CANDIDATES_ACTIVE = "candidates_active"
    JOURNEY_REFUSED = "journey_refused"
    # Shortlists and interview decisions (services/shortlists.py).
    ROUND_NOT_CLOSED = "round_not_closed"
    OTHER_PARTNER = "other_partner"
    NO_OPEN_SLOT = "no_open_slot"
    SHORTLIST_EXISTS = "shortlist_exists"
    NOBODY_ELIGIBLE = "nobody_eligible"
    SHORTLIST_FULL = "shortlist_full"
    BAD_DECISION = "bad_decision"
    UNCHANGED = "unchanged"
    NOTE_REQUIRED = "note_required"
    NOT_ON_SHORTLIST = "not_on_shortlist"
