"""Demo data: a basic welding batch at BLK Semarang that ran to the end, with certificates.

Five verified participants of the demo LPK attend a 240-hour LPK-route programme
(IM Japan asks a training certificate of at least 160 hours, and the programme's
three units take 16 + 180 + 24 = 220 nominal hours); four are competent in every
unit and attend enough hours, one misses too many sessions and ends without a
certificate, and one of the issued certificates is revoked with a reason, so a
newcomer sees a valid, an uncertified and a revoked outcome at once. Everything
goes through the services (enrolment, attendance, assessment, completion,
revocation), so the records and the audit trail are what real use leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from jembatan.accounts.models import User
from jembatan.core.models import Occupation
from jembatan.demo.cast import BLK_SEMARANG
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.organisations.services.organisations import organisation_create
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.models import (
    AssessmentResult,
    AttendanceMark,
    Batch,
    CertificateKind,
    CompetencyUnit,
    Enrolment,
    Programme,
    Route,
)
from jembatan.training.services import programmes
from jembatan.training.services.certification import batch_complete, certificate_revoke
from jembatan.training.services.competency import competency_certificate_record

Progress = Callable[[str], None]
PROGRAMME_NAME = "Pengelasan dasar SMAW 240 jam"
BATCH_CODE = "SMG-LAS-00"
UNIT_CODES = ("C.242000.001.01", "C.242000.012.01", "C.242000.020.01")
SESSIONS = 30  # of 8 hours: the programme's 240 hours
PEOPLE = 5
LSP_NAME = "LSP Pengelasan Indonesia"
LSP_LICENCE = "BNSP-LSP-1043-ID"
REVOCATION = (
    "Diterbitkan atas nama yang salah ketik; diganti dengan sertifikat baru setelah koreksi data."
)


def _working_days_before(day: dt.date, count: int) -> list[dt.date]:
    found: list[dt.date] = []
    while len(found) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            found.append(day)
    return sorted(found)


def _programme(blk: Organisation, operator: User) -> Programme:
    existing = Programme.objects.filter(organisation=blk, name=PROGRAMME_NAME).first()
    if existing:
        return existing
    spec = programmes.ProgrammeSpec(
        name=PROGRAMME_NAME,
        occupation=Occupation.objects.get(code="TITP-S7-07-01"),
        route=Route.LPK,
        units=list(CompetencyUnit.objects.filter(code__in=UNIT_CODES)),
        total_hours=SESSIONS * 8,
        language_hours=0,
        capacity=PEOPLE,
        language_test="",
        jlpt_level="",
        japanese_on_certificate=True,
        phases=(),
    )
    return programmes.programme_create(organisation=blk, spec=spec, acting_user=operator)


def seed_certificates(*, today: dt.date, progress: Progress) -> int:
    """Run the demo batch to certificates unless it exists; the certificates issued."""
    blk = Organisation.objects.filter(name=BLK_SEMARANG).first()
    operator = User.objects.filter(username="demo-training").first()
    admin = User.objects.filter(username="demo-admin").first()  # enrols across provinces
    if blk is None or operator is None or admin is None:
        return 0
    if Batch.objects.filter(programme__organisation=blk, code=BATCH_CODE).exists():
        return 0
    people = list(
        Participant.objects.filter(
            status=JourneyStatus.VERIFIED,
            archived_at__isnull=True,
            sending_organisation__isnull=False,
        ).order_by("pk")[:PEOPLE]
    )
    if len(people) < PEOPLE:
        progress("Certificate demo data skipped: too few verified participants.")
        return 0
    days = _working_days_before(today, SESSIONS)
    batch = _run_batch(_programme(blk, operator), people, days, operator, admin)
    report = batch_complete(batch=batch, acting_user=operator, confirmed=True)
    revoked = next(c for c in report.certificates if c.kind == CertificateKind.TRAINING)
    certificate_revoke(certificate=revoked, reason=REVOCATION, acting_user=operator)
    recorded = _lsp_certificates(report.certified, admin, operator, days[-1])
    progress(
        f"Certificate demo data: {len(report.certificates)} training certificates "
        f"({len(report.certified)} certified, {len(report.not_certified)} not, 1 revoked), "
        f"{recorded} LSP competency certificates."
    )
    return len(report.certificates) + recorded


def _run_batch(
    programme: Programme,
    people: list[Participant],
    days: list[dt.date],
    operator: User,
    admin: User,
) -> Batch:
    """Start the batch, enrol the people, hold its sessions (the last person misses half of
    them) and assess everyone."""
    batch = programmes.batch_create(
        programme=programme,
        code=BATCH_CODE,
        starts_on=days[0],
        ends_on=days[-1],
        capacity=None,
        acting_user=operator,
    )
    programmes.batch_start(batch=batch, acting_user=operator)
    enrolments = [programmes.enrol(batch=batch, participant=p, acting_user=admin) for p in people]
    absent = enrolments[-1]  # misses half the sessions: 120 of 240 hours
    for number, day in enumerate(days):
        marks = {e.pk: AttendanceMark.PRESENT for e in enrolments}
        if number % 2:
            marks[absent.pk] = AttendanceMark.ABSENT
        programmes.session_record(
            batch=batch,
            date=day,
            topic=f"Praktik las SMAW, sesi {number + 1}",
            hours=8,
            phase=None,
            marks=marks,
            acting_user=operator,
        )
    _assess_all(programme, enrolments, days[-1], operator)
    return batch


def _assess_all(
    programme: Programme, enrolments: list[Enrolment], on: dt.date, operator: User
) -> None:
    """Everyone competent in every unit (the absent one still fails on hours)."""
    for enrolment in enrolments:
        for unit in programme.units.all():
            programmes.assessment_record(
                enrolment=enrolment,
                unit=unit,
                result=AssessmentResult.COMPETENT,
                assessor="Bambang Sutrisno (MET.000.123456.2019)",
                assessed_on=on,
                evidence="Observasi praktik dan uji las pelat posisi 1G.",
                acting_user=operator,
            )


def _lsp_certificates(
    certified: list[Enrolment], admin: User, operator: User, assessed_on: dt.date
) -> int:
    """An LSP assessed all but the last certified participant; the centre records its
    certificates (the last is still waiting for the LSP's assessment)."""
    lsp = Organisation.objects.filter(name=LSP_NAME, kind=OrganisationKind.LSP).first()
    if lsp is None:
        lsp = organisation_create(
            acting_user=admin,
            name=LSP_NAME,
            kind=OrganisationKind.LSP,
            bnsp_licence_number=LSP_LICENCE,
            bnsp_licence_valid_until=assessed_on.replace(year=assessed_on.year + 4),
            region_id="31.74",
            phone="+62217981234",
            address="Jl. Raya Pasar Minggu No. 21",
        )
    for number, enrolment in enumerate(certified[:-1], start=1):
        competency_certificate_record(
            enrolment=enrolment,
            lsp=lsp,
            number=f"62090 2421 3 {number:07d} {assessed_on.year}",
            unit_codes=list(UNIT_CODES),
            issued_on=assessed_on,
            valid_until=None,
            acting_user=operator,
        )
    return len(certified[:-1])
