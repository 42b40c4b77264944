"""The pages: a participant files a request and reads the answer; officers work the queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import ConsentPurpose, Participant
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services.registry import consent_record
from jembatan.privacy.models import RequestStatus, RightsRequest

pytestmark = pytest.mark.django_db
Filer = Callable[..., RightsRequest]


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def test_the_participants_own_page_links_to_their_data_rights(participant_user: User) -> None:
    page = _client(participant_user).get(reverse("participants:mine")).text
    rights = page.split('data-testid="data-rights"', 1)[1].split("</section>", 1)[0]
    for name in ("personal_data:mine", "personal_data:request_new", "personal_data:my_requests"):
        assert f'href="{reverse(name)}"' in rights


def test_a_participant_files_a_correction_and_sees_it_with_its_deadline(
    participant_jateng: Participant, participant_user: User, provincial_officer: User
) -> None:
    client = _client(participant_user)
    chooser = client.get(reverse("personal_data:request_new")).text
    assert 'href="?jenis=correct"' in chooser and "Answered within 72 hours." in chooser

    response = client.post(
        reverse("personal_data:request_new") + "?jenis=correct",
        {
            "field_name": "email",
            "proposed_value": "siti.rahayu@example.id",
            "details": "My e-mail address changed.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("personal_data:my_requests")
    filed = RightsRequest.objects.get()
    assert (filed.kind, filed.field_name, filed.language, filed.owner_province_id) == (
        "correct",
        "email",
        "en",
        "33",
    )
    page = client.get(response["Location"]).text
    assert f"Your request is received (#{filed.pk})" in page
    assert f'data-testid="request-{filed.pk}"' in page and "e-mail" in page


def test_a_correction_without_a_field_is_refused_beside_it(participant_user: User) -> None:
    response = _client(participant_user).post(
        reverse("personal_data:request_new") + "?jenis=correct",
        {"field_name": "", "proposed_value": "x", "details": "Wrong."},
    )
    assert response.status_code == 200
    assert 'id="id_field_name_error"' in response.text
    assert not RightsRequest.objects.exists()


def test_the_withdrawal_form_offers_only_the_persons_standing_consents(
    participant_jateng: Participant, participant_user: User
) -> None:
    notice = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    transfer = current_consent_text(ConsentPurpose.TRANSFER_ABROAD)
    assert notice is not None and transfer is not None
    mine = consent_record(
        participant=participant_jateng, text=notice, language="id", acting_user=None
    )
    other = consent_record(
        participant=ParticipantFactory(), text=transfer, language="id", acting_user=None
    )
    page = _client(participant_user).get(reverse("personal_data:request_new") + "?jenis=withdraw")
    assert f'value="{mine.pk}"' in page.text and f'value="{other.pk}"' not in page.text


def test_officers_see_their_provinces_open_requests_nearest_deadline_first_overdue_marked(
    participant_jateng: Participant,
    provincial_officer: User,
    other_provincial_officer: User,
    national_officer: User,
    file_request: Filer,
) -> None:
    late = file_request(participant_jateng, "restrict")
    soon = file_request(participant_jateng, "correct", field_name="email", proposed_value="a@b.id")
    RightsRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))

    page = _client(provincial_officer).get(reverse("personal_data:requests")).text

    assert page.index(f'data-testid="row-{late.pk}"') < page.index(f'data-testid="row-{soon.pk}"')
    assert f'data-testid="overdue-{late.pk}"' in page
    assert f'data-testid="overdue-{soon.pk}"' not in page and "left" in page
    assert AccessLog.objects.filter(actor=provincial_officer, purpose="privacy.requests").exists()
    assert (
        f"row-{late.pk}"
        not in _client(other_provincial_officer).get(reverse("personal_data:requests")).text
    )
    national = _client(national_officer).get(reverse("personal_data:requests")).text
    assert f'data-testid="escalated-{late.pk}"' in national
    assert f'data-testid="escalated-{soon.pk}"' not in national


def test_an_officer_carries_out_a_correction_from_the_request_page(
    participant_jateng: Participant,
    participant_user: User,
    provincial_officer: User,
    file_request: Filer,
) -> None:
    filed = file_request(
        participant_jateng, "correct", field_name="birth_place", proposed_value="Kendal"
    )
    officer = _client(provincial_officer)
    url = reverse("personal_data:request", args=[filed.pk])
    page = officer.get(url).text
    assert 'data-testid="current-value">Semarang<' in page
    assert 'value="Kendal"' in page  # the person's value, for the officer to check
    assert AccessLog.objects.filter(
        actor=provincial_officer, purpose="privacy.request", object_id=str(participant_jateng.pk)
    ).exists()

    officer.post(reverse("personal_data:request_take", args=[filed.pk]))
    response = officer.post(
        reverse("personal_data:request_complete", args=[filed.pk]),
        {"value": "Kendal", "note": "Checked against the birth certificate."},
    )

    assert response.status_code == 302
    participant_jateng.refresh_from_db()
    assert participant_jateng.birth_place == "Kendal"
    done = RightsRequest.objects.get(pk=filed.pk)
    assert (done.status, done.handled_by) == (RequestStatus.DONE, provincial_officer)
    assert 'data-testid="applied-value">Kendal<' in officer.get(url).text
    mine = _client(participant_user).get(reverse("personal_data:my_requests")).text
    assert "your place of birth was corrected" in mine
    assert "Checked against the birth certificate." in mine


def test_a_refusal_needs_a_reason_the_person_then_reads(
    participant_jateng: Participant,
    participant_user: User,
    national_officer: User,
    file_request: Filer,
) -> None:
    filed = file_request(participant_jateng, "object", details="I object to the matching.")
    officer = _client(national_officer)
    url = reverse("personal_data:request_refuse", args=[filed.pk])

    empty = officer.post(url, {"reason": ""})
    assert empty.status_code == 200 and 'id="id_reason_error"' in empty.text
    assert RightsRequest.objects.get(pk=filed.pk).status == RequestStatus.RECEIVED

    officer.post(url, {"reason": "The matching was checked by hand and stands."})
    assert RightsRequest.objects.get(pk=filed.pk).status == RequestStatus.REFUSED
    mine = _client(participant_user).get(reverse("personal_data:my_requests")).text
    assert "The matching was checked by hand and stands." in mine


def test_the_delete_page_says_whether_the_record_may_go(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    filed = file_request(participant_jateng, "delete")
    url = reverse("personal_data:request", args=[filed.pk])
    assert "Yes: no retention rule applies." in _client(national_officer).get(url).text
    Participant.objects.filter(pk=participant_jateng.pk).update(status="in_selection")
    page = _client(national_officer).get(url).text
    assert "No: the record must be kept." in page and "Withdraw from the programme first" in page


def test_an_officer_lifts_a_restriction_on_its_page(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    from jembatan.privacy.services.requests import request_complete

    done = request_complete(
        rights_request=file_request(participant_jateng, "restrict"), acting_user=national_officer
    )
    restriction = done.restrictions.get()
    officer = _client(national_officer)
    assert (
        'href="{}"'.format(reverse("personal_data:restriction_lift", args=[restriction.pk]))
        in officer.get(reverse("personal_data:request", args=[done.pk])).text
    )

    lift = reverse("personal_data:restriction_lift", args=[restriction.pk])
    assert participant_jateng.full_name in officer.get(lift).text
    assert AccessLog.objects.filter(
        actor=national_officer,
        purpose="privacy.restriction",
        object_id=str(participant_jateng.pk),
    ).exists()
    response = officer.post(lift, {"reason": "She asked to continue."})
    assert response.status_code == 302
    restriction.refresh_from_db()
    assert (restriction.lifted_by, restriction.lift_reason) == (
        national_officer,
        "She asked to continue.",
    )
