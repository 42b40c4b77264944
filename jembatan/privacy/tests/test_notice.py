"""Consent at first sign-in, and the officers' list of people without their own consent."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.participants.models import Consent, ConsentPurpose, ConsentText, Participant
from jembatan.participants.selectors import current_consent_text
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.models import NoticeAnswer, NoticeConfirmation, RequestKind
from jembatan.privacy.notice import awaiting_confirmation, without_own_confirmation
from jembatan.privacy.services.notice import notice_confirm, notice_refuse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def notice_first(settings: Any) -> None:
    settings.JEMBATAN_NOTICE_FIRST = True


def _notice() -> ConsentText:
    text = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    assert text is not None
    return text


def _imported_consent(participant: Participant, importer: User) -> Consent:
    """The consent an import records: on the importer's authority, by the importer."""
    return Consent.objects.create(
        participant=participant,
        purpose=ConsentPurpose.PRIVACY_NOTICE,
        text=_notice(),
        language="id",
        agreed_at=timezone.now(),
        recorded_by=importer,
        basis="Signed paper forms (import 12, peserta.xlsx)",
    )


def test_an_imported_person_meets_the_notice_before_their_own_pages(
    participant_jateng: Participant, participant_user: User, sender_operator: User, client: Any
) -> None:
    _imported_consent(participant_jateng, sender_operator)
    client.force_login(participant_user)

    own_page = client.get(reverse("participants:mine"))
    data_page = client.get(reverse("personal_data:mine"))
    notice = client.get(reverse("personal_data:notice"))

    assert own_page.status_code == 302 and own_page.url == reverse("personal_data:notice")
    assert data_page.url == reverse("personal_data:notice")
    assert 'data-testid="privacy-notice"' in notice.content.decode()
    assert client.get(reverse("personal_data:processing")).status_code == 200


def test_confirming_records_the_persons_own_consent_and_opens_their_pages(
    participant_jateng: Participant, participant_user: User, sender_operator: User, client: Any
) -> None:
    imported = _imported_consent(participant_jateng, sender_operator)
    client.force_login(participant_user)

    response = client.post(reverse("personal_data:notice"), {"answer": "confirm"})

    assert response.url == reverse("participants:mine")
    answer = NoticeConfirmation.objects.get(participant=participant_jateng)
    assert answer.answer == NoticeAnswer.CONFIRMED
    assert answer.consent is not None and answer.consent.recorded_by == participant_user
    assert Consent.objects.get(pk=imported.pk).withdrawn_at is None
    assert not awaiting_confirmation(participant_jateng)
    assert client.get(reverse("participants:mine")).status_code == 200
    assert ChangeRecord.objects.filter(operation="privacy.notice_answer").count() == 2


def test_refusing_withdraws_the_consent_recorded_for_the_person_through_a_request(
    participant_jateng: Participant, participant_user: User, sender_operator: User
) -> None:
    imported = _imported_consent(participant_jateng, sender_operator)

    answer = notice_refuse(
        participant=participant_jateng, acting_user=participant_user, language="en", details=""
    )

    assert answer.answer == NoticeAnswer.REFUSED
    assert answer.request is not None and answer.request.kind == RequestKind.WITHDRAW
    assert answer.request.consent_id == imported.pk
    assert Consent.objects.get(pk=imported.pk).withdrawn_at is not None
    assert not awaiting_confirmation(participant_jateng)


def test_refusing_without_any_consent_files_an_objection(
    participant_jateng: Participant, participant_user: User
) -> None:
    answer = notice_refuse(
        participant=participant_jateng,
        acting_user=participant_user,
        language="en",
        details="I never agreed to this.",
    )

    assert answer.request is not None and answer.request.kind == RequestKind.OBJECT
    assert answer.request.details == "I never agreed to this."


def test_a_second_answer_is_refused_and_changes_nothing(
    participant_jateng: Participant, participant_user: User
) -> None:
    notice_confirm(participant=participant_jateng, acting_user=participant_user, language="id")
    consents = Consent.objects.count()

    with pytest.raises(ValidationError) as refused:
        notice_refuse(
            participant=participant_jateng, acting_user=participant_user, language="id", details=""
        )

    assert refused.value.code == PrivacyErrorCode.ALREADY_ANSWERED
    assert Consent.objects.count() == consents
    assert NoticeConfirmation.objects.get().answer == NoticeAnswer.CONFIRMED


def test_a_person_who_agreed_when_registering_themself_is_not_asked_again(
    participant_jateng: Participant, participant_user: User, client: Any
) -> None:
    Consent.objects.create(
        participant=participant_jateng,
        purpose=ConsentPurpose.PRIVACY_NOTICE,
        text=_notice(),
        language="id",
        agreed_at=timezone.now(),
        recorded_by=participant_user,
    )
    client.force_login(participant_user)

    assert not awaiting_confirmation(participant_jateng)
    assert client.get(reverse("participants:mine")).status_code == 200


def test_the_list_shows_only_the_askers_scope(
    participant_jateng: Participant,
    participant_jatim: Participant,
    provincial_officer: User,
    sender_operator: User,
    national_officer: User,
) -> None:
    assert list(without_own_confirmation(provincial_officer)) == [participant_jateng]
    assert list(without_own_confirmation(sender_operator)) == [participant_jateng]
    assert set(without_own_confirmation(national_officer)) == {
        participant_jateng,
        participant_jatim,
    }


def test_a_person_who_confirmed_leaves_the_list(
    participant_jateng: Participant, participant_user: User, national_officer: User
) -> None:
    notice_confirm(participant=participant_jateng, acting_user=participant_user, language="id")

    assert participant_jateng not in without_own_confirmation(national_officer)


def test_the_list_page_and_its_csv_are_scoped_and_logged(
    participant_jateng: Participant,
    participant_jatim: Participant,
    provincial_officer: User,
    client: Any,
) -> None:
    client.force_login(provincial_officer)

    page = client.get(reverse("personal_data:unconfirmed")).content.decode()
    download = client.get(reverse("personal_data:unconfirmed_csv"))
    body = b"".join(download.streaming_content).decode()

    assert "Siti Rahayu" in page and "Budi Santoso" not in page
    assert participant_jateng.nik in body and participant_jatim.nik not in body
    purposes = set(AccessLog.objects.values_list("purpose", flat=True))
    assert {"privacy.unconfirmed_list", "privacy.unconfirmed_csv"} <= purposes


def test_a_partner_may_not_see_the_list(partner_user: User, client: Any) -> None:
    client.force_login(partner_user)

    assert client.get(reverse("personal_data:unconfirmed")).status_code == 403
