"""The partner sees the people offered to it and confirms, or declines with a reason.

The walk-through's case: after approval the partner could not open the person placed
with it (the participant's partner stayed empty) and had no confirm action.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import Placement, PlacementStatus
from jembatan.demand.services.placements import placement_offer
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(im_japan: Organisation, lpk_a: Organisation, national_officer: User) -> Placement:
    """Ani, selected, offered to IM Japan's greenhouse job order as an approved run does."""
    job_order = JobOrderFactory(partner=im_japan, approved=True, slots=1, title="Greenhouse")
    ani = ParticipantFactory(
        full_name="Ani Wijaya", status=JourneyStatus.SELECTED, sending_organisation=lpk_a
    )
    placement = placement_offer(job_order=job_order, participant=ani, acting_user=national_officer)
    participant_transition(
        participant=ani, action=JourneyAction.MATCH, acting_user=national_officer, reason="Run 1"
    )
    return placement


def _client(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_the_partner_sees_the_person_offered_and_confirms(
    offered: Placement, partner_user: User
) -> None:
    client = _client(partner_user)
    page = client.get(reverse("demand:placements")).content.decode()
    assert "Ani Wijaya" in page and f'data-testid="confirm-{offered.pk}"' in page
    record = client.get(reverse("participants:detail", args=[offered.participant_id]))
    assert record.status_code == 200  # the partner's own record of the person, not a 404
    response = client.post(reverse("demand:placement_confirm", args=[offered.pk]))
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == PlacementStatus.CONFIRMED
    assert offered.job_order.__class__.objects.get(pk=offered.job_order_id).status == "filled"


def test_the_partner_declines_with_a_reason_and_the_person_goes_back(
    offered: Placement, partner_user: User
) -> None:
    client = _client(partner_user)
    url = reverse("demand:placement_decline", args=[offered.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 200
    assert "Say why you decline" in refused.content.decode()
    reason = "The host company needs a welder with a forklift licence."
    assert client.post(url, {"reason": reason}).status_code == 302
    offered.refresh_from_db()
    assert (offered.status, offered.cancel_reason) == (PlacementStatus.CANCELLED, reason)
    ani = Participant.objects.get(pk=offered.participant_id)
    assert (ani.status, ani.partner_id) == (JourneyStatus.SELECTED, None)
    assert ani.status_changes.latest("at").reason == reason
    # No longer the partner's to see.
    gone = client.get(reverse("participants:detail", args=[ani.pk]))
    assert gone.status_code == 404


def test_another_partner_neither_sees_nor_decides(offered: Placement) -> None:
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role
    from jembatan.organisations.factories import OrganisationFactory

    other = UserFactory(role=Role.PARTNER, organisation=OrganisationFactory(partner=True))
    client = _client(other)
    assert "Ani Wijaya" not in client.get(reverse("demand:placements")).content.decode()
    assert client.post(reverse("demand:placement_confirm", args=[offered.pk])).status_code == 404
    offered.refresh_from_db()
    assert offered.status == PlacementStatus.PROPOSED


def test_the_list_shows_what_waits_first_and_pages_every_status(
    im_japan: Organisation, partner_user: User
) -> None:
    from jembatan.core.models import AccessLog

    job_order = JobOrderFactory(partner=im_japan, approved=True, slots=80, title="Welding")
    people = ParticipantFactory.create_batch(55, status=JourneyStatus.MATCHED)
    made = Placement.objects.bulk_create(
        Placement(job_order=job_order, participant=p, status=PlacementStatus.PROPOSED)
        for p in people
    )
    Placement.objects.filter(pk=made[0].pk).update(status=PlacementStatus.CONFIRMED)
    waiting = sorted((p.pk for p in made[1:]), reverse=True)
    client = _client(partner_user)

    first = client.get(reverse("demand:placements"))  # waiting ones, newest first
    assert [p.pk for p in first.context["rows"]] == waiting[:50]
    cursor = first.context["page"].next_cursor
    assert f'href="?after={cursor}"' in first.content.decode()
    second = client.get(reverse("demand:placements"), {"after": cursor})
    assert [p.pk for p in second.context["rows"]] == waiting[50:]
    assert second.context["page"].next_cursor is None

    confirmed = client.get(reverse("demand:placements"), {"status": "confirmed"})
    assert [p.pk for p in confirmed.context["rows"]] == [made[0].pk]
    everyone = client.get(reverse("demand:placements"), {"status": "all"})
    assert len(everyone.context["rows"]) == 50
    assert f"?after={everyone.context['page'].next_cursor}&amp;status=all" in (
        everyone.content.decode()
    )
    bogus = client.get(reverse("demand:placements"), {"status": "x"})
    assert bogus.context["status"] == PlacementStatus.PROPOSED
    assert AccessLog.objects.filter(actor=partner_user, purpose="demand.placements").count() == 5


def test_another_partner_pages_through_none_of_them(im_japan: Organisation) -> None:
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role
    from jembatan.organisations.factories import OrganisationFactory

    job_order = JobOrderFactory(partner=im_japan, approved=True, slots=5)
    Placement.objects.create(
        job_order=job_order, participant=ParticipantFactory(), status=PlacementStatus.PROPOSED
    )
    other = UserFactory(role=Role.PARTNER, organisation=OrganisationFactory(partner=True))
    page = _client(other).get(reverse("demand:placements"), {"status": "all"})
    assert list(page.context["rows"]) == []
