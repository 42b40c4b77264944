"""Sample path arguments for the URL-access walk (core/tests/test_url_access.py).

One small selection world per test, built on first use and kept on the test's
node: an open round of IM Japan (the partner user's organisation) with an
administrative check and a written test, an impact assessment, and the sample
participant (Siti, ``participant_jateng``) as a candidate who passed the
administrative check, so that the written test's pages and score template list her.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.factories import ImpactAssessmentFactory, add_stage
from jembatan.selection.models import Candidacy, RoundStatus, Score, SelectionRound


def _world(request: pytest.FixtureRequest) -> dict[str, Any]:
    cached = getattr(request.node, "_selection_samples", None)
    if cached is not None:
        return cached
    participant = request.getfixturevalue("participant_jateng")
    selection_round = SelectionRound.objects.create(
        name="IM Japan 2026/1",
        partner=request.getfixturevalue("im_japan"),
        status=RoundStatus.OPEN,
        opened_at=timezone.now(),
    )
    administrative = add_stage(selection_round, "administrative")
    written = add_stage(selection_round, "written", weight="100")
    written.examiners.add(request.getfixturevalue("national_officer"))
    ImpactAssessmentFactory(round=selection_round)
    Participant.objects.filter(pk=participant.pk).update(status=JourneyStatus.IN_SELECTION)
    candidacy = Candidacy.objects.create(
        round=selection_round,
        participant=participant,
        status_before=JourneyStatus.VERIFIED,
        enrolled_at=timezone.now(),
    )
    Score.objects.create(
        candidacy=candidacy,
        stage=administrative,
        passed=True,
        entered_by=request.getfixturevalue("national_officer"),
        entered_at=timezone.now(),
    )
    world = {"round_pk": selection_round.pk, "stage_pk": written.pk, "candidacy_pk": candidacy.pk}
    request.node._selection_samples = world
    return world


def _sample(key: str) -> Callable[[pytest.FixtureRequest], Any]:
    return lambda request: _world(request)[key]


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "selection:round_pk": _sample("round_pk"),
    "selection:stage_pk": _sample("stage_pk"),
    "selection:candidacy_pk": _sample("candidacy_pk"),
}


# --- shortlists (report_views.py) ------------------------------------------------------


def _shortlist_world(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A shortlist of the sample round for an approved IM Japan job order, Siti on it."""
    cached = getattr(request.node, "_selection_shortlist_samples", None)
    if cached is not None:
        return cached
    from jembatan.demand.factories import JobOrderFactory
    from jembatan.selection.models import Shortlist, ShortlistEntry

    world = _world(request)
    job_order = JobOrderFactory(partner=request.getfixturevalue("im_japan"), approved=True)
    shortlist = Shortlist.objects.create(
        round_id=world["round_pk"],
        job_order=job_order,
        per_vacancy=3,
        created_by=request.getfixturevalue("national_admin"),
        created_at=timezone.now(),
    )
    entry = ShortlistEntry.objects.create(
        shortlist=shortlist, candidacy_id=world["candidacy_pk"], position=1
    )
    found = {"shortlist_pk": shortlist.pk, "entry_pk": entry.pk}
    request.node._selection_shortlist_samples = found
    return found


def _shortlist_sample(key: str) -> Callable[[pytest.FixtureRequest], Any]:
    return lambda request: _shortlist_world(request)[key]


SAMPLES.update(
    {
        "selection:shortlist_pk": _shortlist_sample("shortlist_pk"),
        "selection:entry_pk": _shortlist_sample("entry_pk"),
    }
)
