"""Row locks of core's models (house rule 5): one function per locked model.

A writer locks the row it is about to change (``select_for_update``) inside its
transaction, so two people saving at once are served one after the other and
the second sees what the first wrote.
"""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from jembatan.core.models import ImportJob, Occupation, SchemeRuleSet


def lock_occupation(pk: int) -> Occupation:
    """The occupation ``pk``, locked until the transaction ends."""
    return Occupation.objects.select_for_update().get(pk=pk)


def lock_import_job(pk: int) -> ImportJob:
    """The import job ``pk``, locked until the transaction ends."""
    return ImportJob.objects.select_for_update().get(pk=pk)


def lock_task_result(pk: str, *, skip_locked: bool = False) -> DBTaskResult | None:
    """The task result ``pk``, locked; ``None`` if it is gone or, with ``skip_locked``,
    another transaction holds it (two workers recovering at once take different tasks)."""
    rows = DBTaskResult.objects.select_for_update(skip_locked=skip_locked)
    return rows.filter(pk=pk).first()


def lock_current_rule_set(programme: str) -> SchemeRuleSet | None:
    """The current rule set of ``programme``, locked (``None`` if it has none yet)."""
    rows = SchemeRuleSet.objects.select_for_update()
    return rows.filter(programme=programme, valid_to__isnull=True).first()
