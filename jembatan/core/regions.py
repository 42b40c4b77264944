"""Which region codes the reference data knows: the region check of every NIK path.

:func:`jembatan.core.nik.check_nik` is pure and takes this as a callable, so the
forms, the API, imports and ``jembatan nik`` all ask the reference regions the
same question.
"""

from __future__ import annotations

from collections.abc import Callable

from jembatan.core.models import Region


def region_exists(code: str) -> bool:
    """Whether the reference regions know ``code`` (``33``, ``33.74``, ``33.74.05``).

    The reference data has provinces, regencies and cities but not yet the
    7,285 districts, so a district is taken to exist when its regency does
    and its number is not 00 (Kemendagri district numbers start at 01).
    """
    parts = code.split(".")
    if len(parts) == 3:
        return parts[2] != "00" and region_exists(f"{parts[0]}.{parts[1]}")
    return Region.objects.filter(pk=code).exists()


def region_lookup() -> Callable[[str], bool]:
    """A :func:`region_exists` that reads the region table once (for many checks in a row)."""
    known = set(Region.objects.values_list("code", flat=True))

    def exists(code: str) -> bool:
        parts = code.split(".")
        if len(parts) == 3:
            return parts[2] != "00" and f"{parts[0]}.{parts[1]}" in known
        return code in known

    return exists
