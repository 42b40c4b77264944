"""What a restriction of processing, a withdrawn transfer consent and a deletion stop.

Partners abroad stop seeing the person in the registry (list, page, API); no
new training or selection starts while the processing is restricted; an
anonymised record takes no further step. Lifting the restriction undoes it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.organisations.models import Organisation
from jembatan.participants.models import ConsentPurpose, JourneyStatus, Participant
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services.registry import consent_record, participant_transition
from jembatan.participants.services.transfers import data_transfer_record
from jembatan.participants.workflows import JourneyAction
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.models import ProcessingRestriction, RightsRequest
from jembatan.privacy.services.requests import request_complete
from jembatan.privacy.services.restrictions import restriction_lift
from jembatan.selection.factories import SelectionRoundFactory
from jembatan.selection.models import Candidacy
from jembatan.selection.services.rounds import candidacy_enrol

pytestmark = pytest.mark.django_db
Filer = Callable[..., RightsRequest]


def _partner_sees(partner_user: User, participant: Participant) -> tuple[int, bool, int]:
    """(page status, in the list, API status) for the partner."""
    client = Client()
    client.force_login(partner_user)
    page = client.get(reverse("participants:detail", args=[participant.pk])).status_code
    listed = participant.full_name in client.get(reverse("participants:list")).text
    api = client.get(f"/api/v1/participants/{participant.pk}").status_code
    return page, listed, api


@pytest.fixture
def restricted(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> ProcessingRestriction:
    """Siti asked to restrict the processing of her data, and an officer carried it out."""
    done = request_complete(
        rights_request=file_request(participant_jateng, "restrict"), acting_user=national_officer
    )
    return done.restrictions.get()


def test_partners_stop_seeing_a_restricted_person_until_the_restriction_is_lifted(
    participant_jateng: Participant,
    partner_user: User,
    national_officer: User,
    file_request: Filer,
) -> None:
    assert _partner_sees(partner_user, participant_jateng) == (200, True, 200)
    done = request_complete(
        rights_request=file_request(participant_jateng, "restrict"), acting_user=national_officer
    )

    assert _partner_sees(partner_user, participant_jateng) == (404, False, 404)

    restriction_lift(
        restriction=done.restrictions.get(),
        acting_user=national_officer,
        reason="She asked to go on with the placement.",
    )
    assert _partner_sees(partner_user, participant_jateng) == (200, True, 200)
    assert ChangeRecord.objects.filter(operation="privacy.restriction_lift").exists()


def test_staff_still_see_a_restricted_person(
    restricted: ProcessingRestriction, participant_jateng: Participant, sender_operator: User
) -> None:
    client = Client()
    client.force_login(sender_operator)
    assert (
        client.get(reverse("participants:detail", args=[participant_jateng.pk])).status_code == 200
    )


def test_a_restricted_person_cannot_be_enrolled_in_a_selection_round(
    restricted: ProcessingRestriction,
    participant_jateng: Participant,
    im_japan: Organisation,
    national_officer: User,
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.VERIFIED)
    selection_round = SelectionRoundFactory(partner=im_japan)

    with pytest.raises(ValidationError) as refused:
        candidacy_enrol(
            selection_round=selection_round,
            participants=[participant_jateng],
            acting_user=national_officer,
        )

    assert refused.value.code == PrivacyErrorCode.PROCESSING_RESTRICTED
    assert "asked to restrict the processing of their data" in refused.value.messages[0]
    assert not Candidacy.objects.exists()
    assert Participant.objects.get(pk=participant_jateng.pk).status == JourneyStatus.VERIFIED


def test_a_restricted_person_starts_no_training_but_may_still_leave(
    restricted: ProcessingRestriction, participant_jateng: Participant, national_officer: User
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.VERIFIED)
    person = Participant.objects.get(pk=participant_jateng.pk)
    with pytest.raises(ValidationError) as refused:
        participant_transition(
            participant=person,
            action=JourneyAction.START_TRAINING,
            acting_user=national_officer,
            reason="",
        )
    assert refused.value.code == PrivacyErrorCode.PROCESSING_RESTRICTED

    participant_transition(
        participant=person,
        action=JourneyAction.WITHDRAW,
        acting_user=national_officer,
        reason="She leaves the programme.",
    )
    assert Participant.objects.get(pk=person.pk).status == JourneyStatus.WITHDRAWN


def test_only_an_owner_lifts_a_restriction_and_only_once_with_a_reason(
    restricted: ProcessingRestriction,
    other_provincial_officer: User,
    national_officer: User,
) -> None:
    with pytest.raises(PermissionDenied):
        restriction_lift(restriction=restricted, acting_user=other_provincial_officer, reason="x")
    with pytest.raises(ValidationError):
        restriction_lift(restriction=restricted, acting_user=national_officer, reason="  ")
    restriction_lift(restriction=restricted, acting_user=national_officer, reason="Asked.")
    with pytest.raises(ValidationError) as refused:
        restriction_lift(restriction=restricted, acting_user=national_officer, reason="Again.")
    assert refused.value.code == PrivacyErrorCode.NOT_RESTRICTED


def test_withdrawing_the_transfer_consent_stops_partners_seeing_the_person_at_once(
    participant_jateng: Participant,
    partner_user: User,
    sender_operator: User,
    file_request: Filer,
) -> None:
    text = current_consent_text(ConsentPurpose.TRANSFER_ABROAD)
    assert text is not None
    consent = consent_record(
        participant=participant_jateng, text=text, language="id", acting_user=None
    )
    data_transfer_record(
        participant=participant_jateng,
        purpose="Certificate of eligibility application",
        acting_user=sender_operator,
    )
    client = Client()
    client.force_login(partner_user)
    page = client.get(reverse("participants:detail", args=[participant_jateng.pk])).text
    assert participant_jateng.nik in page

    file_request(participant_jateng, "withdraw", consent=consent)

    assert _partner_sees(partner_user, participant_jateng) == (404, False, 404)
    consent_record(participant=participant_jateng, text=text, language="id", acting_user=None)
    assert _partner_sees(partner_user, participant_jateng) == (200, True, 200)


def test_a_person_who_never_consented_to_the_transfer_is_still_shown_the_minimum(
    participant_jateng: Participant, partner_user: User
) -> None:
    client = Client()
    client.force_login(partner_user)
    page = client.get(reverse("participants:detail", args=[participant_jateng.pk])).text
    assert 'data-testid="minimum-record"' in page and participant_jateng.nik not in page


def test_an_anonymised_record_is_hidden_from_partners_and_takes_no_further_step(
    participant_jateng: Participant,
    partner_user: User,
    national_officer: User,
    file_request: Filer,
) -> None:
    request_complete(
        rights_request=file_request(participant_jateng, "delete"), acting_user=national_officer
    )
    assert _partner_sees(partner_user, participant_jateng)[0] == 404
    person = Participant.objects.get(pk=participant_jateng.pk)
    assert person.status == JourneyStatus.WITHDRAWN

    with pytest.raises(ValidationError) as refused:
        participant_transition(
            participant=person,
            action=JourneyAction.REGISTER_AGAIN,
            acting_user=national_officer,
            reason="Came back.",
        )
    assert refused.value.code == PrivacyErrorCode.ALREADY_ANONYMISED
