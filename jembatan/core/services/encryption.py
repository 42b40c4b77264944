"""Re-encrypting what is stored under an older key, or not yet encrypted, under the current one.

``jembatan encryption rotate`` and ``status`` (core/management/commands/encryption.py)
walk two kinds of things:

* every :class:`~jembatan.core.encryption.EncryptedTextField` of every model,
  found by looking at the models (no app has to register a column);
* encrypted files, which an app registers with :func:`register_encrypted_files`
  in its ``AppConfig.ready`` (documents does; protection's case files can).

Both are worked in batches ordered by id, each batch in its own transaction and
recorded as one bulk change: what is done stays done, so a stopped rotation
resumes where it stopped, and a second run finds nothing to do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.db import models, transaction
from django.db.models import Case, CharField, Count, Value, When
from django.db.models.functions import Length, Substr

from jembatan.core.audit import record_change
from jembatan.core.encryption import (
    KEY_ID_LENGTH,
    KEY_ID_START,
    PREFIX,
    TOKEN_START,
    current_key_id,
    encrypted_fields,
)

NOT_ENCRYPTED = ""
BATCH = 500


@dataclass(frozen=True)
class EncryptedFiles:
    """Files an app stores encrypted: how to count them per key and re-encrypt a batch.

    ``count_by_key()`` answers ``{key id: how many}``, ``""`` for files that should
    be encrypted and are not yet; ``rotate_batch(batch_size=, acting_user=)``
    re-encrypts up to that many under the current key and answers how many it did
    (0 when none are left).
    """

    label: str
    count_by_key: Callable[[], dict[str, int]]
    rotate_batch: Callable[..., int]


_FILES: dict[str, EncryptedFiles] = {}


def register_encrypted_files(files: EncryptedFiles) -> None:
    """Let rotation and status reach an app's encrypted files (call from ``ready``)."""
    _FILES[files.label] = files


def registered_files() -> list[EncryptedFiles]:
    """Every kind of encrypted file, by label."""
    return [_FILES[label] for label in sorted(_FILES)]


def encrypted_columns() -> Iterator[tuple[type[models.Model], str]]:
    """Every (model, attribute) stored encrypted, in a stable order."""
    for model in sorted(django_apps.get_models(), key=lambda m: m._meta.label):
        for name in encrypted_fields(model):
            yield model, name


# --- text columns ------------------------------------------------------------------


def _head(field: str) -> Substr:
    return Substr(field, 1, TOKEN_START, output_field=CharField())


def _filled(model: type[models.Model], field: str) -> models.QuerySet[Any]:
    rows: models.QuerySet[Any] = model._default_manager.annotate(_length=Length(field))
    return rows.filter(_length__gt=0)


def pending_rows(model: type[models.Model], field: str, key: str) -> models.QuerySet[Any]:
    """Rows whose ``field`` holds text not encrypted under ``key`` (older key or plain)."""
    rows: models.QuerySet[Any] = _filled(model, field).annotate(_head=_head(field))
    return rows.exclude(_head=f"{PREFIX}{key}:")


def column_counts(model: type[models.Model], field: str) -> dict[str, int]:
    """How many non-empty values of ``field`` are under each key id (``""``: plain text)."""
    kid = Case(
        When(
            _head__startswith=PREFIX,
            then=Substr(field, KEY_ID_START, KEY_ID_LENGTH, output_field=CharField()),
        ),
        default=Value(NOT_ENCRYPTED),
        output_field=CharField(),
    )
    rows = (
        _filled(model, field)
        .annotate(_head=_head(field))
        .annotate(_key=kid)
        .order_by()
        .values("_key")
        .annotate(n=Count("pk"))
    )
    return {row["_key"]: row["n"] for row in rows}


def encrypt_column_batch(model: type[models.Model], field: str, *, batch_size: int = BATCH) -> int:
    """Write up to ``batch_size`` pending values again (so under the current key); how many.

    Reading decrypts with any configured key (or takes plain text as it is);
    writing encrypts with the first. Used by rotation and by the migrations that
    turn a plain column into an encrypted one (historical models work too).
    """
    rows = list(
        pending_rows(model, field, current_key_id()).order_by("pk").only("pk", field)[:batch_size]
    )
    if rows:
        # A plain queryset: an append-only timeline (protection.CaseEvent) refuses
        # updates through its manager, but the same text under a new key is no new
        # history, and rotation must reach it (ADR 0015).
        models.QuerySet(model=model).bulk_update(rows, [field])
    return len(rows)


def encrypt_column(model: type[models.Model], field: str, *, batch_size: int = BATCH) -> int:
    """Encrypt every pending value of one column; how many (for migrations)."""
    done = 0
    while batch := encrypt_column_batch(model, field, batch_size=batch_size):
        done += batch
    return done


def decrypt_column(model: type[models.Model], field: str) -> int:
    """Write a column's values back as plain text (a migration's way back); how many."""
    rows = _filled(model, field).annotate(_head=_head(field)).filter(_head__startswith=PREFIX)
    done = 0
    for row in rows.order_by("pk").only("pk", field).iterator():
        plain = Value(getattr(row, field), output_field=models.TextField())
        model._default_manager.filter(pk=row.pk).update(**{field: plain})
        done += 1
    return done


@transaction.atomic
def rotate_column_batch(
    model: type[models.Model], field: str, *, acting_user: Any, batch_size: int = BATCH
) -> int:
    """One audited batch of :func:`encrypt_column_batch`."""
    done = encrypt_column_batch(model, field, batch_size=batch_size)
    if done:
        record_change(
            acting_user=acting_user,
            operation="core.encryption_rotate",
            instance=model,
            action="bulk",
            changes={field: {"re-encrypted": done, "key": current_key_id()}},
            summary=f"{done} × {model._meta.label}.{field} → {current_key_id()}",
        )
    return done


# --- everything ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """What is stored encrypted, per thing and key id (``""``: should be, is not yet)."""

    label: str
    by_key: dict[str, int]


def encryption_status() -> list[Tally]:
    """Every encrypted column and kind of file, counted per key."""
    tallies = [
        Tally(f"{model._meta.label}.{field}", column_counts(model, field))
        for model, field in encrypted_columns()
    ]
    return tallies + [Tally(files.label, files.count_by_key()) for files in registered_files()]


def rotate_all(
    *, acting_user: Any, batch_size: int = BATCH, progress: Callable[[str, int], None] | None = None
) -> Counter[str]:
    """Re-encrypt every column and file not under the current key; how many per thing."""
    done: Counter[str] = Counter()
    steps: list[tuple[str, Callable[[], int]]] = [
        (
            f"{model._meta.label}.{field}",
            lambda model=model, field=field: rotate_column_batch(  # type: ignore[misc]
                model, field, acting_user=acting_user, batch_size=batch_size
            ),
        )
        for model, field in encrypted_columns()
    ]
    steps += [
        (
            files.label,
            lambda files=files: files.rotate_batch(  # type: ignore[misc]
                batch_size=batch_size, acting_user=acting_user
            ),
        )
        for files in registered_files()
    ]
    for label, batch in steps:
        while count := batch():
            done[label] += count
            if progress is not None:
                progress(label, done[label])
        done.setdefault(label, 0)
    return done
