"""Writing the audit trail. Services call these explicitly; there are no signals.

``record_change`` says who changed which record, how (the operation, i.e. the
service's name) and what the fields were before and after. ``record_access``
says who read personal data. Both are append-only (see models/audit.py), with
one narrow, audited exception: ``scrub_subject`` blanks the values an
anonymised person's earlier change records hold.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import ipaddress
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from jembatan.core.compiled import CompiledInsert
from jembatan.core.encryption import encrypted_fields
from jembatan.core.models import AccessLog, AuditScrub, ChangeRecord

Snapshot = dict[str, Any]


def json_value(value: Any) -> Any:
    """A JSON-safe form of a field value, stable across databases."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The current values of ``fields`` (default: every concrete field).

    An encrypted column (specific personal data, ADR 0015) is recorded as a
    fingerprint, never as its text: the trail shows that it changed, not what it says.
    """
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    hidden = set(encrypted_fields(instance._meta.model))
    return {
        name: fingerprint(getattr(instance, name))
        if name in hidden
        else json_value(getattr(instance, name))
        for name in names
    }


def fingerprint(value: str | None) -> str | None:
    """An encrypted text as the audit trail holds it: empty, or a keyed digest of it."""
    if not value:
        return value
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)
    return f"[encrypted {digest.hexdigest()[:12]}]"


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Fields whose values differ, as ``{field: {"before": x, "after": y}}``."""
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


def actor_label(actor: Any) -> str:
    """A readable, permanent name for whoever acted (a person or the system)."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return str(actor.get_username())


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; behind the proxy (``JEMBATAN_BEHIND_PROXY``), the one it saw.

    The proxy appends the address it saw to X-Forwarded-For, so the client is the
    last entry; anything further left was written by the client and is not believed.
    Without the setting no proxy header is trusted. The audit trail, the sign-in
    lockout and the self-registration throttle all ask here.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    if not getattr(settings, "JEMBATAN_BEHIND_PROXY", False):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    try:
        return str(ipaddress.ip_address(forwarded[-1].strip()))
    except ValueError:
        return remote


def _actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def record_change(
    *,
    acting_user: Any,
    operation: str,
    instance: models.Model | type[models.Model],
    action: str,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
    summary: str = "",
) -> ChangeRecord:
    """Append one change record for ``instance``; call inside the service's transaction.

    ``instance`` may be a model class for one record summarising a change to many
    rows of it (a bulk insert): its id is then ``*`` and ``summary`` describes it.
    """
    many = isinstance(instance, type)
    return ChangeRecord.objects.create(
        actor=_actor_user(acting_user),
        actor_label=actor_label(acting_user),
        operation=operation,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id="*" if many else str(instance.pk),
        object_repr=(summary or str(instance))[:200],
        changes=dict(changes or {}),
        reason=reason,
        ip_address=client_ip(request),
    )


def record_access(
    *,
    acting_user: Any,
    purpose: str,
    instance: models.Model | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Append one access-log entry: ``acting_user`` read ``instance`` (or a page) for why.

    Most pages a signed-in person opens write one: the statement is compiled once per
    process (``core/compiled.py``), about 0.2 ms less Python than ``objects.create``.
    """
    _ACCESS_ENTRY.run(
        at=timezone.now(),
        actor=_actor_user(acting_user),
        actor_label=actor_label(acting_user),
        actor_role=str(getattr(acting_user, "role", "")),
        purpose=purpose,
        method=request.method or "" if request else "",
        path=request.get_full_path()[:500] if request else "",
        content_type=ContentType.objects.get_for_model(instance) if instance else None,
        object_id=str(instance.pk) if instance else "",
        ip_address=client_ip(request),
    )


# The columns of an access-log entry, each given on every write.
ACCESS_FIELDS = (
    "at",
    "actor",
    "actor_label",
    "actor_role",
    "purpose",
    "method",
    "path",
    "content_type",
    "object_id",
    "ip_address",
)
_ACCESS_ENTRY = CompiledInsert(AccessLog, *ACCESS_FIELDS)


SCRUBBED = "•••"  # what a scrubbed value reads


def _scrubbed(changes: Mapping[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """``changes`` with the before and after values of ``fields`` blanked (empty ones kept)."""
    out: dict[str, Any] = {}
    for name, change in changes.items():
        if name in fields and isinstance(change, Mapping):
            out[name] = {
                side: SCRUBBED if value not in ("", None, SCRUBBED) else value
                for side, value in change.items()
            }
        else:
            out[name] = change
    return out


def scrub_subject(
    *,
    instance: models.Model,
    fields: Iterable[str],
    acting_user: Any,
    operation: str,
    reason: str = "",
) -> int:
    """Blank the values of ``fields`` in every change record of ``instance``; call in the
    anonymising service's transaction. Returns how many records were rewritten.

    The one exception to the append-only trail (UU PDP art. 43: the change
    history keeps who did what, not whom it was about). It rewrites only the
    ``changes`` values and ``object_repr`` (which held the person's name) of
    ``instance``'s own records; the operation, actor, time, action and reason
    stay. An ``AuditScrub`` row is written first and kept: the database
    triggers allow the rewrite only for a record it names (core migration 0007).
    """
    names = frozenset(fields)
    content_type = ContentType.objects.get_for_model(instance)
    rows = ChangeRecord.objects.filter(content_type=content_type, object_id=str(instance.pk))
    label = str(instance)[:200]
    rewrites = []
    for pk, changes, shown in rows.values_list("pk", "changes", "object_repr").iterator():
        scrubbed = _scrubbed(changes or {}, names)
        if scrubbed != changes or shown != label:
            rewrites.append((pk, scrubbed))
    AuditScrub.objects.create(
        actor_label=actor_label(acting_user),
        operation=operation,
        content_type=content_type,
        object_id=str(instance.pk),
        fields=sorted(names),
        records=len(rewrites),
        reason=reason,
    )
    for pk, scrubbed in rewrites:
        # The append-only queryset refuses update(); this is the path the triggers allow.
        models.QuerySet.update(
            ChangeRecord.objects.filter(pk=pk), changes=scrubbed, object_repr=label
        )
    return len(rewrites)
