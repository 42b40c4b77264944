"""Why a protection service refused, as stable codes (house rule 3); the API matches them."""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class ProtectionErrorCode(ErrorCode):
    """Refusal codes of the protection services."""

    DESCRIPTION_REQUIRED = "description_required"
    REPORTER_REQUIRED = "reporter_required"
    OUT_OF_SCOPE = "out_of_scope"
    OWNER_NOT_ELIGIBLE = "owner_not_eligible"
    MESSAGE_REQUIRED = "message_required"
    REASON_REQUIRED = "reason_required"
    OUTCOME_REQUIRED = "outcome_required"
    ACTION_TAKEN_REQUIRED = "action_taken_required"
    WITHDRAWN_OUTCOME = "withdrawn_outcome"
    AT_TOP_LEVEL = "at_top_level"
    NOT_DUE = "not_due"
    REFERRAL_RECIPIENT_REQUIRED = "referral_recipient_required"
    NO_MISSION = "no_mission"
    DUE_DATE_PAST = "due_date_past"
    ALREADY_ANSWERED = "already_answered"
    ANSWER_REQUIRED = "answer_required"
    NOT_THE_REPORTER = "not_the_reporter"
    CASE_FINISHED = "case_finished"
    UNKNOWN_LANGUAGE = "unknown_language"
    CASE_NOT_FINISHED = "case_not_finished"
    CASE_ANONYMISED = "case_anonymised"
