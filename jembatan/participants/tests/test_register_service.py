"""participant_register: the one way into the registry, whatever the page or API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Region
from jembatan.organisations.rules import LicenceRequired
from jembatan.participants.models import (
    Consent,
    DuplicateFlag,
    JourneyStatus,
    Participant,
    ParticipantStatusChange,
)
from jembatan.participants.services import registry
from jembatan.participants.services.registry import participant_register
from jembatan.participants.tests.conftest import details, nik

pytestmark = pytest.mark.django_db


def _register(by, organisation, privacy_notice, **overrides):
    return participant_register(
        details=details(**overrides),
        sending_organisation=organisation,
        acting_user=by,
        privacy_notice=privacy_notice,
    )


def test_a_sender_operator_registers_a_candidate_with_first_step_consent_and_audit(
    sender_operator, lpk_a, privacy_notice
) -> None:
    outcome = _register(sender_operator, lpk_a, privacy_notice)

    p = outcome.participant
    assert (p.nik, p.status, p.province_id, p.phone) == (
        nik(),
        "registered",
        "33",
        "+6281234567890",
    )
    assert (p.sending_organisation, p.registered_by, p.version) == (lpk_a, sender_operator, 1)
    step = ParticipantStatusChange.objects.get(participant=p)
    assert (step.from_status, step.to_status, step.by, step.reason) == (
        "",
        "registered",
        sender_operator,
        "",
    )
    consent = Consent.objects.get(participant=p)
    assert (consent.purpose, consent.text, consent.withdrawn_at) == (
        "privacy_notice",
        privacy_notice,
        None,
    )
    record = ChangeRecord.objects.get(operation="participants.participant_register")
    assert (record.actor, record.object_id, record.changes["nik"]["after"]) == (
        sender_operator,
        str(p.pk),
        nik(),
    )
    assert outcome.warnings == []
    assert outcome.duplicate_suspected is False


def test_a_birth_day_that_disagrees_with_the_nik_is_refused_until_a_reason_is_given(
    sender_operator, lpk_a, privacy_notice
) -> None:
    with pytest.raises(ValidationError) as refused:
        _register(sender_operator, lpk_a, privacy_notice, birth_date=dt.date(2000, 8, 18))
    [error] = refused.value.error_dict["birth_date"]
    assert error.code == "nik_mismatch_unconfirmed"
    assert error.messages[0].startswith(
        "The birth day in the NIK (17) does not match the declared birth date (18). A NIK is "
        "not reissued when a birth date or sex is corrected in the civil registry."
    )
    assert Participant.objects.count() == 0


def test_a_declared_sex_that_disagrees_with_the_nik_is_refused_explaining_the_rule(
    sender_operator, lpk_a, privacy_notice
) -> None:
    with pytest.raises(ValidationError) as refused:
        _register(sender_operator, lpk_a, privacy_notice, sex="F")
    [message] = refused.value.message_dict["sex"]
    assert message.startswith(
        "The NIK's day part (17) is below 41, which marks a man, but the declared sex is "
        "female (women have 40 added to the day)."
    )
    assert Participant.objects.count() == 0


def test_an_excel_mangled_nik_is_refused_with_the_explanation(
    sender_operator, lpk_a, privacy_notice
) -> None:
    with pytest.raises(ValidationError) as refused:
        _register(sender_operator, lpk_a, privacy_notice, nik="3.37401E+15")
    [message] = refused.value.message_dict["nik"]
    assert message.startswith("Excel converted this NIK to a number (3.37401E+15)")


def test_an_unknown_region_in_the_nik_is_a_warning_and_the_candidate_is_registered(
    sender_operator, lpk_a, privacy_notice
) -> None:
    outcome = _register(sender_operator, lpk_a, privacy_notice, nik=nik(regency="33.98"))
    assert Participant.objects.filter(pk=outcome.participant.pk).exists()
    assert outcome.warnings == [
        "Region code 33.98 in the NIK is not in the region list. This can be right for an "
        "old card; please check the NIK."
    ]


def test_the_same_nik_twice_is_refused_with_a_friendly_error(
    sender_operator, lpk_a, privacy_notice
) -> None:
    _register(sender_operator, lpk_a, privacy_notice)
    with pytest.raises(ValidationError) as refused:
        _register(sender_operator, lpk_a, privacy_notice, full_name="Someone Else")
    assert refused.value.message_dict == {"nik": ["This NIK is already registered."]}
    assert Participant.objects.count() == 1


def test_a_nik_taken_between_the_check_and_the_insert_gets_the_same_friendly_error(
    sender_operator, lpk_a, privacy_notice, monkeypatch
) -> None:
    _register(sender_operator, lpk_a, privacy_notice)
    # The early check misses it, as when another request inserts in between.
    monkeypatch.setattr(registry, "_nik_taken_before_insert", lambda nik: False)
    with pytest.raises(ValidationError) as refused:
        _register(sender_operator, lpk_a, privacy_notice)
    assert refused.value.message_dict == {"nik": ["This NIK is already registered."]}
    assert Participant.objects.count() == 1


def test_an_expired_licence_blocks_registration_and_creates_nothing(
    expired_sender, expired_lpk, privacy_notice
) -> None:
    with pytest.raises(LicenceRequired) as refused:
        _register(expired_sender, expired_lpk, privacy_notice)
    [message] = refused.value.messages
    assert message.startswith("The licence of LPK C Kadaluwarsa (KEP.103/LN/2021) expired on ")
    assert message.endswith(
        "Apply to Kemnaker for a new licence before registering, submitting or sending "
        "participants."
    )
    assert (Participant.objects.count(), Consent.objects.count()) == (0, 0)


def test_a_sender_operator_cannot_register_for_another_organisation(
    sender_operator, lpk_b, privacy_notice
) -> None:
    with pytest.raises(PermissionDenied):
        _register(sender_operator, lpk_b, privacy_notice)
    assert Participant.objects.count() == 0


def test_an_officer_registers_on_behalf_of_a_licensed_organisation(
    national_officer, lpk_b, privacy_notice
) -> None:
    outcome = _register(national_officer, lpk_b, privacy_notice)
    assert outcome.participant.sending_organisation == lpk_b


def test_an_officer_naming_an_expired_organisation_is_refused(
    national_officer, expired_lpk, privacy_notice
) -> None:
    with pytest.raises(LicenceRequired):
        _register(national_officer, expired_lpk, privacy_notice)


def test_an_officer_may_register_without_an_organisation_for_the_g2g_route(
    provincial_officer, privacy_notice
) -> None:
    outcome = _register(provincial_officer, None, privacy_notice)
    assert outcome.participant.sending_organisation is None


def test_a_provincial_officer_registers_only_residents_of_the_province(
    other_provincial_officer, privacy_notice
) -> None:
    with pytest.raises(ValidationError) as refused:
        _register(other_provincial_officer, None, privacy_notice)
    assert refused.value.code == "outside_province"


def test_a_training_operator_may_not_register(training_operator, privacy_notice) -> None:
    with pytest.raises(PermissionDenied):
        _register(training_operator, None, privacy_notice)


def test_same_name_and_birth_date_under_another_nik_is_flagged_not_merged(
    sender_operator, lpk_a, privacy_notice
) -> None:
    first = _register(sender_operator, lpk_a, privacy_notice).participant
    second = _register(
        sender_operator, lpk_a, privacy_notice, nik=nik(2), full_name="  ANDI  wijaya. "
    )
    assert second.duplicate_suspected is True
    flag = DuplicateFlag.objects.get()
    assert (flag.participant, flag.candidate, flag.status) == (second.participant, first, "open")
    assert Participant.objects.filter(archived_at__isnull=True).count() == 2


def test_a_regency_must_be_a_regency_not_a_province(sender_operator, lpk_a, privacy_notice) -> None:
    with pytest.raises(ValidationError):
        _register(sender_operator, lpk_a, privacy_notice, regency=Region.objects.get(code="33"))


def test_self_registration_creates_a_participant_account_linked_to_the_record(
    privacy_notice,
) -> None:
    outcome = registry.participant_self_register(
        details=details(),
        username="andi.w",
        password="Rahasia-yang-kuat-77",
        sending_organisation=None,
        privacy_notice=privacy_notice,
        language="en",
    )
    user = User.objects.get(username="andi.w")
    assert (user.role, outcome.participant.user, outcome.participant.registered_by) == (
        "participant",
        user,
        user,
    )
    assert Consent.objects.get().language == "en"


def test_a_refused_self_registration_leaves_no_account_behind(
    sender_operator, lpk_a, privacy_notice
) -> None:
    _register(sender_operator, lpk_a, privacy_notice)
    with pytest.raises(ValidationError):
        registry.participant_self_register(
            details=details(),
            username="andi.w",
            password="Rahasia-yang-kuat-77",
            sending_organisation=None,
            privacy_notice=privacy_notice,
            language="id",
        )
    assert not User.objects.filter(username="andi.w").exists()


def test_registration_status_is_registered(sender_operator, lpk_a, privacy_notice) -> None:
    outcome = _register(sender_operator, lpk_a, privacy_notice)
    assert outcome.participant.status == JourneyStatus.REGISTERED
