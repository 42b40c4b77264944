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

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.transitions import TransitionRefused
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction
from jembatan.training import language_tests
from jembatan.training.locks import lock_batch, lock_certificate, lock_certificate_series
from jembatan.training.models import (
    AssessmentResult,
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
    series = lock_certificate_series(year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return format_number(year, series.last_number)


# --- what stands between a participant and certification ------------------------------


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
    return any(language_tests.meets_jlpt_level(r.level, programme.jlpt_level) for r in results)


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
    hours = enrolment.attendance_hours()
    if hours.enough:
        return []
    if not enrolment.attendance.exists():
        return [
            _(
                "No attendance has been recorded; %(required)d of the programme's %(total)d hours "
                "are required."
            )
            % {"required": hours.required, "total": hours.programme}
        ]
    return [
        _(
            "Attended %(attended)d of the programme's %(total)d hours; at least %(required)d "
            "(%(min)d%%) are required."
        )
        % {
            "attended": hours.attended,
            "total": hours.programme,
            "required": hours.required,
            "min": hours.min_percent,
        }
    ]


# --- completing a batch -------------------------------------------------------------------


@dataclass
class CompletionReport:
    """Who was certified and who was not, and why."""

    certified: list[Enrolment] = field(default_factory=list)
    not_certified: list[tuple[Enrolment, list[str]]] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)


@dataclass
class CompletionPlan:
    """What completing a batch would do, shown before anyone confirms it."""

    batch: Batch
    certified: list[Enrolment] = field(default_factory=list)
    not_certified: list[tuple[Enrolment, list[str]]] = field(default_factory=list)
    early: bool = False


def completion_plan(batch: Batch, today: dt.date | None = None) -> CompletionPlan:
    """Who would be certified and who not (with why), and whether completion would be early."""
    today = today or timezone.localdate()
    plan = CompletionPlan(batch, early=today < batch.ends_on)
    enrolled = batch.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
        "participant", "batch__programme"
    )
    for enrolment in enrolled.order_by("participant__full_name", "pk"):
        blockers = certification_blockers(enrolment)
        if blockers:
            plan.not_certified.append((enrolment, blockers))
        else:
            plan.certified.append(enrolment)
    return plan


def completion_refusals(
    plan: CompletionPlan, *, early_reason: str, confirmed: bool
) -> dict[str, list[str]]:
    """What must be given before the batch may be completed (empty: it may).

    Completing is final. Before the batch's end date it needs a reason, recorded
    with the name of who gave it; when anyone would end without a certificate (or
    nobody would be certified at all) the person completing confirms having seen
    who and why.
    """
    problems: dict[str, list[str]] = {}
    if plan.early and not early_reason.strip():
        problems["early_reason"] = [
            _(
                "The batch ends on %(date)s. To complete it earlier, give the reason; it is "
                "recorded with your name."
            )
            % {"date": formats.date_format(plan.batch.ends_on, "DATE_FORMAT")}
        ]
    if (plan.not_certified or not plan.certified) and not confirmed:
        who = "; ".join(
            f"{enrolment.participant.full_name}: {' '.join(blockers)}"
            for enrolment, blockers in plan.not_certified
        )
        problems["confirm"] = [
            _(
                "%(count)d of %(total)d participants would end the batch without a certificate"
                "%(who)s. Completing cannot be undone: confirm that you have checked the list."
            )
            % {
                "count": len(plan.not_certified),
                "total": len(plan.not_certified) + len(plan.certified),
                "who": f" ({who})" if who else "",
            }
        ]
    return problems


@transaction.atomic
def batch_complete(
    *, batch: Batch, acting_user: Any, early_reason: str = "", confirmed: bool = False
) -> CompletionReport:
    """Close a running batch: certify whoever meets every requirement, record why not for others.

    Refused (ValidationError, by field) as :func:`completion_refusals` says: an
    early completion without a reason, or uncertified participants not confirmed.
    Side effects per certified participant: the journey moves *in training* →
    *certified* (participant_transition), a training and a competency
    certificate are issued (numbered in the series), the enrolment ends as
    certified. Others end as not certified with the reasons kept; they stay in
    training and may enrol in another batch. The batch becomes completed, with
    the early-completion reason if there was one.
    """
    locked = lock_batch(batch.pk)
    if not runs(acting_user, locked.programme.organisation):
        raise PermissionDenied(_("You run the training of your own training centre only."))
    step = BATCH_WORKFLOW.check(
        locked.status,
        BatchAction.COMPLETE,
        refusal=lambda: TransitionRefused(_("Only a running batch can be completed.")),
    )
    plan = completion_plan(locked)
    problems = completion_refusals(plan, early_reason=early_reason, confirmed=confirmed)
    if problems:
        raise ValidationError(problems)
    report = CompletionReport()
    for enrolment in plan.certified:
        _certify(enrolment, acting_user, report)
    for enrolment, blockers in plan.not_certified:
        enrolment_end(
            enrolment=enrolment,
            action=EnrolmentAction.NOT_CERTIFY,
            note=" ".join(blockers),
            acting_user=acting_user,
        )
        report.not_certified.append((enrolment, blockers))
    before = snapshot(locked)
    locked.status, locked.completed_at, locked.completed_by = (
        str(step.target),
        timezone.now(),
        acting_user,
    )
    locked.early_completion_reason = early_reason.strip() if plan.early else ""
    locked.save(update_fields=["status", "completed_at", "completed_by", "early_completion_reason"])
    record_change(
        acting_user=acting_user,
        operation="training.batch_complete",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked)),
        reason=locked.early_completion_reason,
    )
    return report


def _certify(enrolment: Enrolment, acting_user: Any, report: CompletionReport) -> None:
    participant_transition(
        participant=enrolment.participant,
        action=JourneyAction.CERTIFY,
        acting_user=acting_user,
        reason=_("Competent in every unit of batch %(batch)s.") % {"batch": enrolment.batch},
    )
    enrolment_end(
        enrolment=enrolment, action=EnrolmentAction.CERTIFY, note="", acting_user=acting_user
    )
    # The centre certifies the training; competency is an LSP's to certify (competency.py).
    report.certificates.append(
        certificate_issue(
            enrolment=enrolment, kind=CertificateKind.TRAINING, acting_user=acting_user
        )
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


def occupation_names(occupation: Any) -> dict[str, str]:
    """An occupation's name in each language a certificate prints."""
    return {"id": occupation.name_id, "en": occupation.name_en, "ja": occupation.name_ja}


def certificate_content(enrolment: Enrolment, kind: str) -> dict[str, Any]:
    """What the certificate says, in every language it is printed in, frozen at issue."""
    batch = enrolment.batch
    programme = batch.programme
    occupation = programme.occupation
    # The units the programme trained (a training certificate lists what was taught; only
    # an LSP's competency certificate certifies them, competency.py).
    units = [
        {"code": u.code, "id": u.title_id, "en": u.title_en, "ja": u.title_ja, "hours": u.hours}
        for u in programme.units.order_by("code")
    ]
    return {
        "title": {lang: titles[kind] for lang, titles in TITLES.items()},
        "programme": programme.name,
        "occupation": occupation_names(occupation),
        "batch": batch.code,
        "from": batch.starts_on.isoformat(),
        # Completed early: the certificate says when training really ended.
        "to": min(batch.ends_on, timezone.localdate()).isoformat(),
        "hours": programme.total_hours,
        # What the participant actually attended: a certificate never claims more.
        "hours_attended": enrolment.attendance_hours().attended,
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
    locked = lock_certificate(certificate.pk)
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
