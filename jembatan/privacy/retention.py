"""What must be kept when a person asks to delete their data (UU PDP art. 8, 15, 43(2)).

Deletion is done "in accordance with the laws" (art. 43(2)), and the right to
it gives way to the public interest in running the state's programmes (art.
15(1)(c)). The programme keeps a person's record, and refuses deletion naming
the rule, when:

1. **they departed** (departed, in placement, completed, returned early,
   alumnus): the ministry answers for every apprentice it sent abroad — their
   protection, their return, and the programme's reporting;
2. **they hold a certificate**: certificates are verified by anyone through
   their number or QR code, so the issuer must be able to confirm them;
3. **they are in the middle of the journey** (in training, in selection,
   selected, matched, contracted): others act on the record now; the person
   withdraws from the programme first, then asks again.

Everyone else (registered, verified, certified without a certificate record,
withdrawn, rejected) may be anonymised. What anonymisation keeps and removes is
in ``services/erasure.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.participants.models import JourneyStatus, Participant
from jembatan.privacy.models import RequestKind, RequestStatus, RetentionErasure, RightsRequest
from jembatan.training.models import Certificate

DEPARTED = frozenset(
    {
        JourneyStatus.DEPARTED,
        JourneyStatus.IN_PLACEMENT,
        JourneyStatus.COMPLETED,
        JourneyStatus.RETURNED_EARLY,
        JourneyStatus.ALUMNUS,
    }
)
UNDER_WAY = frozenset(
    {
        JourneyStatus.IN_TRAINING,
        JourneyStatus.IN_SELECTION,
        JourneyStatus.SELECTED,
        JourneyStatus.MATCHED,
        JourneyStatus.CONTRACTED,
    }
)


@dataclass(frozen=True)
class RetentionRule:
    """One reason to keep a record, with the words the person reads."""

    code: str
    applies: Callable[[Participant], bool]
    reason: str | Promise


RULES = (
    RetentionRule(
        "departed",
        lambda p: p.status in DEPARTED,
        _(
            "You have been sent abroad with the programme: the ministry keeps the records of "
            "every apprentice it sent, for their protection and the programme's accountability "
            "(UU PDP art. 15(1)(c) and 43(2))."
        ),
    ),
    RetentionRule(
        "certificate",
        lambda p: Certificate.objects.filter(participant=p).exists(),
        _(
            "You hold a certificate of the programme: anyone may check it by its number, so "
            "its issuer must keep the record it rests on (UU PDP art. 43(2))."
        ),
    ),
    RetentionRule(
        "under_way",
        lambda p: p.status in UNDER_WAY,
        _(
            "You are in the middle of the programme (training, selection or placement) and "
            "others act on your record now. Withdraw from the programme first, then ask again."
        ),
    ),
)


def retention_reasons(participant: Participant) -> list[str | Promise]:
    """Why ``participant``'s record must be kept, in words (empty: it may be anonymised).

    The words stay lazy: each is read in the language of whoever it is shown to.
    """
    return [rule.reason for rule in RULES if rule.applies(participant)]


def anonymised() -> QuerySet[Any]:
    """Ids (``pk``) of the participants whose data were deleted: a deletion request carried
    out, or the retention schedule's run (``services/retention_run.py``)."""
    requested = RightsRequest.objects.filter(kind=RequestKind.DELETE, status=RequestStatus.DONE)
    scheduled = RetentionErasure.objects.values("participant_id")
    return Participant.objects.filter(
        Q(pk__in=requested.values("participant_id")) | Q(pk__in=scheduled)
    ).values("pk")


def is_anonymised(participant: Participant | int) -> bool:
    """Whether ``participant``'s data were deleted (on their request or by the schedule)."""
    pk = participant if isinstance(participant, int) else participant.pk
    return anonymised().filter(pk=pk).exists()
