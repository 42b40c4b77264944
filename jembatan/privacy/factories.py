"""Test helpers for the privacy side: a restriction of processing placed the real way."""

from __future__ import annotations

from typing import Any

from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.participants.models import Participant
from jembatan.privacy.models import ProcessingRestriction


def restrict(participant: Participant, *, officer: Any) -> ProcessingRestriction:
    """``participant`` asks to restrict processing and ``officer`` carries it out.

    A person without an account gets one first (only the person files a request).
    """
    from jembatan.privacy.services.requests import request_complete, request_file

    if participant.user_id is None:
        user = User.objects.create_user(username=f"peserta-{participant.pk}", role=Role.PARTICIPANT)
        Participant.objects.filter(pk=participant.pk).update(user=user)
        participant.refresh_from_db()
    filed = request_file(
        participant=participant,
        kind="restrict",
        details="Please pause the use of my data.",
        acting_user=participant.user,
        language="en",
    )
    done = request_complete(rights_request=filed, acting_user=officer)
    return done.restrictions.get()
