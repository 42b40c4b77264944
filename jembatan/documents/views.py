"""Document pages: a participant's checklist, handing in, deciding, opening a file.

Files are served only by :func:`open_document`, after the access check, as an
attachment the browser must not sniff or render; every opening is logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, public, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import ordered_page
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.documents.files import open_content
from jembatan.documents.forms import (
    DocumentTypeForm,
    QueueFilterForm,
    RejectForm,
    RequirementForm,
    UploadForm,
)
from jembatan.documents.models import DocumentRequirement, DocumentType, Route
from jembatan.documents.review import fields_to_compare, shows_inline
from jembatan.documents.rules import DECIDERS, SEE_CHECKLIST, UPLOADERS
from jembatan.documents.selectors import (
    QUEUE_ORDER,
    document_to_decide,
    document_to_open,
    participant_checklist_for,
    requirement_for_upload,
    verification_queue,
)
from jembatan.documents.services import (
    document_reject,
    document_type_add,
    document_upload,
    document_verify,
    requirement_revise,
)
from jembatan.participants.selectors import own_participant

# The file is downloaded, never shown: no sniffing, no scripts, no framing, no caching.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


@allow(SEE_CHECKLIST)
def checklist(request: HttpRequest, participant_pk: int) -> HttpResponse:
    """A participant's checklist: what is needed, what was handed in, its status."""
    found = participant_checklist_for(request.user, participant_pk)
    if role_of(request.user) != Role.PARTICIPANT:
        record_access(
            acting_user=request.user,
            purpose="documents.checklist",
            instance=found.participant,
            request=request,
        )
    return TemplateResponse(
        request,
        "documents/checklist.html",
        {"checklist": found, "reject_form": RejectForm()},
    )


@allow(Role.PARTICIPANT)
def my_documents(request: HttpRequest) -> HttpResponse:
    """The signed-in participant's own checklist."""
    participant = own_participant(request.user)
    if participant is None:
        raise Http404
    return redirect("documents:checklist", participant_pk=participant.pk)


@allow(UPLOADERS)
def upload(request: HttpRequest, participant_pk: int, kind: str) -> HttpResponse:
    """Hand in one file for one checklist line (a new version if one exists)."""
    participant, requirement = requirement_for_upload(request.user, participant_pk, kind)
    if role_of(request.user) != Role.PARTICIPANT:  # her own record
        record_access(
            acting_user=request.user,
            purpose="documents.upload",
            instance=participant,
            request=request,
        )
    form = UploadForm(request.POST or None, request.FILES or None, requirement=requirement)
    if request.method == "POST" and form.is_valid():
        handed_in = form.cleaned_data["file"]
        uploaded = attempt(
            request,
            form,
            lambda: document_upload(
                participant=participant,
                requirement=requirement,
                chunks=handed_in.chunks(),
                original_name=handed_in.name or "",
                acting_user=request.user,
                request=request,
            ),
        )
        if uploaded is not None:
            messages.success(request, _("The document has been uploaded and awaits verification."))
            return redirect("documents:checklist", participant_pk=participant.pk)
    return TemplateResponse(
        request,
        "documents/upload.html",
        {"form": form, "participant": participant, "requirement": requirement},
    )


