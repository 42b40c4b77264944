"""Reads of documents, always filtered by who asks; a record the asker may not open is a 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jembatan.documents.models import Document, DocumentRequirement, DocumentStatus
from jembatan.documents.rules import (
    current_requirements,
    is_required,
    may_decide,
    may_open,
    may_see_checklist,
    may_upload,
    openable_filter,
    route_of,
)
from jembatan.participants.models import Participant
from jembatan.participants.selectors import participant_for, participants_visible_to


@dataclass
class ChecklistLine:
    """One line of a participant's checklist: the requirement, its current file and history."""

    requirement: DocumentRequirement
    required: bool
    current: Document | None = None
    history: list[Document] = field(default_factory=list)
    can_open: set[int] = field(default_factory=set)


@dataclass
class Checklist:
    """A participant's checklist as ``user`` may see it, with what ``user`` may do on it."""

    participant: Participant
    lines: list[ChecklistLine]
    can_upload: bool
    can_decide: bool


def participant_checklist_for(user: Any, participant_pk: int) -> Checklist:
    """The checklist of one participant in ``user``'s scope, or 404."""
    participant = participant_for(user, participant_pk)
    if not may_see_checklist(user, participant):
        raise Http404
    return Checklist(
        participant=participant,
        lines=_lines(user, participant),
        can_upload=may_upload(user, participant),
        can_decide=may_decide(user, participant),
    )


def _lines(user: Any, participant: Participant) -> list[ChecklistLine]:
    lines = {
        r.kind: ChecklistLine(requirement=r, required=is_required(r, participant))
        for r in current_requirements(route_of(participant))
    }
    documents = participant_documents(participant)
    openable = set(documents.filter(openable_filter(user)).values_list("pk", flat=True))
    for document in documents:
        line = lines.get(document.kind)
        if line is None:
            continue  # a kind the route no longer asks for; still in the export
        if document.is_current:
            line.current = document
        else:
            line.history.append(document)
        if document.pk in openable:
            line.can_open.add(document.pk)
    return list(lines.values())


def participant_documents(participant: Participant) -> QuerySet[Document]:
    """Every version of every document of ``participant``, newest first per kind."""
    return Document.objects.filter(participant=participant).select_related(
        "requirement", "uploaded_by", "verified_by"
    )


def document_to_open(user: Any, pk: int) -> Document:
    """A document whose file ``user`` may open, or 404 (never a hint that it exists)."""
    document = Document.objects.select_related("requirement", "participant").filter(pk=pk).first()
    if document is None or not may_open(user, document):
        raise Http404
    return document


def document_to_decide(user: Any, pk: int) -> Document:
    """A document ``user`` may verify or reject, or 404."""
    document = Document.objects.select_related("requirement", "participant").filter(pk=pk).first()
    if document is None or not may_decide(user, document.participant):
        raise Http404
    return document


def requirement_for_upload(
    user: Any, participant_pk: int, kind: str
) -> tuple[Participant, DocumentRequirement]:
    """The participant and the current checklist line ``user`` may hand a file in for, or 404."""
    participant = participant_for(user, participant_pk)
    requirement = current_requirements(route_of(participant)).filter(kind=kind).first()
    if requirement is None or not may_upload(user, participant):
        raise Http404
    return participant, requirement


# The queue is worked in the order documents were handed in; the id breaks ties.
QUEUE_ORDER = ("uploaded_at", "pk")


def verification_queue(
    user: Any, *, province: str = "", organisation: int | None = None
) -> QuerySet[Document]:
    """Documents waiting for a decision, of participants ``user`` sees, oldest first."""
    rows = Document.objects.filter(
        status=DocumentStatus.PENDING,
        participant__in=participants_visible_to(user),
    ).select_related("participant__sending_organisation", "participant__province", "requirement")
    if province:
        rows = rows.filter(participant__province_id=province)
    if organisation is not None:
        rows = rows.filter(participant__sending_organisation_id=organisation)
    return rows.order_by(*QUEUE_ORDER)
