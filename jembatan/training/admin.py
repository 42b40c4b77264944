"""The Django admin, for superusers fixing data only: it bypasses the services' rules.

Certificates and their number series are read-only here: they are evidence.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jembatan.training.models import (
    Batch,
    Certificate,
    CertificateSeries,
    CompetencyUnit,
    Enrolment,
    Programme,
)


@admin.register(CompetencyUnit)
class CompetencyUnitAdmin(admin.ModelAdmin[CompetencyUnit]):
    list_display = ("code", "title_id", "hours", "archived_at")
    search_fields = ("code", "title_id", "title_en")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("name", "organisation", "occupation", "route", "total_hours", "capacity")
    list_filter = ("route",)
    raw_id_fields = ("organisation", "occupation", "created_by")


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin[Batch]):
    list_display = ("programme", "code", "starts_on", "ends_on", "status", "capacity")
    list_filter = ("status",)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin[Enrolment]):
    list_display = ("batch", "participant", "status", "enrolled_at")
    raw_id_fields = ("batch", "participant", "enrolled_by")


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Shows records; neither adds, changes nor deletes them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "holder_name", "issuer", "issued_on", "revoked_at")
    search_fields = ("number",)


@admin.register(CertificateSeries)
class CertificateSeriesAdmin(ReadOnlyAdmin):
    list_display = ("year", "last_number")
