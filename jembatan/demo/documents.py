"""Demo data: identity cards waiting in the officers' verification queue.

Three people the demo LPK registered hand in a scan of their KTP (a drawn
stand-in with their name, NIK and birth data, one with a typo in the name so
that the review has something to catch), through the upload service, so the
queue at ``/dokumen/`` shows documents beside the data they prove.

The departure ready to confirm (demo/deployment.py) has its departure-stage
papers (passport, perjanjian pemagangan) handed in by its sending organisation's
operator and verified by the demo officer: :func:`departure_papers_verified`. The
best-ranked candidates of the closed selection round whose sending organisation
has a demo operator have their selection-stage papers (medical check result; on
the LPK route also SKCK, language and competency certificates) handed in and
verified the same way before the shortlist is drawn up (:func:`stage_papers_verified`);
the others are skipped by the shortlist, which says so.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.demo.cast import LPK_DEMO_SENDER
from jembatan.documents.models import Document, DocumentKind, DocumentRequirement, Stage
from jembatan.documents.rules import document_gaps, route_of
from jembatan.documents.services import document_upload, document_verify
from jembatan.participants.models import JourneyStatus, Participant

Progress = Callable[[str], None]
PEOPLE = 3


def ktp_image(participant: Participant, *, name: str | None = None) -> bytes:
    """A PNG standing in for a scanned identity card (clearly marked as a specimen)."""
    image = Image.new("RGB", (860, 540), "#dbe9f6")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=22)
    draw.text((30, 20), "PROVINSI " + participant.province.name.upper(), fill="black", font=font)
    draw.text((30, 60), participant.regency.name.upper(), fill="black", font=font)
    lines = [
        ("NIK", participant.nik),
        ("Nama", (name or participant.full_name).upper()),
        ("Tempat/Tgl Lahir", f"{participant.birth_place}, {participant.birth_date:%d-%m-%Y}"),
        ("Jenis kelamin", "LAKI-LAKI" if participant.sex == "M" else "PEREMPUAN"),
        ("Alamat", participant.address or "-"),
    ]
    for row, (label, value) in enumerate(lines):
        draw.text((30, 130 + row * 50), f"{label:<18}: {value}", fill="black", font=small)
    draw.text((30, 480), "SPESIMEN DATA DEMO - BUKAN DOKUMEN ASLI", fill="#a40e26", font=small)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed_documents(*, progress: Progress) -> int:
    """Hand in three KTP scans for registered people of the demo LPK, unless any exist."""
    operator = User.objects.filter(username="demo-sender").first()
    if operator is None or Document.objects.exists():
        return 0
    people = list(
        Participant.objects.filter(
            sending_organisation__name=LPK_DEMO_SENDER,
            status=JourneyStatus.REGISTERED,
            archived_at__isnull=True,
        ).order_by("pk")[:PEOPLE]
    )
    for number, person in enumerate(people):
        requirement = DocumentRequirement.objects.get(
            route=route_of(person), kind=DocumentKind.ID_CARD, valid_to__isnull=True
        )
        typo = person.full_name[:-1] + "i" if number == len(people) - 1 else None
        document_upload(
            participant=person,
            requirement=requirement,
            chunks=[ktp_image(person, name=typo)],
            original_name=f"ktp-{person.pk}.png",
            acting_user=operator,
        )
    progress(f"Document demo data: {len(people)} identity cards waiting for verification.")
    return len(people)


def specimen_image(participant: Participant, title: str, *, kind: str = "PNG") -> bytes:
    """A PNG (or PDF) standing in for a scanned paper: its title and the person, a specimen."""
    image = Image.new("RGB", (860, 540), "#f4efe1")
    draw = ImageDraw.Draw(image)
    draw.text((30, 30), title.upper(), fill="black", font=ImageFont.load_default(size=30))
    small = ImageFont.load_default(size=22)
    draw.text((30, 130), f"Nama : {participant.full_name.upper()}", fill="black", font=small)
    draw.text((30, 180), f"NIK  : {participant.nik}", fill="black", font=small)
    draw.text((30, 480), "SPESIMEN DATA DEMO - BUKAN DOKUMEN ASLI", fill="#a40e26", font=small)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def departure_papers_verified(participant: Participant) -> int:
    """Hand in and verify what ``participant`` owes at departure, selection's papers
    included (the departure gate asks for both); the number of papers."""
    return stage_papers_verified(participant, Stage.SELECTION) + stage_papers_verified(
        participant, Stage.DEPARTURE
    )


def stage_papers_verified(participant: Participant, stage: Stage) -> int:
    """Hand in and verify what ``participant`` owes for ``stage``; the number of papers.

    The operator of their sending organisation hands them in, the demo officer
    verifies them, through the services (so the documents are stored and audited).
    Nothing is done without both logins.
    """
    sender = participant.sending_organisation_id
    operator = (
        User.objects.filter(role=Role.SENDER_OPERATOR, organisation_id=sender).first()
        if sender is not None
        else None
    )
    officer = User.objects.filter(username="demo-officer").first()
    if operator is None or officer is None:
        return 0
    gaps = document_gaps(participant, stage)
    for gap in gaps:
        kind = "PNG" if "image/png" in gap.requirement.accepted_types else "PDF"
        document = document_upload(
            participant=participant,
            requirement=gap.requirement,
            chunks=[specimen_image(participant, gap.requirement.name_id, kind=kind)],
            original_name=f"{gap.requirement.kind}-{participant.pk}.{kind.lower()}",
            acting_user=operator,
        )
        document_verify(document=document, acting_user=officer)
    return len(gaps)
