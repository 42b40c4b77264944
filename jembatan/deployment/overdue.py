"""Which monitoring reports are overdue, for whom, and who has been told: a read in three queries.

Every apprentice abroad owes reports at the rhythms of their programme
(``core/data/monitoring-rhythms.csv``): the sending organisation's, the
partner's and their own check-in, each at the end of every period counted from
the arrival (from the departure until the arrival is recorded). A report covers
the period it was handed in for; the next one is due at the end of the next
period. A report is *overdue* once that date has passed.

:func:`overdue_reports` reads the people abroad, the latest period reported per
person and kind, and the open alerts, in three queries whatever the number of
people (the daily run at 100,000 people abroad: ``bench/deployment_overdue.py``),
then works out the rest in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet

from jembatan.deployment.models import (
    ABROAD,
    OPEN_ALERTS,
    AlertStatus,
    Deployment,
    MonitoringAlert,
    MonitoringReport,
    ReportKind,
)
from jembatan.deployment.months import period_end
from jembatan.deployment.reference import rhythms
from jembatan.deployment.selectors import deployments_visible_to

GRACE_DAYS = 14  # default of settings.JEMBATAN_MONITORING_GRACE_DAYS
COLUMNS = (
    "pk",
    "participant_id",
    "participant__full_name",
    "sending_organisation_id",
    "sending_organisation__name",
    "partner__name",
    "host_company__name",
    "host_prefecture",
    "status",
    "scheme",
    "departed_on",
    "arrived_on",
)


def grace_days() -> int:
    """Days an overdue report waits with the sending organisation before the ministry is told."""
    return int(getattr(settings, "JEMBATAN_MONITORING_GRACE_DAYS", GRACE_DAYS))


@dataclass(frozen=True)
class Overdue:
    """One report not handed in by its due date, for one apprentice abroad."""

    deployment_id: int
    participant_id: int
    participant: str
    sending_organisation_id: int
    sending_organisation: str
    partner: str
    host_company: str
    host_prefecture: str
    status: str
    kind: str
    due_on: dt.date
    days: int
    alert: str  # "" (none yet), or the open alert's status: raised, escalated

    @property
    def reference(self) -> str:
        return f"DP-{self.deployment_id:06d}"

    @property
    def kind_label(self) -> str:
        return str(ReportKind(self.kind).label)

    def as_dict(self) -> dict[str, Any]:
        """JSON- and CSV-ready form (the command line and the API)."""
        return {
            "deployment": self.reference,
            "participant_id": self.participant_id,
            "participant": self.participant,
            "sending_organisation": self.sending_organisation,
            "partner": self.partner,
            "host_company": self.host_company,
            "prefecture": self.host_prefecture,
            "status": self.status,
            "report": self.kind,
            "due_on": self.due_on.isoformat(),
            "days_overdue": self.days,
            "alert": self.alert,
        }


def abroad(user: Any = None) -> QuerySet[Deployment]:
    """The deployments abroad in ``user``'s scope (everyone's for the system: ``None``)."""
    rows = Deployment.objects.all() if user is None else deployments_visible_to(user)
    return rows.filter(status__in=sorted(ABROAD))


def _latest_periods(ids: QuerySet[Any]) -> dict[tuple[int, str], int]:
    rows = (
        MonitoringReport.objects.filter(deployment__in=ids)
        .order_by()
        .values("deployment_id", "kind")
        .annotate(last=Max("period"))
    )
    return {(r["deployment_id"], r["kind"]): r["last"] for r in rows}


def _open_alerts(ids: QuerySet[Any]) -> dict[tuple[int, str], str]:
    rows = MonitoringAlert.objects.filter(
        deployment__in=ids, status__in=sorted(OPEN_ALERTS)
    ).values_list("deployment_id", "kind", "status")
    found: dict[tuple[int, str], str] = {}
    for deployment_id, kind, status in rows:
        if found.get((deployment_id, kind)) != AlertStatus.ESCALATED:
            found[(deployment_id, kind)] = status
    return found


def _due(
    row: tuple[Any, ...], latest: dict[tuple[int, str], int], rhythm: dict[str, dict[str, int]]
) -> Iterator[tuple[str, dt.date]]:
    """(kind, the next due date) of every report the person owes."""
    anchor = row[11] or row[10]
    scheme = row[9]
    if scheme not in rhythm:
        rhythm[scheme] = rhythms(scheme)
    for kind, months in rhythm[scheme].items():
        yield kind, period_end(anchor, months, latest.get((row[0], kind), 0) + 1)


def overdue_reports(*, today: dt.date, user: Any = None) -> list[Overdue]:
    """Every overdue report of people abroad in ``user``'s scope, the longest overdue first."""
    ids = abroad(user).values("pk")
    latest = _latest_periods(ids)
    alerts = _open_alerts(ids)
    rhythm: dict[str, dict[str, int]] = {}
    found = [
        Overdue(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            kind,
            due,
            (today - due).days,
            alerts.get((row[0], kind), ""),
        )
        for row in abroad(user).values_list(*COLUMNS).iterator(chunk_size=5000)
        for kind, due in _due(row, latest, rhythm)
        if due < today
    ]
    found.sort(key=overdue_order)
    return found


def overdue_order(row: Overdue) -> tuple[int, int, str]:
    """The order of the overdue list: the longest overdue first, then by deployment and kind."""
    return (-row.days, row.deployment_id, row.kind)
