"""Matching in the Django admin: superusers read, nothing is written (core/admin.py).

Runs, outcomes and preferences change only through the services (the approval
checks, the placements and the audit).
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.matching.models import CandidatePreference, MatchingRun, RunOutcome


@admin.register(MatchingRun)
class MatchingRunAdmin(ReadOnlyAdmin):
    lists_personal_data = False
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
