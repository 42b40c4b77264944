"""Each person sees exactly the participants their role and scope allow, and no others."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from jembatan.accounts.factories import UserFactory
from jembatan.core.roles import Role
from jembatan.participants.models import Participant
from jembatan.participants.selectors import (
    own_participant,
    participant_for,
    participants_visible_to,
    status_counts,
)

pytestmark = pytest.mark.django_db

# Who sees which of the two sample participants (Siti in Jawa Tengah, Budi in Jawa Timur).
EXPECTED = {
    "national_admin": {"siti", "budi"},
    "national_officer": {"siti", "budi"},
    "auditor": {"siti", "budi"},
    "provincial_officer": {"siti"},
    "other_provincial_officer": {"budi"},
    "training_operator": {"siti"},
    "sender_operator": {"siti"},
    "other_sender_operator": {"budi"},
    "partner_user": {"siti"},
    "participant_user": {"siti"},
    "ghost_user": set(),
    "inactive_user": set(),
}


@pytest.fixture
def samples(participant_jateng: Participant, participant_jatim: Participant) -> dict[str, int]:
    return {"siti": participant_jateng.pk, "budi": participant_jatim.pk}


@pytest.mark.parametrize(("person", "expected"), EXPECTED.items())
def test_participants_visible_to_each_person_are_exactly_their_scope(
    request: pytest.FixtureRequest, samples: dict[str, int], person: str, expected: set[str]
) -> None:
    user = request.getfixturevalue(person)
    visible = set(participants_visible_to(user).values_list("pk", flat=True))
    assert visible == {samples[name] for name in expected}


def test_an_anonymous_visitor_sees_no_participant(samples: dict[str, int]) -> None:
    assert list(participants_visible_to(AnonymousUser())) == []


def test_a_sender_does_not_see_a_participant_it_only_trains_or_places(
    samples: dict[str, int], lpk_a, participant_jatim: Participant, sender_operator
) -> None:
    Participant.objects.filter(pk=participant_jatim.pk).update(training_centre=lpk_a)
    visible = set(participants_visible_to(sender_operator).values_list("pk", flat=True))
    assert visible == {samples["siti"]}


def test_a_participant_user_without_a_record_sees_nothing(samples, national_admin) -> None:
    lone = UserFactory(username="lone", role=Role.PARTICIPANT)
    assert list(participants_visible_to(lone)) == []
    assert own_participant(lone) is None


def test_participant_for_an_out_of_scope_id_is_404(samples, other_sender_operator) -> None:
    with pytest.raises(Http404):
        participant_for(other_sender_operator, samples["siti"])


def test_participant_for_an_in_scope_id_returns_it(samples, provincial_officer) -> None:
    assert participant_for(provincial_officer, samples["siti"]).full_name == "Siti Rahayu"


def test_status_counts_are_limited_to_the_scope(
    samples, provincial_officer, national_officer
) -> None:
    assert status_counts(provincial_officer) == {"registered": 1}
    assert status_counts(national_officer) == {"registered": 2}


def test_own_participant_is_the_linked_record(samples, participant_user) -> None:
    found = own_participant(participant_user)
    assert found is not None
    assert found.pk == samples["siti"]
