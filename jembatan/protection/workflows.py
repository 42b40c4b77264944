"""The workflow of a protection case (house rule 2).

A case is *reported*, *triaged* by an officer (severity, owner: the first
response), then *in progress*; it may be *referred* to a body that must answer
(the partner, KBRI/KJRI, a foreign supervisory body) or wait for the reporter
(*awaiting reporter*); it ends *resolved* with an outcome and what was done, then
*closed*, or *withdrawn* by the reporter. A resolved or closed case can be
reopened. Escalation and a change of owner keep the status: they move the case
between levels (provincial office → national directorate → director) and people.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jembatan.core.roles import ALL_ROLES, NATIONAL, Role
from jembatan.core.transitions import Transition, Workflow, register
from jembatan.protection.models import OPEN, CaseStatus

OFFICERS = NATIONAL | {Role.PROVINCIAL_OFFICER}
# Anyone signed in who reported the case may answer or withdraw it (the auditor only reads).
REPORTERS = ALL_ROLES - {Role.AUDITOR}
# The anonymous reporter has no account: the public follow-up passes this after checking
# the case code and secret, and the services take it in place of a user.
ANONYMOUS_REPORTER = "reporter:anonymous"
IN_SCOPE = "the case is visible to the acting officer (selectors.cases_visible_to)"
WORKING = frozenset(
    {
        CaseStatus.TRIAGED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.REFERRED,
        CaseStatus.AWAITING_REPORTER,
    }
)


class CaseAction(StrEnum):
    """What happens to a case."""

    TRIAGE = "triage"
    START = "start"
    ASSIGN = "assign"
    ASK_REPORTER = "ask_reporter"
    REPORTER_ANSWERS = "reporter_answers"
    REFER = "refer"
    ANSWER_REFERRAL = "answer_referral"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"


CASE_WORKFLOW: Workflow[CaseAction, CaseStatus] = Workflow(
    statuses=CaseStatus,
    noun=_("case"),
    transitions={
        CaseAction.TRIAGE: Transition(
            _("triage"),
            frozenset({CaseStatus.REPORTED}),
            CaseStatus.TRIAGED,
            OFFICERS,
            conditions=(IN_SCOPE, "the owner is an officer of the case's level (rules.py)"),
            effects=(
                "case_triage: severity and owner; first_responded_at; the resolution deadline "
                "recomputed for the severity unless the case has escalated; a timeline line."
            ),
        ),
        CaseAction.START: Transition(
            _("start handling"),
            frozenset({CaseStatus.TRIAGED}),
            CaseStatus.IN_PROGRESS,
            OFFICERS,
            conditions=(IN_SCOPE,),
            effects="case_start: a timeline line.",
        ),
        CaseAction.ASSIGN: Transition(
            _("change the owner"),
            frozenset(OPEN),
            None,
            OFFICERS,
            conditions=(IN_SCOPE, "the owner is an officer of the case's level (rules.py)"),
            effects="case_assign: the owner (the status stays); a timeline line; the owner told.",
        ),
        CaseAction.ASK_REPORTER: Transition(
            _("ask the reporter"),
            frozenset({CaseStatus.TRIAGED, CaseStatus.IN_PROGRESS, CaseStatus.REFERRED}),
            CaseStatus.AWAITING_REPORTER,
            OFFICERS,
            needs_reason=True,
            conditions=(IN_SCOPE, "a question for the reporter"),
            effects="case_ask_reporter: a public timeline line with the question.",
        ),
        CaseAction.REPORTER_ANSWERS: Transition(
            _("answer"),
            frozenset({CaseStatus.AWAITING_REPORTER}),
            CaseStatus.IN_PROGRESS,
            REPORTERS,
            conditions=(
                "the acting person reported the case, or holds its code and secret",
                "a message",
            ),
            effects="case_reporter_message: a public timeline line from the reporter.",
        ),
        CaseAction.REFER: Transition(
            _("refer"),
            WORKING,
            CaseStatus.REFERRED,
            OFFICERS,
            conditions=(IN_SCOPE, "a recipient; for an embassy, a mission of embassies.csv"),
            effects="referral_create: a Referral with its due date; a timeline line.",
        ),
        CaseAction.ANSWER_REFERRAL: Transition(
            _("record the referral's answer"),
            WORKING | {CaseStatus.RESOLVED},
            None,
            OFFICERS,
            conditions=(IN_SCOPE, "the referral is not answered yet", "an answer"),
            effects=(
                "referral_answer: the answer and when; a timeline line; a referred case "
                "whose last open referral is answered moves to in progress."
            ),
        ),
        CaseAction.ESCALATE: Transition(
            _("escalate"),
            frozenset(OPEN),
            None,
            OFFICERS,
            system=True,
            needs_reason=True,
            conditions=(
                IN_SCOPE,
                "the case is below the director's level",
                "the system escalates only a case whose deadline has passed",
            ),
            effects=(
                "case_escalate / escalate_overdue: the next level, a new owner from its pool "
                "(rules.py), new deadlines from the table's escalated_days; a timeline line; "
                "the new owner told by e-mail."
            ),
        ),
        CaseAction.RESOLVE: Transition(
            _("resolve"),
            WORKING,
            CaseStatus.RESOLVED,
            OFFICERS,
            conditions=(IN_SCOPE, "an outcome other than withdrawn", "what was done"),
            effects=(
                "case_resolve: outcome, what was done, resolved_at; a public timeline line "
                "that the reporter reads in their language."
            ),
        ),
        CaseAction.CLOSE: Transition(
            _("close"),
            WORKING | {CaseStatus.RESOLVED},
            CaseStatus.CLOSED,
            OFFICERS,
            conditions=(IN_SCOPE, "an outcome other than withdrawn", "what was done"),
            effects="case_close: outcome, what was done, closed_at; a public timeline line.",
        ),
        CaseAction.REOPEN: Transition(
            _("reopen"),
            frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED}),
            CaseStatus.IN_PROGRESS,
            OFFICERS,
            needs_reason=True,
            conditions=(IN_SCOPE,),
            effects=(
                "case_reopen: outcome and closing fields cleared (kept on the timeline); a new "
                "resolution deadline from escalated_days; a timeline line."
            ),
        ),
        CaseAction.WITHDRAW: Transition(
            pgettext_lazy("protection case", "withdraw"),
            frozenset(OPEN),
            CaseStatus.WITHDRAWN,
            REPORTERS,
            needs_reason=True,
            conditions=("an officer in scope, or the reporter (account or code and secret)",),
            effects="case_withdraw: outcome withdrawn, closed_at; a public timeline line.",
        ),
    },
)

register("protection.Case", "status", CASE_WORKFLOW)
