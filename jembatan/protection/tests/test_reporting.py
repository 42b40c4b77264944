"""Opening a case: the code and secret, the deadlines, the owner, the reporter's messages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.core.models import ChangeRecord
from jembatan.protection.deadlines import deadline_for
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.models import (
    Case,
    CaseCategory,
    CaseEvent,
    CaseLevel,
    CaseStatus,
    EventKind,
    Outcome,
    ReporterKind,
    Severity,
)
from jembatan.protection.reporter_secret import normalise_secret
from jembatan.protection.selectors import reporter_case
from jembatan.protection.services.handling import case_ask_reporter, case_triage
from jembatan.protection.services.reporting import (
    Concerned,
    case_report,
    case_reporter_message,
    case_withdraw,
)
from jembatan.protection.workflows import ANONYMOUS_REPORTER

pytestmark = pytest.mark.django_db


def test_an_anonymous_report_gets_a_code_and_a_secret_of_which_only_a_hash_is_kept(
    anonymous_report, siti_abroad, provincial_officer
):
    case, secret = anonymous_report.case, anonymous_report.secret

    assert case.code.startswith("PK-") and case.code.endswith(f"{case.pk:06d}")
    assert secret and len(secret) == 19
    assert secret not in case.secret_hash
    assert case.secret_matches(secret)
    assert case.secret_matches(normalise_secret(secret.lower().replace("-", " ")))
    assert not case.secret_matches("AAAA-AAAA-AAAA-AAAA")
    assert case.reporter is None and case.reporter_kind == ReporterKind.ANONYMOUS
    assert case.reporter_language == "ja"


def test_a_report_about_a_deployment_names_everyone_the_case_is_about(
    anonymous_report, siti_abroad
):
    case = anonymous_report.case

    assert case.participant_id == siti_abroad.participant_id
    assert case.host_company_id == siti_abroad.host_company_id
    assert case.sending_organisation_id == siti_abroad.sending_organisation_id
    assert case.partner_id == siti_abroad.partner_id
    assert case.country_id == "JP"


def test_a_report_goes_to_the_apprentices_province_and_its_least_loaded_officer(
    anonymous_report, provincial_officer, jateng
):
    case = anonymous_report.case

    assert case.level == CaseLevel.PROVINCIAL
    assert case.province_id == jateng.code
    assert case.owner == provincial_officer
    assert case.status == CaseStatus.REPORTED
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.REPORTED]
    assert ChangeRecord.objects.filter(operation="protection.case_report").count() == 1


def test_the_deadlines_come_from_the_table_for_the_category_and_starting_severity(
    anonymous_report,
):
    case = anonymous_report.case
    row = deadline_for(CaseCategory.UNPAID_WAGES, Severity.MEDIUM)

    assert case.severity == Severity.MEDIUM
    assert case.first_response_due == row.first_response_due(case.reported_at)
    assert case.resolution_due == row.resolution_due(case.reported_at)
    assert case.deadlines_version == "2026-12"


def test_violence_starts_high_with_the_tighter_deadline(participant_user, officers):
    result = case_report(
        reporter_kind=ReporterKind.APPRENTICE,
        category=CaseCategory.VIOLENCE,
        description="The supervisor hit me.",
        acting_user=participant_user,
    )

    case = result.case
    assert result.secret is None
    assert case.severity == Severity.HIGH
    assert case.reporter == participant_user
    assert case.participant == participant_user.participant
    hours = (case.first_response_due - case.reported_at).total_seconds() / 3600
    assert hours == deadline_for(CaseCategory.VIOLENCE, Severity.HIGH).first_response_hours == 12


def test_a_report_without_a_known_province_goes_to_the_national_directorate(
    sender_operator, national_officer
):
    case = case_report(
        reporter_kind=ReporterKind.SENDING_ORGANISATION,
        category=CaseCategory.HOUSING,
        description="The dormitory has no heating.",
        acting_user=sender_operator,
    ).case

    assert case.level == CaseLevel.NATIONAL and case.province is None
    assert case.owner == national_officer


def test_an_empty_description_is_refused_and_nothing_is_written(participant_user):
    changes = ChangeRecord.objects.count()

    with pytest.raises(ValidationError) as refused:
        case_report(
            reporter_kind=ReporterKind.APPRENTICE,
            category=CaseCategory.OTHER,
            description="   ",
            acting_user=participant_user,
        )

    assert (
        refused.value.error_dict["description"][0].code == ProtectionErrorCode.DESCRIPTION_REQUIRED
    )
    assert Case.objects.count() == 0 and ChangeRecord.objects.count() == changes


def test_the_system_cannot_report_a_case():
    with pytest.raises(PermissionDenied):
        case_report(
            reporter_kind=ReporterKind.OTHER,
            category=CaseCategory.OTHER,
            description="x",
            acting_user=None,
            concerned=Concerned(),
        )


def test_the_reporters_answer_moves_a_case_awaiting_them_to_in_progress(case, provincial_officer):
    case_triage(
        case=case, severity=Severity.HIGH, owner=provincial_officer, acting_user=provincial_officer
    )
    case_ask_reporter(case=case, question="Since when exactly?", acting_user=provincial_officer)

    answered = case_reporter_message(
        case=case, message="Since September.", acting_user=ANONYMOUS_REPORTER
    )

    assert answered.status == CaseStatus.IN_PROGRESS
    last = answered.events.last()
    assert last.kind == EventKind.REPORTER_MESSAGE and last.public and last.by_label == "reporter"


def test_someone_else_cannot_write_as_the_reporter_of_an_account_case(
    participant_user, sender_operator, officers
):
    case = case_report(
        reporter_kind=ReporterKind.APPRENTICE,
        category=CaseCategory.HOUSING,
        description="No heating.",
        acting_user=participant_user,
    ).case
    events = CaseEvent.objects.count()

    for intruder in (sender_operator, ANONYMOUS_REPORTER):
        with pytest.raises(PermissionDenied):
            case_reporter_message(case=case, message="x", acting_user=intruder)

    assert CaseEvent.objects.count() == events


def test_the_anonymous_reporter_can_withdraw_and_the_outcome_is_withdrawn(case):
    withdrawn = case_withdraw(
        case=case, reason="It was resolved with the company.", acting_user=ANONYMOUS_REPORTER
    )

    assert withdrawn.status == CaseStatus.WITHDRAWN
    assert withdrawn.outcome == Outcome.WITHDRAWN
    assert withdrawn.closed_at is not None


def test_the_code_and_secret_find_the_case_and_any_mismatch_finds_nothing(anonymous_report):
    case, secret = anonymous_report.case, anonymous_report.secret

    assert reporter_case(case.code, secret) == case
    assert reporter_case(case.code.lower(), secret.lower().replace("-", " ")) == case
    assert reporter_case(case.code, "AAAA-AAAA-AAAA-AAAA") is None
    assert reporter_case("PK-2026-999999", secret) is None
    assert reporter_case("", "") is None


def test_a_case_reported_with_an_account_cannot_be_followed_with_a_code(participant_user, officers):
    case = case_report(
        reporter_kind=ReporterKind.APPRENTICE,
        category=CaseCategory.HOUSING,
        description="No heating.",
        acting_user=participant_user,
    ).case

    assert case.secret_hash == ""
    assert reporter_case(case.code, "") is None
