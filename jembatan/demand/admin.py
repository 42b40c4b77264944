"""The Django admin for demand: superusers fixing data, read-only where the workflow rules.

Job orders, placements and targets change only through the services (the
admin would bypass the workflow, the slot check and the audit), so they are
read-only here. Fee rules are reference data a superuser may correct.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jembatan.demand.models import FeeRule, JobOrder, Placement, Target


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Lists and shows records; adds, changes and deletes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JobOrder)
class JobOrderAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "partner", "country", "scheme", "slots", "status")
    list_filter = ("status", "scheme", "country")
    search_fields = ("title",)


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("id", "job_order", "participant_id", "status", "created_at")
    list_filter = ("status",)


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("year", "partner", "country", "number", "stage")


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin[Any]):
    list_display = ("name", "country", "scheme", "max_total_amount", "currency", "valid_from")
    list_filter = ("country", "scheme")
