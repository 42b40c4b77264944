"""The departure manifest of one flight, for the ministry and the partner: PDF and xlsx.

One row per apprentice on the flight whom the reader may see: name, sex, birth
date, passport, visa, sending organisation, host company and job order. A
partner without a recorded transfer of the full record (participants'
``disclosure``) sees the age instead of the birth date and a masked passport
number, as on every other page.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.deployment.models import Deployment, StepKind
from jembatan.deployment.rules import day
from jembatan.participants.disclosure import age_on, mask_nik, sees_full_record
from jembatan.training.pdf import font_face_css, html_to_pdf


@dataclass(frozen=True)
class ManifestRow:
    """One apprentice on the flight, as the reader may see them."""

    number: int
    name: str
    sex: str
    born: str
    passport: str
    passport_valid_until: str
    visa: str
    sending_organisation: str
    host_company: str
    prefecture: str
    job_order: str


def _row(number: int, deployment: Deployment, user: Any) -> ManifestRow:
    person = deployment.participant
    steps = {s.kind: s for s in deployment.steps.all()}
    passport = steps.get(StepKind.PASSPORT)
    visa = steps.get(StepKind.VISA)
    full = sees_full_record(user, person)
    passport_number = passport.reference if passport else ""
    return ManifestRow(
        number=number,
        name=person.full_name,
        sex=person.get_sex_display(),
        born=day(person.birth_date)
        if full
        else _("age %(age)s") % {"age": age_on(person.birth_date, timezone.localdate())},
        passport=passport_number if full else mask_nik(passport_number),
        passport_valid_until=day(passport.expires_on) if passport else "—",
        visa=visa.reference if visa else "—",
        sending_organisation=deployment.sending_organisation.name,
        host_company=deployment.host_company.name,
        prefecture=deployment.host_prefecture,
        job_order=deployment.job_order.reference,
    )


def manifest_rows(deployments: list[Deployment], user: Any) -> list[ManifestRow]:
    """The manifest's rows, numbered from 1."""
    return [_row(n, d, user) for n, d in enumerate(deployments, start=1)]


def headings() -> list[str]:
    """The columns, in the reader's language."""
    return [
        _("No."),
        _("Name"),
        _("Sex"),
        _("Date of birth"),
        _("Passport"),
        _("Passport valid until"),
        _("CoE / visa"),
        _("Sending organisation"),
        _("Host company"),
        _("Prefecture / state"),
        _("Job order"),
    ]


def render_pdf(rows: list[ManifestRow], *, flight: str, on: dt.date) -> bytes:
    """The manifest as PDF bytes (Japanese names of host companies print too)."""
    html = render_to_string(
        "deployment/manifest_pdf.html",
        {
            "rows": rows,
            "headings": headings(),
            "flight": flight,
            "on": on,
            "printed": timezone.now(),
            "font_face": font_face_css(),
        },
    )
    return html_to_pdf(html)


def render_xlsx(rows: list[ManifestRow], *, flight: str, on: dt.date) -> bytes:
    """The manifest as an xlsx workbook: a title row, the headings, one row per apprentice."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = flight[:31] or "manifest"
    sheet.append(
        [
            _("Departure manifest: flight %(flight)s on %(date)s")
            % {"flight": flight, "date": day(on)}
        ]
    )
    sheet.append(headings())
    for row in rows:
        sheet.append(list(row.__dict__.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
