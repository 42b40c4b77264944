"""Registry pages: scoped detail with logged reads, search, filters, keyset paging, htmx."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from jembatan.accounts.factories import UserFactory
from jembatan.core.models import AccessLog
from jembatan.core.roles import Role
from jembatan.participants.disclosure import mask_nik
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.journey import NEXT_STEP
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = pytest.mark.django_db

LIST = "/peserta/"


def _detail(participant: Participant) -> str:
    return f"/peserta/{participant.pk}/"


def _names(response) -> list[str]:
    return [p["full_name"] for p in response.context["page"].items]


def _reads_of(participant: Participant):
    return AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant), object_id=str(participant.pk)
    )


# --- one participant -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "sample"),
    [
        ("other_sender_operator", "participant_jateng"),
        ("other_provincial_officer", "participant_jateng"),
        ("sender_operator", "participant_jatim"),
        ("training_operator", "participant_jatim"),
        ("partner_user", "participant_jatim"),
    ],
)
def test_an_out_of_scope_participant_is_404_and_nothing_is_logged(
    request: pytest.FixtureRequest, client_for, person: str, sample: str
) -> None:
    target = request.getfixturevalue(sample)
    viewer = request.getfixturevalue(person)

    response = client_for(viewer).get(_detail(target))

    assert response.status_code == 404
    assert target.nik.encode() not in response.content
    assert target.full_name.encode() not in response.content
    assert not _reads_of(target).exists()


def test_an_unknown_id_is_404(client_for, national_admin) -> None:
    assert client_for(national_admin).get("/peserta/999999/").status_code == 404


def test_an_in_scope_detail_is_shown_and_logged(
    client_for, provincial_officer, participant_jateng: Participant
) -> None:
    response = client_for(provincial_officer).get(_detail(participant_jateng))

    assert response.status_code == 200
    assert participant_jateng.nik in response.text
    assert "Siti Rahayu" in response.text
    log = _reads_of(participant_jateng).get()
    assert (log.actor, log.purpose, log.method, log.path) == (
        provincial_officer,
        "participants.detail",
        "GET",
        _detail(participant_jateng),
    )


def test_my_record_shows_the_participant_their_next_step(
    client_for, participant_user, participant_jateng: Participant
) -> None:
    response = client_for(participant_user).get("/peserta/saya/")
    assert response.status_code == 200
    assert response.context["participant"] == participant_jateng
    assert response.context["next_step"] == NEXT_STEP[JourneyStatus.REGISTERED]


def test_my_record_without_a_linked_record_is_404(client_for) -> None:
    lone = UserFactory(username="lone", role=Role.PARTICIPANT)
    assert client_for(lone).get("/peserta/saya/").status_code == 404


# --- the list --------------------------------------------------------------------------


def test_the_list_shows_only_the_scope_and_is_logged(
    client_for, sender_operator, participant_jateng, participant_jatim
) -> None:
    response = client_for(sender_operator).get(LIST)
    assert _names(response) == ["Siti Rahayu"]
    assert participant_jatim.nik not in response.text
    assert AccessLog.objects.filter(actor=sender_operator, purpose="participants.list").count() == 1


def test_a_row_links_to_the_record_and_shows_its_stage_in_words(
    client_for, national_officer, participant_jateng
) -> None:
    response = client_for(national_officer).get(LIST)
    row = response.context["page"].items[0]
    assert row["url"] == f"/peserta/{participant_jateng.pk}/"
    assert f'<a href="/peserta/{participant_jateng.pk}/">Siti Rahayu</a>' in response.text
    assert '<span class="status tone-neutral">Registered</span>' in response.text
    assert f"<td>{participant_jateng.nik}</td>" in response.text
    assert f"<td>{participant_jateng.regency.name}</td>" in response.text
    assert f"<td>{participant_jateng.sending_organisation.name}</td>" in response.text


def test_a_row_without_a_sending_organisation_shows_a_dash(client_for, national_officer) -> None:
    ParticipantFactory(sending_organisation=None, status=JourneyStatus.WITHDRAWN)
    response = client_for(national_officer).get(LIST)
    assert "<td>—</td>" in response.text
    assert '<span class="status tone-danger">' in response.text


def test_a_partners_list_never_shows_a_whole_nik(
    client_for, partner_user, participant_jateng, participant_jatim
) -> None:
    response = client_for(partner_user).get(LIST)
    assert [p["pk"] for p in response.context["page"].items] == [participant_jateng.pk]
    assert participant_jateng.nik not in response.text
    assert f"<td>{mask_nik(participant_jateng.nik)}</td>" in response.text


def test_search_by_exact_nik_finds_that_participant(
    client_for, national_officer, participant_jateng, participant_jatim
) -> None:
    response = client_for(national_officer).get(LIST, {"q": participant_jatim.nik})
    assert _names(response) == ["Budi Santoso"]


def test_search_by_part_of_a_nik_finds_nothing(
    client_for, national_officer, participant_jateng
) -> None:
    response = client_for(national_officer).get(LIST, {"q": participant_jateng.nik[:10]})
    assert _names(response) == []


def test_search_by_name_prefix_ignores_case(
    client_for, national_officer, participant_jateng, participant_jatim
) -> None:
    assert _names(client_for(national_officer).get(LIST, {"q": "siti"})) == ["Siti Rahayu"]
    assert _names(client_for(national_officer).get(LIST, {"q": "Rahayu"})) == []


def test_search_never_reaches_outside_the_scope(
    client_for, sender_operator, participant_jatim
) -> None:
    response = client_for(sender_operator).get(LIST, {"q": participant_jatim.nik})
    assert _names(response) == []


def test_status_filter_keeps_only_that_stage(
    client_for, national_officer, participant_jateng, participant_jatim
) -> None:
    Participant.objects.filter(pk=participant_jatim.pk).update(status=JourneyStatus.IN_TRAINING)
    response = client_for(national_officer).get(LIST, {"status": "in_training"})
    assert _names(response) == ["Budi Santoso"]


def test_an_unknown_status_filter_is_ignored(
    client_for, national_officer, participant_jateng, participant_jatim
) -> None:
    response = client_for(national_officer).get(LIST, {"status": "bogus"})
    assert sorted(_names(response)) == ["Budi Santoso", "Siti Rahayu"]


def test_keyset_paging_splits_60_participants_into_two_pages(client_for, national_admin) -> None:
    created = ParticipantFactory.create_batch(60)
    ids_newest_first = sorted((p.pk for p in created), reverse=True)
    client = client_for(national_admin)

    first = client.get(LIST).context["page"]
    assert [p["pk"] for p in first.items] == ids_newest_first[:50]
    assert first.next_cursor == ids_newest_first[49]

    second_response = client.get(LIST, {"after": first.next_cursor})
    second = second_response.context["page"]
    assert [p["pk"] for p in second.items] == ids_newest_first[50:]
    assert second.next_cursor is None
    assert not {p["pk"] for p in first.items} & {p["pk"] for p in second.items}
    assert 'href="?after=' not in second_response.text


def test_the_first_page_links_to_the_next_with_its_cursor(client_for, national_admin) -> None:
    ParticipantFactory.create_batch(51)
    response = client_for(national_admin).get(LIST, {"status": "registered"})
    cursor = response.context["page"].next_cursor
    assert f"?after={cursor}&amp;status=registered" in response.text


def test_a_garbage_cursor_means_the_first_page(client_for, national_admin) -> None:
    ParticipantFactory.create_batch(3)
    response = client_for(national_admin).get(LIST, {"after": "'; DROP TABLE x"})
    assert len(response.context["page"].items) == 3


def test_an_htmx_request_gets_only_the_table(
    client_for, national_officer, participant_jateng
) -> None:
    response = client_for(national_officer).get(LIST, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<table>" in response.text
    assert "Siti Rahayu" in response.text


def test_a_normal_request_gets_the_whole_page(
    client_for, national_officer, participant_jateng
) -> None:
    response = client_for(national_officer).get(LIST)
    assert "<html" in response.text
    assert 'id="participant-table"' in response.text
