"""The audit trail: what changed, and who read personal data. Append-only."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Raised when code tries to rewrite history."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk updates and deletes; the database triggers refuse the rest."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")


class AppendOnlyModel(models.Model):
    """A model whose rows are written once and never changed."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")


class ChangeRecord(AppendOnlyModel):
    """One attributable change to one record: who, when, what, through which operation."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        TRANSITION = "transition", _("Status changed")
        ARCHIVE = "archive", _("Archived")
        BULK = "bulk", _("Bulk operation")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    operation = models.CharField(_("operation"), max_length=100, db_index=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("record name"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.operation}"


class AccessLog(AppendOnlyModel):
    """One read of personal data by staff, or any read by an auditor."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    actor_role = models.CharField(_("role"), max_length=30)
    purpose = models.CharField(_("purpose"), max_length=100)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.purpose}"


class AuditScrub(AppendOnlyModel):
    """The one exception to the append-only trail: a subject's values blanked after erasure.

    Written by ``core.audit.scrub_subject`` when a person's record is anonymised.
    While a row names a record (content type and id), the database lets the
    change records *of that record* have their ``changes`` values and their
    ``object_repr`` rewritten, and nothing else: who acted, when, through which
    operation, with which reason stays. The scrub is itself kept here.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor_label = models.CharField(_("actor"), max_length=150)
    operation = models.CharField(_("operation"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("record"), max_length=64)
    fields = models.JSONField(_("fields blanked"), default=list)
    records = models.PositiveIntegerField(_("change records rewritten"), default=0)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("scrub of a subject's values")
        verbose_name_plural = _("scrubs of subjects' values")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.content_type_id}:{self.object_id}"
