"""Sample path arguments for the URL-access walk (core/tests/test_url_access.py).

Siti (``participant_jateng``) asks to correct her phone number; a restriction
of her processing placed on her request; a breach the national administrator
recorded an hour after its discovery.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone


def correction_request_pk(request: pytest.FixtureRequest) -> int:
    """Siti's open request to correct her phone number."""
    from jembatan.privacy.services.requests import request_file

    participant = request.getfixturevalue("participant_jateng")
    filed = request_file(
        participant=participant,
        kind="correct",
        details="My phone number changed.",
        field_name="phone",
        proposed_value="0812-3456-7890",
        acting_user=participant.user,
        language="id",
    )
    return int(filed.pk)


def restriction_pk(request: pytest.FixtureRequest) -> int:
    """A restriction in force, placed by a national officer on Siti's request."""
    from jembatan.privacy.services.requests import request_complete, request_file

    participant = request.getfixturevalue("participant_jateng")
    filed = request_file(
        participant=participant,
        kind="restrict",
        details="Please pause the use of my data.",
        acting_user=participant.user,
        language="id",
    )
    done = request_complete(
        rights_request=filed, acting_user=request.getfixturevalue("national_officer")
    )
    return int(done.restrictions.get().pk)


def breach_pk(request: pytest.FixtureRequest) -> int:
    """A breach recorded by the national administrator."""
    from jembatan.privacy.services.breaches import breach_record

    breach = breach_record(
        acting_user=request.getfixturevalue("national_admin"),
        title="Officer's password stolen",
        description="A phishing e-mail took an officer's password.",
        how="Signed in from an unknown address and opened records.",
        data_categories=["identity", "contact"],
        discovered_at=timezone.now() - dt.timedelta(hours=1),
    )
    return int(breach.pk)


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "personal_data:request_pk": correction_request_pk,
    "personal_data:restriction_pk": restriction_pk,
    "personal_data:breach_pk": breach_pk,
}
