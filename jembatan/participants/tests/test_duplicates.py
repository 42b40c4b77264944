"""Probable duplicates: flagged, reviewed by an officer, merged or dismissed, all recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.core.models import ChangeRecord
from jembatan.participants.models import (
    Consent,
    DuplicateFlag,
    Participant,
    ParticipantStatusChange,
)
from jembatan.participants.selectors import own_participant
from jembatan.participants.services.duplicates import duplicate_dismiss, duplicate_merge
from jembatan.participants.services.registry import participant_register
from jembatan.participants.tests.conftest import details, nik
from jembatan.participants.validation import normalise_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(sender_operator, lpk_a, privacy_notice) -> DuplicateFlag:
    """Andi registered twice under two NIKs; the second registration raised a flag."""
    for serial, phone in ((1, ""), (2, "0812-3456-7890")):
        participant_register(
            details=details(nik=nik(serial), phone=phone),
            sending_organisation=lpk_a,
            acting_user=sender_operator,
            privacy_notice=privacy_notice,
        )
    return DuplicateFlag.objects.get()


def test_names_are_compared_without_case_accents_punctuation_or_extra_spaces() -> None:
    assert normalise_name("  Siti   RAHAYU. ") == normalise_name("siti rahayu") == "siti rahayu"
    assert normalise_name("Zoë") == "zoe"
    assert normalise_name("Siti Rahayu") != normalise_name("Siti Rahayuni")


def test_a_national_officer_merges_keeping_history_and_archiving_the_other(
    pair, national_officer
) -> None:
    older, newer = pair.candidate, pair.participant
    survivor = duplicate_merge(
        flag=pair, survivor=older, acting_user=national_officer, note="Same KTP."
    )
    archived = Participant.objects.get(pk=newer.pk)
    assert (archived.archived_at is not None, archived.merged_into) == (True, survivor)
    assert survivor.phone == "+6281234567890"  # filled from the merged record
    steps = ParticipantStatusChange.objects.filter(participant=survivor)
    assert sorted((s.moved_from_id or 0) for s in steps) == [0, newer.pk]
    assert Consent.objects.filter(participant=survivor).count() == 2
    flag = DuplicateFlag.objects.get(pk=pair.pk)
    assert (flag.status, flag.decided_by, flag.note) == ("merged", national_officer, "Same KTP.")
    assert flag.decided_at is not None
    operations = ChangeRecord.objects.filter(operation="participants.duplicate_merge")
    assert sorted(operations.values_list("action", flat=True)) == ["archive", "update", "update"]


def test_a_merged_record_is_hidden_from_the_list_but_still_reachable(
    pair, national_officer, client_for
) -> None:
    duplicate_merge(flag=pair, survivor=pair.candidate, acting_user=national_officer, note="Same.")
    client = client_for(national_officer)
    listed = [p["pk"] for p in client.get("/peserta/").context["page"].items]
    assert listed == [pair.candidate_id]
    response = client.get(f"/peserta/{pair.participant_id}/")
    assert b"This record is archived: it was merged into record" in response.content


def test_dismissing_records_the_decision_and_the_pair_is_not_flagged_again(
    pair, provincial_officer, sender_operator, lpk_a, privacy_notice
) -> None:
    duplicate_dismiss(
        flag=pair, acting_user=provincial_officer, note="Twins, different KTP photos."
    )
    flag = DuplicateFlag.objects.get()
    assert (flag.status, flag.decided_by) == ("dismissed", provincial_officer)
    assert Participant.objects.filter(archived_at__isnull=True).count() == 2


def test_a_decision_needs_a_note(pair, national_officer) -> None:
    with pytest.raises(ValidationError):
        duplicate_dismiss(flag=pair, acting_user=national_officer, note=" ")
    assert DuplicateFlag.objects.get().status == "open"


def test_a_flag_is_decided_once(pair, national_officer) -> None:
    duplicate_dismiss(flag=pair, acting_user=national_officer, note="Different.")
    with pytest.raises(ValidationError):
        duplicate_merge(
            flag=pair, survivor=pair.candidate, acting_user=national_officer, note="Same."
        )


def test_only_officers_of_either_province_may_decide(
    pair, other_provincial_officer, sender_operator
) -> None:
    for person in (other_provincial_officer, sender_operator):
        with pytest.raises(PermissionDenied):
            duplicate_dismiss(flag=pair, acting_user=person, note="x")
    assert DuplicateFlag.objects.get().status == "open"


def test_the_survivor_must_be_one_of_the_pair(pair, national_officer, participant_jatim) -> None:
    with pytest.raises(ValidationError):
        duplicate_merge(
            flag=pair, survivor=participant_jatim, acting_user=national_officer, note="x"
        )


def test_a_participant_account_follows_the_merge(pair, national_officer) -> None:
    from jembatan.accounts.services import participant_account_create

    user = participant_account_create(
        username="andi", password="Rahasia-yang-kuat-77", full_name="Andi"
    )
    Participant.objects.filter(pk=pair.participant_id).update(user=user)
    survivor = duplicate_merge(
        flag=pair, survivor=pair.candidate, acting_user=national_officer, note="Same."
    )
    assert Participant.objects.get(pk=survivor.pk).user == user
    assert own_participant(user) == survivor


def test_an_officer_reviews_and_merges_through_the_page(pair, national_officer, client_for) -> None:
    client = client_for(national_officer)
    page = client.get(f"/peserta/{pair.participant_id}/duplikat/")
    assert page.status_code == 200
    assert [f.pk for f, _form in page.context["rows"]] == [pair.pk]
    response = client.post(
        f"/peserta/{pair.participant_id}/duplikat/",
        {"flag": pair.pk, "decision": "keep_candidate", "note": "Same person."},
    )
    assert (response.status_code, response["Location"]) == (302, "/peserta/duplikat/")
    assert Participant.objects.get(pk=pair.participant_id).merged_into_id == pair.candidate_id


def test_the_duplicates_list_shows_open_flags_in_the_officers_scope(
    pair, provincial_officer, other_provincial_officer, client_for
) -> None:
    assert [
        f.pk for f in client_for(provincial_officer).get("/peserta/duplikat/").context["page"].items
    ] == [pair.pk]
    assert (
        client_for(other_provincial_officer).get("/peserta/duplikat/").context["page"].items == []
    )
