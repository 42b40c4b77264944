"""The one writer of a deployment's history: each move is one event row, never changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jembatan.core.audit import actor_label
from jembatan.deployment.models import Deployment, DeploymentEvent
from jembatan.organisations.models import Organisation


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def event_record(
    *,
    deployment: Deployment,
    action: str,
    from_status: str,
    happened_on: dt.date,
    acting_user: Any,
    reason: str = "",
    reason_code: str = "",
    host_before: Organisation | None = None,
    host_after: Organisation | None = None,
) -> DeploymentEvent:
    """Append the move ``action`` of ``deployment`` (to its current status) to its history."""
    return DeploymentEvent.objects.create(
        deployment=deployment,
        action=action,
        from_status=from_status,
        to_status=deployment.status,
        happened_on=happened_on,
        recorded_at=timezone.now(),
        by=_user(acting_user),
        by_label=actor_label(_user(acting_user) or acting_user)[:150],
        reason=reason,
        reason_code=reason_code,
        host_before=host_before,
        host_after=host_after,
    )
