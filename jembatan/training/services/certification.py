"""Completing a batch, certifying participants, and issuing and revoking certificates.

Numbering (docs/adr/0006-certificate-numbers.md): one national series per
calendar year, ``JBT/<year>/<six-digit number>`` (``JBT/2026/000123``; past
999999 the number simply grows). The number is taken from the year's
:class:`CertificateSeries` row, locked with ``SELECT … FOR UPDATE``, in the
same transaction that inserts the certificate: a rollback gives the number
back, so the series has no gaps, and no two transactions can take the same
number. The public verification page is found by a random token, never by
the number.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.transitions import TransitionRefused
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction
from jembatan.training import language
from jembatan.training.models import (
    AssessmentResult,
    AttendanceMark,
    Batch,
    Certificate,
    CertificateKind,
    CertificateSeries,
    Enrolment,
    EnrolmentStatus,
    LanguageTest,
    Programme,
)
from jembatan.training.rules import runs
from jembatan.training.services.programmes import lock_batch
from jembatan.training.workflows import (
    BATCH_WORKFLOW,
    ENROLMENT_WORKFLOW,
    BatchAction,
    EnrolmentAction,
)

NUMBER_PREFIX = "JBT"


def format_number(year: int, sequence: int) -> str:
    """``JBT/2026/000123``."""
    return f"{NUMBER_PREFIX}/{year}/{sequence:06d}"


def next_number(year: int) -> str:
    """Take the next number of ``year``'s series; call inside the issuing transaction."""
    CertificateSeries.objects.get_or_create(year=year)
    series = CertificateSeries.objects.select_for_update().get(year=year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return format_number(year, series.last_number)


# --- what stands between a participant and certification ------------------------------


def attendance_rate(enrolment: Enrolment) -> float | None:
    """Present sessions over sessions held, excused absences not counted; None if none held."""
    marks = list(enrolment.attendance.values_list("mark", flat=True))
    counted = [m for m in marks if m != AttendanceMark.EXCUSED]
    if not counted:
        return None
    return 100 * counted.count(AttendanceMark.PRESENT) / len(counted)


def latest_results(enrolment: Enrolment) -> dict[int, str]:
    """Unit id to the result of its latest assessment."""
    latest: dict[int, str] = {}
    for row in enrolment.assessments.order_by("assessed_on", "id"):
        latest[row.unit_id] = row.result
    return latest


def language_passed(enrolment: Enrolment, programme: Programme) -> bool:
    """A passed result of the programme's test (JLPT at the level or harder)."""
    results = enrolment.participant.language_results.filter(
        test=programme.language_test, passed=True
    )
    if programme.language_test != LanguageTest.JLPT:
        return results.exists()
    return any(language.meets_jlpt_level(r.level, programme.jlpt_level) for r in results)


def certification_blockers(enrolment: Enrolment) -> list[str]:
    """Why the participant would not be certified at completion (empty: certified)."""
    programme = enrolment.batch.programme
    blockers = _attendance_blockers(enrolment, programme)
    latest = latest_results(enrolment)
    for unit in programme.units.order_by("code"):
        result = latest.get(unit.pk)
        if result is None:
            blockers.append(_("%(unit)s has not been assessed.") % {"unit": unit.code})
        elif result != AssessmentResult.COMPETENT:
            blockers.append(_("%(unit)s: not yet competent.") % {"unit": unit.code})
    if programme.language_test and not language_passed(enrolment, programme):
        blockers.append(
            _("No passed %(test)s result%(level)s.")
            % {
                "test": programme.get_language_test_display(),
                "level": f" ({programme.jlpt_level})" if programme.jlpt_level else "",
            }
        )
    return blockers


def _attendance_blockers(enrolment: Enrolment, programme: Programme) -> list[str]:
    rate = attendance_rate(enrolment)
    if rate is None:
        return [_("No attendance has been recorded.")]
    if rate < programme.min_attendance_percent:
        return [
            _("Attendance %(rate).0f%% is below the required %(min)d%%.")
            % {"rate": rate, "min": programme.min_attendance_percent}
        ]
    return []


# --- completing a batch -------------------------------------------------------------------


@dataclass
class CompletionReport:
    """Who was certified and who was not, and why."""

    certified: list[Enrolment] = field(default_factory=list)
    not_certified: list[tuple[Enrolment, list[str]]] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)


@transaction.atomic
def batch_complete(*, batch: Batch, acting_user: Any) -> CompletionReport:
    """Close a running batch: certify whoever meets every requirement, record why not for others.

    Side effects per certified participant: the journey moves *in training* →
    *certified* (participant_transition), a training and a competency
    certificate are issued (numbered in the series), the enrolment ends as
    certified. Others end as not certified with the reasons kept; they stay in
    training and may enrol in another batch. The batch becomes completed.
    """
    locked = lock_batch(batch)
    if not runs(acting_user, locked.programme.organisation):
        raise PermissionDenied(_("You run the training of your own training centre only."))
    step = BATCH_WORKFLOW.check(
        locked.status,
        BatchAction.COMPLETE,
        refusal=lambda: TransitionRefused(_("Only a running batch can be completed.")),
    )
    report = CompletionReport()
    for enrolment in locked.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
        "participant"
    ):
        _conclude(enrolment, acting_user, report)
    before = snapshot(locked)
    locked.status, locked.completed_at, locked.completed_by = (
        str(step.target),
        timezone.now(),
        acting_user,
    )
    locked.save(update_fields=["status", "completed_at", "completed_by"])
    record_change(
        acting_user=acting_user,
        operation="training.batch_complete",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked)),
    )
    return report


