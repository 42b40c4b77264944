"""The Django admin for protection: superusers reading, never changing.

Cases, their timeline, referrals and files change only through the services
(the admin would bypass the workflow table, the deadlines and the audit), so
every model is read-only here and each look is logged (core's ReadOnlyAdmin).
The secret's hash is never listed.
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.protection.models import Case, CaseAttachment, CaseEvent, Referral


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("code", "category", "severity", "status", "level", "owner", "resolution_due")
    list_filter = ("status", "category", "severity", "level")
    exclude = ("secret_hash",)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "at", "by_label", "public")
    list_filter = ("kind", "public")


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "recipient", "due_on", "answered_at")
    list_filter = ("kind",)


@admin.register(CaseAttachment)
class CaseAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("case", "original_name", "content_type", "size", "uploaded_at")
