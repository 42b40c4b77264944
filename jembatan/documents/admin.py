"""The Django admin, for superusers fixing data only: it bypasses the services' rules.

Documents are read-only here: the file, its hash and the decisions are evidence.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jembatan.documents.models import Document, DocumentRequirement, PersonalDataExport


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin[DocumentRequirement]):
    list_display = ("route", "kind", "name_id", "needed_for", "required", "sensitive", "version")
    list_filter = ("route", "needed_for", "sensitive")


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Shows records; neither adds, changes nor deletes them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("participant", "kind", "status", "is_current", "uploaded_at")
    list_filter = ("kind", "status", "is_current")
    raw_id_fields = ("participant", "uploaded_by", "verified_by", "replaced_by")


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnlyAdmin):
    list_display = ("participant", "format", "requested_by", "at")
    raw_id_fields = ("participant", "requested_by")
