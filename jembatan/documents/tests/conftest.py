"""Fixtures for the documents tests: files made in the test, a private media folder."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from PIL import Image

from jembatan.accounts.models import User
from jembatan.documents.factories import make_pdf
from jembatan.documents.models import Document, DocumentKind, DocumentRequirement, Route
from jembatan.documents.rules import route_of
from jembatan.documents.services import document_upload
from jembatan.participants.models import Participant


def make_image(fmt: str, size: tuple[int, int] = (8, 8)) -> bytes:
    """A tiny real PNG or JPEG drawn by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400 + b"PE\x00\x00"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language, whatever the translation."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    """Every test stores files in its own folder, never in var/private."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return Path(settings.MEDIA_ROOT)


def requirement(participant: Participant, kind: str) -> DocumentRequirement:
    """The current checklist line of ``kind`` for ``participant``'s route."""
    return DocumentRequirement.objects.get(
        route=route_of(participant), kind=kind, valid_to__isnull=True
    )


@pytest.fixture
def upload() -> Callable[..., Document]:
    """Hand in ``content`` for ``participant`` as ``by`` (through the service)."""

    def do(
        participant: Participant,
        by: User,
        kind: str = DocumentKind.ID_CARD,
        content: bytes | None = None,
        name: str = "ktp.pdf",
    ) -> Document:
        return document_upload(
            participant=participant,
            requirement=requirement(participant, kind),
            chunks=[content if content is not None else make_pdf()],
            original_name=name,
            acting_user=by,
        )

    return do


@pytest.fixture
def im_japan_participant(participant_jatim: Participant) -> Participant:
    """A participant of the government-to-government route (no sending organisation)."""
    Participant.objects.filter(pk=participant_jatim.pk).update(sending_organisation=None)
    participant_jatim.refresh_from_db()
    assert route_of(participant_jatim) == Route.IM_JAPAN
    return participant_jatim
