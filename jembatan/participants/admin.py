"""The registry in the Django admin: superusers read, nothing is written (core/admin.py).

Officials work in Jembatan's own pages, which go through the services: the NIK
checks, the journey rules, the record's version and the audit. Every look at a
participant here is logged like any other.
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.participants.models import (
    Consent,
    ConsentText,
    DuplicateFlag,
    Participant,
    ParticipantStatusChange,
)


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("id", "full_name", "status", "province", "sending_organisation", "archived_at")
    list_filter = ("status",)
    search_fields = ("nik", "full_name")


@admin.register(ConsentText)
class ConsentTextAdmin(ReadOnlyAdmin):
    """Published texts are never changed: consents point at them."""

    lists_personal_data = False
    list_display = ("purpose", "version", "title_en", "published_at")


@admin.register(ParticipantStatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("participant", "from_status", "to_status", "at", "by_label")


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("participant", "purpose", "text", "agreed_at", "withdrawn_at")


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(ReadOnlyAdmin):
    list_display = ("participant", "candidate", "status", "created_at", "decided_at")
