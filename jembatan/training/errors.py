"""Why a training service refused, as stable codes (house rule 3)."""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class TrainingErrorCode(ErrorCode):
    """Refusal codes of the training services."""

    OUTSIDE_SCHEDULE = "outside_schedule"
    FUTURE_DATE = "future_date"
    OTHER_PHASE = "other_phase"
    NOTHING_TO_SAVE = "nothing_to_save"
    NOT_ENROLLED = "not_enrolled"
    ALREADY_MARKED = "already_marked"
    SESSION_DIFFERS = "session_differs"
    BAD_MARK = "bad_mark"
    NOT_ELIGIBLE = "not_eligible"
