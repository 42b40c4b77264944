"""The Django admin for deployment: superusers reading, never changing.

Deployments, contracts, steps, stages, reports, alerts and events change only
through the services (the admin would bypass the gates, the workflow tables,
the journey and the audit), so every model is read-only here and each look is
logged (core's ReadOnlyAdmin).
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.deployment.models import (
    Contract,
    Deployment,
    DeploymentEvent,
    MonitoringAlert,
    MonitoringReport,
    PreDepartureStep,
    StayStage,
)


@admin.register(Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ("id", "participant_id", "host_company", "status", "departed_on", "arrived_on")
    list_filter = ("status", "scheme", "country")


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("deployment_id", "signed_on", "wage_amount", "wage_currency", "months")


@admin.register(PreDepartureStep)
class PreDepartureStepAdmin(ReadOnlyAdmin):
    list_display = ("deployment_id", "kind", "done_on", "reference", "expires_on")
    list_filter = ("kind",)


@admin.register(StayStage)
class StayStageAdmin(ReadOnlyAdmin):
    list_display = ("deployment_id", "sequence", "code", "due_on", "done_on")


@admin.register(MonitoringReport)
class MonitoringReportAdmin(ReadOnlyAdmin):
    list_display = ("deployment_id", "kind", "period", "covers_until", "wellbeing", "submitted_at")
    list_filter = ("kind", "wellbeing")


@admin.register(MonitoringAlert)
class MonitoringAlertAdmin(ReadOnlyAdmin):
    list_display = ("deployment_id", "kind", "due_on", "status", "raised_on")
    list_filter = ("status", "kind")


@admin.register(DeploymentEvent)
class DeploymentEventAdmin(ReadOnlyAdmin):
    list_display = (
        "deployment_id",
        "action",
        "from_status",
        "to_status",
        "happened_on",
        "by_label",
    )
