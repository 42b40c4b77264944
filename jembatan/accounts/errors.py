"""Refusal codes of the accounts' forms and services (stable strings)."""

from jembatan.core.refusals import ErrorCode


class AccountErrorCode(ErrorCode):
    """Why signing in, a password or an unlock was refused."""

    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a refusal code, not a password
    PASSWORDS_DIFFER = "passwords_differ"
    NOTHING_TO_UNLOCK = "nothing_to_unlock"
