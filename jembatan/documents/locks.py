"""Row locks of the documents app (house rule 5): one function per locked model.

Each returns the row(s) locked for the rest of the transaction
(``SELECT … FOR UPDATE``); several rows are locked in the order of their keys,
so that two transactions never wait on each other in a circle.
"""

from __future__ import annotations

from jembatan.documents.models import Document, DocumentRequirement, DocumentType


def lock_document(pk: int, *, with_participant: bool = False) -> Document:
    """The document, locked; ``with_participant`` also fetches its participant (the join
    locks that row too)."""
    rows = Document.objects.select_for_update()
    if with_participant:
        rows = rows.select_related("participant")
    return rows.get(pk=pk)


def lock_documents_of_participant(participant_pk: int) -> list[Document]:
    """Every document of one participant (all versions), locked, in the order of their keys."""
    rows = Document.objects.select_for_update().filter(participant_id=participant_pk)
    return list(rows.order_by("pk"))


def lock_document_requirement(pk: int) -> DocumentRequirement:
    """The checklist line (one version of it), locked."""
    return DocumentRequirement.objects.select_for_update().get(pk=pk)


def lock_document_type(code: str) -> DocumentType | None:
    """The document type ``code``, locked (``None`` if there is none yet)."""
    return DocumentType.objects.select_for_update().filter(pk=code).first()