def _conclude(enrolment: Enrolment, acting_user: Any, report: CompletionReport) -> None:
    blockers = certification_blockers(enrolment)
    if blockers:
        enrolment_end(
            enrolment=enrolment,
            action=EnrolmentAction.NOT_CERTIFY,
            note=" ".join(blockers),
            acting_user=acting_user,
        )
        report.not_certified.append((enrolment, blockers))
        return
    participant_transition(
        participant=enrolment.participant,
        action=JourneyAction.CERTIFY,
        acting_user=acting_user,
        reason=_("Competent in every unit of batch %(batch)s.") % {"batch": enrolment.batch},
    )
    enrolment_end(
        enrolment=enrolment, action=EnrolmentAction.CERTIFY, note="", acting_user=acting_user
    )
    for kind in (CertificateKind.TRAINING, CertificateKind.COMPETENCY):
        report.certificates.append(
            certificate_issue(enrolment=enrolment, kind=kind, acting_user=acting_user)
        )
    report.certified.append(enrolment)


def enrolment_end(
    *, enrolment: Enrolment, action: EnrolmentAction, note: str, acting_user: Any
) -> None:
    """End an enrolment as its batch completes (certified or not), under the batch's lock."""
    step = ENROLMENT_WORKFLOW.check(enrolment.status, action, name=str(enrolment.pk))
    before = snapshot(enrolment)
    enrolment.status, enrolment.ended_at, enrolment.outcome_note = (
        str(step.target),
        timezone.now(),
        note,
    )
    enrolment.save(update_fields=["status", "ended_at", "outcome_note"])
    record_change(
        acting_user=acting_user,
        operation="training.batch_complete",
        instance=enrolment,
        action="transition",
        changes=diff(before, snapshot(enrolment)),
    )


# --- certificates -------------------------------------------------------------------------


def certificate_content(enrolment: Enrolment, kind: str) -> dict[str, Any]:
    """What the certificate says, in every language it is printed in, frozen at issue."""
    batch = enrolment.batch
    programme = batch.programme
    occupation = programme.occupation
    units = (
        [
            {"code": u.code, "id": u.title_id, "en": u.title_en, "ja": u.title_ja, "hours": u.hours}
            for u in programme.units.order_by("code")
        ]
        if kind == CertificateKind.COMPETENCY
        else []
    )
    return {
        "title": {lang: titles[kind] for lang, titles in TITLES.items()},
        "programme": programme.name,
        "occupation": {
            "id": occupation.name_id,
            "en": occupation.name_en,
            "ja": occupation.name_ja,
        },
        "batch": batch.code,
        "from": batch.starts_on.isoformat(),
        "to": batch.ends_on.isoformat(),
        "hours": programme.total_hours,
        "language_hours": programme.language_hours,
        "units": units,
        "japanese": programme.japanese_on_certificate,
    }


# The printed wording of a certificate is fixed per language, not left to the
# interface's translation catalogue: the document must read the same for everyone.
TITLES: dict[str, dict[str, str]] = {
    "id": {
        CertificateKind.COMPETENCY: "Sertifikat Kompetensi",
        CertificateKind.TRAINING: "Sertifikat Pelatihan",
    },
    "en": {
        CertificateKind.COMPETENCY: "Certificate of Competency",
        CertificateKind.TRAINING: "Certificate of Training",
    },
    "ja": {CertificateKind.COMPETENCY: "技能証明書", CertificateKind.TRAINING: "研修修了証明書"},
}


@transaction.atomic
def certificate_issue(*, enrolment: Enrolment, kind: str, acting_user: Any) -> Certificate:
    """Issue one certificate with the next number of the year and a random verification token."""
    now = timezone.now()
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        number=next_number(today.year),
        token=secrets.token_hex(20),
        kind=kind,
        enrolment=enrolment,
        participant=enrolment.participant,
        issuer=enrolment.batch.programme.organisation,
        holder_name=enrolment.participant.full_name,
        content=certificate_content(enrolment, kind),
        issued_on=today,
        issued_at=now,
        issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    record_change(
        acting_user=acting_user,
        operation="training.certificate_issue",
        instance=certificate,
        action="create",
        changes=diff({}, snapshot(certificate, ["number", "kind", "participant_id", "issuer_id"])),
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, acting_user: Any) -> Certificate:
    """Revoke a certificate with the reason; the public page then says it is revoked."""
    locked = Certificate.objects.select_for_update().select_related("issuer").get(pk=certificate.pk)
    if not runs(acting_user, locked.issuer):
        raise PermissionDenied(_("Only the issuer or the ministry may revoke a certificate."))
    if locked.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for revoking the certificate.")]})
    before = snapshot(locked, ["revoked_at", "revoked_by_id", "revocation_reason"])
    locked.revoked_at, locked.revoked_by, locked.revocation_reason = (
        timezone.now(),
        acting_user,
        reason.strip(),
    )
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record_change(
        acting_user=acting_user,
        operation="training.certificate_revoke",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked, list(before))),
        reason=reason.strip(),
    )
    return locked
