"""The Django admin for organisations: superusers fixing data, read-mostly.

Officials work in Jembatan's own pages, where the services check the licence
lifecycle and audit every change. Here licences, decisions and reminders are
read-only (the admin would bypass the lifecycle); organisations and contact
persons can be corrected.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jembatan.organisations.models import (
    ContactPerson,
    Licence,
    LicenceDecision,
    LicenceReminder,
    Organisation,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Lists and shows records; adds, changes and deletes nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "nib", "province", "country", "archived_at")
    list_filter = ("kind", "country")
    search_fields = ("name", "nib", "registration_number")
    raw_id_fields = ("parent", "region", "province")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin[ContactPerson]):
    list_display = ("name", "organisation", "position", "is_primary", "archived_at")
    search_fields = ("name", "organisation__name")
    raw_id_fields = ("organisation",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ("number", "organisation", "status", "valid_from", "valid_to")
    list_filter = ("status",)
    search_fields = ("number", "organisation__name")


@admin.register(LicenceDecision)
class LicenceDecisionAdmin(ReadOnlyAdmin):
    list_display = ("licence", "kind", "decided_at", "decided_by_label", "published")
    list_filter = ("kind", "published")
    search_fields = ("licence__number", "licence__organisation__name")


@admin.register(LicenceReminder)
class LicenceReminderAdmin(ReadOnlyAdmin):
    list_display = ("licence", "days_before", "valid_to", "sent_at")
