"""``jembatan demand``: job orders and targets as CSV or JSON, with computed slots and progress."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from jembatan.accounts.models import User
from jembatan.demand.factories import JobOrderFactory, PlacementFactory
from jembatan.demand.models import Target, TargetStage
from jembatan.demand.services.placements import placement_confirm
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus

pytestmark = pytest.mark.django_db
JOB_ORDER_HEADER = [
    "id",
    "partner",
    "host_company",
    "country",
    "occupation_code",
    "slots",
    "filled",
    "open",
    "status",
]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("demand", *args, stdout=out)
    return out.getvalue()


def _csv(*args: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_run(*args))))


@pytest.fixture
def host(im_japan: Organisation) -> Organisation:
    """A host company whose name a spreadsheet would run as a formula."""
    return OrganisationFactory(
        name="=HYPERLINK(1)",
        kind=OrganisationKind.HOST_COMPANY,
        country_id="JP",
        province_id=None,
        region_id=None,
        parent=im_japan,
    )


def test_job_orders_csv_has_a_header_and_one_safe_row_per_order(
    im_japan: Organisation, host: Organisation
) -> None:
    order = JobOrderFactory(partner=im_japan, host_company=host, approved=True, slots=3)
    rows = _csv("job-orders")
    assert rows == [
        JOB_ORDER_HEADER,
        [
            str(order.pk),
            im_japan.name,
            "'=HYPERLINK(1)",
            "JP",
            "TITP-S1-01-01",
            "3",
            "0",
            "3",
            "approved",
        ],
    ]


def test_job_orders_json_lists_the_same_fields_with_numbers(im_japan: Organisation) -> None:
    order = JobOrderFactory(partner=im_japan, slots=2)
    assert json.loads(_run("job-orders", "--format", "json")) == [
        {
            "id": order.pk,
            "partner": im_japan.name,
            "host_company": "",
            "country": "JP",
            "occupation_code": "TITP-S1-01-01",
            "slots": 2,
            "filled": 0,
            "open": 2,
            "status": "draft",
        }
    ]


def test_job_orders_are_filtered_by_status_and_country(im_japan: Organisation) -> None:
    approved = JobOrderFactory(partner=im_japan, approved=True)
    JobOrderFactory(partner=im_japan)  # a draft
    JobOrderFactory(partner=im_japan, approved=True, country_id="KR")
    rows = json.loads(
        _run("job-orders", "--status", "approved", "--country", "jp", "--format", "json")
    )
    assert [row["id"] for row in rows] == [approved.pk]


def test_a_confirmed_placement_fills_a_slot_in_the_listing(
    im_japan: Organisation, national_officer: User
) -> None:
    order = JobOrderFactory(partner=im_japan, approved=True, slots=2)
    placement = PlacementFactory(job_order=order, participant=ParticipantFactory())
    PlacementFactory(job_order=order, participant=ParticipantFactory())  # proposed only
    placement_confirm(placement=placement, acting_user=national_officer)
    [row] = json.loads(_run("job-orders", "--format", "json"))
    assert (row["slots"], row["filled"], row["open"]) == (2, 1, 1)


def test_targets_show_scope_number_stage_and_progress(im_japan: Organisation) -> None:
    national = Target.objects.create(year=2025, number=4, stage=TargetStage.REGISTERED)
    partner = Target.objects.create(year=2025, partner=im_japan, number=10)
    country = Target.objects.create(year=2024, country_id="JP", number=5)
    for _ in range(2):
        ParticipantFactory(partner=im_japan, status=JourneyStatus.DEPARTED, created_at=_mid(2025))
    expected: list[dict[str, Any]] = [
        _target(national, "national", "", "", 4, "registered", 2, 50),
        _target(partner, "partner", im_japan.name, "", 10, "departed", 2, 20),
        _target(country, "country", "", "JP", 5, "departed", 0, 0),
    ]
    assert json.loads(_run("targets", "--format", "json")) == expected
    assert _csv("targets", "--year", "2024") == [
        ["id", "year", "scope", "partner", "country", "number", "stage", "achieved", "percent"],
        [str(country.pk), "2024", "country", "", "JP", "5", "departed", "0", "0"],
    ]


def _mid(year: int) -> dt.datetime:
    """Midday in June of ``year``, in Jakarta: well inside the year's intake."""
    return dt.datetime(year, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _target(target: Target, scope: str, partner: str, country: str, *rest: Any) -> dict[str, Any]:
    number, stage, achieved, percent = rest
    return {
        "id": target.pk,
        "year": target.year,
        "scope": scope,
        "partner": partner,
        "country": country,
        "number": number,
        "stage": stage,
        "achieved": achieved,
        "percent": percent,
    }


@pytest.mark.parametrize(
    "args",
    [
        ("job-orders", "--status", "bogus"),
        ("job-orders", "--country", "XX"),
        ("targets", "--year", "1999"),
        ("targets", "--year", "next"),
    ],
)
def test_a_bad_option_value_is_a_usage_error_with_exit_code_2(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as refused:
        _run(*args)
    assert refused.value.returncode == 2
    assert repr(args[-1]) in str(refused.value)


def test_a_bad_option_value_from_the_command_line_prints_to_stderr_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["jembatan", "demand", "job-orders", "--status", "bogus"]).execute()
    assert exited.value.code == 2
    assert "Unknown status 'bogus'" in capsys.readouterr().err
