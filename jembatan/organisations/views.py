"""Organisation and licence pages for officials and sending organisations.

National staff create and edit organisations and decide on licences; a
sending organisation's operators apply, submit and request renewals for their
own organisation. Every write goes through a service; a refused action shows
the service's reason and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.password_check import recent_password
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, READERS, Role
from jembatan.organisations import selectors, workflows
from jembatan.organisations.forms import ACTION_FORMS, ContactForm, OrganisationForm
from jembatan.organisations.models import (
    IN_FORCE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ContactPerson,
    Licence,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.register import register_entry
from jembatan.organisations.rules import why_it_may_not_act
from jembatan.organisations.services import licence_applications, licensing, organisations
from jembatan.organisations.workflows import SANCTION_ACTIONS, LicenceAction

LICENCE_FILTERS: dict[str, Callable[[], QuerySet[Licence]]] = {
    "awaiting_review": selectors.licences_awaiting_review,
    "expiring": selectors.licences_expiring,
}
VIEWERS = READERS | {Role.PARTNER}
APPLICANTS = NATIONAL | {Role.SENDER_OPERATOR}


def _filtered(request: HttpRequest) -> QuerySet[Organisation]:
    rows = selectors.organisations_visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in OrganisationKind.values:
        rows = rows.filter(kind=kind)
    licence_filter = LICENCE_FILTERS.get(request.GET.get("licence", ""))
    if licence_filter is not None:
        rows = rows.filter(pk__in=licence_filter().values("organisation_id"))
    query = request.GET.get("q", "").strip()
    return rows.filter(name__icontains=query) if query else rows


@allow(VIEWERS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations, filterable by kind, licence situation and name."""
    page = keyset_page(_filtered(request), after=parse_cursor(request.GET.get("after")))
    return TemplateResponse(
        request,
        "organisations/list.html",
        {
            "page": page,
            "kinds": OrganisationKind.choices,
            "kind": request.GET.get("kind", ""),
            "q": request.GET.get("q", ""),
            "licence": request.GET.get("licence", ""),
            "may_create": role_of(request.user) in NATIONAL,
        },
    )


def _may_apply(organisation: Organisation, role: Role | None, own: bool) -> bool:
    """Offer "apply" only where the service would accept it (it checks again)."""
    if not organisation.may_hold_licence or not (role in NATIONAL or own):
        return False
    busy = IN_FORCE_STATUSES | OPEN_APPLICATION_STATUSES
    return not organisation.licences.filter(status__in=sorted(busy)).exists()


