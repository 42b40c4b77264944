"""Demand in the Django admin: superusers read, nothing is written (core/admin.py).

Job orders, placements, targets and fee rules change only through the services
(the workflow, the slot check and the audit) on Jembatan's own pages.
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.demand.models import FeeRule, JobOrder, Placement, Target


@admin.register(JobOrder)
class JobOrderAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("id", "title", "partner", "country", "scheme", "slots", "status")
    list_filter = ("status", "scheme", "country")
    search_fields = ("title",)


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("id", "job_order", "participant_id", "status", "created_at")
    list_filter = ("status",)


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("year", "partner", "country", "number", "stage")


@admin.register(FeeRule)
class FeeRuleAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("name", "country", "scheme", "max_total_amount", "currency", "valid_from")
    list_filter = ("country", "scheme")
