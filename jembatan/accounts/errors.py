"""Refusal codes of the accounts' forms and services (stable strings)."""

from jembatan.core.refusals import ErrorCode


class AccountErrorCode(ErrorCode):
    """Why signing in, a password, a second factor or an unlock was refused."""

    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a refusal code, not a password
    PASSWORDS_DIFFER = "passwords_differ"
    NOTHING_TO_UNLOCK = "nothing_to_unlock"
    WRONG_CODE = "wrong_code"
    TOO_MANY_CODES = "too_many_codes"
    ALREADY_ENROLLED = "already_enrolled"
    NOT_ENROLLED = "not_enrolled"
    TWO_FACTOR_REQUIRED = "two_factor_required"
    REASON_REQUIRED = "reason_required"
