"""Case files under the current encryption key: counted and re-encrypted for rotation.

Registered in ``ProtectionConfig.ready`` so that ``jembatan encryption status``
counts case files by key and ``jembatan encryption rotate`` reaches them (ADR 0015).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from jembatan.core.audit import record_change
from jembatan.core.encryption import current_key_id, save_encrypted
from jembatan.protection.files import read_content
from jembatan.protection.locks import lock_attachment
from jembatan.protection.models import CaseAttachment


def attachments_to_encrypt(key: str) -> QuerySet[CaseAttachment]:
    """Stored case files not under ``key`` (older keys, or stored before encryption)."""
    return CaseAttachment.objects.exclude(file="").exclude(encryption_key=key)


def attachment_key_counts() -> dict[str, int]:
    """How many stored case files are under each key id; ``""``: not yet encrypted."""
    rows = (
        CaseAttachment.objects.exclude(file="")
        .order_by()
        .values("encryption_key")
        .annotate(n=Count("pk"))
    )
    return {row["encryption_key"]: row["n"] for row in rows}


def attachments_reencrypt_batch(*, batch_size: int, acting_user: Any) -> int:
    """Encrypt up to ``batch_size`` case files again under the current key; how many were done.

    Each file is read, checked against its recorded SHA-256, stored anew under a
    new name and its row pointed at it; the old file is removed only after that
    commits, so a crash leaves at worst an unreferenced new file.
    """
    key = current_key_id()
    batch = list(attachments_to_encrypt(key).order_by("pk")[:batch_size])
    for attachment in batch:
        _reencrypt(attachment, acting_user)
    return len(batch)


def _reencrypt(attachment: CaseAttachment, acting_user: Any) -> None:
    content = read_content(attachment)
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise ValueError(f"case file {attachment.pk}: the stored file does not match its SHA-256")
    storage, old = attachment.file.storage, attachment.file.name
    target = attachment.file.field.generate_filename(attachment, "upload")
    name, key = save_encrypted(storage, target, content)
    try:
        _point_at(attachment, old=old, name=name, key=key, acting_user=acting_user)
    except BaseException:
        storage.delete(name)
        raise


@transaction.atomic
def _point_at(
    attachment: CaseAttachment, *, old: str, name: str, key: str, acting_user: Any
) -> None:
    locked = lock_attachment(attachment.pk)
    if locked.file.name != old:  # re-encrypted meanwhile by another run: drop this copy
        transaction.on_commit(lambda: locked.file.storage.delete(name))
        return
    CaseAttachment.objects.filter(pk=locked.pk).update(file=name, encryption_key=key)
    record_change(
        acting_user=acting_user,
        operation="protection.attachment_reencrypt",
        instance=locked,
        action="update",
        changes={"encryption_key": {"before": locked.encryption_key, "after": key}},
    )
    storage = locked.file.storage
    transaction.on_commit(lambda: storage.delete(old))
