"""The personal-data PDF reads as words in the reader's language, never as stored codes.

Siti's journey went from *certified* to *in selection*; she handed in her police
record (SKCK), an officer opened it, and she is enrolled in a training batch and a
selection round. Her PDF names all of that in Indonesian (or English), with moments
as the rest of the app writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jembatan.core.audit import record_access, record_change
from jembatan.documents.models import Document, DocumentKind, DocumentRequirement
from jembatan.documents.services import document_upload
from jembatan.documents.tests.conftest import make_pdf
from jembatan.participants.models import DuplicateFlag, Participant, ParticipantStatusChange
from jembatan.privacy import export
from jembatan.selection.factories import CandidacyFactory
from jembatan.training.factories import BatchFactory
from jembatan.training.models import Enrolment

pytestmark = pytest.mark.django_db
# 12 November 2026, 18:11 UTC is 13 November 2026, 01:11 in Jakarta.
STEP_AT = dt.datetime(2026, 11, 12, 18, 11, tzinfo=dt.UTC)
ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT?\d\d:\d\d")
RAW = ("participant_transition", "police_record", "certified", "Enrolledby", "in_selection")


@pytest.fixture
def journey(participant_jateng, participant_user, national_officer, training_operator) -> Document:
    """Siti's police record, her last step, a batch and a selection round she is in."""
    requirement = DocumentRequirement.objects.get(
        route="lpk", kind=DocumentKind.POLICE_RECORD, valid_to__isnull=True
    )
    document = document_upload(
        participant=participant_jateng,
        requirement=requirement,
        chunks=[make_pdf()],
        original_name="SKCK Siti.pdf",
        acting_user=participant_user,
    )
    record_access(acting_user=national_officer, purpose="documents.view", instance=document)
    ParticipantStatusChange.objects.create(
        participant=participant_jateng,
        from_status="certified",
        to_status="in_selection",
        at=STEP_AT,
        by=national_officer,
        by_label="oki",
    )
    record_change(
        acting_user=national_officer,
        operation="participants.participant_transition",
        instance=participant_jateng,
        action="transition",
        changes={"status": {"before": "certified", "after": "in_selection"}},
    )
    Enrolment.objects.create(
        batch=BatchFactory(),
        participant=participant_jateng,
        enrolled_at=STEP_AT,
        enrolled_by=training_operator,
    )
    CandidacyFactory(
        participant=participant_jateng, status_before="certified", enrolled_by=national_officer
    )
    return document


def _pdf_text(participant: Participant, language: str, tmp_path: Any) -> str:
    import pypdfium2 as pdfium

    with translation.override(language):
        data = export.personal_data(participant, generated_by=participant.user)
        path = tmp_path / f"export-{language}.pdf"
        path.write_bytes(export.as_pdf(data))
    pages = pdfium.PdfDocument(str(path))
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pages)


def _squeezed(text: str) -> str:
    """Without any white space: a code the PDF wrapped over two lines is still found."""
    return "".join(text.split())


def _rows(data: dict[str, Any], model: str, language: str) -> list[tuple[str, str]]:
    with translation.override(language):
        [section] = [s for s in export.readable_records(data) if s["model"] == model]
    return [row for item in section["items"] for row in item]


# --- the PDF ---------------------------------------------------------------------------


def test_the_indonesian_pdf_names_operations_kinds_statuses_and_people_in_words(
    participant_jateng, journey, tmp_path
) -> None:
    text = _pdf_text(participant_jateng, "id", tmp_path)

    assert "Status diubah" in text  # participants.participant_transition
    assert "Surat Keterangan Catatan Kepolisian (SKCK)" in text  # documents: police_record
    assert "Status perjalanan peserta sebelumnya Tersertifikasi" in text
    assert "Didaftarkan oleh" in text
    assert "13 November 2026, 01.11" in text
    assert f"Dokumen #{journey.pk}" in text  # who read what
    for raw in RAW:
        assert raw not in _squeezed(text)
    assert ISO_MOMENT.search(_squeezed(text)) is None


def test_the_english_pdf_reads_in_english(participant_jateng, journey, tmp_path) -> None:
    text = _pdf_text(participant_jateng, "en", tmp_path)

    assert "Status changed" in text
    assert "Police record (SKCK)" in text
    assert "Journey status before Certified" in text
    assert "Enrolled by" in text
    assert "13 November 2026, 01:11" in text
    assert f"Document #{journey.pk}" in text
    for raw in ("participant_transition", "police_record", "in_selection"):
        assert raw not in _squeezed(text)
    assert ISO_MOMENT.search(_squeezed(text)) is None


# --- the records -------------------------------------------------------------------------


def test_who_acted_on_a_record_is_named_by_account_as_in_the_change_history(
    participant_jateng, journey, training_operator
) -> None:
    data = export.personal_data(participant_jateng, generated_by=participant_jateng.user)

    rows = _rows(data, "training.enrolment", "id")

    assert ("Didaftarkan oleh", f"{training_operator.username} (#{training_operator.pk})") in rows
    assert ("Peserta", f"Siti Rahayu (#{participant_jateng.pk})") in rows


def test_another_person_a_record_points_at_is_shown_by_id_not_by_name(
    participant_jateng, participant_jatim
) -> None:
    DuplicateFlag.objects.create(
        participant=participant_jateng,
        candidate=participant_jatim,
        reason="same_name_and_birth_date",
        created_at=timezone.now(),
    )
    data = export.personal_data(participant_jateng, generated_by=participant_jateng.user)

    rows = _rows(data, "participants.duplicateflag", "id")

    assert ("Mungkin orang yang sama", f"Peserta #{participant_jatim.pk}") in rows
    assert all("Budi" not in value for _label, value in rows)


