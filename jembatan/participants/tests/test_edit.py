"""Editing a record: optimistic concurrency, so a concurrent edit is refused and nothing is lost."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from jembatan.core.models import ChangeRecord
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.fields import ParticipantDetails
from jembatan.participants.models import Participant
from jembatan.participants.services.registry import (
    EditConflict,
    participant_update,
    participant_verify_identity,
)
from jembatan.participants.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def _edit_data(participant: Participant, **overrides) -> dict:
    data = form_data(
        nik=participant.nik,
        full_name=participant.full_name,
        sex=participant.sex,
        birth_date=participant.birth_date.isoformat(),
        birth_place=participant.birth_place,
        regency=participant.regency_id,
        version=participant.version,
    )
    data.update(overrides)
    return data


def test_the_edit_page_shows_the_version(client_for, sender_operator, participant_jateng) -> None:
    response = client_for(sender_operator).get(f"/peserta/{participant_jateng.pk}/ubah/")
    assert response.status_code == 200
    assert b"You are editing version 1 of this record." in response.content


def test_an_edit_is_saved_with_an_e164_phone_a_new_version_and_an_audit_record(
    client_for, sender_operator, participant_jateng
) -> None:
    response = client_for(sender_operator).post(
        f"/peserta/{participant_jateng.pk}/ubah/",
        _edit_data(participant_jateng, phone="0811 222 3333"),
    )
    assert response.status_code == 302
    saved = Participant.objects.get(pk=participant_jateng.pk)
    assert (saved.phone, saved.version, saved.district) == ("+628112223333", 2, "Semarang Tengah")
    record = ChangeRecord.objects.get(operation="participants.participant_update")
    assert record.changes["phone"] == {"before": "", "after": "+628112223333"}
    assert record.changes["version"] == {"before": 1, "after": 2}


def test_a_concurrent_edit_is_refused_saying_what_changed_and_keeping_the_input(
    client_for, sender_operator, provincial_officer, participant_jateng
) -> None:
    # Given Putri saved the record after Sari opened it at version 1
    participant_update(
        participant=participant_jateng,
        details=replace(ParticipantDetails.of(participant_jateng), address="Jl. Baru 9"),
        acting_user=provincial_officer,
        expected_version=1,
    )
    # When Sari saves her edit made on version 1
    response = client_for(sender_operator).post(
        f"/peserta/{participant_jateng.pk}/ubah/",
        _edit_data(participant_jateng, phone="0811 222 3333", address="Jl. Lama 1", version=1),
    )
    # Then it is refused, the change is named, and her input is shown again on version 2
    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert [(c.actor, c.fields) for c in conflict.changes] == [("putri", ["address"])]
    form = response.context["form"]
    assert form["phone"].value() == "0811 222 3333"
    assert form["version"].value() == "2"
    assert "Someone else saved this record after you opened it" in form.non_field_errors()[0]
    saved = Participant.objects.get(pk=participant_jateng.pk)
    assert (saved.address, saved.phone, saved.version) == ("Jl. Baru 9", "", 2)


def test_saving_again_after_the_conflict_keeps_the_users_version(
    client_for, sender_operator, provincial_officer, participant_jateng
) -> None:
    details = ParticipantDetails.of(participant_jateng)
    participant_update(
        participant=participant_jateng,
        details=details,
        acting_user=provincial_officer,
        expected_version=1,
    )
    Participant.objects.filter(pk=participant_jateng.pk).update(version=2)
    response = client_for(sender_operator).post(
        f"/peserta/{participant_jateng.pk}/ubah/",
        _edit_data(participant_jateng, version=2, address="Jl. Lama 1"),
    )
    assert response.status_code == 302
    assert Participant.objects.get(pk=participant_jateng.pk).address == "Jl. Lama 1"


def test_the_service_refuses_an_edit_on_an_old_version_and_writes_nothing(
    sender_operator, participant_jateng
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(version=5)
    with pytest.raises(EditConflict) as conflict:
        participant_update(
            participant=participant_jateng,
            details=ParticipantDetails.of(participant_jateng),
            acting_user=sender_operator,
            expected_version=4,
        )
    assert conflict.value.current.version == 5
    assert not ChangeRecord.objects.filter(operation="participants.participant_update").exists()


def test_an_edit_that_changes_nothing_writes_nothing(sender_operator, participant_jateng) -> None:
    outcome = participant_update(
        participant=participant_jateng,
        details=ParticipantDetails.of(participant_jateng),
        acting_user=sender_operator,
        expected_version=1,
    )
    assert outcome.participant.version == 1
    assert not ChangeRecord.objects.filter(operation="participants.participant_update").exists()


def test_after_verification_only_an_officer_may_change_the_identity(
    sender_operator, provincial_officer, participant_jateng
) -> None:
    participant_verify_identity(
        participant=participant_jateng, acting_user=provincial_officer, note=""
    )
    renamed = replace(ParticipantDetails.of(participant_jateng), full_name="Siti R.")
    with pytest.raises(ValidationError) as refused:
        participant_update(
            participant=participant_jateng,
            details=renamed,
            acting_user=sender_operator,
            expected_version=2,
        )
    assert refused.value.messages == [
        "The identity was verified by an officer: only an officer may change it."
    ]
    participant_update(
        participant=participant_jateng,
        details=renamed,
        acting_user=provincial_officer,
        expected_version=2,
    )
    assert Participant.objects.get(pk=participant_jateng.pk).full_name == "Siti R."


def test_changing_the_nik_to_one_already_registered_is_refused(
    participant_jateng, client_for, national_officer
) -> None:
    twin = ParticipantFactory(sex="F", birth_date=participant_jateng.birth_date)
    response = client_for(national_officer).post(
        f"/peserta/{participant_jateng.pk}/ubah/", _edit_data(participant_jateng, nik=twin.nik)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nik"] == ["This NIK is already registered."]
    assert Participant.objects.get(pk=participant_jateng.pk).nik != twin.nik
