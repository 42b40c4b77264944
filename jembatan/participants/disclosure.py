"""What a partner abroad may see of a participant (UU PDP: data minimisation).

A partner sees only what a placement needs — name, sex, age, education,
training, certificates, language results and a masked NIK — until a transfer
of the full record is recorded for it with a stated purpose, resting on the
participant's consent to the transfer abroad (``DataTransfer``). Everyone
else in scope sees the record as before.

Apps above this one may hide a participant from partners altogether
(``register_partner_exclusion``): privacy hides those whose processing is
restricted and those who withdrew their consent to the transfer abroad.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jembatan.core.access import role_of
from jembatan.core.roles import Role
from jembatan.participants.models import DataTransfer, Participant

MASK = "•"

# A rule of an app above this one: the ids of the participants partners must not see.
PartnerExclusion = Callable[[], QuerySet[Any]]
PARTNER_EXCLUSIONS: list[PartnerExclusion] = []


def register_partner_exclusion(rule: PartnerExclusion) -> PartnerExclusion:
    """Hide from partners the participants ``rule`` names (once per rule, when an app loads)."""
    if rule not in PARTNER_EXCLUSIONS:
        PARTNER_EXCLUSIONS.append(rule)
    return rule


def shown_to_partners() -> Q:
    """The participants no registered rule hides from partners."""
    condition = Q()
    for rule in PARTNER_EXCLUSIONS:
        condition &= ~Q(pk__in=rule())
    return condition


def mask_nik(nik: str) -> str:
    """The NIK with only its first four and last four digits: ``3201••••••••0001``."""
    if len(nik) <= 8:
        return MASK * len(nik)
    return nik[:4] + MASK * (len(nik) - 8) + nik[-4:]


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def transfer_in_force(participant: Participant, recipient_id: int | None) -> DataTransfer | None:
    """The latest transfer to ``recipient_id`` whose consent still stands, if any."""
    if recipient_id is None:
        return None
    return (
        DataTransfer.objects.filter(
            participant=participant,
            recipient_id=recipient_id,
            consent__withdrawn_at__isnull=True,
        )
        .select_related("consent", "recorded_by")
        .first()
    )


def sees_full_record(user: Any, participant: Participant) -> bool:
    """Whether ``user`` (already in scope) sees the whole record, or only the minimum."""
    if role_of(user) != Role.PARTNER:
        return True
    if not Participant.objects.filter(shown_to_partners(), pk=participant.pk).exists():
        return False
    return transfer_in_force(participant, user.organisation_id) is not None


def minimum_view(participant: Participant) -> dict[str, Any]:
    """The fields a partner sees without a transfer, ready for a page or the API."""
    return {
        "full_name": participant.full_name,
        "sex": participant.get_sex_display(),
        "age": age_on(participant.birth_date, timezone.localdate()),
        "education": participant.get_education_display(),
        "masked_nik": mask_nik(participant.nik),
    }