@allow(SEE_CHECKLIST)
def open_document(request: HttpRequest, pk: int) -> FileResponse:
    """The file itself, to those whose role and scope allow it; logged every time."""
    document = document_to_open(request.user, pk)
    purpose = "documents.view_sensitive" if document.requirement.sensitive else "documents.view"
    record_access(acting_user=request.user, purpose=purpose, instance=document, request=request)
    response = FileResponse(
        open_content(document),
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    for header, value in FILE_HEADERS.items():
        response[header] = value
    return response


@allow(DECIDERS)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """One document beside the data it proves, with the decision at hand."""
    document = document_to_decide(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="documents.review",
        instance=document.participant,
        request=request,
    )
    context = {
        "document": document,
        "fields": fields_to_compare(document),
        "inline": shows_inline(document),
        "form": RejectForm(),
    }
    return TemplateResponse(request, "documents/review.html", context)


@xframe_options_sameorigin
@allow(DECIDERS)
def show_document(request: HttpRequest, pk: int) -> FileResponse:
    """An image or PDF shown inside the review page (same origin only), logged like a download."""
    document = document_to_decide(request.user, pk)
    if not shows_inline(document):
        raise Http404
    purpose = "documents.view_sensitive" if document.requirement.sensitive else "documents.view"
    record_access(acting_user=request.user, purpose=purpose, instance=document, request=request)
    response = FileResponse(open_content(document), content_type=document.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # No scripts, no forms, nothing loaded from elsewhere; a PDF viewer needs no sandbox flag.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'"
    return response


def _after_decision(request: HttpRequest, document: Any) -> HttpResponse:
    """Back to the queue when the decision was taken there, else to the checklist."""
    if request.POST.get("next") == "queue":
        return redirect("documents:queue")
    return redirect("documents:checklist", participant_pk=document.participant_id)


@require_POST
@allow(DECIDERS)
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm one document (the officer's name and time are recorded)."""
    document = document_to_decide(request.user, pk)
    verified = attempt(
        request,
        None,
        lambda: document_verify(document=document, acting_user=request.user, request=request),
    )
    if verified is not None:
        messages.success(request, _("The document is verified."))
    return _after_decision(request, document)


@allow(DECIDERS)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse one document with a reason the participant sees."""
    document = document_to_decide(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="documents.review",
        instance=document.participant,
        request=request,
    )
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rejected = attempt(
            request,
            form,
            lambda: document_reject(
                document=document,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
                request=request,
            ),
        )
        if rejected is not None:
            messages.success(request, _("The document is rejected; the participant sees why."))
            return _after_decision(request, document)
    return TemplateResponse(request, "documents/reject.html", {"form": form, "document": document})


@public
def requirements(request: HttpRequest) -> HttpResponse:
    """The checklist of each route, public so that candidates can prepare their papers."""
    current = DocumentRequirement.objects.filter(valid_to__isnull=True)
    routes = [(label, [r for r in current if r.route == value]) for value, label in Route.choices]
    return TemplateResponse(
        request,
        "documents/requirements.html",
        {"routes": routes, "can_edit": role_of(request.user) == Role.NATIONAL_ADMIN},
    )


@allow(Role.NATIONAL_ADMIN)
def requirement_edit(request: HttpRequest, requirement_pk: int) -> HttpResponse:
    """Revise one checklist line: a new version from today, the old one kept."""
    requirement = get_object_or_404(DocumentRequirement, pk=requirement_pk, valid_to__isnull=True)
    form = RequirementForm(request.POST or None, initial=RequirementForm.initial_for(requirement))
    if request.method == "POST" and form.is_valid():
        revised = attempt(
            request,
            form,
            lambda: requirement_revise(
                requirement=requirement,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                **form.values(),
            ),
        )
        if revised is not None:
            messages.success(request, _("The checklist line has been saved as a new version."))
            return redirect("documents:requirements")
    history = DocumentRequirement.objects.filter(route=requirement.route, kind=requirement.kind)
    return TemplateResponse(
        request,
        "documents/requirement_edit.html",
        {"form": form, "requirement": requirement, "history": history},
    )


@allow(DECIDERS)
def queue(request: HttpRequest) -> HttpResponse:
    """Documents waiting for an officer's decision, oldest first, by province and organisation."""
    form = QueueFilterForm(request.GET or None, user=request.user)
    province, organisation = "", None
    if form.is_valid():
        province = form.cleaned_data["province"].pk if form.cleaned_data["province"] else ""
        chosen = form.cleaned_data["organisation"]
        organisation = chosen.pk if chosen else None
    rows = verification_queue(request.user, province=province, organisation=organisation)
    page = ordered_page(rows, order=QUEUE_ORDER, after=request.GET.get("after"))
    record_access(acting_user=request.user, purpose="documents.queue", request=request)
    # The count is of what waits (pending only), the officers' measure of the backlog.
    return TemplateResponse(
        request,
        "documents/queue.html",
        {"form": form, "page": page, "rows": page.items, "total": rows.count()},
    )


@public
def document_types(request: HttpRequest) -> HttpResponse:
    """Every document type with its basis (reference data); the administrator adds types."""
    return TemplateResponse(
        request,
        "documents/types.html",
        {
            "types": DocumentType.objects.all(),
            "can_add": role_of(request.user) == Role.NATIONAL_ADMIN,
        },
    )


@allow(Role.NATIONAL_ADMIN)
def document_type_new(request: HttpRequest) -> HttpResponse:
    """Add a document type and, if asked, its line on one route's checklist."""
    form = DocumentTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = attempt(
            request,
            form,
            lambda: document_type_add(acting_user=request.user, **form.cleaned_data),
        )
        if added is not None:
            messages.success(request, _("The document type has been added."))
            return redirect("documents:types")
    return TemplateResponse(request, "documents/type_new.html", {"form": form})
