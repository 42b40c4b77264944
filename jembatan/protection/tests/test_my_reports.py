"""The apprentice reports from their own pages and follows their cases."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.deployment.models import Deployment
from jembatan.protection.models import Case, CaseCategory, CaseEvent, EventKind, ReporterKind
from jembatan.protection.services.handling import case_message

pytestmark = pytest.mark.django_db


def _report(client: Client, **changes: object):
    data = {
        "category": CaseCategory.DOCUMENTS_RETAINED,
        "description": "The company keeps my passport in its safe.",
        "language": "en",
        "submission": str(uuid.uuid4()),
    }
    return client.post(reverse("report:my_report"), data | changes)


def test_the_apprentice_reports_about_their_own_placement_prefilled(
    client: Client, participant_user: User, siti_abroad: Deployment, officers: None
) -> None:
    client.force_login(participant_user)
    form = client.get(reverse("report:my_report")).content.decode()
    assert siti_abroad.host_company.name in form

    response = _report(client)

    case = Case.objects.get()
    assert response["Location"] == reverse("report:my_case", kwargs={"code": case.code})
    assert case.reporter == participant_user and case.reporter_kind == ReporterKind.APPRENTICE
    assert case.host_company_id == siti_abroad.host_company_id
    assert case.sending_organisation_id == siti_abroad.sending_organisation_id
    assert case.secret_hash == ""


def test_the_apprentice_reads_the_public_replies_and_answers(
    client: Client, participant_user: User, siti_abroad: Deployment, officers: None
) -> None:
    client.force_login(participant_user)
    _report(client)
    case = Case.objects.get()
    owner = case.owner
    assert owner is not None
    case_message(case=case, message="Did they give a reason?", public=True, acting_user=owner)
    url = reverse("report:my_case", kwargs={"code": case.code})

    page = client.get(url + "?bahasa=en").content.decode()
    answered = client.post(url, {"message": "No reason at all.", "language": "en"})

    assert "Did they give a reason?" in page
    assert answered.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=EventKind.REPORTER_MESSAGE).count() == 1
    listed = client.get(reverse("report:mine")).content.decode()
    assert case.code in listed


def test_the_same_report_sent_twice_opens_one_case(
    client: Client, participant_user: User, siti_abroad: Deployment, officers: None
) -> None:
    client.force_login(participant_user)
    token = str(uuid.uuid4())

    _report(client, submission=token)
    _report(client, submission=token)

    assert Case.objects.count() == 1


def test_another_persons_case_is_not_found(
    client: Client, participant_user: User, case: Case
) -> None:
    client.force_login(participant_user)

    response = client.get(reverse("report:my_case", kwargs={"code": case.code}))

    assert response.status_code == 404
