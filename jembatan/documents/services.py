"""The only writers of documents and of the checklist; every operation is audited.

A file reaches the disk only after its content passed :mod:`jembatan.core.uploads`
(an image as re-encoded there, never the bytes that came in), under a random name
in ``documents/`` of the file storage (never the web root); the person's file name is kept
as metadata, its extension that of what the file really is. If recording it
fails, the file is removed again, so the disk never holds an unrecorded file.
Old versions are kept: a re-upload marks the previous one as replaced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import actor_label, diff, record_change, snapshot
from jembatan.core.encryption import current_key_id, save_encrypted
from jembatan.core.roles import Role
from jembatan.core.transitions import TransitionRefused
from jembatan.core.uploads import Inspection, inspect_upload, name_for_type
from jembatan.documents.errors import DocumentErrorCode
from jembatan.documents.files import read_content
from jembatan.documents.locks import (
    lock_document,
    lock_document_requirement,
    lock_document_type,
    lock_documents_of_participant,
)
from jembatan.documents.models import Document, DocumentRequirement, DocumentType, Route, Stage
from jembatan.documents.rules import may_decide, may_upload, route_of
from jembatan.documents.workflows import DOCUMENT_WORKFLOW, DocumentAction
from jembatan.organisations.rules import ensure_can_act
from jembatan.participants.locks import lock_participant
from jembatan.participants.models import Participant

DOCUMENT_FIELDS = (
    "participant_id",
    "requirement_id",
    "kind",
    "original_name",
    "sha256",
    "size",
    "content_type",
    "encryption_key",
    "uploaded_by_id",
    "status",
    "rejection_reason",
    "verified_by_id",
    "verified_at",
    "is_current",
    "replaced_by_id",
)
REQUIREMENT_FIELDS = (
    "route",
    "kind",
    "name_id",
    "name_en",
    "guidance_id",
    "guidance_en",
    "needed_for",
    "required",
    "required_below_age",
    "sensitive",
    "accepted_types",
    "max_size_bytes",
    "order",
)
MAX_NAME = 255


# --- upload --------------------------------------------------------------------


def _check_uploader(participant: Participant, requirement: DocumentRequirement, user: Any) -> None:
    if not may_upload(user, participant):
        raise PermissionDenied
    if role_of(user) == Role.SENDER_OPERATOR:
        ensure_can_act(user.organisation)
    current = requirement.valid_to is None and requirement.route == route_of(participant)
    if not current:
        raise ValidationError(
            _("This checklist line has changed; reload the page and upload again."),
            code=DocumentErrorCode.STALE_REQUIREMENT,
        )


def clean_name(name: str) -> str:
    """The person's file name as metadata only: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(ch for ch in base if ch.isprintable()).strip()
    return (printable or "document")[:MAX_NAME]


def document_upload(
    *,
    participant: Participant,
    requirement: DocumentRequirement,
    chunks: Iterable[bytes],
    original_name: str,
    acting_user: Any,
    request: HttpRequest | None = None,
) -> Document:
    """Check a file by its content, store it under a random name and record it (pending)."""
    _check_uploader(participant, requirement, acting_user)
    inspection = _inspected(chunks, requirement)
    document = Document(
        participant=participant,
        requirement=requirement,
        kind=requirement.kind,
        original_name=name_for_type(clean_name(original_name), inspection.content_type),
        uploaded_by=acting_user,
    )
    _store(document, inspection.content)
    try:
        return _record_upload(document, inspection, request)
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise


def _store(document: Document, content: bytes) -> None:
    """Write the file through the storage API: encrypted when it is specific personal data."""
    if not document.requirement.sensitive:
        document.file.save("upload", ContentFile(content), save=False)
        return
    field = document.file.field
    name, document.encryption_key = save_encrypted(
        document.file.storage, field.generate_filename(document, "upload"), content
    )
    document.file.name = name


