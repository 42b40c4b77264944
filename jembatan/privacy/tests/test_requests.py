"""A participant files a request about their data; an officer carries it out or refuses it.

The issue is done when a request to correct and a request to delete run to
their outcome: both are here end to end through the services, and through the
pages in ``test_request_pages.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone, translation

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Region
from jembatan.core.roles import Role
from jembatan.documents.models import Document, DocumentRequirement
from jembatan.documents.services import document_upload
from jembatan.documents.tests.conftest import make_pdf
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import ConsentPurpose, JourneyStatus, Participant
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services.registry import consent_record
from jembatan.privacy.deadlines import table_version
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.export import personal_data
from jembatan.privacy.models import RequestKind, RequestStatus, RightsRequest
from jembatan.privacy.services.requests import request_complete, request_refuse, request_take

pytestmark = pytest.mark.django_db
Filer = Callable[..., RightsRequest]


def _codes(error: ValidationError) -> set[str]:
    return (
        {e.code for errors in error.error_dict.values() for e in errors}
        if hasattr(error, "error_dict")
        else {e.code for e in error.error_list}
    )


@pytest.fixture
def ani(lpk_a: Any) -> Participant:
    """Ani: registered at LPK A in Kota Semarang, with an account, phone, e-mail and address."""
    user = UserFactory(username="ani", role=Role.PARTICIPANT, full_name="Ani Wijaya")
    return ParticipantFactory(
        full_name="Ani Wijaya",
        sending_organisation=lpk_a,
        user=user,
        phone="+6281111111111",
        email="ani@example.id",
        address="Jl. Melati 7",
        passport_number="C1234567",
        passport_expiry=dt.date(2030, 1, 31),
        birth_date=dt.date(2001, 6, 15),
    )


# --- correcting: runs to its outcome ---------------------------------------------------------


def test_a_request_to_correct_runs_to_its_outcome(
    participant_jateng: Participant, provincial_officer: User, file_request: Filer
) -> None:
    filed = file_request(
        participant_jateng,
        "correct",
        field_name="phone",
        proposed_value="0812-3456-7890",
        details="I have a new phone number.",
    )
    assert (filed.status, filed.owner_province_id, filed.filed_by) == (
        RequestStatus.RECEIVED,
        "33",
        participant_jateng.user,
    )
    assert filed.due_at - filed.received_at == dt.timedelta(hours=72)
    assert "art. 30(1)" in filed.deadline_basis and filed.deadline_table == table_version()

    taken = request_take(rights_request=filed, acting_user=provincial_officer)
    assert (taken.status, taken.handled_by) == (RequestStatus.IN_PROGRESS, provincial_officer)
    done = request_complete(
        rights_request=taken, acting_user=provincial_officer, value="0812-3456-7890"
    )

    participant_jateng.refresh_from_db()
    assert participant_jateng.phone == "+6281234567890"
    change = ChangeRecord.objects.get(
        operation="participants.participant_update", object_id=str(participant_jateng.pk)
    )
    assert change.actor == provincial_officer
    assert change.changes["phone"] == {"before": "", "after": "+6281234567890"}
    assert (done.status, done.applied_value) == (RequestStatus.DONE, "+6281234567890")
    assert "your phone (E.164) was corrected as you asked" in done.outcome
    assert list(
        ChangeRecord.objects.filter(object_id=str(done.pk), content_type__model="rightsrequest")
        .order_by("id")
        .values_list("operation", flat=True)
    ) == ["privacy.request_file", "privacy.request_take", "privacy.request_complete"]


def test_the_outcome_is_written_in_the_language_the_person_asked_in(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    filed = file_request(
        participant_jateng,
        "correct",
        field_name="birth_place",
        proposed_value="Kendal",
        language="id",
    )
    done = request_complete(rights_request=filed, acting_user=national_officer, value="Kendal")

    moment = timezone.localtime(done.decided_at)
    with translation.override("id"):
        indonesian = formats.date_format(moment, "DATETIME_FORMAT")
    english = formats.date_format(moment, "DATETIME_FORMAT")
    assert indonesian in done.outcome and indonesian != english
    assert english not in done.outcome


def test_a_correction_the_registry_refuses_is_shown_beside_the_value_and_changes_nothing(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    filed = file_request(participant_jateng, "correct", field_name="phone", proposed_value="12")
    before = Participant.objects.filter(pk=participant_jateng.pk).values().get()

    with pytest.raises(ValidationError) as refused:
        request_complete(rights_request=filed, acting_user=national_officer, value="12")

    assert "value" in refused.value.message_dict
    assert Participant.objects.filter(pk=participant_jateng.pk).values().get() == before
    assert RightsRequest.objects.get(pk=filed.pk).status == RequestStatus.RECEIVED


def test_a_correction_to_what_the_record_already_says_is_refused(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    filed = file_request(
        participant_jateng, "correct", field_name="birth_place", proposed_value="Semarang"
    )
    with pytest.raises(ValidationError) as refused:
        request_complete(rights_request=filed, acting_user=national_officer, value="Semarang")
    assert _codes(refused.value) == {PrivacyErrorCode.NOTHING_TO_CORRECT}


# --- deleting: runs to its outcome -------------------------------------------------------------


def test_a_request_to_delete_runs_to_its_outcome(
    ani: Participant,
    national_officer: User,
    file_request: Filer,
    private_media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    requirement = DocumentRequirement.objects.get(
        route="lpk", kind="id_card", valid_to__isnull=True
    )
    document = document_upload(
        participant=ani,
        requirement=requirement,
        chunks=[make_pdf()],
        original_name="KTP Ani.pdf",
        acting_user=ani.user,
    )
    stored = Path(document.file.path)
    assert stored.exists()
    filed = file_request(ani, "delete", details="I no longer want to take part.")

    with django_capture_on_commit_callbacks(execute=True):
        done = request_complete(rights_request=filed, acting_user=national_officer)

    ani.refresh_from_db()
    assert (ani.nik, ani.full_name) == (f"00{ani.pk:014d}", f"Anonim #{ani.pk}")
    assert ani.birth_date == dt.date(2001, 1, 1)
    assert (ani.phone, ani.email, ani.address, ani.passport_number, ani.passport_expiry) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert ani.status == JourneyStatus.WITHDRAWN
    assert not Document.objects.filter(participant=ani).exists() and not stored.exists()
    account = User.objects.get(pk=ani.user_id)
    assert (account.username, account.is_active, account.has_usable_password()) == (
        f"anonim-{account.pk}",
        False,
        False,
    )
    assert done.status == RequestStatus.DONE and "your personal data were deleted" in done.outcome
    assert RightsRequest.objects.get(pk=filed.pk).details == "—"
    anonymised = ChangeRecord.objects.filter(operation="privacy.participant_anonymise")
    assert "Ani Wijaya" not in str(list(anonymised.values_list("changes", flat=True)))
    assert anonymised.get(content_type__model="participant").changes["full_name"] == {
        "before": "•••",
        "after": f"Anonim #{ani.pk}",
    }


def test_a_deletion_is_refused_while_the_record_must_be_kept_and_the_person_reads_why(
    ani: Participant, national_officer: User, file_request: Filer
) -> None:
    Participant.objects.filter(pk=ani.pk).update(status=JourneyStatus.DEPARTED)
    filed = file_request(ani, "delete")
    before = Participant.objects.filter(pk=ani.pk).values().get()

    with pytest.raises(ValidationError) as refused:
        request_complete(rights_request=filed, acting_user=national_officer)
    assert _codes(refused.value) == {PrivacyErrorCode.RETAINED}
    assert Participant.objects.filter(pk=ani.pk).values().get() == before

    done = request_refuse(
        rights_request=filed, acting_user=national_officer, reason="You departed in 2025."
    )
    assert done.status == RequestStatus.REFUSED
    assert "You have been sent abroad with the programme" in done.outcome
    assert "The officer's explanation: You departed in 2025." in done.outcome


# --- restricting, objecting, withdrawing ----------------------------------------------------------


def test_a_restriction_and_an_objection_are_carried_out_as_a_restriction(
    participant_jateng: Participant, ani: Participant, national_officer: User, file_request: Filer
) -> None:
    restrict = request_complete(
        rights_request=file_request(participant_jateng, "restrict"), acting_user=national_officer
    )
    objection = request_complete(
        rights_request=file_request(ani, "object"), acting_user=national_officer
    )

    assert [(r.ground, r.lifted_at) for r in restrict.restrictions.all()] == [("restrict", None)]
    assert [(r.ground, r.lifted_at) for r in objection.restrictions.all()] == [("object", None)]
    assert objection.outcome.startswith("Your objection was upheld.")
    assert "partners abroad no longer see you" in restrict.outcome


def test_a_withdrawal_takes_effect_when_filed_and_cannot_be_refused(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    text = current_consent_text(ConsentPurpose.TRANSFER_ABROAD)
    assert text is not None
    consent = consent_record(
        participant=participant_jateng, text=text, language="id", acting_user=None
    )

    filed = file_request(participant_jateng, "withdraw", consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and filed.status == RequestStatus.RECEIVED

    with pytest.raises(ValidationError) as refused:
        request_refuse(rights_request=filed, acting_user=national_officer, reason="No.")
    assert refused.value.code == PrivacyErrorCode.WITHDRAWAL_NOT_REFUSABLE
    done = request_complete(rights_request=filed, acting_user=national_officer)
    assert "Partners abroad no longer see you or your record." in done.outcome


# --- what filing refuses --------------------------------------------------------------------------


def test_only_the_person_themself_files_a_request(
    participant_jateng: Participant, national_officer: User
) -> None:
    from jembatan.privacy.services.requests import request_file

    with pytest.raises(PermissionDenied):
        request_file(
            participant=participant_jateng,
            kind="restrict",
            details="On her behalf.",
            acting_user=national_officer,
            language="id",
        )
    assert not RightsRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"field_name": "status", "proposed_value": "alumnus"}, PrivacyErrorCode.NOT_CORRECTABLE),
        ({"field_name": "phone", "proposed_value": "  "}, PrivacyErrorCode.NOTHING_TO_CORRECT),
        (
            {"field_name": "phone", "proposed_value": "0812", "details": " "},
            PrivacyErrorCode.REASON_REQUIRED,
        ),
    ],
)
def test_a_correction_without_a_field_value_or_reason_is_refused(
    participant_jateng: Participant, file_request: Filer, fields: dict[str, str], code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        file_request(participant_jateng, "correct", **fields)
    assert _codes(refused.value) == {code}
    assert not RightsRequest.objects.exists()


def test_a_second_open_request_for_the_same_thing_is_refused(
    participant_jateng: Participant, file_request: Filer
) -> None:
    file_request(participant_jateng, "correct", field_name="phone", proposed_value="0812")
    with pytest.raises(ValidationError) as refused:
        file_request(participant_jateng, "correct", field_name="phone", proposed_value="0813")
    assert refused.value.code == PrivacyErrorCode.ALREADY_OPEN
    file_request(participant_jateng, "correct", field_name="email", proposed_value="s@x.id")
    assert RightsRequest.objects.count() == 2


def test_a_consent_of_someone_else_cannot_be_withdrawn(
    participant_jateng: Participant, ani: Participant, file_request: Filer
) -> None:
    text = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    assert text is not None
    hers = consent_record(participant=ani, text=text, language="id", acting_user=None)
    with pytest.raises(ValidationError) as refused:
        file_request(participant_jateng, "withdraw", consent=hers)
    assert _codes(refused.value) == {PrivacyErrorCode.NOT_YOUR_CONSENT}
    hers.refresh_from_db()
    assert hers.withdrawn_at is None


def test_a_restriction_is_not_asked_for_twice(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    request_complete(
        rights_request=file_request(participant_jateng, "restrict"), acting_user=national_officer
    )
    with pytest.raises(ValidationError) as refused:
        file_request(participant_jateng, "object")
    assert refused.value.code == PrivacyErrorCode.ALREADY_RESTRICTED


# --- who owns and handles a request ---------------------------------------------------------------


def test_without_a_provincial_officer_a_request_is_national_from_the_start(
    participant_jateng: Participant, file_request: Filer
) -> None:
    assert file_request(participant_jateng, "restrict").owner_province is None


def test_an_officer_of_another_province_may_not_handle_it_and_national_may(
    participant_jateng: Participant,
    provincial_officer: User,
    other_provincial_officer: User,
    national_admin: User,
    file_request: Filer,
) -> None:
    filed = file_request(participant_jateng, "restrict")
    assert filed.owner_province == Region.objects.get(code="33")
    with pytest.raises(PermissionDenied):
        request_take(rights_request=filed, acting_user=other_provincial_officer)
    assert RightsRequest.objects.get(pk=filed.pk).status == RequestStatus.RECEIVED
    assert (
        request_take(rights_request=filed, acting_user=national_admin).handled_by == national_admin
    )


@pytest.mark.parametrize("kind", [k.value for k in RequestKind])
def test_every_kind_gets_its_deadline_from_the_table(
    participant_jateng: Participant, file_request: Filer, kind: str
) -> None:
    from jembatan.privacy.deadlines import deadline_for

    fields: dict[str, Any] = {}
    if kind == "correct":
        fields = {"field_name": "email", "proposed_value": "siti@example.id"}
    if kind == "withdraw":
        text = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
        assert text is not None
        fields = {
            "consent": consent_record(
                participant=participant_jateng, text=text, language="id", acting_user=None
            )
        }
    filed = file_request(participant_jateng, kind, **fields)
    rule = deadline_for(kind)
    assert filed.due_at - filed.received_at == dt.timedelta(hours=rule.hours)
    assert filed.deadline_basis == rule.basis


# --- the export ---------------------------------------------------------------------------


def test_each_request_is_in_the_persons_data_export(
    participant_jateng: Participant, national_officer: User, file_request: Filer
) -> None:
    filed = file_request(participant_jateng, "restrict", details="Pause, please.")
    request_complete(rights_request=filed, acting_user=national_officer, note="Done today.")

    data = personal_data(participant_jateng, generated_by=national_officer)

    sections = {s["model"]: s["items"] for s in data["records"]}
    [item] = sections["privacy.rightsrequest"]
    assert (item["id"], item["fields"]["kind"], item["fields"]["status"]) == (
        filed.pk,
        "restrict",
        "done",
    )
    assert "The officer's explanation: Done today." in item["fields"]["outcome"]
    assert [i["fields"]["ground"] for i in sections["privacy.processingrestriction"]] == [
        "restrict"
    ]
    operations = {c["operation"] for c in data["change_history"]}
    assert {"privacy.request_file", "privacy.request_complete"} <= operations
