"""Test data for documents: a small real PDF, and a stage's documents handed in and verified.

:func:`stage_documents_verified` goes through the services (upload, then an
officer's verification), so the files are checked, stored and audited as in use.
"""

from __future__ import annotations

import io

from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.documents.models import Document, DocumentStatus, Stage
from jembatan.documents.rules import DocumentGap, document_gaps
from jembatan.documents.services import document_upload, document_verify
from jembatan.participants.models import Participant


def make_pdf(text: str = "Ijazah") -> bytes:
    """A small but well-formed one-page PDF (header, objects, xref table, trailer)."""
    stream = f"BT /F1 12 Tf 10 10 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def uploader_for(participant: Participant) -> User:
    """Who may hand in ``participant``'s papers: themself, else an operator of their sender."""
    if participant.user is not None:
        return participant.user
    if participant.sending_organisation_id is None:
        raise ValueError("The participant has neither a login nor a sending organisation.")
    user: User = UserFactory.create(
        role=Role.SENDER_OPERATOR, organisation=participant.sending_organisation
    )
    return user


def stage_documents_verified(participant: Participant, stage: Stage) -> list[Document]:
    """Hand in and verify every document ``participant`` still owes for ``stage``.

    The logins made for it are deactivated afterwards, so they receive no notice
    and change no list of recipients a test counts.
    """
    gaps = document_gaps(participant, stage)
    if not gaps:
        return []
    uploader = uploader_for(participant)
    officer: User = UserFactory.create(role=Role.NATIONAL_OFFICER)
    try:
        return _hand_in_and_verify(participant, gaps, uploader, officer)
    finally:
        made = [officer.pk] + ([] if uploader.pk == participant.user_id else [uploader.pk])
        User.objects.filter(pk__in=made).update(is_active=False)


def _hand_in_and_verify(
    participant: Participant, gaps: list[DocumentGap], uploader: User, officer: User
) -> list[Document]:
    verified = []
    for gap in gaps:
        document = document_upload(
            participant=participant,
            requirement=gap.requirement,
            chunks=[make_pdf(gap.requirement.name_en)],
            original_name=f"{gap.requirement.kind}.pdf",
            acting_user=uploader,
        )
        verified.append(document_verify(document=document, acting_user=officer))
    return verified


def stage_documents_on_record(
    participant: Participant, stage: Stage, *, by: User, status: str = DocumentStatus.VERIFIED
) -> list[Document]:
    """Rows (no file stored) for every document ``participant`` still owes for ``stage``.

    For tests that need a stage's papers in place but not the upload itself: far
    cheaper than :func:`stage_documents_verified`, and nothing can open the files.
    """
    now = timezone.now()
    decided = status != DocumentStatus.PENDING
    return Document.objects.bulk_create(
        Document(
            participant=participant,
            requirement=gap.requirement,
            kind=gap.requirement.kind,
            file=f"test/{participant.pk}-{gap.requirement.kind}.pdf",
            original_name=f"{gap.requirement.kind}.pdf",
            sha256="0" * 64,
            size=1,
            content_type="application/pdf",
            uploaded_by=by,
            uploaded_at=now,
            status=status,
            rejection_reason="Unreadable." if status == DocumentStatus.REJECTED else "",
            verified_by=by if decided else None,
            verified_at=now if decided else None,
        )
        for gap in document_gaps(participant, stage)
    )
