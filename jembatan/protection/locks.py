"""Row locks of protection (house rule 5): one function per locked model.

On PostgreSQL each holds the row until the transaction ends, so an officer's
triage and the escalation run on the same case are served one after the other
and the second sees the first's result; SQLite serialises write transactions.
"""

from __future__ import annotations

from jembatan.protection.models import Case, CaseAttachment, Referral


def lock_case(pk: int) -> Case:
    """The case ``pk``, locked until the end of the transaction."""
    return Case.objects.select_for_update().get(pk=pk)


def lock_cases(pks: list[int]) -> list[Case]:
    """The cases ``pks``, locked, in id order (a fixed order: no deadlock between runs)."""
    return list(Case.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


def lock_referral(pk: int) -> Referral:
    """The referral ``pk``, locked until the end of the transaction."""
    return Referral.objects.select_for_update().get(pk=pk)


def lock_attachment(pk: int) -> CaseAttachment:
    """The case file ``pk``, locked until the end of the transaction (rotation)."""
    return CaseAttachment.objects.select_for_update().get(pk=pk)
