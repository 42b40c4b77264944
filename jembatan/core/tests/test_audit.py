"""The audit trail: who changed what, and nobody can rewrite it, not even with raw SQL."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.audit import diff, json_value, record_access, record_change, snapshot
from jembatan.core.models import AccessLog, ChangeRecord, Occupation
from jembatan.core.models.audit import AppendOnlyError
from jembatan.participants.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(national_admin: User) -> ChangeRecord:
    occupation = Occupation.objects.filter(dataset__code="jp-ssw-2024").order_by("code")[0]
    return record_change(
        acting_user=national_admin,
        operation="core.occupation_update",
        instance=occupation,
        action="update",
        changes={"name_en": {"before": "Old", "after": "New"}},
        reason="Typo in the name",
    )


@pytest.fixture
def access(auditor: User, participant_jateng: Participant) -> AccessLog:
    record_access(acting_user=auditor, purpose="participants.detail", instance=participant_jateng)
    return AccessLog.objects.get()  # the one entry: record_access returns nothing


# --- what is written -------------------------------------------------------------


def test_record_change_writes_who_when_what_and_how(national_admin: User) -> None:
    occupation = Occupation.objects.filter(dataset__code="jp-ssw-2024").order_by("code")[0]
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    started = timezone.now()

    record = record_change(
        acting_user=national_admin,
        operation="core.occupation_update",
        instance=occupation,
        action="update",
        changes={"name_en": {"before": "Old", "after": "New"}},
        request=request,
    )

    stored = ChangeRecord.objects.get(pk=record.pk)
    assert stored.actor == national_admin
    assert stored.actor_label == "nadia"
    assert started <= stored.at <= timezone.now()
    assert stored.operation == "core.occupation_update"
    assert stored.action == "update"
    assert stored.content_type == ContentType.objects.get_for_model(Occupation)
    assert stored.object_id == str(occupation.pk)
    assert stored.object_repr == str(occupation)
    assert stored.changes == {"name_en": {"before": "Old", "after": "New"}}
    assert stored.ip_address == "10.1.2.3"


def test_a_change_by_the_system_is_labelled_system(participant_jateng: Participant) -> None:
    record = record_change(
        acting_user=None,
        operation="participants.import",
        instance=participant_jateng,
        action="create",
    )
    assert (record.actor, record.actor_label, record.changes) == (None, "system", {})


def test_record_access_writes_who_read_which_record(
    access: AccessLog, auditor: User, participant_jateng: Participant
) -> None:
    stored = AccessLog.objects.get(pk=access.pk)
    assert (stored.actor, stored.actor_label, stored.actor_role) == (auditor, "agus", "auditor")
    assert stored.purpose == "participants.detail"
    assert stored.content_type == ContentType.objects.get_for_model(Participant)
    assert stored.object_id == str(participant_jateng.pk)


# --- append-only in Python ---------------------------------------------------------


def test_a_stored_change_record_cannot_be_saved_again(change: ChangeRecord) -> None:
    change.operation = "forged"
    with pytest.raises(AppendOnlyError):
        change.save()
    assert ChangeRecord.objects.get(pk=change.pk).operation == "core.occupation_update"


def test_a_stored_access_log_entry_cannot_be_saved_again(access: AccessLog) -> None:
    access.purpose = "forged"
    with pytest.raises(AppendOnlyError):
        access.save()
    assert AccessLog.objects.get(pk=access.pk).purpose == "participants.detail"


@pytest.mark.parametrize("fixture", ["change", "access"])
def test_an_audit_row_cannot_be_deleted(request: pytest.FixtureRequest, fixture: str) -> None:
    row = request.getfixturevalue(fixture)
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("fixture", ["change", "access"])
def test_audit_rows_cannot_be_updated_or_deleted_in_bulk(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    row = request.getfixturevalue(fixture)
    rows = type(row).objects.filter(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        rows.update(actor_label="forged")
    with pytest.raises(AppendOnlyError):
        rows.delete()
    assert rows.get().actor_label == row.actor_label


# --- append-only in the database itself ----------------------------------------------


def _raw(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("fixture", ["change", "access"])
def test_raw_sql_update_is_refused_by_the_database(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    row = request.getfixturevalue(fixture)
    table = type(row)._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET actor_label = %s WHERE id = %s", ["forged", row.pk])
    assert type(row).objects.get(pk=row.pk).actor_label == row.actor_label


@pytest.mark.parametrize("fixture", ["change", "access"])
def test_raw_sql_delete_is_refused_by_the_database(
    request: pytest.FixtureRequest, fixture: str
) -> None:
    row = request.getfixturevalue(fixture)
    table = type(row)._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert type(row).objects.filter(pk=row.pk).exists()


def test_the_database_still_accepts_new_audit_rows_after_a_refusal(change: ChangeRecord) -> None:
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM core_changerecord WHERE id = %s", [change.pk])
    record_access(acting_user=None, purpose="participants.list")
    assert AccessLog.objects.filter(purpose="participants.list").count() == 1


# --- snapshot and diff ---------------------------------------------------------------


def test_snapshot_stores_dates_as_iso_text_and_foreign_keys_as_ids(
    participant_jateng: Participant,
) -> None:
    fields = ["birth_date", "regency_id", "sending_organisation_id", "status_changed_at"]
    values = snapshot(participant_jateng, fields)
    assert values == {
        "birth_date": "1999-03-12",
        "regency_id": "33.74",
        "sending_organisation_id": participant_jateng.sending_organisation_id,
        "status_changed_at": participant_jateng.status_changed_at.isoformat(),
    }


def test_snapshot_of_a_relation_by_name_stores_its_id(participant_jateng: Participant) -> None:
    assert snapshot(participant_jateng, ["regency", "partner"]) == {
        "regency": "33.74",
        "partner": participant_jateng.partner_id,
    }


def test_snapshot_without_fields_covers_every_concrete_field(
    participant_jateng: Participant,
) -> None:
    values = snapshot(participant_jateng)
    assert set(values) == {f.attname for f in Participant._meta.concrete_fields}
    assert values["province_id"] == "33"
    assert values["user_id"] == participant_jateng.user_id


def test_json_value_makes_every_field_type_json_safe() -> None:
    moment = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert json_value(moment) == "2025-01-02T03:04:05+00:00"
    assert json_value(dt.date(2025, 1, 2)) == "2025-01-02"
    assert json_value(dt.time(8, 30)) == "08:30:00"
    assert json_value(decimal.Decimal("1.50")) == "1.50"
    assert json_value(ident) == "12345678-1234-5678-1234-567812345678"
    assert json_value(None) is None


def test_diff_lists_only_the_fields_that_changed() -> None:
    before = {"birth_date": "1999-03-12", "regency_id": "33.74", "status": "registered"}
    after = {"birth_date": "1999-03-13", "regency_id": "33.22", "status": "registered"}
    assert diff(before, after) == {
        "birth_date": {"before": "1999-03-12", "after": "1999-03-13"},
        "regency_id": {"before": "33.74", "after": "33.22"},
    }


def test_diff_treats_a_missing_field_as_none() -> None:
    assert diff({}, {"partner_id": 7}) == {"partner_id": {"before": None, "after": 7}}
    assert diff({"a": 1}, {"a": 1}) == {}


def test_a_recorded_diff_of_a_real_change_round_trips_through_the_database(
    national_admin: User, participant_jateng: Participant, jatim
) -> None:
    before = snapshot(participant_jateng, ["regency_id", "birth_date"])
    participant_jateng.regency_id = "35.78"
    participant_jateng.birth_date = dt.date(1999, 3, 13)
    changes = diff(before, snapshot(participant_jateng, ["regency_id", "birth_date"]))

    record = record_change(
        acting_user=national_admin,
        operation="participants.participant_correct",
        instance=participant_jateng,
        action="update",
        changes=changes,
    )

    assert ChangeRecord.objects.get(pk=record.pk).changes == {
        "birth_date": {"before": "1999-03-12", "after": "1999-03-13"},
        "regency_id": {"before": "33.74", "after": "35.78"},
    }
