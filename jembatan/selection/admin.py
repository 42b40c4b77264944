"""Selection in the Django admin: superusers read, nothing is written (core/admin.py).

Stage types are reference data loaded from their versioned file (rounds copy
the values). Rounds, stages, candidacies, scores and shortlists change only
through the services: the order of stages, the score history and the audit.
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
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


@admin.register(StageType)
class StageTypeAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("code", "name_id", "name_en", "scoring", "entered_by", "position", "active")
    list_filter = ("scoring", "entered_by", "active")
    search_fields = ("code", "name_id", "name_en")


@admin.register(SelectionRound)
class SelectionRoundAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("name", "partner", "programme", "status", "created_at", "version")
    list_filter = ("status",)
    search_fields = ("name",)


@admin.register(RoundStage)
class RoundStageAdmin(ReadOnlyAdmin):
    lists_personal_data = False
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
    # Lists the assessing official by name.
    list_display = ("round", "assessed_by", "assessed_at")


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnlyAdmin):
    list_display = ("round", "participant", "status", "failed_stage", "rank", "final_score")
    list_filter = ("status",)


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
    lists_personal_data = False
    list_display = ("round", "job_order", "per_vacancy", "created_at")


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(ReadOnlyAdmin):
    list_display = ("shortlist", "position", "candidacy", "decision", "decided_at")
