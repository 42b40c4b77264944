"""Background work on personal data (django-tasks): thin wrappers around the services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from jembatan.core.task_recovery import TaskKind, register
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.privacy.services.retention_run import retention_dry_run_record, retention_run


@task()
def run_retention(dry_run: bool = False, asked_by: str = "") -> dict[str, Any]:
    """The retention run (idempotent); a dry run keeps only its report for the page.

    ``asked_by`` names the officer who asked for a dry run on the page.
    """
    if dry_run:
        run = retention_dry_run_record(acting_user=asked_by or SYSTEM_ACTOR)
    else:
        run = retention_run(acting_user=SYSTEM_ACTOR)
    return {"run": run.pk, "dry_run": dry_run, "counts": run.counts, "failures": run.failures}


def _enqueue_again(args: list[Any], kwargs: dict[str, Any], *, acting_user: Any) -> str:
    # Idempotent: what was done drops out of the queries; a rerun does the rest.
    transaction.on_commit(lambda: run_retention.enqueue(*args, **kwargs))
    return _("The retention run is queued again.")


register(
    run_retention,
    TaskKind(
        label=gettext_lazy("retention run"),
        describe=lambda args, kwargs: "dry run" if kwargs.get("dry_run") else "",
        resume=_enqueue_again,
    ),
)
