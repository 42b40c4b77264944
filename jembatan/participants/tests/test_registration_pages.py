"""Registering through the pages: operators, officers, and people registering themselves."""

from __future__ import annotations

import uuid

import pytest

from jembatan.accounts.models import User
from jembatan.participants.models import Consent, Participant
from jembatan.participants.tests.conftest import form_data, nik

pytestmark = pytest.mark.django_db

REGISTER = "/peserta/daftar/"
SELF = "/peserta/daftar-mandiri/"


def _staff_post(privacy_notice, **overrides) -> dict:
    data = form_data(
        privacy_notice=privacy_notice.pk, submission=str(uuid.uuid4()), privacy_agreed="on"
    )
    data.update(overrides)
    return data


def _self_post(privacy_notice, **overrides) -> dict:
    data = form_data(
        privacy_notice=privacy_notice.pk,
        submission=str(uuid.uuid4()),
        privacy_agreed="on",
        username="andi.w",
        password1="Rahasia-yang-kuat-77",
        password2="Rahasia-yang-kuat-77",
        sending_organisation="",
        website="",
    )
    data.update(overrides)
    return data


# --- staff -----------------------------------------------------------------------------


def test_a_sender_operator_registers_a_candidate_and_lands_on_the_record(
    client_for, sender_operator, lpk_a, privacy_notice
) -> None:
    response = client_for(sender_operator).post(REGISTER, _staff_post(privacy_notice))
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/peserta/{participant.pk}/"
    assert (participant.sending_organisation, participant.phone) == (lpk_a, "+6281234567890")


