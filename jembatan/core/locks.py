"""Row locks of core's models (house rule 5): one function per locked model.

A writer locks the row it is about to change (``select_for_update``) inside its
transaction, so two people saving at once are served one after the other and
the second sees what the first wrote.
"""

from __future__ import annotations

from jembatan.core.models import Occupation


def lock_occupation(pk: int) -> Occupation:
    """The occupation ``pk``, locked until the transaction ends."""
    return Occupation.objects.select_for_update().get(pk=pk)
