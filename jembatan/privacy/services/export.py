"""The personal-data export: recording the hand-over of a person's data (UU PDP art. 7, 32)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jembatan.core.audit import record_access, record_change
from jembatan.documents.models import ExportFormat, PersonalDataExport
from jembatan.participants.models import Participant
from jembatan.privacy.export import MEDIA_TYPES, ExportFile, personal_data, render


def personal_data_export(
    *,
    participant: Participant,
    acting_user: Any,
    fmt: ExportFormat,
    language: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> ExportFile:
    """Build the export in ``language``, then record it (audited and access-logged).

    Nothing is recorded if the file cannot be made (e.g. PDF libraries missing).
    """
    fmt = ExportFormat(fmt)
    with translation.override(language):
        data = personal_data(participant, generated_by=acting_user)
        content = render(data, fmt, participant)
    record = _record_export(
        participant=participant,
        acting_user=acting_user,
        fmt=fmt,
        language=language,
        reason=reason,
        content=content,
        request=request,
    )
    stamp = timezone.localtime(record.at).strftime("%Y%m%d-%H%M%S")
    return ExportFile(
        content=content,
        filename=f"data-pribadi-{participant.pk}-{stamp}.{fmt.value}",
        media_type=MEDIA_TYPES[fmt],
        record=record,
    )


@transaction.atomic
def _record_export(
    *,
    participant: Participant,
    acting_user: Any,
    fmt: ExportFormat,
    language: str,
    reason: str,
    content: bytes,
    request: HttpRequest | None,
) -> PersonalDataExport:
    record = PersonalDataExport.objects.create(
        participant=participant,
        requested_by=acting_user,
        reason=reason,
        format=fmt,
        language=language,
        sha256=hashlib.sha256(content).hexdigest(),
        at=timezone.now(),
    )
    record_change(
        acting_user=acting_user,
        operation="participants.personal_data_export",
        instance=record,
        action="create",
        changes={"format": {"before": None, "after": fmt.value}},
        reason=reason or _("Requested by the participant."),
        request=request,
    )
    record_access(
        acting_user=acting_user,
        purpose="participants.export",
        instance=participant,
        request=request,
    )
    return record
