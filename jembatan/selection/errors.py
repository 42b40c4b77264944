"""Why a selection service refused, as stable codes (house rule 3).

The codes the score and interview grids brought; the older refusals gain theirs
when issue 9 converts them.
"""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class SelectionErrorCode(ErrorCode):
    """Refusal codes of the selection services."""

    NOTHING_TO_SAVE = "nothing_to_save"
    NOT_ON_SHORTLIST = "not_on_shortlist"
