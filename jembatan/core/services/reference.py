"""Writers of reference data edited through the pages (audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.locks import lock_occupation
from jembatan.core.models import Occupation

OCCUPATION_FIELDS = ("name_id", "name_en", "name_ja")


@transaction.atomic
def occupation_update(
    *, occupation: Occupation, name_id: str, name_en: str, name_ja: str, acting_user: Any
) -> Occupation:
    """Correct an occupation's names; its code never changes (records point at it)."""
    locked = lock_occupation(occupation.pk)
    before = snapshot(locked, OCCUPATION_FIELDS)
    locked.name_id, locked.name_en, locked.name_ja = name_id, name_en, name_ja
    locked.full_clean()
    locked.save(update_fields=list(OCCUPATION_FIELDS))
    changes = diff(before, snapshot(locked, OCCUPATION_FIELDS))
    if changes:
        record_change(
            acting_user=acting_user,
            operation="core.occupation_update",
            instance=locked,
            action="update",
            changes=changes,
        )
    return locked
