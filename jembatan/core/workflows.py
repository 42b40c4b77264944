"""An import job's life, as a workflow table (the job is core's; each app's importer drives it).

A job is created *queued*; its task (or the console, at once) starts it, and
it ends *done* (whatever the rows said: the report tells) or *failed* (the
file could not be read, a race with another import, or an internal error).
The task is idempotent: a job that is not queued is left as it is.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jembatan.core.models import ImportJob
from jembatan.core.roles import Role
from jembatan.core.transitions import Transition, Workflow, register

NOBODY: frozenset[Role] = frozenset()  # the system alone: the task, or the console


class ImportAction(StrEnum):
    """What happens to an import job."""

    START = "start"
    FINISH = "finish"
    FAIL = "fail"
    REQUEUE = "requeue"


IMPORT_WORKFLOW: Workflow[ImportAction, ImportJob.Status] = Workflow(
    statuses=ImportJob.Status,
    noun=_("import"),
    transitions={
        ImportAction.START: Transition(
            _("start the import"),
            frozenset({ImportJob.Status.QUEUED}),
            ImportJob.Status.RUNNING,
            NOBODY,
            system=True,
            effects="import_run: started_at; then the file is read and checked.",
        ),
        ImportAction.FINISH: Transition(
            _("finish the import"),
            frozenset({ImportJob.Status.RUNNING}),
            ImportJob.Status.DONE,
            NOBODY,
            system=True,
            effects=(
                "import_run: the counts, the outcome and the reports; the rows written as "
                "the options allow (write_rows, one change record for the import)."
            ),
        ),
        ImportAction.FAIL: Transition(
            _("record the import as failed"),
            frozenset({ImportJob.Status.QUEUED, ImportJob.Status.RUNNING}),
            ImportJob.Status.FAILED,
            NOBODY,
            system=True,
            effects="import_run or run_job: the reason for people; nothing written.",
        ),
        ImportAction.REQUEUE: Transition(
            _("queue the import again"),
            frozenset({ImportJob.Status.RUNNING}),
            ImportJob.Status.QUEUED,
            NOBODY,
            system=True,
            conditions=("its worker stopped beating (core/task_recovery.py)",),
            effects=(
                "import_requeue: progress reset and the import task queued again; the rows "
                "are written in one transaction, so a dead run wrote none."
            ),
        ),
    },
)
register("core.ImportJob", "status", IMPORT_WORKFLOW)
