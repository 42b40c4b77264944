"""The registry in the Django admin: for superusers fixing data, read-mostly.

Officials work in Jembatan's own pages, which go through the services; the
admin bypasses the journey rules, so journey and audit tables are read-only
here and a participant's status cannot be changed from it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jembatan.participants.models import (
    Consent,
    ConsentText,
    DuplicateFlag,
    Participant,
    ParticipantStatusChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is never edited, only looked at."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("id", "full_name", "status", "province", "sending_organisation", "archived_at")
    list_filter = ("status",)
    search_fields = ("nik", "full_name")
    raw_id_fields = ("user", "sending_organisation", "training_centre", "partner", "merged_into")
    readonly_fields = (
        "status",
        "status_changed_at",
        "version",
        "identity_verified_at",
        "identity_verified_by",
        "registered_by",
        "registration_token",
        "archived_at",
        "merged_into",
        "created_at",
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archive, never delete


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """New versions are added; a published text is never changed (consents point at it)."""

    list_display = ("purpose", "version", "title_en", "published_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ParticipantStatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("participant", "from_status", "to_status", "at", "by_label")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("participant", "purpose", "text", "agreed_at", "withdrawn_at")


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(ReadOnlyAdmin):
    list_display = ("participant", "candidate", "status", "created_at", "decided_at")
