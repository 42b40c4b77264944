"""Consent at first sign-in: who still has to confirm the privacy notice themself.

A person who registered themself agreed on the registration page (their own
consent: ``recorded_by`` is their account). An imported person's consent rests
on the importer's declared authority, and a person registered by staff on the
staff's record: both confirm the notice themselves the first time they sign
in, on a page they cannot skip (``NoticeFirstMiddleware``). Their answer is
kept once (``NoticeConfirmation``); a refusal files a rights request
(``services/notice.py``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from jembatan.participants.models import Consent, ConsentPurpose, Participant
from jembatan.participants.selectors import participants_visible_to
from jembatan.privacy.models import NoticeConfirmation
from jembatan.privacy.retention import anonymised


def _own_consents() -> QuerySet[Consent]:
    return Consent.objects.filter(
        participant=OuterRef("pk"),
        purpose=ConsentPurpose.PRIVACY_NOTICE,
        recorded_by_id=F("participant__user_id"),
    )


def _any_consent() -> QuerySet[Consent]:
    return Consent.objects.filter(
        participant=OuterRef("pk"), purpose=ConsentPurpose.PRIVACY_NOTICE, withdrawn_at__isnull=True
    )


def awaiting_confirmation(participant: Participant) -> bool:
    """Whether ``participant`` has an account and has never given their own answer."""
    if participant.user_id is None:
        return False
    answered = NoticeConfirmation.objects.filter(participant=participant).exists()
    return not answered and not (
        Participant.objects.filter(pk=participant.pk).filter(Exists(_own_consents())).exists()
    )


def without_own_confirmation(user: Any) -> QuerySet[Participant]:
    """People in ``user``'s scope with no consent record, or none they gave themself.

    Each row says whether a consent recorded by someone else stands
    (``has_consent``) and whether the person refused the notice (``refused``).
    """
    refused = NoticeConfirmation.objects.filter(participant=OuterRef("pk"), answer="refused")
    return (
        participants_visible_to(user)
        .filter(archived_at__isnull=True)
        .exclude(Exists(_own_consents()))
        .exclude(Q(pk__in=anonymised()))
        .annotate(has_consent=Exists(_any_consent()), refused=Exists(refused))
        .select_related("regency", "sending_organisation")
    )
