"""The Django admin for selection: superusers fixing data.

Stage types are reference data a superuser may correct (a renamed stage, a new
default pass mark; rounds copy the values, so finished rounds never change).
Rounds, stages, candidacies, scores and shortlists change only through the
services (the admin would bypass the order of stages, the score history and the
audit), so they are read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jembatan.selection.models import (
    Candidacy,
    ImpactAssessment,
    RoundStage,
    Score,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
    StageType,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Lists and shows records; adds, changes and deletes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StageType)
class StageTypeAdmin(admin.ModelAdmin[StageType]):
    list_display = ("code", "name_id", "name_en", "scoring", "entered_by", "position", "active")
    list_filter = ("scoring", "entered_by", "active")
    search_fields = ("code", "name_id", "name_en")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # rounds refer to it: retire a type by unticking "in use"


@admin.register(SelectionRound)
class SelectionRoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "partner", "programme", "status", "created_at", "version")
    list_filter = ("status",)
    search_fields = ("name",)


@admin.register(RoundStage)
class RoundStageAdmin(ReadOnlyAdmin):
    list_display = (
        "round",
        "position",
        "stage_type",
        "scoring",
        "max_score",
        "pass_mark",
        "weight",
    )


@admin.register(ImpactAssessment)
class ImpactAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("round", "assessed_by", "assessed_at")


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnlyAdmin):
    list_display = ("round", "participant", "status", "failed_stage", "rank", "final_score")
    list_filter = ("status",)
    raw_id_fields = ("participant",)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = (
        "candidacy",
        "stage",
        "value",
        "passed",
        "source",
        "entered_at",
        "superseded_at",
    )
    list_filter = ("source",)


@admin.register(Shortlist)
class ShortlistAdmin(ReadOnlyAdmin):
    list_display = ("round", "job_order", "per_vacancy", "created_at")


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(ReadOnlyAdmin):
    list_display = ("shortlist", "position", "candidacy", "decision", "decided_at")
