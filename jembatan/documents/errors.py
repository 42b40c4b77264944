"""Why a documents service refused, as stable codes (house rule 3).

The refusals of the file itself (empty, too large, wrong type, active or hidden
content) are core's (:class:`jembatan.core.errors.CoreErrorCode`), shared with
every other upload.
"""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class DocumentErrorCode(ErrorCode):
    """Refusal codes of the documents services."""

    STALE_REQUIREMENT = "stale_requirement"
    NOT_CURRENT = "not_current"
    NOT_DECIDABLE = "not_decidable"
    REASON_REQUIRED = "reason_required"
    TYPE_EXISTS = "type_exists"
    LINE_EXISTS = "line_exists"