def _inspected(chunks: Iterable[bytes], requirement: DocumentRequirement) -> Inspection:
    """The file checked by its content; a refusal is about the file, so it names ``file``."""
    try:
        return inspect_upload(
            chunks,
            limit=requirement.max_size_bytes,
            accepted=requirement.accepted_types,
            document=requirement.name,
        )
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error


@transaction.atomic
def _record_upload(
    document: Document, inspection: Inspection, request: HttpRequest | None
) -> Document:
    # Locking the participant serialises two uploads of the same kind at once.
    lock_participant(document.participant_id)
    previous = Document.objects.filter(
        participant_id=document.participant_id, kind=document.kind, is_current=True
    ).first()
    if previous is not None:
        Document.objects.filter(pk=previous.pk).update(is_current=False)
    document.sha256, document.size = inspection.sha256, inspection.size
    document.content_type = inspection.content_type
    document.uploaded_at = timezone.now()
    document.save()
    _audit_created(document, request)
    if previous is not None:
        _mark_replaced(previous, document, request)
    return document


def _audit_created(document: Document, request: HttpRequest | None) -> None:
    record_change(
        acting_user=document.uploaded_by,
        operation="documents.document_upload",
        instance=document,
        action="create",
        changes={
            k: {"before": None, "after": v} for k, v in snapshot(document, DOCUMENT_FIELDS).items()
        },
        request=request,
    )


def _mark_replaced(previous: Document, document: Document, request: HttpRequest | None) -> None:
    before = snapshot(previous, DOCUMENT_FIELDS)
    previous.is_current, previous.replaced_by = False, document
    Document.objects.filter(pk=previous.pk).update(replaced_by=document)
    record_change(
        acting_user=document.uploaded_by,
        operation="documents.document_upload",
        instance=previous,
        action="update",
        changes=diff(before, snapshot(previous, DOCUMENT_FIELDS)),
        reason=_("Replaced by a new upload."),
        request=request,
    )


# --- decisions -------------------------------------------------------------------


def _ensure_decidable(document: Document, action: DocumentAction) -> None:
    if not document.is_current:
        raise ValidationError(
            _("A newer version of this document has been uploaded; decide on that one."),
            code=DocumentErrorCode.NOT_CURRENT,
        )
    DOCUMENT_WORKFLOW.check(
        document.status,
        action,
        refusal=lambda: TransitionRefused(
            _("This document is already %(status)s.")
            % {"status": document.get_status_display().lower()},
            code=DocumentErrorCode.NOT_DECIDABLE,
        ),
    )


def _decide_document(
    *,
    document: Document,
    action: DocumentAction,
    acting_user: Any,
    reason: str,
    operation: str,
    request: HttpRequest | None,
) -> Document:
    """Verify or reject one document: whoever decides, on the current version, audited."""
    locked = lock_document(document.pk, with_participant=True)
    if not may_decide(acting_user, locked.participant):
        raise PermissionDenied
    _ensure_decidable(locked, action)
    before = snapshot(locked, DOCUMENT_FIELDS)
    locked.status, locked.rejection_reason = str(DOCUMENT_WORKFLOW[action].target), reason
    locked.verified_by, locked.verified_at = acting_user, timezone.now()
    locked.save(update_fields=["status", "rejection_reason", "verified_by", "verified_at"])
    record_change(
        acting_user=acting_user,
        operation=operation,
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked, DOCUMENT_FIELDS)),
        reason=reason,
        request=request,
    )
    return locked


@transaction.atomic
def document_verify(
    *, document: Document, acting_user: Any, request: HttpRequest | None = None
) -> Document:
    """An officer confirms the document is genuine and matches the person (attributable)."""
    return _decide_document(
        document=document,
        action=DocumentAction.VERIFY,
        acting_user=acting_user,
        reason="",
        operation="documents.document_verify",
        request=request,
    )


