"""Placing and lifting a restriction of processing (UU PDP art. 10, 11, 41).

What a restriction stops is listed in ``privacy/restrictions.py``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.participants.models import Participant
from jembatan.privacy.errors import PrivacyErrorCode, field_refusal
from jembatan.privacy.locks import lock_restriction
from jembatan.privacy.models import (
    ProcessingRestriction,
    RequestKind,
    RestrictionGround,
    RightsRequest,
)
from jembatan.privacy.restrictions import restriction_in_force
from jembatan.privacy.rules import may_handle

LIFT_FIELDS = ["lifted_at", "lifted_by_id", "lift_reason"]


def restriction_place(
    *, rights_request: RightsRequest, acting_user: Any, request: HttpRequest | None = None
) -> ProcessingRestriction:
    """Put the participant's processing under restriction, from now, for ``rights_request``.

    Called inside ``request_complete`` (its transaction, its checks of who acts).
    Refuses a second restriction while one is in force.
    """
    participant = rights_request.participant
    existing = restriction_in_force(participant)
    if existing is not None:
        raise ValidationError(
            _("The processing is already restricted (request #%(id)s).")
            % {"id": existing.request_id},
            code=PrivacyErrorCode.ALREADY_RESTRICTED,
        )
    ground = (
        RestrictionGround.OBJECT
        if rights_request.kind == RequestKind.OBJECT
        else RestrictionGround.RESTRICT
    )
    restriction = ProcessingRestriction.objects.create(
        participant=participant,
        request=rights_request,
        ground=ground,
        started_at=timezone.now(),
        started_by=acting_user,
    )
    record_change(
        acting_user=acting_user,
        operation="privacy.restriction_place",
        instance=restriction,
        action="create",
        changes=diff({}, snapshot(restriction)),
        request=request,
    )
    return restriction


@transaction.atomic
def restriction_lift(
    *,
    restriction: ProcessingRestriction,
    acting_user: Any,
    reason: str,
    request: HttpRequest | None = None,
) -> ProcessingRestriction:
    """Lift a restriction in force, saying why (e.g. the person asked, or the objection failed).

    Only an officer who may handle the request that placed it. Side effects:
    lifted_at/by and the reason, a change record; partners see the person
    again and training and selection may start.
    """
    locked = lock_restriction(restriction.pk)
    if not may_handle(acting_user, locked.request):
        raise PermissionDenied(_("Only an officer who owns the request may lift it."))
    if locked.lifted_at is not None:
        raise ValidationError(
            _("This restriction was already lifted."), code=PrivacyErrorCode.NOT_RESTRICTED
        )
    reason = reason.strip()
    if not reason:
        raise field_refusal(
            "reason", _("Say why the restriction is lifted."), PrivacyErrorCode.REASON_REQUIRED
        )
    before = snapshot(locked, LIFT_FIELDS)
    locked.lifted_at = timezone.now()
    locked.lifted_by = acting_user
    locked.lift_reason = reason
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    record_change(
        acting_user=acting_user,
        operation="privacy.restriction_lift",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked, LIFT_FIELDS)),
        reason=reason,
        request=request,
    )
    return locked


def requests_follow_merge(*, keep: Participant, gone: Participant, acting_user: Any) -> int:
    """Move the merged record's requests and restrictions to the survivor; return how many.

    A restriction of the merged record stays in force on the survivor unless the
    survivor already has one; then the moved one is lifted, as the survivor's holds.
    """
    moved = 0
    for rights_request in RightsRequest.objects.filter(participant=gone):
        _move(rights_request, keep, acting_user)
        moved += 1
    survivor_has_one = restriction_in_force(keep) is not None
    for restriction in ProcessingRestriction.objects.filter(participant=gone):
        if restriction.lifted_at is None and survivor_has_one:
            restriction.lifted_at = timezone.now()
            restriction.lifted_by = acting_user
            restriction.lift_reason = _("Merged into a record that is restricted already.")
        _move(restriction, keep, acting_user)
        moved += 1
    return moved


def _move(
    record: RightsRequest | ProcessingRestriction, keep: Participant, acting_user: Any
) -> None:
    fields = ["participant_id", "lifted_at", "lift_reason"]
    names = [f for f in fields if hasattr(record, f)]
    before = snapshot(record, names)
    record.participant = keep
    record.save()
    record_change(
        acting_user=acting_user,
        operation="privacy.follow_merge",
        instance=record,
        action="update",
        changes=diff(before, snapshot(record, names)),
    )
