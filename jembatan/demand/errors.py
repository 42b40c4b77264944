"""Why a demand service or rule refused, as stable codes (house rule 3).

The values are the strings the API and other apps match on; a member equals its
string, so ``error.code == "no_open_slot"`` still holds.
"""

from jembatan.core.refusals import ErrorCode


class DemandErrorCode(ErrorCode):
    """Why a job order, placement or fee-rule check refused."""

    # the job order's terms and the fee rule
    NO_FEE_RULE = "no_fee_rule"
    FORBIDDEN_COST = "forbidden_cost"
    COST_CURRENCY = "cost_currency"
    COST_OVER_CAP = "cost_over_cap"
    JOB_ORDER_TERMS = "job_order_terms"
    AGE_WINDOW = "age_window"
    NOT_ELIGIBLE_FOR_STAGE3 = "not_eligible_for_stage3"
    FEE_RULE_CLOSED = "fee_rule_closed"
    FEE_RULE_END = "fee_rule_end"
    # placements
    JOB_ORDER_NOT_OPEN = "job_order_not_open"
    ALREADY_PLACED = "already_placed"
    NO_OPEN_SLOT = "no_open_slot"
