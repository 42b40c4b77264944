"""Refusal codes of the registry's services (stable strings, matched by the API)."""

from jembatan.core.refusals import ErrorCode


class ParticipantErrorCode(ErrorCode):
    """Why a registry service refused."""

    NO_TRANSFER_CONSENT = "no_transfer_consent"
    NO_PARTNER = "no_partner"
    PURPOSE_TOO_SHORT = "purpose_too_short"
    NO_TEXT_PUBLISHED = "no_text_published"
    HAS_ACCOUNT = "has_account"
    ARCHIVED = "archived"
    INVITATION_CLOSED = "invitation_closed"
    WRONG_BIRTH_DATE = "wrong_birth_date"
