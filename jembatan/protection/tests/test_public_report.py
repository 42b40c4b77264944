"""The public side: an anonymous report, its code and secret, its follow-up, abuse protection."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.deployment.models import Deployment
from jembatan.protection import public_views
from jembatan.protection.models import (
    Case,
    CaseAttachment,
    CaseCategory,
    CaseEvent,
    CaseStatus,
    EventKind,
    Outcome,
    ReporterKind,
    Severity,
)
from jembatan.protection.services.handling import case_message, case_resolve, case_triage

pytestmark = pytest.mark.django_db

REPORT = reverse("report:report")
DONE = reverse("report:done")
FOLLOW_UP = reverse("report:follow_up")
CASE = reverse("report:follow_up_case")
WRONG_PAIR = "The case code and secret do not match. Check both and try again."


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": CaseCategory.UNPAID_WAGES,
        "description": "Our overtime has not been paid since October.",
        "host_company": "Nakamura Seiki",
        "person_concerned": "",
        "contact": "",
        "website": "",
        "language": "en",
        "submission": str(uuid.uuid4()),
    }
    return data | changes


def _png() -> io.BytesIO:
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, "PNG")
    image.seek(0)
    image.name = "payslip.png"
    return image


def _reported(client: Client, **changes: object) -> tuple[str, str]:
    """Report through the form; the code and the secret as the done page shows them."""
    response = client.post(REPORT, _form(**changes), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    code = re.search(r'data-testid="case-code">([^<]+)<', page)
    secret = re.search(r'data-testid="case-secret">([^<]+)<', page)
    assert code and secret, page
    return code.group(1), secret.group(1)


def _open(client: Client, code: str, secret: str) -> None:
    response = client.post(FOLLOW_UP, {"code": code, "secret": secret, "language": "en"})
    assert response.status_code == 302 and response["Location"].startswith(CASE)


def test_an_anonymous_report_opens_a_case_and_shows_its_code_and_secret_once(
    client: Client, officers: None, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    code, secret = _reported(client, attachment=_png(), person_concerned="Dewi, my roommate")

    case = Case.objects.get()
    assert case.code == code
    assert case.reporter_kind == ReporterKind.ANONYMOUS and case.reporter is None
    assert case.secret_matches(secret) and secret not in case.secret_hash
    assert case.reporter_language == "en"
    assert "Nakamura Seiki" in case.description and "Dewi, my roommate" in case.description
    assert CaseAttachment.objects.get().from_reporter
    again = client.get(DONE + "?bahasa=en").content.decode()
    assert secret not in again and code not in again


def test_no_address_of_the_anonymous_reporter_is_kept_in_the_audit_trail(
    client: Client, officers: None
) -> None:
    code, secret = _reported(client, REMOTE_ADDR="203.0.113.9")
    _open(client, code, secret)
    client.get(CASE)

    assert ChangeRecord.objects.filter(ip_address__isnull=False).count() == 0
    assert AccessLog.objects.filter(ip_address__isnull=False).count() == 0
    assert AccessLog.objects.filter(purpose="protection.follow_up", actor=None).count() == 1


def test_a_report_sent_twice_with_the_same_token_opens_one_case(
    client: Client, officers: None
) -> None:
    form = _form()
    first = client.post(REPORT, form)
    second = client.post(REPORT, form)

    assert Case.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"].startswith(DONE)


def test_a_robot_filling_the_honeypot_is_refused_and_nothing_is_written(
    client: Client, officers: None
) -> None:
    before = ChangeRecord.objects.count()
    response = client.post(REPORT, _form(website="http://spam.example"))

    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert ChangeRecord.objects.count() == before


def test_reports_past_the_limit_per_address_are_slowed(client: Client, officers: None) -> None:
    for _ in range(public_views.REPORTS_PER_ADDRESS):
        client.post(REPORT, _form())
    response = client.post(REPORT, _form())

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Case.objects.count() == public_views.REPORTS_PER_ADDRESS


def test_an_empty_report_is_refused_in_the_chosen_language_and_keeps_what_was_typed(
    client: Client, officers: None
) -> None:
    response = client.post(REPORT, _form(description="", host_company="Nakamura Seiki"))

    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert "Nakamura Seiki" in response.content.decode()


def test_a_wrong_code_and_a_wrong_secret_get_the_same_single_message(
    client: Client, officers: None
) -> None:
    code, secret = _reported(client)
    wrong_secret = client.post(
        FOLLOW_UP, {"code": code, "secret": "AAAA-AAAA-AAAA-AAAA", "language": "en"}
    )
    wrong_code = client.post(
        FOLLOW_UP, {"code": "PK-2026-999999", "secret": secret, "language": "en"}
    )

    for response in (wrong_secret, wrong_code):
        assert response.status_code == 400
        assert WRONG_PAIR in response.content.decode()
    assert client.get(CASE).status_code == 302  # not opened


def test_repeated_tries_on_one_code_are_slowed_even_with_the_right_secret(
    client: Client, officers: None
) -> None:
    code, secret = _reported(client)
    for _ in range(public_views.FOLLOW_UPS_PER_CODE):
        client.post(FOLLOW_UP, {"code": code, "secret": "WRONG", "language": "en"})
    response = client.post(FOLLOW_UP, {"code": code, "secret": secret, "language": "en"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_the_follow_up_ends_after_its_time(client: Client, officers: None, monkeypatch) -> None:
    code, secret = _reported(client)
    monkeypatch.setattr(public_views, "FOLLOW_UP_SECONDS", -1)
    _open(client, code, secret)

    assert client.get(CASE)["Location"].startswith(FOLLOW_UP)


def test_report_follow_up_reply_and_outcome_in_the_reporters_language(
    client: Client, officers: None, siti_abroad: Deployment, provincial_officer: User
) -> None:
    # Given an anonymous report in Japanese about Siti's sending organisation
    code, secret = _reported(
        client, language="ja", sending_organisation=siti_abroad.sending_organisation_id
    )
    case = Case.objects.get(code=code)
    assert case.sending_organisation_id == siti_abroad.sending_organisation_id
    # When the reporter follows up and adds information
    _open(client, code, secret)
    added = client.post(CASE, {"message": "It is the third month now.", "language": "ja"})
    assert added.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=EventKind.REPORTER_MESSAGE).count() == 1
    # and an officer replies, then resolves it as substantiated
    owner = Case.objects.get(pk=case.pk).owner or provincial_officer
    case_triage(case=case, severity=Severity.HIGH, owner=owner, acting_user=owner)
    case_message(
        case=case, message="We contacted the host company.", public=True, acting_user=owner
    )
    case_message(case=case, message="Internal: check the LPK.", public=False, acting_user=owner)
    case_resolve(
        case=case,
        outcome=Outcome.SUBSTANTIATED,
        action_taken="The wages were paid.",
        acting_user=owner,
    )
    # Then the reporter reads the reply and the outcome, in Japanese
    page = client.get(CASE).content.decode()
    assert "We contacted the host company." in page
    assert "Internal: check the LPK." not in page
    assert "The wages were paid." in page
    assert "立証された" in page  # "Substantiated"
    assert 'lang="ja"' in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESOLVED


def test_the_reporter_never_sees_who_handled_or_who_else_is_named(
    client: Client, officers: None, provincial_officer: User
) -> None:
    code, secret = _reported(client)
    case = Case.objects.get(code=code)
    owner = case.owner or provincial_officer
    case_message(case=case, message="Thank you.", public=True, acting_user=owner)
    _open(client, code, secret)
    page = client.get(CASE + "?bahasa=en").content.decode()

    assert "Thank you." in page
    assert owner.get_username() not in page


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_added(
    client: Client, officers: None, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    code, secret = _reported(client)
    _open(client, code, secret)
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "photo.png"

    response = client.post(CASE, {"add_file": "1", "file": fake, "language": "en"})

    assert response.status_code == 400
    assert "web page (HTML)" in response.content.decode()
    assert CaseAttachment.objects.count() == 0


def test_an_empty_report_in_japanese_is_refused_in_japanese(client: Client, officers: None) -> None:
    response = client.post(REPORT, _form(description="", language="ja"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "必須" in page  # "required"
    assert "何が起きましたか" in page  # the label, "What happened?"
