"""The ministry's gap view: demand per occupation against people in training and certified.

Demand is the open slots of job orders the ministry approved (approved or open
for recruitment), counted from placements by the demand app. If the demand app
is not installed, the view still shows training and certification and says
that demand is unavailable instead of showing a misleading zero.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.core.models import Occupation
from jembatan.participants.models import JourneyStatus
from jembatan.training.models import Certificate, CertificateKind, Enrolment, EnrolmentStatus

# Certified people not yet matched to a job order: the pool that can still meet demand.
AVAILABLE = (JourneyStatus.CERTIFIED, JourneyStatus.IN_SELECTION, JourneyStatus.SELECTED)


@dataclass(frozen=True)
class GapRow:
    """One occupation: open slots, people in training, certified people available."""

    occupation: Occupation
    demand: int | None
    in_training: int
    certified: int

    @property
    def gap(self) -> int | None:
        """Slots nobody in the pipeline can fill yet (negative: more people than slots)."""
        if self.demand is None:
            return None
        return self.demand - self.in_training - self.certified


@dataclass(frozen=True)
class GapView:
    """Every occupation with demand or people in the pipeline, largest shortfall first."""

    rows: list[GapRow]
    demand_available: bool
    note: str | Promise


def open_slots_by_occupation() -> Counter[int] | None:
    """Open slots of approved job orders per occupation id; None without the demand app."""
    if not apps.is_installed("jembatan.demand"):
        return None
    from jembatan.demand.models import JobOrder
    from jembatan.demand.selectors import slot_summary
    from jembatan.demand.workflows import MATCHABLE

    rows = slot_summary(JobOrder.objects.filter(status__in=MATCHABLE))
    demand: Counter[int] = Counter()
    pairs = rows.values_list("occupation_id", "slots_open")  # type: ignore[misc]
    for occupation_id, open_slots in pairs:
        demand[occupation_id] += open_slots
    return demand


def in_training_by_occupation() -> Counter[int]:
    rows = (
        Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED)
        .values("batch__programme__occupation_id")
        .annotate(n=Count("participant_id", distinct=True))
    )
    return Counter({r["batch__programme__occupation_id"]: r["n"] for r in rows})


def certified_by_occupation() -> Counter[int]:
    """People available for placement who finished a batch certified, per its occupation.

    The centre's certification of the training (a valid training certificate),
    whether or not an LSP has certified their competency yet.
    """
    rows = (
        Certificate.objects.filter(
            kind=CertificateKind.TRAINING,
            revoked_at__isnull=True,
            participant__status__in=AVAILABLE,
        )
        .values("enrolment__batch__programme__occupation_id")
        .annotate(n=Count("participant_id", distinct=True))
    )
    return Counter({r["enrolment__batch__programme__occupation_id"]: r["n"] for r in rows})


def gap_view() -> GapView:
    """The gap per occupation, largest shortfall first (unknown demand last)."""
    demand = open_slots_by_occupation()
    training, certified = in_training_by_occupation(), certified_by_occupation()
    ids = set(training) | set(certified) | {k for k, v in (demand or {}).items() if v}
    occupations = Occupation.objects.in_bulk(ids)
    rows = [
        GapRow(
            occupation=occupations[pk],
            demand=None if demand is None else demand.get(pk, 0),
            in_training=training.get(pk, 0),
            certified=certified.get(pk, 0),
        )
        for pk in ids
    ]
    rows.sort(key=lambda r: (r.gap is None, -(r.gap or 0), r.occupation.code))
    note = (
        _("Demand: open slots of job orders the ministry approved.")
        if demand is not None
        else _("Demand is not available: the demand module (job orders) is not installed.")
    )
    return GapView(rows=rows, demand_available=demand is not None, note=note)