@allow(VIEWERS)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation with its licences, contacts and operators."""
    organisation = selectors.organisation_for(request.user, pk)
    role = role_of(request.user)
    own = getattr(request.user, "organisation_id", None) == organisation.pk
    contacts = selectors.contacts_of(organisation)
    if contacts.exists():  # contact persons are personal data
        record_access(
            acting_user=request.user,
            purpose="organisation_contacts",
            instance=organisation,
            request=request,
        )
    return TemplateResponse(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "licences": organisation.licences.order_by("-id"),
            "licence": selectors.current_licence(organisation),
            "contacts": contacts,
            "operators": selectors.operators_of(organisation),
            "refusal": why_it_may_not_act(organisation),
            "may_edit": role in NATIONAL,
            "may_apply": _may_apply(organisation, role, own),
            "may_manage_contacts": role in NATIONAL or (role == Role.SENDER_OPERATOR and own),
        },
    )


def _save_organisation(
    request: HttpRequest, form: OrganisationForm, organisation: Organisation | None
) -> Organisation | None:
    """Create (``organisation`` None) or update through the service; None when refused."""
    data = {name: form.cleaned_data[name] for name in organisations.ORGANISATION_FIELDS}
    if organisation is None:
        return attempt(
            request,
            form,
            lambda: organisations.organisation_create(acting_user=request.user, **data),
        )
    return attempt(
        request,
        form,
        lambda: organisations.organisation_update(
            organisation=organisation, acting_user=request.user, changes=data
        ),
    )


@allow(NATIONAL)
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Register a new organisation of any kind."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save_organisation(request, form, None)
        if saved is not None:
            messages.success(request, _("The organisation has been registered."))
            return redirect("organisations:detail", pk=saved.pk)
    return TemplateResponse(
        request, "organisations/edit.html", {"form": form, "organisation": None}
    )


@allow(NATIONAL)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an organisation's details (audited)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = _save_organisation(request, form, organisation)
        if saved is not None:
            messages.success(request, _("The organisation has been saved."))
            return redirect("organisations:detail", pk=pk)
    return TemplateResponse(
        request, "organisations/edit.html", {"form": form, "organisation": organisation}
    )


@allow(APPLICANTS)
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a contact person to an organisation the user may manage."""
    organisation = selectors.organisation_for(request.user, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = attempt(
            request,
            form,
            lambda: organisations.contact_add(
                organisation=organisation, acting_user=request.user, **form.cleaned_data
            ),
        )
        if added is not None:
            messages.success(request, _("The contact person has been added."))
            return redirect("organisations:detail", pk=pk)
    return TemplateResponse(
        request, "organisations/contact_add.html", {"form": form, "organisation": organisation}
    )


@require_POST
@allow(APPLICANTS)
def contact_archive(request: HttpRequest, contact_pk: int) -> HttpResponse:
    """Stop listing a contact person."""
    contact = get_object_or_404(ContactPerson, pk=contact_pk)
    selectors.organisation_for(request.user, contact.organisation_id)
    archived = attempt(
        request,
        None,
        lambda: organisations.contact_archive(contact=contact, acting_user=request.user),
    )
    if archived is not None:
        messages.success(request, _("The contact person has been removed from the list."))
    return redirect("organisations:detail", pk=contact.organisation_id)


@require_POST
@allow(APPLICANTS)
def licence_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a licence application for an organisation (a draft to complete and submit)."""
    organisation = selectors.organisation_for(request.user, pk)
    licence = attempt(
        request,
        None,
        lambda: licence_applications.licence_apply(
            organisation=organisation,
            acting_user=request.user,
            licence_type=request.POST.get("licence_type", ""),
        ),
    )
    if licence is None:
        return redirect("organisations:detail", pk=pk)
    messages.success(request, _("The application has been started. Submit it when it is ready."))
    return redirect("organisations:licence", licence_pk=licence.pk)


@allow(VIEWERS)
def licence_detail(request: HttpRequest, licence_pk: int) -> HttpResponse:
    """One licence: its status in plain words, its history of decisions, the actions possible."""
    licence = selectors.licence_for(request.user, licence_pk)
    actions = workflows.allowed_actions(licence, request.user)
    return TemplateResponse(
        request,
        "organisations/licence.html",
        {
            "licence": licence,
            "organisation": licence.organisation,
            "public": register_entry(licence.organisation).status,
            "refusal": why_it_may_not_act(licence.organisation),
            "decisions": selectors.decisions_of(licence),
            "reminders": licence.reminders.all(),
            "actions": [(a.value, workflows.describe(a)) for a in actions],
        },
    )


def _action(value: str) -> LicenceAction:
    try:
        action = LicenceAction(value)
    except ValueError:
        raise Http404 from None
    if action not in ACTION_FORMS:
        raise Http404
    return action


@allow(APPLICANTS)
@recent_password(when=lambda request, licence_pk, action: action in SANCTION_ACTIONS)
def licence_action(request: HttpRequest, licence_pk: int, action: str) -> HttpResponse:
    """The form for one action on a licence; on POST the service decides, or says why not."""
    licence = selectors.licence_for(request.user, licence_pk)
    chosen = _action(action)
    workflows.check_actor(licence, chosen, request.user)
    posted = request.method == "POST"
    form = ACTION_FORMS[chosen](request.POST if posted else None, request.FILES or None)
    if posted and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: licensing.perform_action(
                licence=licence, action=chosen, acting_user=request.user, data=form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(
                request, _("Done: %(action)s.") % {"action": workflows.describe(chosen)}
            )
            return redirect("organisations:licence", licence_pk=licence_pk)
    return TemplateResponse(
        request,
        "organisations/licence_action.html",
        {"licence": licence, "form": form, "action": chosen, "title": workflows.describe(chosen)},
        status=400 if form.errors else 200,
    )


@allow(NATIONAL, Role.AUDITOR, Role.SENDER_OPERATOR)
def decision_attachment(request: HttpRequest, decision_pk: int) -> FileResponse:
    """A decision's attachment, for national staff and the organisation's own operators only."""
    decision = selectors.decision_attachment_for(request.user, decision_pk)
    record_access(
        acting_user=request.user,
        purpose="licence_decision_attachment",
        instance=decision,
        request=request,
    )
    return FileResponse(decision.attachment.open("rb"), as_attachment=True)
