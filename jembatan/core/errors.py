"""Why a core check refused, as stable codes (house rule 3).

``TRANSITION_REFUSED`` is what every app's :class:`~jembatan.core.transitions.Workflow`
raises for a move its table does not allow; the API answers it with 409. The
refusals of an uploaded file (:mod:`jembatan.core.uploads`) are raised alike by
the documents app and the licence decisions; the API and tests match on the strings.
"""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class CoreErrorCode(ErrorCode):
    """Refusal codes of the checks in ``jembatan/core``, shared by every app."""

    TRANSITION_REFUSED = "transition_refused"
    # An uploaded file (core/uploads.py).
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TYPE_REFUSED = "type_refused"
    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"
    ACTIVE_CONTENT = "active_content"
    HIDDEN_CONTENT = "hidden_content"
    TOO_MANY_PIXELS = "too_many_pixels"
    IMAGE_DIMENSIONS = "image_dimensions"
    # A task left by a dead worker (core/services/tasks.py).
    TASK_NOT_STALE = "task_not_stale"
    # A programme's rule set (core/scheme_rules.py, core/services/scheme_rules.py).
    RULE_INVALID = "rule_invalid"
    UNKNOWN_PROGRAMME = "unknown_programme"
    RULES_UNCHANGED = "rules_unchanged"
    VALID_FROM = "valid_from"