def test_the_form_names_the_part_of_the_birth_date_that_disagrees(
    client_for, sender_operator, privacy_notice
) -> None:
    response = client_for(sender_operator).post(
        REGISTER, _staff_post(privacy_notice, birth_date="2000-09-17")
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["birth_date"]
    assert message.startswith(
        "The birth month in the NIK (08) does not match the declared birth date (09)."
    )
    assert "Why the NIK may disagree" in response.content.decode()
    assert Participant.objects.count() == 0


def test_the_form_explains_an_excel_mangled_nik(
    client_for, sender_operator, privacy_notice
) -> None:
    response = client_for(sender_operator).post(
        REGISTER, _staff_post(privacy_notice, nik="3.37401E+15")
    )
    [message] = response.context["form"].errors["nik"]
    assert "Format the NIK column as Text" in message


def test_an_unknown_region_is_shown_as_a_warning_after_saving(
    client_for, sender_operator, privacy_notice
) -> None:
    response = client_for(sender_operator).post(
        REGISTER, _staff_post(privacy_notice, nik=nik(regency="33.98")), follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown[1].startswith("Region code 33.98 in the NIK is not in the region list.")
    assert Participant.objects.count() == 1


def test_an_expired_licence_shows_the_refusal_and_creates_nothing(
    client_for, expired_sender, privacy_notice
) -> None:
    client = client_for(expired_sender)
    assert b'data-testid="licence-refusal"' in client.get(REGISTER).content
    response = client.post(REGISTER, _staff_post(privacy_notice))
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("The licence of LPK C Kadaluwarsa (KEP.103/LN/2021) expired on ")
    assert Participant.objects.count() == 0


def test_the_same_form_sent_twice_shows_the_record_created_by_the_first(
    client_for, sender_operator, privacy_notice
) -> None:
    client = client_for(sender_operator)
    data = _staff_post(privacy_notice)
    client.post(REGISTER, data)
    response = client.post(REGISTER, data, follow=True)
    participant = Participant.objects.get()
    assert response.redirect_chain == [(f"/peserta/{participant.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Andi Wijaya is registered.",  # from the first submission, not yet shown
        "This candidate was registered a moment ago; the form was sent twice.",
    ]


def test_another_form_with_a_registered_nik_gets_a_friendly_error(
    client_for, sender_operator, privacy_notice
) -> None:
    client = client_for(sender_operator)
    client.post(REGISTER, _staff_post(privacy_notice))
    response = client.post(REGISTER, _staff_post(privacy_notice))
    assert response.context["form"].errors["nik"] == [
        "A participant with this NIK is already registered. Search the list by NIK to find the "
        "record, or correct the NIK."
    ]
    assert Participant.objects.count() == 1


def test_an_officer_registers_on_behalf_of_a_chosen_organisation(
    client_for, national_officer, lpk_b, privacy_notice
) -> None:
    response = client_for(national_officer).post(
        REGISTER, _staff_post(privacy_notice, sending_organisation=lpk_b.pk)
    )
    assert response.status_code == 302
    assert Participant.objects.get().sending_organisation == lpk_b


def test_an_officer_choosing_an_expired_organisation_gets_the_licence_refusal(
    client_for, national_officer, expired_lpk, privacy_notice
) -> None:
    response = client_for(national_officer).post(
        REGISTER, _staff_post(privacy_notice, sending_organisation=expired_lpk.pk)
    )
    form = response.context["form"]
    [error] = form.errors["sending_organisation"]
    assert "LPK C Kadaluwarsa" in error
    assert form.has_error("sending_organisation", "licence_required")
    assert Participant.objects.count() == 0


def test_registration_without_the_privacy_agreement_is_refused(
    client_for, sender_operator, privacy_notice
) -> None:
    response = client_for(sender_operator).post(
        REGISTER, _staff_post(privacy_notice, privacy_agreed="")
    )
    assert response.context["form"].errors["privacy_agreed"] == [
        "Registration needs agreement to the privacy notice."
    ]


# --- self-registration ------------------------------------------------------------------


def test_the_public_form_shows_the_current_privacy_notice(client, privacy_notice) -> None:
    response = client.get(SELF, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert (
        privacy_notice.title_id.encode() in response.content
        or privacy_notice.title_en.encode() in response.content
    )


def test_a_person_registers_themselves_and_gets_an_account_and_consent(
    client, privacy_notice
) -> None:
    response = client.post(SELF, _self_post(privacy_notice), follow=True)
    assert response.redirect_chain == [("/peserta/daftar-mandiri/selesai/", 302)]
    assert b"andi.w" in response.content
    user = User.objects.get(username="andi.w")
    participant = Participant.objects.get()
    assert (user.role, participant.user, participant.sending_organisation) == (
        "participant",
        user,
        None,
    )
    consent = Consent.objects.get(participant=participant)
    assert (consent.text, consent.recorded_by) == (privacy_notice, user)


def test_a_self_registered_person_signs_in_and_sees_their_record(client, privacy_notice) -> None:
    client.post(SELF, _self_post(privacy_notice))
    assert client.login(username="andi.w", password="Rahasia-yang-kuat-77")
    response = client.get("/peserta/saya/")
    assert response.status_code == 200
    assert response.context["participant"].full_name == "Andi Wijaya"
    assert [s.to_status for s in response.context["history"]] == ["registered"]


def test_a_self_registration_with_a_taken_nik_reveals_nothing_about_the_owner(
    client, participant_jateng, privacy_notice
) -> None:
    data = _self_post(
        privacy_notice,
        nik=participant_jateng.nik,
        sex="F",
        birth_date=participant_jateng.birth_date.isoformat(),
    )
    response = client.post(SELF, data, follow=True)
    assert response.redirect_chain == [("/peserta/daftar-mandiri/selesai/", 302)]
    assert b"Rahayu" not in response.content
    assert not User.objects.filter(username="andi.w").exists()


def test_a_double_click_on_the_public_form_creates_one_account_and_shows_success(
    client, privacy_notice
) -> None:
    data = _self_post(privacy_notice)
    client.post(SELF, data)
    response = client.post(SELF, data)
    assert response.status_code == 302
    assert response["Location"] == "/peserta/daftar-mandiri/selesai/"
    assert (User.objects.filter(username="andi.w").count(), Participant.objects.count()) == (1, 1)


def test_a_filled_honeypot_is_refused_and_creates_nothing(client, privacy_notice) -> None:
    response = client.post(SELF, _self_post(privacy_notice, website="http://spam.example"))
    assert response.status_code == 400
    assert (User.objects.count(), Participant.objects.count()) == (0, 0)


def test_choosing_an_organisation_without_an_acting_licence_is_refused(
    client, expired_lpk, privacy_notice
) -> None:
    response = client.post(SELF, _self_post(privacy_notice, sending_organisation=expired_lpk.pk))
    [error] = response.context["form"].errors["sending_organisation"]
    assert error.startswith("The licence of LPK C Kadaluwarsa")
    assert Participant.objects.count() == 0


def test_the_public_form_lists_only_licensed_organisations(
    client, lpk_a, expired_lpk, privacy_notice
) -> None:
    choices = response_choices = client.get(SELF).context["form"]["sending_organisation"]
    names = [label for _value, label in choices.field.widget.choices]
    assert "LPK A Sakura Semarang" in names
    assert "LPK C Kadaluwarsa" not in names
    assert response_choices is choices


def test_a_taken_username_is_refused(client, sender_operator, privacy_notice) -> None:
    response = client.post(SELF, _self_post(privacy_notice, username="SARI"))
    assert response.context["form"].errors["username"] == [
        "This username is taken; choose another."
    ]


def test_a_weak_password_is_refused(client, privacy_notice) -> None:
    response = client.post(
        SELF, _self_post(privacy_notice, password1="12345678", password2="12345678")
    )
    assert "password1" in response.context["form"].errors
    assert Participant.objects.count() == 0


def test_a_signed_in_person_is_sent_home_from_the_public_form(client_for, sender_operator) -> None:
    response = client_for(sender_operator).get(SELF)
    assert (response.status_code, response["Location"]) == (302, "/")
