"""The breach register: record a failure of protection, find who it touched, record the notices.

UU PDP art. 46: within 3 × 24 hours the controller tells, in writing, the
people concerned and the institution what data were exposed, when and how,
and what it does to handle and recover. The people affected are found in the
access log (``core.AccessLog``): every read of a participant's record, or of
a record about a participant (a document, a certificate…), by the accounts
involved within the window. Reads of lists are logged without the people on
them; they are counted, so the register says how much it cannot attribute.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Min
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.models import AccessLog
from jembatan.core.roles import Role
from jembatan.participants.models import Participant
from jembatan.privacy.deadlines import BREACH, deadline_for
from jembatan.privacy.errors import PrivacyErrorCode, field_refusal
from jembatan.privacy.locks import lock_breach
from jembatan.privacy.models import Breach, BreachAffected
from jembatan.privacy.processing import CATEGORY_CODES

NOTICE_FIELDS = [
    "authority_notified_at",
    "authority_reference",
    "measures",
    "people_notified_at",
    "people_notice",
]


def _ensure_admin(acting_user: Any) -> None:
    if role_of(acting_user) != Role.NATIONAL_ADMIN:
        raise PermissionDenied(_("Only the national administrator keeps the breach register."))


@transaction.atomic
def breach_record(
    *,
    acting_user: Any,
    title: str,
    description: str,
    how: str,
    data_categories: Iterable[str],
    discovered_at: dt.datetime,
    measures: str = "",
    request: HttpRequest | None = None,
) -> Breach:
    """Record a breach; its notice deadline is 3 × 24 hours from discovery (``deadlines.py``).

    Refuses anyone but the national administrator, a kind of data the record of
    processing does not know, and a discovery in the future.
    """
    _ensure_admin(acting_user)
    categories = sorted(set(data_categories))
    unknown = [c for c in categories if c not in CATEGORY_CODES]
    if unknown or not categories:
        raise field_refusal(
            "data_categories",
            _("Choose the kinds of data exposed from the list."),
            PrivacyErrorCode.UNKNOWN_CATEGORY,
        )
    now = timezone.now()
    if discovered_at > now:
        raise field_refusal(
            "discovered_at",
            _("The discovery cannot be in the future."),
            PrivacyErrorCode.NOTICE_BEFORE_DISCOVERY,
        )
    deadline = deadline_for(BREACH)
    breach = Breach.objects.create(
        title=title.strip(),
        description=description.strip(),
        how=how.strip(),
        data_categories=categories,
        discovered_at=discovered_at,
        due_at=deadline.due(discovered_at),
        deadline_basis=deadline.basis[:300],
        measures=measures.strip(),
        recorded_by=acting_user,
        recorded_at=now,
    )
    record_change(
        acting_user=acting_user,
        operation="privacy.breach_record",
        instance=breach,
        action="create",
        changes=diff({}, snapshot(breach)),
        request=request,
    )
    return breach


@transaction.atomic
def breach_find_affected(
    *,
    breach: Breach,
    accounts: Iterable[Any],
    window_start: dt.datetime,
    window_end: dt.datetime,
    acting_user: Any,
    request: HttpRequest | None = None,
) -> Breach:
    """List the people whose records ``accounts`` read between the two moments.

    Replaces an earlier list; refused once the people have been notified (the
    list is what they were told), without accounts, or with the window reversed.
    """
    _ensure_admin(acting_user)
    locked = lock_breach(breach.pk)
    accounts = list(accounts)
    if locked.people_notified_at is not None:
        raise ValidationError(
            _("The people have been notified: the list they were told about stays."),
            code=PrivacyErrorCode.ALREADY_NOTIFIED,
        )
    if not accounts:
        raise field_refusal(
            "accounts", _("Name at least one account."), PrivacyErrorCode.NO_ACCOUNTS
        )
    if window_start > window_end:
        raise field_refusal(
            "window_end",
            _("The end of the period comes before its start."),
            PrivacyErrorCode.WINDOW_ORDER,
        )
    reads = AccessLog.objects.filter(actor__in=accounts, at__gte=window_start, at__lte=window_end)
    found = _people_read(reads)
    locked.affected.all().delete()
    BreachAffected.objects.bulk_create(
        BreachAffected(breach=locked, participant_id=pk, reads=n, first_read_at=a, last_read_at=b)
        for pk, (n, a, b) in sorted(found.items())
    )
    before = snapshot(locked, ["window_start", "window_end", "unattributed_reads"])
    locked.accounts.set(accounts)
    locked.window_start, locked.window_end = window_start, window_end
    locked.unattributed_reads = reads.filter(content_type__isnull=True).count()
    locked.affected_found_at = timezone.now()
    locked.save(
        update_fields=["window_start", "window_end", "unattributed_reads", "affected_found_at"]
    )
    record_change(
        acting_user=acting_user,
        operation="privacy.breach_find_affected",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked, ["window_start", "window_end", "unattributed_reads"]))
        | {"accounts": {"after": sorted(a.get_username() for a in accounts)}},
        summary=f"{locked} — {len(found)}",
        request=request,
    )
    return locked


Reads = tuple[int, dt.datetime, dt.datetime]


def _people_read(reads: models.QuerySet[AccessLog]) -> dict[int, Reads]:
    """Participant id → (reads, first, last), over every model that is or points at one."""
    found: dict[int, list[Any]] = defaultdict(lambda: [0, None, None])
    content_types = reads.exclude(content_type__isnull=True).values_list("content_type", flat=True)
    for content_type_id in set(content_types):
        owners = _owners(ContentType.objects.get_for_id(content_type_id))
        if owners is None:
            continue
        per_object = (
            reads.filter(content_type_id=content_type_id)
            .values("object_id")
            .annotate(n=Count("id"), first=Min("at"), last=Max("at"))
        )
        for row in per_object:
            participant_id = owners(row["object_id"])
            if participant_id is not None:
                _add(found[participant_id], row)
    return {pk: (n, first, last) for pk, (n, first, last) in found.items()}


def _add(total: list[Any], row: dict[str, Any]) -> None:
    total[0] += row["n"]
    total[1] = row["first"] if total[1] is None else min(total[1], row["first"])
    total[2] = row["last"] if total[2] is None else max(total[2], row["last"])


def _owners(content_type: ContentType) -> Any:
    """A function from a logged object id to its participant's id, or None for other models."""
    model = content_type.model_class()
    if model is Participant:
        return lambda object_id: int(object_id) if object_id.isdigit() else None
    field = _participant_field(model)
    if model is None or field is None:
        return None
    mapping: dict[str, int | None] = {}

    def owner(object_id: str) -> int | None:
        if object_id not in mapping:
            value = model._default_manager.filter(pk=object_id).values_list(field, flat=True)
            mapping[object_id] = value.first()
        return mapping[object_id]

    return owner


