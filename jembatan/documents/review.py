"""What a document proves: the record's fields an officer compares it with, per kind."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jembatan.documents.models import Document, DocumentKind
from jembatan.participants.models import Participant

# Image and PDF files are shown in the page beside the data; other types only downloaded.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "application/pdf"})


def _date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _address(p: Participant) -> str:
    parts = [p.address, p.village, p.district]
    regency = p.regency.name if p.regency_id else ""
    if regency and regency.split()[-1] not in (p.address or ""):  # "Kab. Tanah Bumbu" already
        parts.append(regency)
    return ", ".join(part for part in parts if part) or "—"


def _identity(p: Participant) -> list[tuple[str, str]]:
    return [
        (_("Name"), p.full_name),
        (_("NIK"), p.nik),
        (_("Sex"), str(p.get_sex_display())),
        (_("Place and date of birth"), f"{p.birth_place}, {_date(p.birth_date)}"),
    ]


def fields_to_compare(document: Document) -> list[tuple[str, str]]:
    """The record's data this kind of document proves, as (label, value) in the page's words."""
    p = document.participant
    if document.kind == DocumentKind.ID_CARD:
        return [*_identity(p), (_("Address"), _address(p))]
    if document.kind == DocumentKind.PASSPORT:
        return [
            (_("Name"), p.full_name),
            (_("Passport number"), p.passport_number or "—"),
            (_("Passport valid until"), _date(p.passport_expiry)),
            (_("Sex"), str(p.get_sex_display())),
            (_("Date of birth"), _date(p.birth_date)),
        ]
    if document.kind == DocumentKind.DIPLOMA:
        return [
            (_("Name"), p.full_name),
            (_("Education"), str(p.get_education_display()) or "—"),
            (_("Place and date of birth"), f"{p.birth_place}, {_date(p.birth_date)}"),
        ]
    return _identity(p)


def shows_inline(document: Document) -> bool:
    """Whether the file can be shown in the page (an image or a PDF)."""
    return document.content_type in INLINE_TYPES
