"""The retention run anonymises protection cases ten years after they were closed."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from jembatan.core.models import ChangeRecord
from jembatan.core.tests.upload_samples import plain_pdf
from jembatan.deployment.months import add_months
from jembatan.organisations.models import Organisation
from jembatan.privacy.models import RetentionRun
from jembatan.privacy.services.retention_run import retention_plan, retention_run
from jembatan.protection.factories import make_case
from jembatan.protection.models import Case, CaseAttachment, CaseStatus
from jembatan.protection.risk_selectors import risk_figures
from jembatan.protection.services.handling import case_attach

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _years_ago(years: int, days: int) -> dt.datetime:
    """``years`` calendar years before NOW, then ``days`` more (negative: fewer)."""
    day = add_months(NOW.date(), -12 * years)
    return NOW.replace(year=day.year, month=day.month, day=day.day) - dt.timedelta(days=days)


@pytest.fixture
def cases(lpk_a: Organisation, national_admin: Any) -> dict[str, Case]:
    """A case closed ten years and a day ago (with a file), one a day short, and open ones."""
    made = {
        "closed_long_ago": make_case(
            status=CaseStatus.CLOSED,
            reported_at=_years_ago(10, 1),
            sending_organisation=lpk_a,
            reporter_name="Dewi Lestari",
            reporter_contact="dewi@example.org",
        ),
        "withdrawn_long_ago": make_case(status=CaseStatus.WITHDRAWN, reported_at=_years_ago(10, 1)),
        "closed_a_day_short": make_case(
            status=CaseStatus.CLOSED, reported_at=_years_ago(10, -1), sending_organisation=lpk_a
        ),
        "open_for_years": make_case(
            status=CaseStatus.IN_PROGRESS, reported_at=_years_ago(11, 0), sending_organisation=lpk_a
        ),
    }
    upload = SimpleUploadedFile("payslip.pdf", plain_pdf(), content_type="application/pdf")
    case_attach(case=made["closed_long_ago"], upload=upload, acting_user=national_admin)
    return made


def _row(case: Case) -> dict[str, Any]:
    return Case.objects.filter(pk=case.pk).values().get()


def test_a_case_closed_ten_years_and_a_day_ago_is_anonymised_and_younger_or_open_ones_not(
    cases: dict[str, Case], private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    untouched = ("closed_a_day_short", "open_for_years")
    before = {key: _row(cases[key]) for key in untouched}
    stored = Path(CaseAttachment.objects.get(case=cases["closed_long_ago"]).file.path)

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(now=NOW)

    old = Case.objects.get(pk=cases["closed_long_ago"].pk)
    assert old.is_anonymised and (old.reporter_name, old.reporter_contact) == ("", "")
    assert old.description == "—" and old.category == cases["closed_long_ago"].category
    assert Case.objects.get(pk=cases["withdrawn_long_ago"].pk).is_anonymised
    assert {key: _row(cases[key]) for key in untouched} == before
    assert not stored.exists()
    assert run.counts["protection_cases"] == 2 and run.failures == []
    assert run.examples["protection_cases"] == sorted(
        [cases["closed_long_ago"].pk, cases["withdrawn_long_ago"].pk]
    )
    by_run = ChangeRecord.objects.filter(
        operation="privacy.retention_run",
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(old.pk),
    ).get()
    assert by_run.changes == {"rule": {"before": None, "after": "protection_cases"}}


def test_the_dry_run_counts_the_cases_and_changes_nothing(
    cases: dict[str, Case], private_media: Path
) -> None:
    rows = list(Case.objects.order_by("pk").values())
    files = sorted(p for p in private_media.rglob("*") if p.is_file())
    changes = ChangeRecord.objects.count()
    out = StringIO()

    plan = retention_plan(now=NOW)
    call_command("privacy", "retention", "--dry-run", stdout=out)

    assert plan.counts["protection_cases"] == 2
    assert '"protection_cases": 2' in out.getvalue()
    assert list(Case.objects.order_by("pk").values()) == rows
    assert sorted(p for p in private_media.rglob("*") if p.is_file()) == files != []
    assert ChangeRecord.objects.count() == changes
    assert not RetentionRun.objects.exists()


def test_a_second_run_changes_nothing(cases: dict[str, Case], lpk_a: Organisation) -> None:
    retention_run(now=NOW)
    rows = list(Case.objects.order_by("pk").values())
    changes = ChangeRecord.objects.exclude(operation="privacy.retention_run").count()

    second = retention_run(now=NOW)

    assert second.counts["protection_cases"] == 0
    assert list(Case.objects.order_by("pk").values()) == rows
    assert ChangeRecord.objects.exclude(operation="privacy.retention_run").count() == changes


def test_the_risk_figures_are_unchanged_by_the_run(
    cases: dict[str, Case], lpk_a: Organisation
) -> None:
    today = NOW.date()
    before = risk_figures([lpk_a], today=today)

    retention_run(now=NOW)

    assert risk_figures([lpk_a], today=today) == before
    assert before[0].open_by_category == {"unpaid_wages": 1}
