"""The workflows of training: a batch's life and a participant's enrolment in it.

A batch is planned, runs, and is completed by its training centre (which
certifies whoever met every requirement). No move leads to *cancelled* yet:
no service cancels a batch. An enrolment starts *enrolled* and ends certified
or not certified when its batch completes, or withdrawn before that.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jembatan.core.transitions import Transition, Workflow, register
from jembatan.training.models import BatchStatus, EnrolmentStatus
from jembatan.training.rules import RUN_TRAINING

OWN_CENTRE = "a training-centre operator only for their own centre"


class BatchAction(StrEnum):
    """What the training centre does with a batch."""

    START = "start"
    COMPLETE = "complete"


BATCH_WORKFLOW: Workflow[BatchAction, BatchStatus] = Workflow(
    statuses=BatchStatus,
    noun=_("batch"),
    transitions={
        BatchAction.START: Transition(
            _("start the batch"),
            frozenset({BatchStatus.PLANNED}),
            BatchStatus.RUNNING,
            RUN_TRAINING,
            conditions=(OWN_CENTRE,),
            effects="batch_start: the status only.",
        ),
        BatchAction.COMPLETE: Transition(
            _("complete the batch"),
            frozenset({BatchStatus.RUNNING}),
            BatchStatus.COMPLETED,
            RUN_TRAINING,
            conditions=(OWN_CENTRE,),
            effects=(
                "batch_complete: completed_at and completed_by; every enrolment still "
                "enrolled ends (EnrolmentAction.CERTIFY with the journey moving to certified "
                "and two certificates issued, or EnrolmentAction.NOT_CERTIFY with the reasons)."
            ),
        ),
    },
)
register("training.Batch", "status", BATCH_WORKFLOW)


class EnrolmentAction(StrEnum):
    """How an enrolment ends."""

    CERTIFY = "certify"
    NOT_CERTIFY = "not_certify"
    WITHDRAW = "withdraw"


ENROLMENT_WORKFLOW: Workflow[EnrolmentAction, EnrolmentStatus] = Workflow(
    statuses=EnrolmentStatus,
    noun=_("enrolment"),
    transitions={
        EnrolmentAction.CERTIFY: Transition(
            _("certify the participant"),
            frozenset({EnrolmentStatus.ENROLLED}),
            EnrolmentStatus.CERTIFIED,
            RUN_TRAINING,
            conditions=("no certification blocker (attendance, units, language)",),
            effects="enrolment_end (from batch_complete): ended_at set.",
        ),
        EnrolmentAction.NOT_CERTIFY: Transition(
            _("end the enrolment without a certificate"),
            frozenset({EnrolmentStatus.ENROLLED}),
            EnrolmentStatus.NOT_CERTIFIED,
            RUN_TRAINING,
            effects=(
                "enrolment_end (from batch_complete): ended_at and the blockers as the note; "
                "the participant stays in training and may enrol again."
            ),
        ),
        EnrolmentAction.WITHDRAW: Transition(
            _("withdraw from the batch"),
            frozenset({EnrolmentStatus.ENROLLED}),
            EnrolmentStatus.WITHDRAWN,
            RUN_TRAINING,
            needs_reason=True,
            conditions=(OWN_CENTRE,),
            effects="enrolment_withdraw: ended_at and the reason; the journey is not changed.",
        ),
    },
)
register("training.Enrolment", "status", ENROLMENT_WORKFLOW)
