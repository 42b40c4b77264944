"""The Django admin for matching: superusers reading data; everything is read-only.

Runs, outcomes and preferences change only through the services (the admin
would bypass the approval checks, the placements and the audit).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jembatan.matching.models import CandidatePreference, MatchingRun, RunOutcome


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Lists and shows records; adds, changes and deletes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MatchingRun)
class MatchingRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "method", "status", "candidates", "placed", "created_at")
    list_filter = ("status", "method")
    search_fields = ("name",)


@admin.register(RunOutcome)
class RunOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("id", "run_id", "participant_id", "job_order_id", "reason", "weight")
    list_filter = ("reason",)


@admin.register(CandidatePreference)
class CandidatePreferenceAdmin(ReadOnlyAdmin):
    list_display = ("id", "participant_id", "job_order_id", "rank", "updated_at")