@pytest.mark.parametrize(
    ("model", "field", "code", "words"),
    [
        ("selection.candidacy", "status_before", "certified", "Tersertifikasi"),
        (
            "documents.document",
            "kind",
            "police_record",
            "Surat Keterangan Catatan Kepolisian (SKCK)",
        ),
        (
            "matching.runoutcome",
            "reason",
            "outranked",
            "Tidak ditempatkan: job order sudah penuh oleh kandidat dengan peringkat lebih tinggi",
        ),
        ("privacy.rightsrequest", "field_name", "phone", "nomor telepon (E.164)"),
        (
            "privacy.retentionerasure",
            "rule",
            "participant_withdrawn",
            "Berkas peserta yang mengundurkan diri",
        ),
        (
            "participants.participant",
            "nik_mismatch",
            "birth_date sex",
            "tanggal lahir, jenis kelamin",
        ),
        ("participants.consent", "language", "en", "English"),
    ],
)
def test_a_stored_code_is_shown_in_words(model, field, code, words, participant_jateng) -> None:
    data = {
        "subject": {"participant_id": participant_jateng.pk, "full_name": "Siti Rahayu"},
        "records": [{"model": model, "title": "-", "items": [{"id": 1, "fields": {field: code}}]}],
    }

    [(_label, value)] = _rows(data, model, "id")

    assert value == words


def test_the_names_of_what_records_point_at_are_read_once_per_kind(
    participant_jateng, national_officer, training_operator, national_admin
) -> None:
    def queries(count: int) -> int:
        data = export.personal_data(participant_jateng, generated_by=national_officer)
        with CaptureQueriesContext(connection) as captured:
            sections = export.readable_records(data)
        [candidacies] = [s["items"] for s in sections if s["model"] == "selection.candidacy"]
        assert len(candidacies) == count
        return len(captured.captured_queries)

    enrolled_by = [national_officer, training_operator, national_admin]
    CandidacyFactory(participant=participant_jateng, enrolled_by=enrolled_by[0])
    one = queries(1)
    for officer in enrolled_by[1:]:
        CandidacyFactory(participant=participant_jateng, enrolled_by=officer)

    assert queries(3) == one


# --- every exported record, now and later --------------------------------------------------

# Words spelled the same in both languages.
SAME_IN_BOTH = {"ID", "NIK", "SHA-256", "format", "job order", "status"}
# Text fields holding what people wrote or what identifies something, not codes to name.
AS_WRITTEN = {
    "accounts.user": {"username", "first_name", "last_name", "email"},
    "participants.participant": {
        "nik",
        "full_name",
        "birth_place",
        "district",
        "village",
        "phone",
        "email",
        "emergency_contact_name",
        "emergency_contact_phone",
        "passport_number",
    },
    "participants.participantstatuschange": {"by_label"},
    "participants.consent": {"basis"},
    "participants.invitation": {"token_hash", "sent_to"},
    "documents.document": {"original_name", "sha256", "content_type", "encryption_key"},
    "documents.personaldataexport": {"sha256"},
    "training.certificate": {"number", "token", "issuer_licence_number", "holder_name"},
    "deployment.deployment": {
        "host_prefecture",
        "host_city",
        "host_contact_name",
        "host_contact_phone",
        "host_contact_email",
        "supervisor_contact_name",
        "supervisor_contact_phone",
    },
    "protection.case": {"code", "secret_hash", "deadlines_version"},
    "privacy.rightsrequest": {
        "proposed_value",
        "deadline_basis",
        "deadline_table",
        "applied_value",
    },
}


def _exported_models() -> list[type[models.Model]]:
    """The participant, their account and every model that points at a participant."""
    related = [
        relation.related_model
        for relation in Participant._meta.related_objects
        if not relation.many_to_many
    ]
    return [Participant, get_user_model(), *{m for m in related if isinstance(m, type)}]


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def test_every_field_of_an_exported_record_has_an_indonesian_label() -> None:
    untranslated = []
    for model in _exported_models():
        for field in model._meta.concrete_fields:
            with translation.override("en"):
                english = str(field.verbose_name)
            with translation.override("id"):
                indonesian = str(field.verbose_name)
            if english == indonesian and english not in SAME_IN_BOTH:
                untranslated.append(f"{_label(model)}.{field.name}: {english}")
    assert untranslated == []


def test_no_two_fields_of_an_exported_record_share_a_label() -> None:
    """Two lines labelled "Oleh" in one record say nothing about which is which."""
    shared = []
    with translation.override("id"):
        for model in _exported_models():
            labels = [str(field.verbose_name) for field in model._meta.concrete_fields]
            shared += [f"{_label(model)}: {x}" for x in sorted(set(labels)) if labels.count(x) > 1]
    assert shared == []


def test_every_code_an_exported_record_holds_is_named_by_its_model() -> None:
    """A text field holds what people wrote, or codes named by choices or the model.

    A new field of codes fails here until it gets ``choices=`` or its model a
    ``get_<field>_display()`` (the PDF shows either); a new free-text field is
    added to ``AS_WRITTEN``.
    """
    unnamed = []
    for model in _exported_models():
        left_out = export.LEFT_OUT.get(_label(model), set())
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField) or field.choices or field.name in left_out:
                continue
            named = hasattr(model, f"get_{field.name}_display")
            if not named and field.name not in AS_WRITTEN.get(_label(model), set()):
                unnamed.append(f"{_label(model)}.{field.name}")
    assert unnamed == []
