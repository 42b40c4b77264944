"""Training in the Django admin: superusers read, nothing is written (core/admin.py).

Units, programmes, batches and enrolments change through the services on
Jembatan's own pages; certificates and their number series are evidence.
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.training.models import (
    Batch,
    Certificate,
    CertificateSeries,
    CompetencyUnit,
    Enrolment,
    Programme,
)


@admin.register(CompetencyUnit)
class CompetencyUnitAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("code", "title_id", "hours", "archived_at")
    search_fields = ("code", "title_id", "title_en")


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("name", "organisation", "occupation", "route", "total_hours", "capacity")
    list_filter = ("route",)


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("programme", "code", "starts_on", "ends_on", "status", "capacity")
    list_filter = ("status",)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("batch", "participant", "status", "enrolled_at")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "holder_name", "issuer", "issued_on", "revoked_at")
    search_fields = ("number",)


@admin.register(CertificateSeries)
class CertificateSeriesAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("year", "last_number")