def _participant_field(model: type[models.Model] | None) -> str | None:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is Participant and field.name == "participant":
            return field.attname
    return None


def _notice_time(breach: Breach, at: dt.datetime, name: str) -> None:
    if at < breach.discovered_at or at > timezone.now():
        raise field_refusal(
            name,
            _("The notice was sent between the discovery and now."),
            PrivacyErrorCode.NOTICE_BEFORE_DISCOVERY,
        )


@transaction.atomic
def breach_notify_authority(
    *,
    breach: Breach,
    at: dt.datetime,
    reference: str,
    measures: str,
    acting_user: Any,
    request: HttpRequest | None = None,
) -> Breach:
    """Record the written notice to the institution (art. 46(1)(b)), with the measures it named."""
    _ensure_admin(acting_user)
    locked = lock_breach(breach.pk)
    if locked.authority_notified_at is not None:
        raise ValidationError(
            _("The institution's notice is recorded already."),
            code=PrivacyErrorCode.ALREADY_NOTIFIED,
        )
    _notice_time(locked, at, "at")
    if not measures.strip():
        raise field_refusal(
            "measures",
            _("Say how the breach is handled and recovered: the notice says it."),
            PrivacyErrorCode.REASON_REQUIRED,
        )
    before = snapshot(locked, NOTICE_FIELDS)
    locked.authority_notified_at = at
    locked.authority_reference = reference.strip()
    locked.measures = measures.strip()
    locked.save(update_fields=["authority_notified_at", "authority_reference", "measures"])
    return _audit_notice(locked, before, acting_user, "breach_notify_authority", request)


@transaction.atomic
def breach_notify_people(
    *,
    breach: Breach,
    at: dt.datetime,
    how: str,
    acting_user: Any,
    request: HttpRequest | None = None,
) -> Breach:
    """Record the written notice to the people affected (art. 46(1)(a)): when and how."""
    _ensure_admin(acting_user)
    locked = lock_breach(breach.pk)
    if locked.people_notified_at is not None:
        raise ValidationError(
            _("The people's notice is recorded already."), code=PrivacyErrorCode.ALREADY_NOTIFIED
        )
    _notice_time(locked, at, "at")
    if not how.strip():
        raise field_refusal(
            "how",
            _("Say how the people were told (letter, e-mail, message)."),
            PrivacyErrorCode.REASON_REQUIRED,
        )
    before = snapshot(locked, NOTICE_FIELDS)
    locked.people_notified_at = at
    locked.people_notice = how.strip()
    locked.save(update_fields=["people_notified_at", "people_notice"])
    return _audit_notice(locked, before, acting_user, "breach_notify_people", request)


def _audit_notice(
    locked: Breach,
    before: dict[str, Any],
    acting_user: Any,
    operation: str,
    request: HttpRequest | None,
) -> Breach:
    record_change(
        acting_user=acting_user,
        operation=f"privacy.{operation}",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked, NOTICE_FIELDS)),
        request=request,
    )
    return locked
