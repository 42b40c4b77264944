"""A rights request's life, as a workflow table.

A participant files a request (*received*); an officer of the owning province,
or a national officer, takes it up (*in progress*) and decides: *done* (the
outcome carried out through the owning app's service) or *refused* with the
reason the person reads. An officer may also decide at once from *received*.
A decided request is final: the person files a new one.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import Transition, Workflow, register
from jembatan.privacy.models import RequestStatus

OFFICERS = NATIONAL | {Role.PROVINCIAL_OFFICER}
OPEN = frozenset({RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS})


class RequestAction(StrEnum):
    """What an officer does with a rights request."""

    TAKE = "take"
    COMPLETE = "complete"
    REFUSE = "refuse"


REQUEST_WORKFLOW: Workflow[RequestAction, RequestStatus] = Workflow(
    statuses=RequestStatus,
    noun=_("request"),
    transitions={
        RequestAction.TAKE: Transition(
            _("take up the request"),
            frozenset({RequestStatus.RECEIVED}),
            RequestStatus.IN_PROGRESS,
            OFFICERS,
            conditions=("a provincial officer only for a request of their province",),
            effects="request_take: handled_by and taken_at set; a change record.",
        ),
        RequestAction.COMPLETE: Transition(
            _("carry out the request"),
            OPEN,
            RequestStatus.DONE,
            OFFICERS,
            conditions=(
                "a provincial officer only for a request of their province",
                "delete: no retention rule applies (privacy/retention.py)",
                "withdraw: the consent is the participant's",
            ),
            effects=(
                "request_complete: the outcome through the owning service — correct: "
                "participant_update (the change record shows the field); delete: "
                "participant_anonymise; restrict and object: a ProcessingRestriction; "
                "withdraw: consent_withdraw. Then decided_at, the outcome in the person's "
                "language and a change record."
            ),
        ),
        RequestAction.REFUSE: Transition(
            _("refuse the request"),
            OPEN,
            RequestStatus.REFUSED,
            OFFICERS,
            needs_reason=True,
            conditions=(
                "a provincial officer only for a request of their province",
                "a withdrawal of consent is never refused (UU PDP art. 9)",
            ),
            effects=(
                "request_refuse: decided_at, the reason and the outcome in the person's "
                "language; a change record. Nothing else changes."
            ),
        ),
    },
)
register("privacy.RightsRequest", "status", REQUEST_WORKFLOW)
