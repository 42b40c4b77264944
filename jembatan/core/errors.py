"""Why a core check refused, as stable codes (house rule 3).

``TRANSITION_REFUSED`` is what every app's :class:`~jembatan.core.transitions.Workflow`
raises for a move its table does not allow; the API answers it with 409.
"""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class CoreErrorCode(ErrorCode):
    """Refusal codes of core's checks, shared by every app's workflow."""

    TRANSITION_REFUSED = "transition_refused"
    TASK_NOT_STALE = "task_not_stale"
