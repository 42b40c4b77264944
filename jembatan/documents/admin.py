"""Documents in the Django admin: superusers read, nothing is written (core/admin.py).

The file, its hash and the decisions are evidence; the checklist is versioned
reference data. Both change only through the services.
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.documents.models import Document, DocumentRequirement, PersonalDataExport


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("route", "kind", "name_id", "needed_for", "required", "sensitive", "version")
    list_filter = ("route", "needed_for", "sensitive")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("participant", "kind", "status", "is_current", "uploaded_at")
    list_filter = ("kind", "status", "is_current")


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnlyAdmin):
    list_display = ("participant", "format", "requested_by", "at")
