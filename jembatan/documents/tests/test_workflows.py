"""Every decision outside the document table is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.documents.models import Document, DocumentStatus
from jembatan.documents.services import document_reject, document_verify
from jembatan.documents.workflows import DOCUMENT_WORKFLOW, DocumentAction
from jembatan.participants.models import Participant

pytestmark = pytest.mark.django_db


def _state(document: Document) -> tuple[Any, ...]:
    fresh = Document.objects.get(pk=document.pk)
    return fresh.status, fresh.rejection_reason, fresh.verified_at, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(DOCUMENT_WORKFLOW)))
def test_a_decision_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str,
    action: DocumentAction,
    upload: Callable[..., Document],
    participant_jateng: Participant,
    participant_user: User,
    national_officer: User,
) -> None:
    document = upload(participant_jateng, participant_user)
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus(status),
        rejection_reason="Blurred scan." if status == DocumentStatus.REJECTED else "",
        verified_by=national_officer,
        verified_at=timezone.now(),
    )
    before = _state(document)

    with pytest.raises(TransitionRefused, match="This document is already"):
        if action == DocumentAction.VERIFY:
            document_verify(document=document, acting_user=national_officer)
        else:
            document_reject(document=document, reason="Not genuine.", acting_user=national_officer)

    assert _state(document) == before
