"""Why a registry service or form refused, as stable codes (house rule 3).

The values are the strings the API and other apps match on; a member equals its
string, so ``error.code == "duplicate_nik"`` still holds.
"""

from jembatan.core.refusals import ErrorCode


class ParticipantErrorCode(ErrorCode):
    """Why a registry service or form refused."""

    # registering and editing
    DUPLICATE_NIK = "duplicate_nik"
    # a NIK held by a record the registrar may not see: why is not said (issue 14)
    NIK_NOT_ACCEPTED = "nik_not_accepted"
    # the NIK's date or sex part disagrees: kept once confirmed with a reason
    NIK_MISMATCH_UNCONFIRMED = "nik_mismatch_unconfirmed"
    NIK_MISMATCH_NOT_PENDING = "nik_mismatch_not_pending"
    OUTSIDE_PROVINCE = "outside_province"
    PASSPORT_NUMBER = "passport_number"
    BIRTH_DATE_IN_FUTURE = "future"
    TOO_YOUNG = "too_young"
    USERNAME_TAKEN = "taken"
    # the journey and the identity
    NOT_ALLOWED = "not_allowed"
    REASON_REQUIRED = "reason_required"
    NOT_VERIFIABLE = "not_verifiable"
    IDENTITY_ALREADY_VERIFIED = "already"
    # probable duplicates
    NOTE_REQUIRED = "note_required"
    FLAG_DECIDED = "decided"
    ARCHIVED = "archived"
    # imports
    AUTHORITY_MISSING = "authority_missing"
    NO_NOTICE = "no_notice"
    NOTICE_VERSION = "notice_version"
    # transfers abroad and invitations
    NO_TRANSFER_CONSENT = "no_transfer_consent"
    NO_PARTNER = "no_partner"
    PURPOSE_TOO_SHORT = "purpose_too_short"
    NO_TEXT_PUBLISHED = "no_text_published"
    HAS_ACCOUNT = "has_account"
    # consent texts
    TEXT_UNCHANGED = "text_unchanged"
    INVITATION_CLOSED = "invitation_closed"
    WRONG_BIRTH_DATE = "wrong_birth_date"
