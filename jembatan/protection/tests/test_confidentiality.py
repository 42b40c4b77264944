"""The organisation a case is about can never read who reported it: not on a page, not in the API.

A case file is seen by its owner, the officers of its level (its province's at the
provincial level), the national administrators and auditors; every view is
logged. Moving the case between owners and levels keeps the rule.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.core.models import AccessLog
from jembatan.protection import selectors
from jembatan.protection.models import Case
from jembatan.protection.services.escalation import case_escalate
from jembatan.protection.urls import urlpatterns

pytestmark = pytest.mark.django_db
CONTACT = "friend@example.org"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _officer_urls(case: Case) -> list[str]:
    urls = []
    for pattern in urlpatterns:
        name = pattern.name
        kwargs = {}
        for key in pattern.pattern.converters:
            kwargs[key] = {"code": case.code, "pk": 1, "action": "triage"}[key]
        urls.append(reverse(f"protection:{name}", kwargs=kwargs))
    return urls


def test_the_organisations_a_case_is_about_never_see_the_reporter_on_any_page(
    case, sender_operator, partner_user
):
    for user in (sender_operator, partner_user):
        client = _client(user)
        for url in _officer_urls(case):
            for response in (client.get(url), client.post(url, {"message": "x"})):
                assert response.status_code in (403, 404), (url, user)
                assert CONTACT.encode() not in response.content
                assert case.description.encode() not in response.content


def test_the_organisations_a_case_is_about_never_see_it_in_the_api(
    case, sender_operator, partner_user
):
    for user in (sender_operator, partner_user):
        client = _client(user)
        listed = client.get("/api/v1/protection/cases")
        detail = client.get(f"/api/v1/protection/cases/{case.code}")
        assert listed.status_code == 403 and detail.status_code == 403
        assert CONTACT.encode() not in listed.content + detail.content


def test_reporting_through_the_api_returns_only_the_code_and_status(sender_operator, officers):
    response = _client(sender_operator).post(
        "/api/v1/protection/cases",
        {"category": "housing", "description": "The dormitory is cold."},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert set(response.json()) == {"code", "status"}


def test_no_selector_gives_an_organisation_a_case(
    case, sender_operator, partner_user, training_operator, participant_user
):
    for user in (sender_operator, partner_user, training_operator, participant_user):
        assert list(selectors.cases_visible_to(user)) == []


def test_an_officer_of_another_province_cannot_open_the_case(case, other_provincial_officer):
    response = _client(other_provincial_officer).get(reverse("protection:detail", args=[case.code]))

    assert response.status_code == 404
    assert CONTACT.encode() not in response.content


def test_the_owner_and_the_provinces_officer_see_the_reporter_and_the_read_is_logged(
    case, provincial_officer
):
    response = _client(provincial_officer).get(reverse("protection:detail", args=[case.code]))

    assert response.status_code == 200 and CONTACT in response.text
    assert AccessLog.objects.filter(
        actor=provincial_officer, purpose="protection.detail", object_id=str(case.participant_id)
    ).exists()


def test_after_escalation_the_province_no_longer_sees_the_case_and_the_national_officer_does(
    case, provincial_officer, national_officer, jateng
):
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role

    colleague = UserFactory(username="wati", role=Role.PROVINCIAL_OFFICER, province=jateng)
    case_escalate(case=case, reason="Police involved.", acting_user=provincial_officer)

    assert case not in selectors.cases_visible_to(colleague)
    assert case not in selectors.cases_visible_to(provincial_officer)
    assert case in selectors.cases_visible_to(national_officer)
