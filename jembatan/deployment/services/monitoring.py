"""The only writers of monitoring: reports and check-ins, and the alerts on those overdue.

A report covers the period of the programme's rhythm it is handed in for and
resolves the open alerts it answers. The daily run (:func:`monitoring_run_daily`,
task ``monitoring_daily``, ``jembatan deployment run-daily``) raises an alert with
the sending organisation for each report newly overdue and escalates to the
ministry those still missing after the grace period. It is idempotent: an alert
is one row per person, report and due date, so a second run the same day
changes nothing and tells nobody twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.deployment import notices
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.locks import lock_alerts, lock_deployment
from jembatan.deployment.models import (
    ABROAD,
    OPEN_ALERTS,
    AlertStatus,
    Deployment,
    MonitoringAlert,
    MonitoringReport,
    ReportKind,
    Wellbeing,
)
from jembatan.deployment.months import period_containing, period_end
from jembatan.deployment.overdue import Overdue, grace_days, overdue_reports
from jembatan.deployment.reference import rhythms
from jembatan.deployment.rules import ensure_in_scope
from jembatan.deployment.workflows import ALERT_WORKFLOW, AlertAction
from jembatan.organisations.models import Organisation

REPORTERS = {
    ReportKind.SENDER: NATIONAL | {Role.SENDER_OPERATOR},
    ReportKind.PARTNER: NATIONAL | {Role.PARTNER},
    ReportKind.CHECK_IN: frozenset({Role.PARTICIPANT}),
}


@dataclass(frozen=True)
class ReportAnswers:
    """What a report or check-in says."""

    wellbeing: str
    paid_in_full: bool | None = None
    housing_safe: bool | None = None
    note: str = ""
    language: str = "id"


def _ensure_reporter(kind: str, acting_user: Any) -> None:
    if role_of(acting_user) not in REPORTERS[ReportKind(kind)]:
        raise PermissionDenied(
            _("Your role may not hand in a %(report)s.")
            % {"report": str(ReportKind(kind).label).lower()}
        )


def _period(deployment: Deployment, kind: str, today: dt.date) -> tuple[int, dt.date]:
    """The period a report handed in today covers, and its end (never behind the last one)."""
    anchor = deployment.arrived_on or deployment.departed_on
    assert anchor is not None  # abroad: departed
    months = rhythms(deployment.scheme)[kind]
    last = deployment.reports.filter(kind=kind).aggregate(last=Max("period"))["last"] or 0
    period = max(last, period_containing(anchor, months, today))
    return period, period_end(anchor, months, period)


@transaction.atomic
def report_submit(
    *, deployment: Deployment, kind: str, answers: ReportAnswers, acting_user: Any
) -> MonitoringReport:
    """Hand in a monitoring report (sending organisation, partner) or one's own check-in.

    Refuses a role that does not write this kind of report, a deployment out of
    scope, and anyone not abroad. Side effects: the report for the current
    period; the open alerts it answers resolved; an answer "something is wrong"
    tells the sending organisation by e-mail at once; a change record.
    """
    _ensure_reporter(kind, acting_user)
    ensure_in_scope(acting_user, deployment)
    if answers.wellbeing not in Wellbeing.values:
        raise ValidationError(
            {
                "wellbeing": ValidationError(
                    _("Say how it is going: %(choices)s.")
                    % {"choices": ", ".join(str(label) for label in Wellbeing.labels)},
                    code=DeploymentErrorCode.BAD_ANSWER,
                )
            }
        )
    locked = lock_deployment(deployment.pk)
    if locked.status not in ABROAD:
        raise ValidationError(
            _("Reports are handed in while the apprentice is abroad; %(reference)s is %(status)s.")
            % {"reference": locked.reference, "status": locked.get_status_display().lower()},
            code=DeploymentErrorCode.NOT_ABROAD,
        )
    period, covers_until = _period(locked, kind, timezone.localdate())
    report = MonitoringReport.objects.create(
        deployment=locked,
        kind=kind,
        period=period,
        covers_until=covers_until,
        wellbeing=Wellbeing(answers.wellbeing),
        paid_in_full=answers.paid_in_full,
        housing_safe=answers.housing_safe,
        note=answers.note.strip(),
        language=answers.language[:5],
        submitted_at=timezone.now(),
        submitted_by=acting_user,
    )
    answered = locked.alerts.filter(
        kind=kind, status__in=sorted(OPEN_ALERTS), due_on__lte=covers_until
    )
    alerts_resolve(alerts=list(answered), acting_user=acting_user)
    if report.wellbeing == Wellbeing.WRONG:
        _tell_sender(locked)
    record_change(
        acting_user=acting_user,
        operation="deployment.report_submit",
        instance=report,
        action="create",
        changes=diff({}, snapshot(report)),
    )
    return report


def _tell_sender(deployment: Deployment) -> None:
    organisation = deployment.sending_organisation
    reference, name = deployment.reference, deployment.participant.full_name
    notices.help_asked(organisation, reference, name)


def _move_alerts(
    alerts: Sequence[MonitoringAlert], action: AlertAction, acting_user: Any, stamp: str
) -> list[MonitoringAlert]:
    """Lock ``alerts``, check each against the table, and move them all (or none)."""
    ALERT_WORKFLOW.check_actor(action, acting_user)
    locked = lock_alerts([a.pk for a in alerts])
    for alert in locked:
        ALERT_WORKFLOW.check(alert.status, action, name=f"#{alert.pk}")
    target = ALERT_WORKFLOW[action].target
    assert target is not None
    now = timezone.now()
    for alert in locked:
        alert.status = target
        setattr(alert, stamp, now)
    MonitoringAlert.objects.bulk_update(locked, ["status", stamp, "notified"])
    return locked


@transaction.atomic
def alerts_resolve(*, alerts: Sequence[MonitoringAlert], acting_user: Any) -> list[MonitoringAlert]:
    """Close alerts a report answered, or of a stay that ended (a change record each)."""
    if not alerts:
        return []
    resolved = _move_alerts(alerts, AlertAction.RESOLVE, acting_user, "resolved_at")
    for alert in resolved:
        record_change(
            acting_user=acting_user,
            operation="deployment.alerts_resolve",
            instance=alert,
            action="transition",
            changes={"status": {"before": "open", "after": AlertStatus.RESOLVED}},
        )
    return resolved


@transaction.atomic
def alerts_escalate(
    *, alerts: Sequence[MonitoringAlert], acting_user: Any
) -> list[MonitoringAlert]:
    """Escalate alerts to the ministry (the daily run only) and tell its national staff."""
    if not alerts:
        return []
    escalated = _move_alerts(alerts, AlertAction.ESCALATE, acting_user, "escalated_at")
    rows = _overdue_rows(escalated)
    told = notices.escalated_to_ministry(rows)
    for alert in escalated:
        alert.notified = [*alert.notified, *told]
    MonitoringAlert.objects.bulk_update(escalated, ["notified"])
    _summary(MonitoringAlert, "deployment.alerts_escalate", len(escalated), acting_user)
    return escalated


@dataclass(frozen=True)
class _AlertLine:
    """What an e-mail says about one alert."""

    reference: str
    participant: str
    kind: str
    due_on: dt.date


def _overdue_rows(alerts: Sequence[MonitoringAlert]) -> list[_AlertLine]:
    names = dict(
        Deployment.objects.filter(pk__in=[a.deployment_id for a in alerts]).values_list(
            "pk", "participant__full_name"
        )
    )
    return [
        _AlertLine(f"DP-{a.deployment_id:06d}", names.get(a.deployment_id, ""), a.kind, a.due_on)
        for a in alerts
    ]


def _summary(model: type[Any], operation: str, count: int, acting_user: Any) -> None:
    record_change(
        acting_user=acting_user,
        operation=operation,
        instance=model,
        action=ChangeRecord.Action.BULK,
        summary=f"{count} monitoring alert(s)",
        changes={"count": {"before": None, "after": count}},
    )


@dataclass
class DailyRun:
    """What one daily monitoring run did."""

    overdue: int = 0
    raised: int = 0
    escalated: int = 0
    notified: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overdue": self.overdue,
            "raised": self.raised,
            "escalated": self.escalated,
            "notified": sorted(set(self.notified)),
        }


def _known_alerts(rows: Sequence[Overdue]) -> set[tuple[int, str, dt.date]]:
    ids = {r.deployment_id for r in rows}
    oldest = min((r.due_on for r in rows), default=None)
    if oldest is None:
        return set()
    return set(
        MonitoringAlert.objects.filter(deployment_id__in=ids, due_on__gte=oldest).values_list(
            "deployment_id", "kind", "due_on"
        )
    )


@transaction.atomic
def alerts_raise(
    *, rows: Sequence[Overdue], today: dt.date, acting_user: Any
) -> tuple[int, list[str]]:
    """Raise an alert for each overdue report not alerted yet; tell each sending organisation."""
    if acting_user != SYSTEM_ACTOR:
        raise PermissionDenied(_("Only the daily run raises monitoring alerts."))
    known = _known_alerts(rows)
    new = [r for r in rows if (r.deployment_id, r.kind, r.due_on) not in known]
    if not new:
        return 0, []
    by_org: dict[int, list[Overdue]] = defaultdict(list)
    for row in new:
        by_org[row.sending_organisation_id].append(row)
    told: dict[int, list[str]] = {}
    for organisation in Organisation.objects.filter(pk__in=by_org):
        told[organisation.pk] = notices.overdue_to_organisation(
            organisation, by_org[organisation.pk]
        )
    now = timezone.now()
    MonitoringAlert.objects.bulk_create(
        (
            MonitoringAlert(
                deployment_id=r.deployment_id,
                kind=r.kind,
                due_on=r.due_on,
                status=AlertStatus.RAISED,
                raised_at=now,
                raised_on=today,
                notified=told.get(r.sending_organisation_id, []),
            )
            for r in new
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )
    _summary(MonitoringAlert, "deployment.alerts_raise", len(new), acting_user)
    return len(new), [a for addresses in told.values() for a in addresses]


def monitoring_run_daily(*, today: dt.date) -> DailyRun:
    """Raise alerts on newly overdue reports; escalate those raised a grace period ago or more."""
    run = DailyRun()
    rows = overdue_reports(today=today)
    run.overdue = len(rows)
    run.raised, told = alerts_raise(rows=rows, today=today, acting_user=SYSTEM_ACTOR)
    run.notified += told
    late = MonitoringAlert.objects.filter(
        status=AlertStatus.RAISED,
        raised_on__lte=today - dt.timedelta(days=grace_days()),
        deployment__status__in=sorted(ABROAD),
    )
    escalated = alerts_escalate(alerts=list(late), acting_user=SYSTEM_ACTOR)
    run.escalated = len(escalated)
    run.notified += [a for alert in escalated for a in alert.notified]
    return run
