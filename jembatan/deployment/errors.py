"""Why a deployment service refused, as stable codes (house rule 3); the API matches them."""

from __future__ import annotations

from jembatan.core.refusals import ErrorCode


class DeploymentErrorCode(ErrorCode):
    """Refusal codes of the deployment services."""

    PLACEMENT_NOT_CONFIRMED = "placement_not_confirmed"
    ALREADY_DEPLOYED = "already_deployed"
    NOT_A_HOST_COMPANY = "not_a_host_company"
    SUPERVISOR_REQUIRED = "supervisor_required"
    NOT_ABROAD = "not_abroad"
    DEPARTURE_CLOSED = "departure_closed"
    WAGE_BELOW_JOB_ORDER = "wage_below_job_order"
    WAGE_TERMS_DIFFER = "wage_terms_differ"
    DIFFERENCE_NEEDS_REASON = "difference_needs_reason"
    NO_DIFFERENCE = "no_difference"
    FEES_REFUSED = "fees_refused"
    FUTURE_DATE = "future_date"
    BEFORE_DEPARTURE = "before_departure"
    BEFORE_ARRIVAL = "before_arrival"
    PASSPORT_EXPIRES = "passport_expires"
    MEDICAL_RESULT = "medical_result"
    GATES_UNMET = "gates_unmet"
    REASON_REQUIRED = "reason_required"
    REASON_CODE_REQUIRED = "reason_code_required"
    SAME_HOST_COMPANY = "same_host_company"
    STAGE_DONE = "stage_done"
    NOT_OWN_REPORT = "not_own_report"
    DOCUMENT_OF_ANOTHER = "document_of_another"
    BAD_ANSWER = "bad_answer"
    HAS_LEFT = "has_left"
