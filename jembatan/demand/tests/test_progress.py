"""Targets and their progress, counted from the registry at every stage, in one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Country
from jembatan.demand.models import Target, TargetStage
from jembatan.demand.progress import target_progress
from jembatan.demand.services.planning import target_set
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus as S
from jembatan.participants.models import ParticipantStatusChange

pytestmark = pytest.mark.django_db
JAKARTA = timezone.get_fixed_timezone(7 * 60)
IN_2025 = dt.datetime(2025, 6, 1, 9, 0, tzinfo=JAKARTA)
IN_2024 = dt.datetime(2024, 6, 1, 9, 0, tzinfo=JAKARTA)


def _person(status: str, partner: Organisation | None, at: dt.datetime = IN_2025, **kw: Any) -> Any:
    return ParticipantFactory(status=status, partner=partner, created_at=at, **kw)


def _step(participant: Any, to_status: str) -> None:
    ParticipantStatusChange.objects.create(
        participant=participant, to_status=to_status, at=IN_2025, by_label="test"
    )


@pytest.fixture
def wfg(db: None) -> Organisation:
    """World Forest Group, a partner in Japan."""
    return OrganisationFactory(name="World Forest Group", partner=True)


@pytest.fixture
def intake(im_japan: Organisation, wfg: Organisation) -> None:
    """Participants registered in 2025 (and one in 2024) at every stage of the journey."""
    _person(S.REGISTERED, im_japan)
    _person(S.IN_TRAINING, im_japan)  # LPK route: training first
    _person(S.SELECTED, im_japan)  # IM Japan route: selected, not yet trained
    _person(S.CERTIFIED, im_japan)
    _person(S.DEPARTED, im_japan)
    _person(S.COMPLETED, im_japan)
    dropped = _person(S.WITHDRAWN, im_japan)  # withdrew after training: the history says so
    _step(dropped, S.IN_TRAINING)
    g2g = _person(S.IN_TRAINING, wfg)  # selected first, then training (history)
    _step(g2g, S.SELECTED)
    _person(S.DEPARTED, None)
    _person(S.DEPARTED, im_japan, at=IN_2024)  # another year's intake
    _person(S.DEPARTED, im_japan, archived_at=timezone.now())  # merged duplicate: not counted


def test_a_partner_target_counts_its_participants_at_every_stage(
    intake: None, im_japan: Organisation, national_officer: User
) -> None:
    target = target_set(year=2025, number=10_000, partner=im_japan, acting_user=national_officer)
    [progress] = target_progress([target])
    assert progress.counts == {
        "registered": 7,
        "trained": 5,
        "certified": 3,
        "selected": 3,
        "departed": 2,
        "returned": 1,
    }
    assert (progress.achieved, progress.percent) == (2, 0)


def test_a_national_target_counts_everyone_of_the_year(
    intake: None, national_officer: User
) -> None:
    target = target_set(
        year=2025, number=10, stage=TargetStage.DEPARTED, acting_user=national_officer
    )
    [progress] = target_progress([target])
    assert progress.counts["registered"] == 9
    assert progress.counts["selected"] == 5  # the G2G trainee of World Forest Group included
    assert (progress.achieved, progress.percent) == (3, 30)


def test_a_country_target_counts_the_participants_of_its_partners(
    intake: None, national_officer: User
) -> None:
    japan = target_set(
        year=2025, number=4, country=Country.objects.get(pk="JP"), acting_user=national_officer
    )
    korea = target_set(
        year=2025, number=4, country=Country.objects.get(pk="KR"), acting_user=national_officer
    )
    progress = target_progress([japan, korea])
    assert [p.counts["registered"] for p in progress] == [8, 0]
    assert [p.achieved for p in progress] == [2, 0]


def test_progress_of_many_targets_takes_one_query(
    intake: None, im_japan: Organisation, wfg: Organisation, national_officer: User
) -> None:
    targets = [
        target_set(year=2025, number=10_000, partner=im_japan, acting_user=national_officer),
        target_set(year=2025, number=25_000, partner=wfg, acting_user=national_officer),
        target_set(year=2024, number=100, acting_user=national_officer),
        target_set(year=2025, number=100, acting_user=national_officer),
    ]
    with CaptureQueriesContext(connection) as queries:
        progress = target_progress(targets)
    assert len(queries) == 1
    assert [p.counts["registered"] for p in progress] == [7, 1, 1, 9]


def test_setting_a_target_again_changes_it_and_both_are_audited(
    im_japan: Organisation, national_officer: User
) -> None:
    first = target_set(year=2025, number=8000, partner=im_japan, acting_user=national_officer)
    second = target_set(
        year=2025, number=10_000, partner=im_japan, note="MoU", acting_user=national_officer
    )
    assert first.pk == second.pk
    assert Target.objects.get().number == 10_000
    records = ChangeRecord.objects.filter(operation="demand.target_set").order_by("id")
    assert [r.action for r in records] == ["create", "update"]
    assert records[1].changes["number"] == {"before": 8000, "after": 10_000}


def test_the_seeder_may_set_targets_as_the_system(im_japan: Organisation) -> None:
    target = target_set(year=2026, number=10_000, partner=im_japan, acting_user=None)
    assert ChangeRecord.objects.get(object_id=str(target.pk)).actor_label == "system"


def test_only_national_staff_set_targets(partner_user: User, im_japan: Organisation) -> None:
    with pytest.raises(PermissionDenied):
        target_set(year=2025, number=1, partner=im_japan, acting_user=partner_user)
    assert Target.objects.count() == 0


def test_targets_are_for_partners_abroad_not_training_centres(
    lpk_a: Organisation, national_officer: User
) -> None:
    with pytest.raises(ValidationError):
        target_set(year=2025, number=1, partner=lpk_a, acting_user=national_officer)


def test_a_target_must_be_positive(national_officer: User) -> None:
    with pytest.raises(ValidationError):
        target_set(year=2025, number=0, acting_user=national_officer)
