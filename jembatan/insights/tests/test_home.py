"""The home page shows each role what it has to do next, within its own scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone, translation

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.audit import record_change
from jembatan.core.models import ChangeRecord, Occupation
from jembatan.core.roles import Role
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import Licence, LicenceStatus, Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.journey import NEXT_STEP
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.factories import SelectionRoundFactory
from jembatan.selection.models import RoundStatus

pytestmark = pytest.mark.django_db

TEMPLATES = {
    Role.NATIONAL_ADMIN: "insights/home_national.html",
    Role.NATIONAL_OFFICER: "insights/home_national.html",
    Role.PROVINCIAL_OFFICER: "insights/home_scoped.html",
    Role.TRAINING_OPERATOR: "insights/home_scoped.html",
    Role.SENDER_OPERATOR: "insights/home_sender.html",
    Role.PARTNER: "insights/home_scoped.html",
    Role.PARTICIPANT: "insights/home_participant.html",
    Role.AUDITOR: "insights/home_auditor.html",
}
ALERT = 'role="alert"'


def _home(client_for, user: User):
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response


def _tasks(response) -> dict[str, int]:
    with translation.override("en"):
        return {str(task.label): task.count for task in response.context["tasks"]}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_gets_its_own_home_page(client_for, user_of, role: Role) -> None:
    response = _home(client_for, user_of(role))
    assert response.templates[0].name == TEMPLATES[role]


# --- the ministry ------------------------------------------------------------------


def test_national_admin_sees_accounts_reference_data_and_licence_reviews(
    client_for, national_admin, lpk_b: Organisation, auditor
) -> None:
    LicenceFactory(organisation=OrganisationFactory(), status=LicenceStatus.SUBMITTED)

    response = _home(client_for, national_admin)

    assert response.context["users_by_role"] == {"national_admin": 1, "auditor": 1}
    assert {d.code for d in response.context["datasets"]} >= {"kemendagri-2025", "jp-ssw-2024"}
    assert _tasks(response) == {
        "Licence applications waiting for review": 1,
        "Protection cases past their deadline": 0,
    }


def test_national_officer_sees_reviews_expiring_licences_and_all_registrations(
    client_for, national_officer, participant_jateng, participant_jatim, lpk_a
) -> None:
    Licence.objects.filter(organisation=lpk_a).update(
        valid_to=timezone.localdate() + dt.timedelta(days=30)
    )

    response = _home(client_for, national_officer)

    assert _tasks(response) == {
        "Licence applications waiting for review": 0,
        "Licences expiring within 90 days": 1,
        "Registrations waiting for verification": 2,
        "Selection rounds with stages running": 0,
        "Matching runs waiting for approval": 0,
        "Protection cases past their deadline": 0,
    }


# --- the provinces -------------------------------------------------------------------


def test_provincial_officer_sees_registrations_waiting_in_its_province_only(
    client_for, provincial_officer, participant_jateng, participant_jatim
) -> None:
    ParticipantFactory.create_batch(2, regency_code="35.78")

    response = _home(client_for, provincial_officer)

    assert _tasks(response)["Registrations in your province waiting for verification"] == 1
    assert response.context["scope"].code == "33"
    assert "Jawa Tengah" in response.text
    registered = next(r for r in response.context["journey"] if r["status"] == "registered")
    assert registered["count"] == 1


def test_provincial_officer_of_another_province_counts_its_own(
    client_for, other_provincial_officer, participant_jateng, participant_jatim
) -> None:
    ParticipantFactory.create_batch(2, regency_code="35.78")
    response = _home(client_for, other_provincial_officer)
    assert _tasks(response)["Registrations in your province waiting for verification"] == 3


# --- training centres, senders and partners ----------------------------------------------


def test_training_operator_sees_its_centres_participants_to_train(
    client_for, training_operator, participant_jateng: Participant, participant_jatim
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.VERIFIED)

    response = _home(client_for, training_operator)

    assert response.context["scope"].name == "BLK Semarang"
    assert _tasks(response) == {
        "Verified participants waiting to start training": 1,
        "Participants in training to assess": 0,
    }


def test_partner_sees_matched_participants_waiting_for_its_confirmation(
    client_for, partner_user, participant_jateng: Participant, participant_jatim
) -> None:
    from jembatan.demand.factories import JobOrderFactory, PlacementFactory

    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.MATCHED)
    job_order = JobOrderFactory(partner=partner_user.organisation, approved=True)
    PlacementFactory(job_order=job_order, participant=participant_jateng)  # proposed

    response = _home(client_for, partner_user)

    assert "IM Japan" in response.text
    assert _tasks(response) == {
        "Matched participants waiting for your confirmation": 1,
        "Participants in placement with you": 0,
        "Shortlisted candidates waiting for your interview decision": 0,
    }


def test_sender_sees_its_active_licence_and_no_warning(
    client_for, sender_operator, participant_jateng, participant_jatim
) -> None:
    response = _home(client_for, sender_operator)

    assert response.context["licence"].number == "KEP.101/LN/2024"
    assert "KEP.101/LN/2024" in response.text
    assert ALERT not in response.text
    assert _tasks(response)["Your candidates waiting for verification"] == 1


@pytest.mark.parametrize("status", [LicenceStatus.EXPIRED, LicenceStatus.SUSPENDED])
def test_sender_is_warned_when_its_licence_does_not_let_it_act(
    client_for, sender_operator, lpk_a: Organisation, status: LicenceStatus
) -> None:
    Licence.objects.filter(organisation=lpk_a).update(status=status)

    response = _home(client_for, sender_operator)

    assert response.context["licence"].status == status
    assert ALERT in response.text


def test_sender_is_warned_when_its_active_licence_has_run_out(
    client_for, sender_operator, lpk_a: Organisation
) -> None:
    Licence.objects.filter(organisation=lpk_a).update(
        valid_from=timezone.localdate() - dt.timedelta(days=800),
        valid_to=timezone.localdate() - dt.timedelta(days=1),
    )

    response = _home(client_for, sender_operator)

    assert ALERT in response.text


def test_sender_without_a_licence_is_warned(client_for) -> None:
    unlicensed = UserFactory(username="baru", role=Role.SENDER_OPERATOR)
    response = _home(client_for, unlicensed)
    assert response.context["licence"] is None
    assert ALERT in response.text


# --- participants and auditors ------------------------------------------------------------


def test_participant_sees_their_stage_and_next_step(
    client_for, participant_user, participant_jateng: Participant
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.IN_TRAINING)

    response = _home(client_for, participant_user)

    assert response.context["participant"] == participant_jateng
    assert response.context["next_step"] == NEXT_STEP[JourneyStatus.IN_TRAINING]
    with translation.override(settings.LANGUAGE_CODE):
        stage = str(JourneyStatus.IN_TRAINING.label)
        next_step = str(NEXT_STEP[JourneyStatus.IN_TRAINING])
    assert f'data-testid="journey-status">{stage}</span>' in response.text
    assert next_step in response.text


@pytest.mark.parametrize(
    ("status", "url_name"),
    [
        (JourneyStatus.IN_SELECTION, "selection:mine"),
        (JourneyStatus.SELECTED, "matching:preferences"),
        (JourneyStatus.MATCHED, "matching:my_result"),
    ],
)
def test_a_candidate_in_selection_or_matching_gets_a_link_to_act_on(
    client_for, participant_user, participant_jateng: Participant, status: str, url_name: str
) -> None:
    from django.urls import reverse

    Participant.objects.filter(pk=participant_jateng.pk).update(status=status)

    response = _home(client_for, participant_user)

    assert response.context["next_step_link"]["url"] == reverse(url_name)
    assert f'href="{reverse(url_name)}" data-testid="next-step-link"' in response.text


def test_a_participant_in_training_gets_no_selection_link(
    client_for, participant_user, participant_jateng: Participant
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.IN_TRAINING)

    assert _home(client_for, participant_user).context["next_step_link"] is None


def test_participant_sees_no_one_elses_data(
    client_for, participant_user, participant_jatim: Participant
) -> None:
    response = _home(client_for, participant_user)
    assert participant_jatim.full_name not in response.text
    assert participant_jatim.nik not in response.text


def test_auditor_sees_the_latest_changes_first(client_for, auditor, national_admin) -> None:
    occupation = Occupation.objects.filter(dataset__code="jp-ssw-2024").order_by("code")[0]
    latest = record_change(
        acting_user=national_admin,
        operation="core.occupation_update",
        instance=occupation,
        action="update",
        changes={"name_en": {"before": "Old", "after": "New"}},
    )

    response = _home(client_for, auditor)

    recent = list(response.context["recent_changes"])
    assert recent[0] == latest
    assert recent == list(ChangeRecord.objects.all()[:15])
    assert "core.occupation_update" in response.text
    assert "accounts.user_create" in response.text


def test_national_officer_sees_open_selection_rounds(client_for, national_officer) -> None:
    SelectionRoundFactory(status=RoundStatus.OPEN)
    SelectionRoundFactory(status=RoundStatus.DRAFT)

    tasks = _tasks(_home(client_for, national_officer))

    assert tasks["Selection rounds with stages running"] == 1
    assert tasks["Matching runs waiting for approval"] == 0
