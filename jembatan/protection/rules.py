"""Who may see a case, who owns it at each level, and the checks the services share.

A case file is specific personal data (UU PDP art. 4(2)): it is seen only by
its owner, the officers of the level that owns it (the province's officers at
the provincial level, the national officers at the national and director's
levels), the national administrators (the director's level) and auditors.
The organisations a case is about — the sending organisation, the partner, the
host company — never see a case file; the reporter follows their own case
through the portal or with the code and secret, and sees only its public lines.

The **owner pools** per level: the active provincial officers of the case's
province, then the active national officers, then the active national
administrators (the director). A new owner is the member with the fewest open
cases (ties: the oldest account), so escalations spread across the pool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from jembatan.accounts.models import User
from jembatan.core.access import role_of
from jembatan.core.roles import Role
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.models import LEVEL_ORDER, OPEN, Case, CaseLevel

EVERYTHING = frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR})
POOL_ROLE = {
    CaseLevel.PROVINCIAL: Role.PROVINCIAL_OFFICER,
    CaseLevel.NATIONAL: Role.NATIONAL_OFFICER,
    CaseLevel.DIRECTOR: Role.NATIONAL_ADMIN,
}


def scope_filter(user: Any) -> Q | None:
    """The filter limiting cases to those ``user`` may open; None means none at all."""
    role = role_of(user)
    if role in EVERYTHING:
        return Q()
    if role == Role.NATIONAL_OFFICER:
        return Q(level__in=[CaseLevel.NATIONAL, CaseLevel.DIRECTOR]) | Q(owner_id=user.pk)
    if role == Role.PROVINCIAL_OFFICER and user.province_id:
        return Q(level=CaseLevel.PROVINCIAL, province_id=user.province_id) | Q(owner_id=user.pk)
    return None


def may_see(user: Any, case: Case) -> bool:
    """Whether ``user`` may open ``case``'s file (the same rule as :func:`scope_filter`)."""
    role = role_of(user)
    if role in EVERYTHING:
        return True
    if case.owner_id is not None and case.owner_id == getattr(user, "pk", None):
        return role is not None
    if role == Role.NATIONAL_OFFICER:
        return case.level in (CaseLevel.NATIONAL, CaseLevel.DIRECTOR)
    if role == Role.PROVINCIAL_OFFICER:
        return case.level == CaseLevel.PROVINCIAL and case.province_id == user.province_id
    return False


def ensure_in_scope(acting_user: Any, case: Case) -> None:
    """Refuse an officer acting on a case outside their scope (the system is never refused)."""
    if isinstance(acting_user, str):
        return
    if not may_see(acting_user, case):
        raise PermissionDenied(_("This case is not yours to handle."))


def ensure_not_anonymised(case: Case) -> None:
    """Refuse adding to a case the retention schedule anonymised: its file is closed for good."""
    if case.is_anonymised:
        raise ValidationError(
            _("This case was anonymised under the retention schedule: nothing can be added to it."),
            code=ProtectionErrorCode.CASE_ANONYMISED,
        )


def next_level(level: str) -> CaseLevel | None:
    """The level above ``level``, or None at the director's."""
    index = LEVEL_ORDER.index(CaseLevel(level))
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def pool(level: str, province_id: str | None) -> Any:
    """The active officers who may own a case at ``level`` (of ``province_id`` if provincial)."""
    users = User.objects.filter(role=POOL_ROLE[CaseLevel(level)], is_active=True)
    if level == CaseLevel.PROVINCIAL:
        users = users.filter(province_id=province_id)
    return users


def is_eligible_owner(user: User, case: Case) -> bool:
    """Whether ``user`` may own ``case`` at its level (a member of the level's pool)."""
    if not user.is_active or user.role != POOL_ROLE[CaseLevel(case.level)]:
        return False
    return case.level != CaseLevel.PROVINCIAL or user.province_id == case.province_id


def ensure_eligible_owner(user: User, case: Case) -> None:
    if not is_eligible_owner(user, case):
        raise ValidationError(
            {
                "owner": ValidationError(
                    _("%(name)s cannot own a case at the level of %(level)s.")
                    % {
                        "name": user.get_full_name() or user.username,
                        "level": case.get_level_display(),
                    },
                    code=ProtectionErrorCode.OWNER_NOT_ELIGIBLE,
                )
            }
        )


class OwnerPicker:
    """Chooses owners for many cases with a fixed number of queries (the escalation run).

    Loads every pool member of the levels asked for and their open-case counts once,
    then hands each case to the least loaded member, counting as it goes.
    """

    def __init__(self, wanted: Iterable[tuple[str, str | None]]) -> None:
        wanted = set(wanted)
        provinces = {p for level, p in wanted if level == CaseLevel.PROVINCIAL}
        roles = {POOL_ROLE[CaseLevel(level)] for level, _p in wanted}
        members = list(
            User.objects.filter(role__in=roles, is_active=True)
            .filter(~Q(role=Role.PROVINCIAL_OFFICER) | Q(province_id__in=provinces))
            .order_by("pk")
        )
        self.load: Counter[int] = Counter(
            dict(
                Case.objects.filter(owner__in=members, status__in=sorted(OPEN))
                .values("owner")
                .annotate(n=Count("id"))
                .values_list("owner", "n")
            )
        )
        self.members = members

    def pick(self, level: str, province_id: str | None) -> User | None:
        """The least loaded member of the pool of ``level`` (and province), or None if empty."""
        role = POOL_ROLE[CaseLevel(level)]
        candidates = [
            u
            for u in self.members
            if u.role == role and (level != CaseLevel.PROVINCIAL or u.province_id == province_id)
        ]
        if not candidates:
            return None
        chosen = min(candidates, key=lambda u: (self.load[u.pk], u.pk))
        self.load[chosen.pk] += 1
        return chosen


def pick_owner(level: str, province_id: str | None) -> User | None:
    """One new owner at ``level`` (see :class:`OwnerPicker`)."""
    return OwnerPicker([(level, province_id)]).pick(level, province_id)
