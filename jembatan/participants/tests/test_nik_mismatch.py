"""A NIK that disagrees with the birth date or sex: confirmed by an officer, never a dead end.

A NIK is never reissued when the civil registry corrects a birth date or sex, so a real
person can hold a NIK whose date part says 17 August while their birth certificate says
18 August. Every path keeps such a person: staff confirm with a reason, the public form
and imports register and hold the record for an officer.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from jembatan.core.models import ChangeRecord
from jembatan.participants.models import Participant
from jembatan.participants.rules import verification_blockers
from jembatan.participants.services.registry import (
    participant_nik_mismatch_confirm,
    participant_register,
)
from jembatan.participants.tests.conftest import details, form_data, nik

pytestmark = pytest.mark.django_db
CORRECTED = dt.date(2000, 8, 18)  # the NIK says 17 August 2000
REASON = "KTP shows this NIK; the birth certificate was corrected to 18 August in 2015."


def _register(by, organisation, privacy_notice, **overrides):
    return participant_register(
        details=details(**overrides),
        sending_organisation=organisation,
        acting_user=by,
        privacy_notice=privacy_notice,
    ).participant


def test_an_officer_registers_a_nik_that_disagrees_with_the_birth_date_by_giving_a_reason(
    provincial_officer, lpk_a, privacy_notice
) -> None:
    person = _register(
        provincial_officer, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason=REASON
    )

    person.refresh_from_db()
    assert (person.birth_date, person.nik, person.nik_mismatch) == (CORRECTED, nik(), "birth_date")
    assert (person.nik_mismatch_reason, person.nik_mismatch_confirmed_by) == (
        REASON,
        provincial_officer,
    )
    assert person.nik_mismatch_confirmed_at is not None
    record = ChangeRecord.objects.get(operation="participants.participant_register")
    assert record.changes["nik_mismatch"]["after"] == "birth_date"
    assert record.changes["nik_mismatch_reason"]["after"] == REASON


def test_a_sending_organisations_reason_registers_the_person_and_leaves_it_for_an_officer(
    sender_operator, lpk_a, privacy_notice, provincial_officer
) -> None:
    person = _register(sender_operator, lpk_a, privacy_notice, sex="F", nik_mismatch_reason="KTP")

    person.refresh_from_db()
    assert (person.nik_mismatch, person.nik_mismatch_confirmed_at) == ("sex", None)
    blockers = verification_blockers(person)
    assert any("no officer has confirmed it yet" in b for b in blockers)


def test_an_officer_confirms_a_waiting_nik_with_a_reason_and_the_change_is_recorded(
    sender_operator, lpk_a, privacy_notice, provincial_officer
) -> None:
    person = _register(
        sender_operator, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason="KTP"
    )

    participant_nik_mismatch_confirm(
        participant=person, acting_user=provincial_officer, reason=REASON
    )

    person.refresh_from_db()
    assert (person.nik_mismatch_reason, person.nik_mismatch_confirmed_by) == (
        REASON,
        provincial_officer,
    )
    record = ChangeRecord.objects.get(operation="participants.participant_nik_mismatch_confirm")
    assert (record.reason, record.actor) == (REASON, provincial_officer)
    assert not any("no officer has confirmed" in b for b in verification_blockers(person))


def test_a_confirmation_without_a_reason_or_by_a_sending_organisation_changes_nothing(
    sender_operator, lpk_a, privacy_notice, provincial_officer
) -> None:
    person = _register(
        sender_operator, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason="KTP"
    )
    with pytest.raises(ValidationError) as refused:
        participant_nik_mismatch_confirm(
            participant=person, acting_user=provincial_officer, reason="  "
        )
    assert list(refused.value.message_dict) == ["reason"]
    with pytest.raises(PermissionDenied):
        participant_nik_mismatch_confirm(
            participant=person, acting_user=sender_operator, reason=REASON
        )
    person.refresh_from_db()
    assert (person.nik_mismatch_confirmed_at, person.version) == (None, 1)
    assert not ChangeRecord.objects.filter(
        operation="participants.participant_nik_mismatch_confirm"
    ).exists()


def test_a_record_whose_nik_agrees_has_nothing_to_confirm(
    participant_jateng, provincial_officer
) -> None:
    with pytest.raises(ValidationError) as refused:
        participant_nik_mismatch_confirm(
            participant=participant_jateng, acting_user=provincial_officer, reason=REASON
        )
    assert refused.value.code == "nik_mismatch_not_pending"


def test_the_staff_form_asks_for_the_reason_then_registers_the_person(
    client_for, provincial_officer, privacy_notice
) -> None:
    client = client_for(provincial_officer)
    post = form_data(
        birth_date=CORRECTED.isoformat(),
        privacy_notice=privacy_notice.pk,
        submission=str(uuid.uuid4()),
        privacy_agreed="on",
    )
    first = client.post("/peserta/daftar/", post)
    assert "Why the NIK may disagree" in first.context["form"].errors["birth_date"][0]
    assert Participant.objects.count() == 0

    client.post("/peserta/daftar/", post | {"nik_mismatch_reason": REASON})

    person = Participant.objects.get()
    assert (person.birth_date, person.nik_mismatch_confirmed_by) == (CORRECTED, provincial_officer)


def test_self_registration_registers_the_person_without_a_word_and_flags_the_record(
    privacy_notice,
) -> None:
    post = form_data(
        birth_date=CORRECTED.isoformat(),
        privacy_notice=privacy_notice.pk,
        submission=str(uuid.uuid4()),
        privacy_agreed="on",
        username="andi.w",
        password1="Rahasia-yang-kuat-77",
        password2="Rahasia-yang-kuat-77",
        sending_organisation="",
        website="",
    )
    response = Client().post("/peserta/daftar-mandiri/", post, follow=True)

    assert "does not match" not in response.content.decode()
    person = Participant.objects.get()
    assert (person.birth_date, person.nik_mismatch, person.nik_mismatch_confirmed_at) == (
        CORRECTED,
        "birth_date",
        None,
    )


def test_the_api_answers_409_asking_for_the_reason_and_registers_when_it_is_sent(
    client_for, provincial_officer
) -> None:
    client = client_for(provincial_officer)
    body = {
        "nik": nik(),
        "full_name": "Andi Wijaya",
        "sex": "M",
        "birth_place": "Semarang",
        "birth_date": CORRECTED.isoformat(),
        "regency_code": "33.74",
        "privacy_agreed": True,
    }
    refused = client.post("/api/v1/participants", body, content_type="application/json")
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["confirm_with"]) == (
        "nik_mismatch_unconfirmed",
        "nik_mismatch_reason",
    )
    assert Participant.objects.count() == 0

    body["nik_mismatch_reason"] = REASON
    done = client.post("/api/v1/participants", body, content_type="application/json")

    assert done.status_code == 201
    person = Participant.objects.get()
    assert (person.nik_mismatch_reason, person.nik_mismatch_confirmed_by) == (
        REASON,
        provincial_officer,
    )


def test_the_api_lets_an_officer_confirm_a_waiting_nik(
    client_for, sender_operator, lpk_a, privacy_notice, provincial_officer
) -> None:
    person = _register(
        sender_operator, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason="KTP"
    )
    url = f"/api/v1/participants/{person.pk}/nik-confirmation"

    response = client_for(provincial_officer).post(
        url, {"reason": REASON}, content_type="application/json"
    )
    again = client_for(provincial_officer).post(
        url, {"reason": REASON}, content_type="application/json"
    )

    assert response.status_code == 200
    assert again.status_code == 409
    person.refresh_from_db()
    assert person.nik_mismatch_confirmed_by == provincial_officer


def test_the_officers_list_shows_only_waiting_records_in_their_province(
    client_for, sender_operator, lpk_a, privacy_notice, provincial_officer, other_provincial_officer
) -> None:
    waiting = _register(
        sender_operator, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason="KTP"
    )
    _register(sender_operator, lpk_a, privacy_notice, nik=nik(2), full_name="Budi Santoso")

    mine = client_for(provincial_officer).get("/peserta/nik-perlu-konfirmasi/")
    theirs = client_for(other_provincial_officer).get("/peserta/nik-perlu-konfirmasi/")

    assert [p.pk for p in mine.context["page"].items] == [waiting.pk]
    assert list(theirs.context["page"].items) == []
    assert client_for(sender_operator).get("/peserta/nik-perlu-konfirmasi/").status_code == 403


def test_the_confirmation_page_confirms_and_returns_to_the_record(
    client_for, sender_operator, lpk_a, privacy_notice, provincial_officer
) -> None:
    person = _register(
        sender_operator, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason="KTP"
    )
    url = f"/peserta/{person.pk}/konfirmasi-nik/"
    page = client_for(provincial_officer).get(url)
    assert "does not match the declared birth date" in page.content.decode()

    response = client_for(provincial_officer).post(url, {"reason": REASON})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.nik_mismatch_confirmed_by == provincial_officer


def test_an_edit_that_changes_nothing_about_the_nik_keeps_the_officers_confirmation(
    provincial_officer, sender_operator, lpk_a, privacy_notice
) -> None:
    from jembatan.participants.fields import ParticipantDetails
    from jembatan.participants.services.registry import participant_update

    person = _register(
        provincial_officer, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason=REASON
    )
    person.refresh_from_db()
    confirmed_at = person.nik_mismatch_confirmed_at
    edited = ParticipantDetails.of(person)
    edited = edited.__class__(**{**edited.__dict__, "phone": "0813-9999-0000"})

    participant_update(
        participant=person, details=edited, acting_user=sender_operator, expected_version=1
    )

    person.refresh_from_db()
    assert (person.phone, person.nik_mismatch_confirmed_at) == ("+6281399990000", confirmed_at)


def test_a_new_birth_date_that_still_disagrees_asks_an_officer_again(
    provincial_officer, sender_operator, lpk_a, privacy_notice
) -> None:
    from dataclasses import replace

    from jembatan.participants.fields import ParticipantDetails
    from jembatan.participants.services.registry import participant_update

    person = _register(
        provincial_officer, lpk_a, privacy_notice, birth_date=CORRECTED, nik_mismatch_reason=REASON
    )
    person.refresh_from_db()
    edited = replace(ParticipantDetails.of(person), birth_date=dt.date(2000, 8, 19))

    participant_update(
        participant=person, details=edited, acting_user=provincial_officer, expected_version=1
    )
    person.refresh_from_db()
    assert person.nik_mismatch_confirmed_by == provincial_officer  # an officer's edit confirms

    again = replace(ParticipantDetails.of(person), birth_date=dt.date(2000, 8, 20))
    participant_update(
        participant=person, details=again, acting_user=sender_operator, expected_version=2
    )
    person.refresh_from_db()
    assert (person.birth_date, person.nik_mismatch_confirmed_at) == (dt.date(2000, 8, 20), None)
