"""Sample path arguments for the URL-access walk (core/tests/test_url_access.py).

One case per test, built on first use and kept on the test's node: an anonymous
report about Siti (``participant_jateng``, Jawa Tengah) at the national level
(so that every officer role but the other province's sees it), referred to IM
Japan, with a file, so that every officer page has something to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from jembatan.protection.factories import make_case
from jembatan.protection.models import (
    CaseAttachment,
    CaseLevel,
    CaseStatus,
    Referral,
    ReferralKind,
    ReporterKind,
)


def protection_world(request: pytest.FixtureRequest) -> dict[str, Any]:
    cached = getattr(request.node, "_protection_samples", None)
    if cached is not None:
        return cached
    person = request.getfixturevalue("participant_jateng")
    case = make_case(
        participant=person,
        province_id=person.province_id,
        level=CaseLevel.NATIONAL,
        status=CaseStatus.IN_PROGRESS,
        reporter_kind=ReporterKind.ANONYMOUS,
        reporter_contact="sahabat@example.org",
        sending_organisation_id=person.sending_organisation_id,
        partner_id=person.partner_id,
    )
    referral = Referral.objects.create(
        case=case,
        kind=ReferralKind.PARTNER,
        recipient="IM Japan",
        request="Check the payslips.",
        due_on=timezone.localdate() + dt.timedelta(days=7),
        referred_at=timezone.now(),
    )
    attachment = CaseAttachment(
        case=case,
        original_name="slip.pdf",
        content_type="application/pdf",
        sha256="0" * 64,
        size=9,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("slip.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    world = {
        "code": case.code,
        "referral_pk": referral.pk,
        "attachment_pk": attachment.pk,
    }
    request.node._protection_samples = world
    return world


def _sample(key: str) -> Callable[[pytest.FixtureRequest], Any]:
    return lambda request: protection_world(request)[key]


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "protection:code": _sample("code"),
    "protection:referral_answer:pk": _sample("referral_pk"),
    "protection:attachment:pk": _sample("attachment_pk"),
    "protection:action": lambda request: "escalate",
}
