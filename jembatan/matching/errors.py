"""Why a matching service refused, as stable codes (house rule 3)."""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class MatchingErrorCode(ErrorCode):
    """Refusal codes of the matching services."""

    # Deciding on a run (services/runs.py, services/approval.py).
    BUSY = "busy"
    NOT_DONE = "not_done"
    STALE_RUN = "stale_run"
    NOT_INTERRUPTED = "not_interrupted"
    # A candidate's ranking of job orders (services/runs.py).
    NOT_ELIGIBLE = "not_eligible"
    RANK_POSITIVE = "rank_positive"
    RANK_TIED = "rank_tied"
