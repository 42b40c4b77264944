"""What changed, in words: a change record's fields and values as officials read them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jembatan.accounts.models import User
from jembatan.core.audit import fingerprint, record_change
from jembatan.core.change_display import EMPTY, ChangeLine, change_lines
from jembatan.core.models import ChangeRecord
from jembatan.documents.models import DocumentKind, DocumentRequirement
from jembatan.documents.services import document_upload
from jembatan.documents.tests.conftest import make_pdf
from jembatan.participants.models import Participant
from jembatan.protection.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


def lines(model: type[Model], changes: dict[str, Any], language: str) -> list[ChangeLine]:
    record = ChangeRecord(content_type=ContentType.objects.get_for_model(model), changes=changes)
    with translation.override(language):
        return change_lines(record)


def pair(before: Any, after: Any) -> dict[str, Any]:
    return {"before": before, "after": after}


# --- field names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", ["Status perkawinan", "Penyelenggara pemagangan luar negeri"]),
        ("en", ["Marital status", "Sending organisation"]),
    ],
)
def test_a_field_shows_its_verbose_name_in_the_interface_language(language, expected) -> None:
    changes = {"marital_status": pair(None, "single"), "sending_organisation_id": pair(3, 4)}

    shown = lines(Participant, changes, language)

    assert [line.label for line in shown] == expected
    assert [line.key for line in shown] == ["marital_status", "sending_organisation_id"]
    assert all(line.named for line in shown)


def test_a_key_that_is_not_a_field_today_is_shown_as_it_is() -> None:
    changes = {"rows": pair(None, 12), "status_changes": pair(0, 1)}  # computed; a reverse relation

    shown = lines(Participant, changes, "id")

    assert [(line.label, line.named) for line in shown] == [
        ("rows", False),
        ("status_changes", False),
    ]
    assert [(line.before, line.after) for line in shown] == [(EMPTY, "12"), ("0", "1")]


def test_the_keys_of_a_model_that_is_gone_are_shown_as_they_are() -> None:
    gone = ContentType.objects.create(app_label="retired", model="thing")
    record = ChangeRecord(content_type=gone, changes={"status": pair("a", True)})

    with translation.override("id"):
        [line] = change_lines(record)

    assert (line.label, line.before, line.after) == ("status", "a", "Ya")


# --- values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("id", "Terverifikasi", "Dalam pelatihan"), ("en", "Verified", "In training")],
)
def test_a_choice_value_shows_its_label(language, before, after) -> None:
    [line] = lines(Participant, {"status": pair("verified", "in_training")}, language)

    assert (line.before, line.after, line.pair) == (before, after, True)


def test_an_unknown_choice_value_is_shown_as_it_is() -> None:
    [line] = lines(Participant, {"status": pair("in_orbit", "verified")}, "en")

    assert (line.before, line.after) == ("in_orbit", "Verified")


@pytest.mark.parametrize(("language", "yes", "no"), [("id", "Ya", "Tidak"), ("en", "Yes", "No")])
def test_a_boolean_reads_yes_or_no(language, yes, no) -> None:
    changes = {"public": pair(False, True), "dry_run": pair(None, True)}  # a field; a plain key

    shown = lines(CaseEvent, changes, language)

    assert [(line.before, line.after) for line in shown] == [(no, yes), (EMPTY, yes)]


def test_a_none_before_shows_the_empty_sign() -> None:
    [line] = lines(Participant, {"education": pair(None, "s1")}, "en")

    assert (line.before, line.after) == (EMPTY, "Bachelor (S1/D4)")


@pytest.mark.parametrize(
    ("language", "moment", "day", "wage"),
    [
        ("id", "13 November 2026, 01.11", "12 Maret 1999", "190.000,00"),
        ("en", "13 November 2026, 01:11", "12 March 1999", "190,000.00"),
    ],
)
def test_moments_dates_and_amounts_read_in_the_page_language(language, moment, day, wage) -> None:
    from jembatan.demand.models import JobOrder
    from jembatan.participants.models import ParticipantStatusChange

    [changed_at] = lines(
        ParticipantStatusChange, {"at": "2026-11-12T18:11:41.543847+00:00"}, language
    )
    [born] = lines(Participant, {"birth_date": pair(None, "1999-03-12")}, language)
    [paid] = lines(JobOrder, {"wage_amount": pair("not a number", "190000.00")}, language)

    assert changed_at.after == moment  # 18:11 UTC is 01:11 the next day in Jakarta
    assert (born.before, born.after) == (EMPTY, day)
    assert (paid.before, paid.after) == ("not a number", wage)


def test_a_choice_left_empty_shows_the_empty_sign() -> None:
    from jembatan.demand.models import JobOrder

    [line] = lines(JobOrder, {"programme": pair(None, "")}, "en")

    assert (line.before, line.after) == (EMPTY, EMPTY)


def test_the_fingerprint_of_an_encrypted_text_stays_as_it_is() -> None:
    before, after = fingerprint("first account"), fingerprint("second account")

    [line] = lines(Case, {"description": pair(before, after)}, "id")

    assert (line.label, line.before, line.after) == ("Apa yang terjadi", before, after)
    assert after.startswith("[encrypted ")


def test_an_entry_that_is_one_value_is_shown_without_an_arrow() -> None:
    [line] = lines(Participant, {"method": "greedy"}, "en")

    assert (line.label, line.after, line.pair) == ("method", "greedy", False)


# --- the pages -----------------------------------------------------------------------


def recorded(participant: Participant, actor: User, action: str, **changes: Any) -> ChangeRecord:
    return record_change(
        acting_user=actor,
        operation=f"participants.participant_{action}",
        instance=participant,
        action=action,
        changes=changes,
    )


def transition(participant: Participant, actor: User, before: str, after: str) -> ChangeRecord:
    return recorded(
        participant, actor, "transition", status=pair(before, after), version=pair(1, 2)
    )


def test_the_change_history_shows_a_participants_status_in_indonesian(
    settings, client_for, auditor, national_admin, participant_jateng
) -> None:
    settings.LANGUAGE_CODE = "id"
    transition(participant_jateng, national_admin, "verified", "in_training")

    page = client_for(auditor).get(reverse("core:changes")).text

    assert "Status <small><code>status</code></small>: Terverifikasi → Dalam pelatihan" in page
    assert "in_training" not in page
    assert "<code>status</code>: verified" not in page


def test_the_auditors_home_shows_the_labels_in_english_when_chosen(
    client_for, auditor, national_admin, participant_jateng
) -> None:
    transition(participant_jateng, national_admin, "verified", "in_training")
    client = client_for(auditor)
    client.cookies["django_language"] = "en"

    page = client.get("/").text

    assert "Status <small><code>status</code></small>: Verified → In training" in page


def test_the_change_history_costs_no_query_per_row(
    client_for, auditor, national_admin, participant_jateng, django_assert_max_num_queries
) -> None:
    client = client_for(auditor)
    transition(participant_jateng, national_admin, "registered", "verified")
    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("core:changes"))
    for _ in range(29):
        transition(participant_jateng, national_admin, "verified", "in_training")

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        page = client.get(reverse("core:changes")).text

    assert page.count("Verified → In training") == 29


# --- records a change points at --------------------------------------------------------


def moved(participant: Participant, actor: User, before: Any, after: Any) -> ChangeRecord:
    return recorded(participant, actor, "update", sending_organisation_id=pair(before, after))


def test_a_scrubbed_related_value_stays_as_it_is() -> None:
    [line] = lines(Participant, {"sending_organisation_id": pair("•••", 4)}, "en")

    assert (line.before, line.after) == ("•••", "Organisation #4")


@pytest.mark.parametrize(("language", "kind"), [("id", "Organisasi"), ("en", "Organisation")])
def test_a_related_record_read_without_names_says_what_kind_it_is(language, kind) -> None:
    shown = lines(Participant, {"sending_organisation_id": pair(3, 4)}, language)

    assert (shown[0].before, shown[0].after) == (f"{kind} #3", f"{kind} #4")


def test_the_change_history_names_the_organisations_a_change_points_at(
    client_for, auditor, national_admin, participant_jateng, lpk_a, lpk_b
) -> None:
    moved(participant_jateng, national_admin, lpk_a.pk, lpk_b.pk)

    page = client_for(auditor).get(reverse("core:changes")).text

    assert f"{lpk_a.name} (#{lpk_a.pk}) → {lpk_b.name} (#{lpk_b.pk})" in page


def test_a_named_record_that_is_gone_stays_an_id_with_its_kind(
    client_for, auditor, national_admin, participant_jateng, lpk_a
) -> None:
    moved(participant_jateng, national_admin, lpk_a.pk, 987654)

    client = client_for(auditor)
    client.cookies["django_language"] = "en"
    page = client.get("/").text  # the auditor's home lists the latest changes too

    assert f"{lpk_a.name} (#{lpk_a.pk}) → Organisation #987654" in page


def test_a_person_a_change_points_at_is_never_named(
    client_for, auditor, national_admin, participant_jateng, participant_jatim
) -> None:
    record_change(
        acting_user=national_admin,
        operation="documents.document_move",
        instance=participant_jateng,
        action="update",
        changes={"user_id": pair(None, participant_jateng.user_id)},
    )
    client = client_for(auditor)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("core:changes")).text

    # The account's username is not read: the line says only what kind of record it is.
    assert f"<code>user_id</code></small>: ∅ → User #{participant_jateng.user_id}</div>" in page


def test_names_cost_one_query_per_kind_not_per_row(
    client_for,
    auditor,
    national_admin,
    participant_jateng,
    lpk_a,
    lpk_b,
    django_assert_max_num_queries,
) -> None:
    client = client_for(auditor)
    moved(participant_jateng, national_admin, lpk_a.pk, lpk_b.pk)
    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("core:changes"))
    for _ in range(29):
        moved(participant_jateng, national_admin, lpk_b.pk, lpk_a.pk)

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        page = client.get(reverse("core:changes")).text

    assert page.count(f"{lpk_b.name} (#{lpk_b.pk}) → {lpk_a.name} (#{lpk_a.pk})") == 29


def test_a_code_its_model_names_shows_that_name_once_per_page(
    client_for,
    auditor,
    national_admin,
    participant_jateng,
    participant_user,
    settings,
    tmp_path,
    django_assert_max_num_queries,
) -> None:
    # A document's kind is a code whose names are data (document types): the model names it.
    settings.MEDIA_ROOT = tmp_path
    document = document_upload(
        participant=participant_jateng,
        requirement=DocumentRequirement.objects.get(
            route="lpk", kind=DocumentKind.POLICE_RECORD, valid_to__isnull=True
        ),
        chunks=[make_pdf()],
        original_name="SKCK.pdf",
        acting_user=participant_user,
    )
    uploaded = {"kind": pair(None, "police_record"), "status": pair(None, "pending")}

    def upload() -> None:
        record_change(
            acting_user=national_admin,
            operation="documents.document_upload",
            instance=document,
            action="create",
            changes=uploaded,
        )

    client = client_for(auditor)
    upload()
    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("core:changes"))
    for _ in range(9):
        upload()

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        page = client.get(reverse("core:changes")).text

    # Ten here and the upload's own record.
    assert page.count("<code>kind</code></small>: ∅ → Police record (SKCK)</div>") == 11
    assert "→ police_record" not in page
