"""Row locks of deployment (house rule 5): one function per locked model.

On PostgreSQL each holds the row until the transaction ends, so two officers
confirming the same departure are served one after the other and the second
sees the first's result; SQLite serialises write transactions instead.
"""

from __future__ import annotations

from jembatan.deployment.models import Deployment, MonitoringAlert, StayStage


def lock_deployment(pk: int) -> Deployment:
    """The deployment ``pk``, locked until the end of the transaction."""
    return Deployment.objects.select_for_update().get(pk=pk)


def lock_stage(pk: int) -> StayStage:
    """The stage of a stay ``pk``, locked until the end of the transaction."""
    return StayStage.objects.select_for_update().get(pk=pk)


def lock_alerts(pks: list[int]) -> list[MonitoringAlert]:
    """The alerts ``pks``, locked, in id order (a fixed order: no deadlock between runs)."""
    return list(MonitoringAlert.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
