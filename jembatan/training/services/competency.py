"""Competency certificates: issued by a BNSP-licensed LSP after its assessment, recorded here.

In Indonesia competency is certified by a professional certification body
(LSP) licensed by BNSP, not by the training centre (which issues the training
certificate when a batch completes, ``certification.py``). When a participant
certified in a batch has been assessed competent by an LSP, the centre (or
the ministry) records the LSP's certificate: its number, the LSP with its
licence number as it stood that day, the units certified and the validity.
Eligibility for job orders reads the units from these records.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.organisations.models import Organisation
from jembatan.training.models import Certificate, CertificateKind, Enrolment, EnrolmentStatus
from jembatan.training.rules import runs
from jembatan.training.services.certification import TITLES, occupation_names

VALIDITY_YEARS = 3  # a BNSP competency certificate's usual validity


def _refusals(
    enrolment: Enrolment, lsp: Organisation, number: str, issued_on: dt.date
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if enrolment.status != EnrolmentStatus.CERTIFIED:
        problems["__all__"] = _(
            "%(name)s did not complete batch %(batch)s certified: an LSP's competency "
            "certificate is recorded after the training."
        ) % {"name": enrolment.participant.full_name, "batch": enrolment.batch.code}
    if not lsp.certifies_on(issued_on):
        problems["lsp"] = _(
            "%(lsp)s may not certify competency on %(date)s: it is not an LSP with a BNSP "
            "licence valid that day."
        ) % {"lsp": lsp, "date": issued_on.strftime("%d-%m-%Y")}
    if issued_on > timezone.localdate():
        problems["issued_on"] = _("The date of issue is in the future.")
    if not number:
        problems["number"] = _("Enter the number printed on the LSP's certificate.")
    elif Certificate.objects.filter(number=number).exists():
        problems["number"] = _("A certificate with number %(number)s is already recorded.") % {
            "number": number
        }
    return problems


def _units(enrolment: Enrolment, codes: Sequence[str]) -> list[dict[str, Any]]:
    known = {u.code: u for u in enrolment.batch.programme.units.all()}
    unknown = sorted(set(codes) - set(known))
    if not codes or unknown:
        raise ValidationError(
            {
                "units": _("Choose the programme's units the LSP certified (unknown: %(codes)s).")
                % {"codes": ", ".join(unknown) or "—"}
            }
        )
    return [
        {"code": c, "id": known[c].title_id, "en": known[c].title_en, "ja": known[c].title_ja}
        for c in sorted(set(codes))
    ]


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February falls on 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _content(
    enrolment: Enrolment, lsp: Organisation, units: list[dict[str, Any]]
) -> dict[str, Any]:
    """What the record says, frozen: the programme, the units certified and the LSP as it stood."""
    programme = enrolment.batch.programme
    return {
        "title": {lang: titles[CertificateKind.COMPETENCY] for lang, titles in TITLES.items()},
        "programme": programme.name,
        "occupation": occupation_names(programme.occupation),
        "batch": enrolment.batch.code,
        "units": units,
        "lsp": {"name": lsp.name, "licence": lsp.bnsp_licence_number},
    }


@transaction.atomic
def competency_certificate_record(
    *,
    enrolment: Enrolment,
    lsp: Organisation,
    number: str,
    unit_codes: Sequence[str],
    issued_on: dt.date,
    valid_until: dt.date | None,
    acting_user: Any,
) -> Certificate:
    """Record an LSP's competency certificate for a participant certified in ``enrolment``.

    Refuses (every problem at once) an enrolment not completed certified, an
    organisation that is not an LSP with a BNSP licence valid on the date of
    issue, a future date, a number already recorded, and units not in the
    programme. ``valid_until`` defaults to three years after issue.
    """
    enrolment = Enrolment.objects.select_related(
        "batch__programme__organisation", "batch__programme__occupation", "participant"
    ).get(pk=enrolment.pk)
    if not runs(acting_user, enrolment.batch.programme.organisation):
        raise PermissionDenied(_("Only the training centre or the ministry may record this."))
    number = " ".join(number.split())
    problems = _refusals(enrolment, lsp, number, issued_on)
    if problems:
        raise ValidationError(problems)
    units = _units(enrolment, unit_codes)
    valid_until = valid_until or years_after(issued_on, VALIDITY_YEARS)
    if valid_until <= issued_on:
        raise ValidationError({"valid_until": _("The validity must end after the date of issue.")})
    certificate = Certificate.objects.create(
        number=number,
        token=secrets.token_hex(20),
        kind=CertificateKind.COMPETENCY,
        enrolment=enrolment,
        participant=enrolment.participant,
        issuer=lsp,
        issuer_licence_number=lsp.bnsp_licence_number,
        valid_until=valid_until,
        holder_name=enrolment.participant.full_name,
        content=_content(enrolment, lsp, units),
        issued_on=issued_on,
        issued_at=timezone.now(),
        issued_by=acting_user,
    )
    record_change(
        acting_user=acting_user,
        operation="training.competency_certificate_record",
        instance=certificate,
        action="create",
        changes=diff({}, snapshot(certificate, ["number", "issuer_id", "issuer_licence_number"])),
    )
    return certificate
