"""A handed-in document's verification, as a workflow table.

A document is uploaded *pending* (a new upload replaces the current one, which
keeps its status as history). An officer verifies it, or rejects it saying
why; a verified document found false later can still be rejected. Only the
current version of a document is decided on.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jembatan.core.transitions import Transition, Workflow, register
from jembatan.documents.models import DocumentStatus
from jembatan.documents.rules import DECIDERS


class DocumentAction(StrEnum):
    """An officer's decision on a document."""

    VERIFY = "verify"
    REJECT = "reject"


DOCUMENT_WORKFLOW: Workflow[DocumentAction, DocumentStatus] = Workflow(
    statuses=DocumentStatus,
    noun=_("document"),
    transitions={
        DocumentAction.VERIFY: Transition(
            _("verify the document"),
            frozenset({DocumentStatus.PENDING}),
            DocumentStatus.VERIFIED,
            DECIDERS,
            conditions=(
                "the current version of its kind",
                "a provincial officer only in their province",
            ),
            effects="document_verify: verified_by and verified_at set.",
        ),
        DocumentAction.REJECT: Transition(
            _("reject the document"),
            frozenset({DocumentStatus.PENDING, DocumentStatus.VERIFIED}),
            DocumentStatus.REJECTED,
            DECIDERS,
            needs_reason=True,
            conditions=(
                "the current version of its kind",
                "a provincial officer only in their province",
            ),
            effects="document_reject: the reason kept for the participant; who and when.",
        ),
    },
)
register("documents.Document", "status", DOCUMENT_WORKFLOW)
