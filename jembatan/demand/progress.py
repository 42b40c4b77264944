"""Progress towards targets, counted from the registry at every stage of the journey.

A target of year *Y* counts the participants registered in *Y* (the year's
intake, in Jakarta time) and how far each has come: registered, trained,
certified, selected, departed, returned. A partner's target counts the
participants of that partner (``Participant.partner``); a country's target
those whose partner is in that country; a national target everyone.

Where someone is now does not always say where they have been: the IM Japan
route selects before training, the LPK route trains before selection, and a
candidate who withdrew has left the path. So a stage counts as reached when
the current status implies it on every route, or when the status history
shows the step. All of it is one grouped query per page, never a loop over
participants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from jembatan.demand.models import Target, TargetStage
from jembatan.participants.models import JourneyStatus, Participant, ParticipantStatusChange

_AFTER_DEPARTURE = frozenset(
    {
        JourneyStatus.DEPARTED,
        JourneyStatus.IN_PLACEMENT,
        JourneyStatus.COMPLETED,
        JourneyStatus.RETURNED_EARLY,
        JourneyStatus.ALUMNUS,
    }
)
_MATCHED_ON = frozenset({JourneyStatus.MATCHED, JourneyStatus.CONTRACTED}) | _AFTER_DEPARTURE
# stage -> (current statuses that imply it on every route, history steps that show it)
STAGE_EVIDENCE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    TargetStage.TRAINED: (
        frozenset({JourneyStatus.IN_TRAINING, JourneyStatus.CERTIFIED}) | _MATCHED_ON,
        frozenset({JourneyStatus.IN_TRAINING}),
    ),
    TargetStage.CERTIFIED: (
        frozenset({JourneyStatus.CERTIFIED}) | _MATCHED_ON,
        frozenset({JourneyStatus.CERTIFIED}),
    ),
    TargetStage.SELECTED: (
        frozenset({JourneyStatus.SELECTED}) | _MATCHED_ON,
        frozenset({JourneyStatus.SELECTED}),
    ),
    TargetStage.DEPARTED: (_AFTER_DEPARTURE, frozenset({JourneyStatus.DEPARTED})),
    TargetStage.RETURNED: (
        frozenset({JourneyStatus.COMPLETED, JourneyStatus.RETURNED_EARLY, JourneyStatus.ALUMNUS}),
        frozenset({JourneyStatus.COMPLETED, JourneyStatus.RETURNED_EARLY}),
    ),
}
STAGES: tuple[str, ...] = tuple(TargetStage.values)


def reached(stage: str) -> Q:
    """Participants who have reached ``stage`` (see the module docstring)."""
    if stage == TargetStage.REGISTERED:
        return Q()
    implied, steps = STAGE_EVIDENCE[stage]
    history = ParticipantStatusChange.objects.filter(to_status__in=sorted(steps))
    return Q(status__in=sorted(implied)) | Q(pk__in=history.values("participant_id"))


@dataclass
class TargetProgress:
    """One target and the counts of its participants at each stage."""

    target: Target
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    @property
    def achieved(self) -> int:
        """The count at the stage the target is measured at."""
        return self.counts[self.target.stage]

    @property
    def percent(self) -> int:
        """How far towards the target, 0-100 (a target met or exceeded shows 100)."""
        return min(100, self.achieved * 100 // self.target.number)

    def stages(self) -> list[tuple[str, str, int]]:
        """(stage, label, count) in journey order, for the template."""
        labels = dict(TargetStage.choices)
        return [(s, str(labels[s]), self.counts[s]) for s in STAGES]


def _year_bounds(years: Sequence[int]) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        dt.datetime(min(years), 1, 1, tzinfo=zone),
        dt.datetime(max(years) + 1, 1, 1, tzinfo=zone),
    )


def stage_counts(years: Sequence[int]) -> list[dict[str, Any]]:
    """Participants per (year registered, partner, partner's country), counted per stage."""
    if not years:
        return []
    start, end = _year_bounds(years)
    counts = {s: Count("pk", filter=reached(s)) for s in STAGES if s != TargetStage.REGISTERED}
    rows = (
        Participant.objects.filter(
            archived_at__isnull=True, created_at__gte=start, created_at__lt=end
        )
        .annotate(year=ExtractYear("created_at"))
        .order_by()
        .values("year", "partner_id", "partner__country_id")
        .annotate(registered=Count("pk"), **counts)
    )
    return list(rows)


def _matches(target: Target, row: dict[str, Any]) -> bool:
    return (
        row["year"] == target.year
        and (target.partner_id is None or row["partner_id"] == target.partner_id)
        and (target.country_id is None or row["partner__country_id"] == target.country_id)
    )


def target_progress(targets: Sequence[Target]) -> list[TargetProgress]:
    """The progress of each target, from one grouped query over the registry."""
    rows = stage_counts(sorted({t.year for t in targets}))
    result = []
    for target in targets:
        progress = TargetProgress(target)
        for row in (r for r in rows if _matches(target, r)):
            for stage in STAGES:
                progress.counts[stage] += row[stage]
        result.append(progress)
    return result
