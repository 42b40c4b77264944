"""The Django admin never goes around the records: it writes nothing and logs what it shows.

Officials work in Jembatan's own pages, where the services check the rules and
call ``record_change``. The admin would skip both, so every ModelAdmin on the
site derives from :class:`ReadOnlyAdmin`: superusers look, nobody adds, changes
or deletes (no actions, only :class:`ReadOnlyInline` inlines), and each change
page, history page and list of people calls ``record_access`` with the admin
page as the path (purpose ``admin.<app>.<model>.<page>``).

The check ``jembatan.E001`` (run by ``manage.py check``, ``migrate`` and
``runserver``; ``core/tests/test_admin_records.py`` walks the same site) fails
on a ModelAdmin or an inline that could write. Models registered by Django and
libraries are brought under the same rule here: Django's groups grant nothing in
Jembatan (a user's role is one field), so their admin is removed; task results
are shown read-only with their reads logged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.models import Group
from django.core import checks
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from jembatan.core.audit import record_access


def _shown(response: HttpResponse) -> bool:
    """True if ``response`` is the page itself (not a redirect or a refusal)."""
    return isinstance(response, TemplateResponse) and response.status_code == 200


class Unwritable:
    """Refuses adding, changing and deleting, to everyone (superusers included)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(Unwritable, admin.ModelAdmin[Any]):
    """Shows records to superusers and logs each look; adds, changes and deletes nothing.

    ``lists_personal_data``: whether the list's rows name or point at people
    (then every view of the list is logged). A change page shows one whole
    record, so every one is logged whatever the model.
    """

    lists_personal_data: ClassVar[bool] = True

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}  # "delete selected" and any custom action would write around the services

    def get_search_fields(self, request: HttpRequest) -> list[str] | tuple[str, ...]:
        # The autocomplete endpoint answers names for a search term (a NIK, say) with
        # no page to log the read on; no read-only form has a widget that needs it.
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            return ()
        return super().get_search_fields(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if self.lists_personal_data and _shown(response):
            self._record_read(request, "changelist")
        return response

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            self._record_read(request, "change", obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        if _shown(response):
            assert isinstance(response, TemplateResponse) and response.context_data
            self._record_read(request, "history", response.context_data["object"])
        return response

    def _record_read(
        self, request: HttpRequest, page: str, obj: models.Model | None = None
    ) -> None:
        opts = self.opts
        record_access(
            acting_user=request.user,
            purpose=f"admin.{opts.app_label}.{opts.model_name}.{page}",
            instance=obj,
            request=request,
        )


class ReadOnlyInline(Unwritable, admin.TabularInline[Any, Any]):
    """Related rows listed on a read-only change page (logged with that page)."""

    extra = 0
    can_delete = False


def unrecorded_admins(site: AdminSite) -> list[str]:
    """The admins on ``site`` that could write around the services or read unlogged."""
    found = []
    for model, model_admin in site._registry.items():
        label = model._meta.label
        if not isinstance(model_admin, ReadOnlyAdmin):
            found.append(f"{label}: {type(model_admin).__name__}")
            continue
        found.extend(
            f"{label}: inline {inline.__name__}"
            for inline in model_admin.inlines
            if not issubclass(inline, ReadOnlyInline)
        )
    return found


@checks.register(checks.Tags.admin)
def check_admin_site(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every admin on the site derives from ReadOnlyAdmin, every inline from ReadOnlyInline."""
    return [
        checks.Error(
            f"{found} goes around the services and the access log.",
            hint="Derive it from jembatan.core.admin.ReadOnlyAdmin (inlines: ReadOnlyInline).",
            id="jembatan.E001",
        )
        for found in unrecorded_admins(admin.site)
    ]


class TaskResultAdmin(ReadOnlyAdmin, DBTaskResultAdmin):
    """Background task results (their arguments and tracebacks may name people)."""

    lists_personal_data = False  # the list shows task names and states only


admin.site.unregister(Group)
admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
