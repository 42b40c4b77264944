"""Organisations in the Django admin: superusers read, nothing is written (core/admin.py).

Officials work in Jembatan's own pages, where the services check the licence
lifecycle and audit every change to organisations, contacts and licences.
"""

from __future__ import annotations

from django.contrib import admin

from jembatan.core.admin import ReadOnlyAdmin
from jembatan.organisations.models import (
    ContactPerson,
    Licence,
    LicenceDecision,
    LicenceReminder,
    Organisation,
)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("name", "kind", "nib", "province", "country", "archived_at")
    list_filter = ("kind", "country")
    search_fields = ("name", "nib", "registration_number")


@admin.register(ContactPerson)
class ContactPersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "position", "is_primary", "archived_at")
    search_fields = ("name", "organisation__name")


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("number", "organisation", "status", "valid_from", "valid_to")
    list_filter = ("status",)
    search_fields = ("number", "organisation__name")


@admin.register(LicenceDecision)
class LicenceDecisionAdmin(ReadOnlyAdmin):
    # Lists the deciding official by name.
    list_display = ("licence", "kind", "decided_at", "decided_by_label", "published")
    list_filter = ("kind", "published")
    search_fields = ("licence__number", "licence__organisation__name")


@admin.register(LicenceReminder)
class LicenceReminderAdmin(ReadOnlyAdmin):
    lists_personal_data = False
    list_display = ("licence", "days_before", "valid_to", "sent_at")