@transaction.atomic
def document_reject(
    *, document: Document, reason: str, acting_user: Any, request: HttpRequest | None = None
) -> Document:
    """An officer refuses the document, saying why so the participant can hand in another."""
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError(
            _("Say why the document is rejected, so the participant knows what to fix."),
            code=DocumentErrorCode.REASON_REQUIRED,
        )
    return _decide_document(
        document=document,
        action=DocumentAction.REJECT,
        acting_user=acting_user,
        reason=reason,
        operation="documents.document_reject",
        request=request,
    )


# --- the checklist (reference data) -------------------------------------------------


@transaction.atomic
def requirement_revise(
    *, requirement: DocumentRequirement, acting_user: Any, reason: str = "", **values: Any
) -> DocumentRequirement:
    """Close the current version of a checklist line and open the next one with ``values``.

    Documents keep pointing at the version they were checked against; the new
    version applies to uploads from now on.
    """
    locked = lock_document_requirement(requirement.pk)
    if locked.valid_to is not None:
        raise ValidationError(
            _("Only the current version can be revised."), code=DocumentErrorCode.NOT_CURRENT
        )
    before = snapshot(locked, REQUIREMENT_FIELDS)
    today = timezone.localdate()
    DocumentRequirement.objects.filter(pk=locked.pk).update(valid_to=today)
    fields = {**before, **{k: v for k, v in values.items() if k in REQUIREMENT_FIELDS}}
    successor = DocumentRequirement(**fields, version=locked.version + 1, valid_from=today)
    successor.full_clean()
    successor.save()
    record_change(
        acting_user=acting_user,
        operation="documents.requirement_revise",
        instance=successor,
        action="create",
        changes={
            **diff(before, snapshot(successor, REQUIREMENT_FIELDS)),
            "version": {"before": locked.version, "after": successor.version},
        },
        reason=reason,
    )
    return successor


TYPE_FIELDS = ("code", "name_en", "name_id", "sensitive", "basis")


@transaction.atomic
def document_type_add(
    *,
    code: str,
    name_en: str,
    name_id: str,
    basis: str,
    acting_user: Any,
    sensitive: bool = False,
    route: str = "",
    needed_for: str = Stage.VERIFICATION,
    required: bool = True,
) -> DocumentType:
    """Add a document type (reference data) and, if ``route`` is given, its checklist line.

    Codes never change or go away: documents are filed under them. The line starts
    at version 1 today; later changes go through :func:`requirement_revise`.
    """
    if role_of(acting_user) != Role.NATIONAL_ADMIN:
        raise PermissionDenied(_("Only a national administrator adds document types."))
    if lock_document_type(code) is not None:
        raise ValidationError(
            {"code": _("A document type with this code exists already.")},
            code=DocumentErrorCode.TYPE_EXISTS,
        )
    added = DocumentType(
        code=code,
        name_en=name_en.strip(),
        name_id=name_id.strip(),
        sensitive=sensitive,
        basis=basis.strip(),
        added_by_label=actor_label(acting_user),
    )
    added.full_clean()
    added.save(force_insert=True)
    record_change(
        acting_user=acting_user,
        operation="documents.document_type_add",
        instance=added,
        action="create",
        changes={k: {"before": None, "after": v} for k, v in snapshot(added, TYPE_FIELDS).items()},
    )
    if route:
        _first_line(added, Route(route), Stage(needed_for), required, acting_user)
    return added


def _first_line(
    kind: DocumentType, route: Route, stage: Stage, required: bool, acting_user: Any
) -> DocumentRequirement:
    if DocumentRequirement.objects.filter(route=route, kind=kind.pk).exists():
        raise ValidationError(
            _("The checklist of this route has this document already."),
            code=DocumentErrorCode.LINE_EXISTS,
        )
    line = DocumentRequirement(
        route=route,
        kind=kind.pk,
        name_id=kind.name_id,
        name_en=kind.name_en,
        needed_for=stage,
        required=required,
        sensitive=kind.sensitive,
        accepted_types=["application/pdf", "image/jpeg", "image/png"],
        order=100,
        valid_from=timezone.localdate(),
    )
    line.full_clean()
    line.save()
    record_change(
        acting_user=acting_user,
        operation="documents.document_type_add",
        instance=line,
        action="create",
        changes={
            k: {"before": None, "after": v} for k, v in snapshot(line, REQUIREMENT_FIELDS).items()
        },
    )
    return line


