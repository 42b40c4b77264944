"""Why a check shared by every app refused, as stable codes (house rule 3).

The refusals of an uploaded file (:mod:`jembatan.core.uploads`): the documents
app and the licence decisions raise them alike, and the API and tests match on
the strings.
"""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class CoreErrorCode(ErrorCode):
    """Refusal codes of the checks in ``jembatan/core``."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TYPE_REFUSED = "type_refused"
    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"
    ACTIVE_CONTENT = "active_content"
    HIDDEN_CONTENT = "hidden_content"
    TOO_MANY_PIXELS = "too_many_pixels"
    IMAGE_DIMENSIONS = "image_dimensions"
