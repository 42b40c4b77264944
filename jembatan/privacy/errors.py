"""Refusal codes of the privacy services (stable strings, matched by the API)."""

from django.core.exceptions import ValidationError

from jembatan.core.refusals import ErrorCode


class PrivacyErrorCode(ErrorCode):
    """Why a privacy service refused."""

    ARCHIVED = "archived"
    NOT_CORRECTABLE = "not_correctable"
    NOTHING_TO_CORRECT = "nothing_to_correct"
    NOT_YOUR_CONSENT = "not_your_consent"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    ALREADY_OPEN = "already_open"
    RETAINED = "retained"
    ALREADY_ANONYMISED = "already_anonymised"
    ALREADY_RESTRICTED = "already_restricted"
    NOT_RESTRICTED = "not_restricted"
    WITHDRAWAL_NOT_REFUSABLE = "withdrawal_not_refusable"
    REASON_REQUIRED = "reason_required"
    PROCESSING_RESTRICTED = "processing_restricted"
    WINDOW_ORDER = "window_order"
    NO_ACCOUNTS = "no_accounts"
    NOTICE_BEFORE_DISCOVERY = "notice_before_discovery"
    ALREADY_NOTIFIED = "already_notified"
    UNKNOWN_CATEGORY = "unknown_category"
    NO_NOTICE = "no_notice"
    ALREADY_ANSWERED = "already_answered"


def field_refusal(field: str, message: str, code: PrivacyErrorCode) -> ValidationError:
    """A refusal shown beside ``field`` that keeps its code (a dict of plain messages drops it)."""
    return ValidationError({field: ValidationError(message, code=code)})