def documents_follow_merge(*, keep: Participant, gone: Participant, acting_user: Any) -> int:
    """Move the merged record's documents to the survivor; return how many moved.

    Where both records hold a current document of the same kind, the survivor's
    stays current and the moved one becomes an earlier version of it, so no
    verified document is lost and the one-current-per-kind rule holds.
    """
    current = {d.kind: d for d in Document.objects.filter(participant=keep, is_current=True)}
    moved = lock_documents_of_participant(gone.pk)
    for document in moved:
        before = snapshot(document, ["participant_id", "is_current"])
        document.participant = keep
        if document.is_current and document.kind in current:
            document.is_current = False
        document.save(update_fields=["participant", "is_current"])
        record_change(
            acting_user=acting_user,
            operation="documents.follow_merge",
            instance=document,
            action="update",
            changes=diff(before, snapshot(document, ["participant_id", "is_current"])),
        )
    return len(moved)


# --- encryption at rest (ADR 0015) ------------------------------------------------------


def documents_to_encrypt(key: str) -> Any:
    """Stored files of specific personal data, or encrypted ones, not under ``key``."""
    should = Q(requirement__sensitive=True) | ~Q(encryption_key="")
    return Document.objects.filter(should).exclude(file="").exclude(encryption_key=key)


def document_key_counts() -> dict[str, int]:
    """How many stored files are under each key id; ``""``: sensitive but not yet encrypted."""
    should = Q(requirement__sensitive=True) | ~Q(encryption_key="")
    rows = (
        Document.objects.filter(should)
        .exclude(file="")
        .order_by()
        .values("encryption_key")
        .annotate(n=Count("pk"))
    )
    return {row["encryption_key"]: row["n"] for row in rows}


def documents_reencrypt_batch(*, batch_size: int, acting_user: Any) -> int:
    """Encrypt up to ``batch_size`` files again under the current key; how many were done.

    Each file is read (decrypted, or as stored if it was not yet encrypted), checked
    against its recorded SHA-256, stored anew under a new name and its row pointed
    at it; the old file is removed only after that commits. A crash in between
    leaves at worst an unreferenced new file, never a row without its file.
    """
    key = current_key_id()
    batch = list(
        documents_to_encrypt(key).select_related("requirement").order_by("pk")[:batch_size]
    )
    for document in batch:
        _reencrypt(document, acting_user)
    return len(batch)


def _reencrypt(document: Document, acting_user: Any) -> None:
    content = read_content(document)
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise ValueError(f"document {document.pk}: the stored file does not match its SHA-256")
    storage, old = document.file.storage, document.file.name
    target = document.file.field.generate_filename(document, "upload")
    name, key = save_encrypted(storage, target, content)
    try:
        _point_at(document, old=old, name=name, key=key, acting_user=acting_user)
    except BaseException:
        storage.delete(name)
        raise


@transaction.atomic
def _point_at(document: Document, *, old: str, name: str, key: str, acting_user: Any) -> None:
    locked = lock_document(document.pk)
    if locked.file.name != old:  # replaced meanwhile: leave it to the next run
        transaction.on_commit(lambda: locked.file.storage.delete(name))
        return
    Document.objects.filter(pk=locked.pk).update(file=name, encryption_key=key)
    record_change(
        acting_user=acting_user,
        operation="documents.document_reencrypt",
        instance=locked,
        action="update",
        changes={"encryption_key": {"before": locked.encryption_key, "after": key}},
    )
    storage = locked.file.storage
    transaction.on_commit(lambda: storage.delete(old))
