"""Who may handle a rights request, and who owns it (house rules: services check, pages show).

A request is owned by the provincial officers of the participant's province
when that province has an active provincial officer at filing; otherwise by
national officers from the start. National officers (and the national
administrator) may handle every request — they are the backstop, and an
overdue request is marked escalated on their list. A provincial officer
handles only the requests their province owns.
"""

from __future__ import annotations

from typing import Any

from jembatan.accounts.models import User
from jembatan.core.access import role_of
from jembatan.core.models import Region
from jembatan.core.roles import NATIONAL, Role
from jembatan.participants.models import Participant
from jembatan.privacy.models import RightsRequest


def owner_province(participant: Participant) -> Region | None:
    """The province whose officers own a new request of ``participant`` (None: national)."""
    staffed = User.objects.filter(
        role=Role.PROVINCIAL_OFFICER, province_id=participant.province_id, is_active=True
    ).exists()
    return participant.province if staffed else None


def may_handle(user: Any, rights_request: RightsRequest) -> bool:
    """National staff handle any request; a provincial officer those their province owns."""
    role = role_of(user)
    if role in NATIONAL:
        return True
    return (
        role == Role.PROVINCIAL_OFFICER
        and rights_request.owner_province_id is not None
        and rights_request.owner_province_id == user.province_id
    )


def is_own(user: Any, participant: Participant) -> bool:
    """``user`` is the participant themself, signed in."""
    return role_of(user) == Role.PARTICIPANT and participant.user_id == user.pk
