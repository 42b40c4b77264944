"""Task workers' heartbeats: which ``jembatan worker`` processes are alive."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskWorker(models.Model):
    """One ``jembatan worker`` process and when it last said it was alive."""

    # The id django-tasks-db writes into DBTaskResult.worker_ids when it claims a task.
    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")
        indexes = [models.Index(fields=["last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
