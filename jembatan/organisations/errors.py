"""Why an organisation or licence service refused, as stable codes (house rule 3).

Other apps match ``LICENCE_REQUIRED`` and ``NO_ORG`` (the refusals of
:func:`jembatan.organisations.rules.ensure_can_act`); the API matches the codes
by their string values, which never change.
"""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class OrganisationErrorCode(ErrorCode):
    """Refusal codes of the organisation and licence services and of the licence rule."""

    # The licence rule (rules.ensure_can_act)
    NO_ORG = "no_org"
    LICENCE_REQUIRED = "licence_required"
    WRONG_LICENCE_TYPE = "wrong_licence_type"
    # Applying for a licence
    NOT_SENDING = "not_sending"
    BARRED = "barred"
    ALREADY_OPEN = "already_open"
    LICENCE_TYPE = "licence_type"
    # Decisions on a licence
    REQUIRED = "required"
    REASON_REQUIRED = "reason_required"
    VALIDITY = "validity"
    NUMBER_REQUIRED = "number_required"
    NUMBER_TAKEN = "number_taken"
    NOT_YET_VALID = "not_yet_valid"
    DUPLICATE = "duplicate"
    DEADLINE = "deadline"
    ACTIVITY = "activity"
    COUNTRY = "country"
    BAR_UNTIL = "bar_until"
    NOT_EXPIRED = "not_expired"
