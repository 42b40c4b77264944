"""Sensitive actions ask for the password again when the last check is old."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from jembatan.accounts.factories import DEFAULT_PASSWORD
from jembatan.core.password_check import CHECKED_AT, recent_password
from jembatan.matching.models import MatchingRun, RunStatus
from jembatan.matching.tests.samples import finished_run_pk
from jembatan.organisations.models import Licence, LicenceStatus

pytestmark = pytest.mark.django_db

CONFIRM = "/akun/konfirmasi/"


def _stale(client: Client, settings) -> None:
    """The password was last typed just longer ago than the re-check allows."""
    session = client.session
    session[CHECKED_AT] = time.time() - settings.JEMBATAN_PASSWORD_RECHECK_SECONDS - 1
    session.save()


def _asked(response, next_url: str) -> bool:
    return response.status_code == 302 and response["Location"] == (
        f"{CONFIRM}?next={quote(next_url, safe='')}"
    )


# --- the confirmation page ------------------------------------------------------------------


def test_the_right_password_returns_to_the_action_with_a_fresh_check(
    settings, client_for, national_officer
) -> None:
    client = client_for(national_officer)
    _stale(client, settings)

    response = client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": "/pencocokan/baru/"})

    assert (response.status_code, response["Location"]) == (302, "/pencocokan/baru/")
    assert time.time() - client.session[CHECKED_AT] < 5
    assert client.get("/pencocokan/baru/").status_code == 200


def test_a_wrong_password_is_refused_and_counted(settings, client_for, national_officer) -> None:
    client = client_for(national_officer)
    _stale(client, settings)
    stamp = client.session[CHECKED_AT]

    response = client.post(CONFIRM, {"password": "not-mine", "next": "/pencocokan/baru/"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"] == ["This is not your password."]
    assert client.session[CHECKED_AT] == stamp
    assert AccessAttempt.objects.get(username="oki").failures_since_start == 1


def test_repeated_wrong_passwords_lock_the_confirmation_too(settings, client_for, national_officer):
    settings.AXES_FAILURE_LIMIT = 3
    client = client_for(national_officer)
    statuses = [client.post(CONFIRM, {"password": "not-mine"}).status_code for _ in "abc"]
    assert statuses == [200, 200, 429]
    assert client.post(CONFIRM, {"password": DEFAULT_PASSWORD}).status_code == 429


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_the_confirmation_never_leads_off_site(client_for, national_officer, target) -> None:
    client = client_for(national_officer)
    response = client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": target})
    assert response["Location"] == "/"


def test_the_confirmation_page_is_for_signed_in_people(client: Client) -> None:
    response = client.get(CONFIRM)
    assert response["Location"].startswith("/akun/masuk/?next=")


def test_an_htmx_request_is_sent_to_the_confirmation_as_a_whole_page(settings) -> None:
    settings.JEMBATAN_PASSWORD_RECHECK_SECONDS = 60
    request = RequestFactory().post("/pencocokan/7/setujui/")
    request.session = {CHECKED_AT: time.time() - 61}  # type: ignore[assignment]
    request.htmx = True  # type: ignore[attr-defined]
    view = recent_password(lambda request: pytest.fail("the view must not run"))

    response = view(request)

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{CONFIRM}?next=%2Fpencocokan%2F7%2Fsetujui%2F"


# --- the sensitive actions ------------------------------------------------------------------


def test_a_licence_sanction_asks_for_the_password_again(
    settings, client_for, national_officer, lpk_a
):
    licence = lpk_a.licences.get()
    url = reverse("organisations:licence_action", args=[licence.pk, "suspend"])
    client = client_for(national_officer)
    _stale(client, settings)

    asked = client.post(url, {"reason": "Repeated violations of the training standard."})

    assert _asked(asked, url)
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.ACTIVE
    assert not licence.decisions.exists()
    client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": url})
    assert client.get(url).status_code == 200


def test_other_licence_actions_do_not_ask(settings, client_for, national_officer, lpk_a) -> None:
    licence = lpk_a.licences.get()
    client = client_for(national_officer)
    _stale(client, settings)
    url = reverse("organisations:licence_action", args=[licence.pk, "renew"])
    assert not _asked(client.get(url), url)


def test_a_sanction_through_the_api_needs_a_recent_check_too(
    settings, client_for, national_officer, lpk_a
) -> None:
    licence = lpk_a.licences.get()
    client = client_for(national_officer)
    _stale(client, settings)
    body = {"action": "warn", "reason": "Late monitoring reports, second time."}

    refused = client.post(
        f"/api/v1/licences/{licence.pk}/decisions", body, content_type="application/json"
    )

    assert refused.status_code == 403
    assert "/akun/konfirmasi/" in refused.json()["detail"]
    assert not licence.decisions.exists()


def test_starting_a_matching_run_asks_for_the_password_again(
    settings, client_for, national_officer
):
    client = client_for(national_officer)
    _stale(client, settings)
    assert _asked(client.get("/pencocokan/baru/"), "/pencocokan/baru/")


def test_approving_a_matching_run_asks_for_the_password_again(
    settings, client_for, national_officer, request
) -> None:
    run = MatchingRun.objects.get(pk=finished_run_pk(request))
    url = reverse("matching:approve", args=[run.pk])
    client = client_for(national_officer)
    _stale(client, settings)

    assert _asked(client.post(url), url)
    assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.DONE


def test_exporting_someones_data_asks_for_the_password_again(
    settings, client_for, national_officer, participant_jateng
) -> None:
    url = reverse("personal_data:participant", args=[participant_jateng.pk])
    client = client_for(national_officer)
    _stale(client, settings)

    asked = client.post(url, {"format": "json", "language": "en", "reason": "Her letter of 3 May."})

    assert _asked(asked, url)
    assert "attachment" not in asked.get("Content-Disposition", "")
    client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": url})
    assert client.get(url).status_code == 200


def test_a_recent_sign_in_needs_no_second_check(client_for, national_officer) -> None:
    assert client_for(national_officer).get("/pencocokan/baru/").status_code == 200
