"""``jembatan deployment``: the overdue report (CSV, JSON), the daily run, the gates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from jembatan.deployment.factories import abroad
from jembatan.deployment.models import Deployment, MonitoringAlert

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("deployment", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def silent(ready: Deployment) -> Deployment:
    """Siti arrived 70 days ago and nobody has reported since."""
    return abroad(
        ready, departed_on=TODAY - dt.timedelta(days=70), arrived_on=TODAY - dt.timedelta(days=70)
    )


def test_the_overdue_report_as_csv(silent: Deployment) -> None:
    rows = list(csv.DictReader(io.StringIO(_run("overdue"))))

    assert sorted(r["report"] for r in rows) == ["check_in", "sender"]
    assert {r["participant"] for r in rows} == {"Siti Rahayu"}
    assert {r["deployment"] for r in rows} == {silent.reference}


def test_the_overdue_report_as_json_after_the_daily_run(silent: Deployment) -> None:
    summary = json.loads(_run("run-daily"))
    rows = json.loads(_run("overdue", "--format", "json"))

    assert (summary["overdue"], summary["raised"]) == (2, 2)
    assert {r["alert"] for r in rows} == {"raised"}
    assert MonitoringAlert.objects.count() == 2


def test_the_daily_run_escalates_after_the_grace_period(silent: Deployment) -> None:
    _run("run-daily", "--date", (TODAY - dt.timedelta(days=30)).isoformat())

    summary = json.loads(_run("run-daily"))

    assert summary["escalated"] == 2


def test_the_gates_of_a_deployment_not_ready_are_listed_and_fail(deployment: Deployment) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError, match="11 gate"):
        call_command("deployment", "gates", deployment.reference, stdout=out)

    assert "Identity verified: An officer has not verified" in out.getvalue()


def test_a_ready_deployment_passes_every_gate(ready: Deployment) -> None:
    assert _run("gates", str(ready.pk)) == f"{ready.reference}: every gate is met.\n"


def test_a_bad_date_is_refused() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("deployment", "overdue", "--date", "tomorrow")
