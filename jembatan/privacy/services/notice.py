"""The person's own answer to the privacy notice at their first sign-in (``privacy/notice.py``).

**Confirm**: a consent to the notice in force, recorded by the person
themself (beside any consent an import or an officer recorded for them).

**Refuse**: the person does not accept the processing the notice describes.
It is never a silent no: a rights request is filed in their name and runs its
course with its deadline and owner (``services/requests.py``):

- a consent recorded for them (by an import or an officer) stands: a
  *withdrawal* of it (UU PDP art. 9, 40), which takes effect at once;
- no consent stands: an *objection* (art. 10), which an officer carries out
  as a restriction of processing (partners do not see the person, no new
  training or selection starts) or refuses with a reason.

Either way the answer is kept once, and the person's pages open.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.participants.models import Consent, ConsentPurpose, ConsentText, Participant
from jembatan.participants.selectors import current_consent_text
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.locks import lock_participant
from jembatan.privacy.models import NoticeAnswer, NoticeConfirmation, RequestKind
from jembatan.privacy.rules import is_own
from jembatan.privacy.services.requests import request_file

OPERATION = "privacy.notice_answer"


def _current_notice() -> ConsentText:
    text = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    if text is None:
        raise ValidationError(_("No privacy notice is published."), code=PrivacyErrorCode.NO_NOTICE)
    return text


def _check(participant: Participant, acting_user: Any) -> Participant:
    if not is_own(acting_user, participant):
        raise PermissionDenied(_("Only the person themself answers the privacy notice."))
    locked = lock_participant(participant.pk)
    if NoticeConfirmation.objects.filter(participant=locked).exists():
        raise ValidationError(
            _("You have answered the privacy notice already."),
            code=PrivacyErrorCode.ALREADY_ANSWERED,
        )
    return locked


def _keep(answer: NoticeConfirmation, acting_user: Any, request: HttpRequest | None) -> None:
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=answer,
        action="create",
        changes=diff({}, snapshot(answer)),
        request=request,
    )


@transaction.atomic
def notice_confirm(
    *, participant: Participant, acting_user: Any, language: str, request: HttpRequest | None = None
) -> NoticeConfirmation:
    """The person confirms the notice in force: their own consent, and their answer kept."""
    locked = _check(participant, acting_user)
    text = _current_notice()
    consent = Consent.objects.create(
        participant=locked,
        purpose=ConsentPurpose.PRIVACY_NOTICE,
        text=text,
        language=language[:5],
        agreed_at=timezone.now(),
        recorded_by=acting_user,
        basis=_("Confirmed by the person at their first sign-in"),
    )
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=consent,
        action="create",
        changes=diff({}, snapshot(consent)),
        request=request,
    )
    answer = NoticeConfirmation.objects.create(
        participant=locked,
        answer=NoticeAnswer.CONFIRMED,
        text=text,
        language=language[:5],
        at=timezone.now(),
        consent=consent,
    )
    _keep(answer, acting_user, request)
    return answer


@transaction.atomic
def notice_refuse(
    *,
    participant: Participant,
    acting_user: Any,
    language: str,
    details: str,
    request: HttpRequest | None = None,
) -> NoticeConfirmation:
    """The person refuses: a withdrawal of the consent recorded for them, or an objection."""
    locked = _check(participant, acting_user)
    text = _current_notice()
    standing = Consent.objects.filter(
        participant=locked, purpose=ConsentPurpose.PRIVACY_NOTICE, withdrawn_at__isnull=True
    ).first()
    details = details.strip() or _("I do not accept the privacy notice (first sign-in).")
    filed = request_file(
        participant=locked,
        kind=RequestKind.WITHDRAW if standing else RequestKind.OBJECT,
        consent=standing,
        details=details,
        acting_user=acting_user,
        language=language,
        request=request,
    )
    answer = NoticeConfirmation.objects.create(
        participant=locked,
        answer=NoticeAnswer.REFUSED,
        text=text,
        language=language[:5],
        at=timezone.now(),
        request=filed,
    )
    _keep(answer, acting_user, request)
    return answer
