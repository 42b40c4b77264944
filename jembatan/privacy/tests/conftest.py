"""Fixtures for the privacy tests: English messages, private media, a request filer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from jembatan.participants.models import Participant
from jembatan.privacy.models import RightsRequest
from jembatan.privacy.services.requests import request_file


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language, whatever the translation."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "private"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def file_request() -> Callable[..., RightsRequest]:
    """File a request as the participant themself (``language`` English unless told)."""

    def file(participant: Participant, kind: str, **fields: Any) -> RightsRequest:
        fields.setdefault("details", "Please do this for me.")
        fields.setdefault("language", "en")
        return request_file(
            participant=participant, kind=kind, acting_user=participant.user, **fields
        )

    return file
