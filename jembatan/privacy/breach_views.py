"""The breach register's pages: national administrators keep it, auditors read it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.privacy import selectors
from jembatan.privacy.forms import AffectedForm, AuthorityNoticeForm, BreachForm, PeopleNoticeForm
from jembatan.privacy.models import Breach
from jembatan.privacy.processing import CATEGORIES
from jembatan.privacy.services.breaches import (
    breach_find_affected,
    breach_notify_authority,
    breach_notify_people,
    breach_record,
)

KEEPER = Role.NATIONAL_ADMIN


@allow(KEEPER, Role.AUDITOR)
def breach_list(request: HttpRequest) -> HttpResponse:
    """Every breach recorded, the newest first, with the time left to notify."""
    context = {
        "rows": list(selectors.breaches_visible_to(request.user)),
        "now": timezone.now(),
        "keeper": role_of(request.user) == KEEPER,
    }
    return TemplateResponse(request, "privacy/breach_list.html", context)


@allow(KEEPER)
def breach_new(request: HttpRequest) -> HttpResponse:
    """Record a breach as soon as it is discovered: the 3 × 24 hours run from then."""
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        breach = attempt(
            request,
            form,
            lambda: breach_record(acting_user=request.user, request=request, **form.cleaned_data),
        )
        if breach is not None:
            messages.success(request, _("The breach is recorded."))
            return redirect("personal_data:breach", breach_pk=breach.pk)
    return TemplateResponse(request, "privacy/breach_new.html", {"form": form})


def _forms(breach: Breach, **bound: Any) -> dict[str, Any]:
    accounts = " ".join(a.get_username() for a in breach.accounts.all())
    window = {
        "accounts": accounts,
        "window_start": breach.window_start,
        "window_end": breach.window_end,
    }
    return {
        "affected_form": bound.get("affected") or AffectedForm(initial=window),
        "authority_form": bound.get("authority")
        or AuthorityNoticeForm(initial={"measures": breach.measures}),
        "people_form": bound.get("people") or PeopleNoticeForm(),
    }


def _detail(request: HttpRequest, breach: Breach, **bound: Any) -> HttpResponse:
    record_access(
        acting_user=request.user, purpose="privacy.breach", instance=breach, request=request
    )
    labels = {c.code: c for c in CATEGORIES}
    context = {
        "breach": breach,
        "now": timezone.now(),
        "categories": [labels[c] for c in breach.data_categories if c in labels],
        "affected": list(selectors.affected_of(breach)),
        "keeper": role_of(request.user) == KEEPER,
    } | _forms(breach, **bound)
    return TemplateResponse(request, "privacy/breach_detail.html", context)


@allow(KEEPER, Role.AUDITOR)
def breach_detail(request: HttpRequest, breach_pk: int) -> HttpResponse:
    """One breach: what, when, the deadline and time left, the people affected, the notices."""
    return _detail(request, selectors.breach_for(request.user, breach_pk))


def _breach_step(
    request: HttpRequest, breach_pk: int, form_class: Any, service: Any, slot: str
) -> HttpResponse:
    """One step on a breach (a form posted to a service); on a refusal the page again."""
    breach = selectors.breach_for(request.user, breach_pk)
    form = form_class(request.POST)
    if form.is_valid():
        done = attempt(
            request,
            form,
            lambda: service(
                breach=breach, acting_user=request.user, request=request, **form.cleaned_data
            ),
        )
        if done is not None:
            return redirect("personal_data:breach", breach_pk=breach.pk)
    return _detail(request, breach, **{slot: form})


@allow(KEEPER)
@require_POST
def breach_affected_view(request: HttpRequest, breach_pk: int) -> HttpResponse:
    """Find the people affected from the access log: the accounts and the period."""
    return _breach_step(request, breach_pk, AffectedForm, breach_find_affected, "affected")


@allow(KEEPER)
@require_POST
def breach_authority_view(request: HttpRequest, breach_pk: int) -> HttpResponse:
    """Record the written notice to the institution."""
    return _breach_step(
        request, breach_pk, AuthorityNoticeForm, breach_notify_authority, "authority"
    )


@allow(KEEPER)
@require_POST
def breach_people_view(request: HttpRequest, breach_pk: int) -> HttpResponse:
    """Record the written notice to the people affected."""
    return _breach_step(request, breach_pk, PeopleNoticeForm, breach_notify_people, "people")
