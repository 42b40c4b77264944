"""A participant (or a national officer on request) gets everything held about them."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jembatan.core.audit import record_access
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.documents.models import (
    Document,
    DocumentKind,
    DocumentRequirement,
    ExportFormat,
    PersonalDataExport,
)
from jembatan.documents.services import document_upload, document_verify
from jembatan.documents.tests.conftest import make_pdf
from jembatan.participants.models import Invitation, ParticipantStatusChange
from jembatan.privacy.export import SCHEMA, as_json, personal_data
from jembatan.privacy.services.export import personal_data_export
from jembatan.protection.factories import make_case

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "private"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def history(participant_jateng, participant_user, national_officer) -> Document:
    """Siti handed in her KTP, Oki verified and opened it, and her journey has one step."""
    requirement = DocumentRequirement.objects.get(
        route="lpk", kind=DocumentKind.ID_CARD, valid_to__isnull=True
    )
    document = document_upload(
        participant=participant_jateng,
        requirement=requirement,
        chunks=[make_pdf()],
        original_name="KTP Siti.pdf",
        acting_user=participant_user,
    )
    document_verify(document=document, acting_user=national_officer)
    record_access(acting_user=national_officer, purpose="documents.view", instance=document)
    ParticipantStatusChange.objects.create(
        participant=participant_jateng,
        from_status="",
        to_status="registered",
        at=timezone.now(),
        by_label="sari",
    )
    return document


def _section(data: dict[str, Any], model: str) -> list[dict[str, Any]]:
    found = [s["items"] for s in data["records"] if s["model"] == model]
    return found[0] if found else []


def _export(client, url: str, **data: str):
    return client.post(url, {"format": "json", "language": "id", **data}, **EN)


# --- what the export holds -------------------------------------------------------------


def test_the_json_holds_the_record_documents_history_and_who_read_it(
    participant_jateng, participant_user, history, client_for
) -> None:
    response = _export(client_for(participant_user), reverse("personal_data:mine"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="data-pribadi-')
    data = json.loads(response.content.decode("utf-8"))
    assert (data["schema"], data["schema_version"], data["subject"]) == (
        SCHEMA,
        1,
        {
            "participant_id": participant_jateng.pk,
            "full_name": "Siti Rahayu",
            "nik": participant_jateng.nik,
        },
    )
    [person] = _section(data, "participants.participant")
    assert person["fields"]["nik"] == participant_jateng.nik
    [document] = _section(data, "documents.document")
    assert document["fields"]["sha256"] == history.sha256
    assert document["fields"]["original_name"] == "KTP Siti.pdf"
    assert "file" not in document["fields"]
    [account] = _section(data, "accounts.user")
    assert "password" not in account["fields"]
    assert [
        s["fields"]["to_status"] for s in _section(data, "participants.participantstatuschange")
    ] == ["registered"]
    operations = [c["operation"] for c in data["change_history"]]
    assert "documents.document_upload" in operations
    assert "documents.document_verify" in operations
    reads = [(r["actor"], r["purpose"], r["model"]) for r in data["access_log"]]
    assert ("oki", "documents.view", "documents.document") in reads


def test_secrets_that_open_something_are_not_handed_over(participant_jateng, national_officer):
    """A hash of a link or of a reporter's secret can be guessed at offline: not in the file."""
    participant_jateng.registration_token = uuid.uuid4()
    participant_jateng.save(update_fields=["registration_token"])
    Invitation.objects.create(
        participant=participant_jateng,
        token_hash="a" * 64,
        created_by=national_officer,
        created_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    make_case(participant=participant_jateng, secret_hash="pbkdf2_sha256$secret")

    data = personal_data(participant_jateng, generated_by=national_officer)

    [person] = _section(data, "participants.participant")
    [invitation] = _section(data, "participants.invitation")
    [case] = _section(data, "protection.case")
    assert "registration_token" not in person["fields"] and "nik" in person["fields"]
    assert "token_hash" not in invitation["fields"] and "expires_at" in invitation["fields"]
    assert "secret_hash" not in case["fields"] and "code" in case["fields"]
    assert "pbkdf2_sha256$secret" not in as_json(data).decode()


def test_the_json_is_utf8_and_keeps_indonesian_letters(
    participant_jateng, participant_user, client_for
):
    type(participant_jateng).objects.filter(pk=participant_jateng.pk).update(birth_place="Pulau Ç")
    response = _export(client_for(participant_user), reverse("personal_data:mine"))
    assert "Pulau Ç".encode() in response.content


def test_an_export_is_recorded_audited_and_logged(participant_jateng, participant_user, client_for):
    _export(client_for(participant_user), reverse("personal_data:mine"))
    export = PersonalDataExport.objects.get()
    assert (export.participant, export.requested_by, export.format) == (
        participant_jateng,
        participant_user,
        "json",
    )
    change = ChangeRecord.objects.get(operation="participants.personal_data_export")
    assert (change.actor, change.object_id) == (participant_user, str(export.pk))
    assert list(
        AccessLog.objects.filter(purpose="participants.export").values_list(
            "actor_label", "object_id"
        )
    ) == [("siti", str(participant_jateng.pk))]


def test_a_second_export_lists_the_first_one(participant_jateng, participant_user) -> None:
    personal_data_export(
        participant=participant_jateng,
        acting_user=participant_user,
        fmt=ExportFormat.JSON,
        language="id",
    )
    data = personal_data(participant_jateng, generated_by=participant_user)
    assert [e["fields"]["format"] for e in _section(data, "documents.personaldataexport")] == [
        "json"
    ]
    assert [r["purpose"] for r in data["access_log"]] == ["participants.export"]


def test_the_participants_own_activity_is_included(participant_jateng, participant_user) -> None:
    record_access(acting_user=participant_user, purpose="participants.mine")
    data = personal_data(participant_jateng, generated_by=participant_user)
    assert [r["purpose"] for r in data["own_activity"]["reads"]] == ["participants.mine"]


# --- formats ----------------------------------------------------------------------------


def test_the_pdf_is_a_pdf(participant_user, history, client_for) -> None:
    response = client_for(participant_user).post(
        reverse("personal_data:mine"), {"format": "pdf", "language": "en"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert PersonalDataExport.objects.get().language == "en"


def test_without_pdf_libraries_the_pdf_option_explains_and_json_still_works(
    monkeypatch, participant_user, client_for
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if pango could not be loaded
    client = client_for(participant_user)
    response = client.post(reverse("personal_data:mine"), {"format": "pdf", "language": "en"}, **EN)
    assert response.status_code == 503
    assert response.context["form"].errors["format"] == [
        "The PDF cannot be made on this server right now (its PDF libraries are missing). "
        "Choose JSON instead: it holds exactly the same data."
    ]
    assert PersonalDataExport.objects.count() == 0
    assert _export(client, reverse("personal_data:mine")).status_code == 200
    assert PersonalDataExport.objects.count() == 1


def test_the_participants_zip_holds_the_json_and_the_files(participant_user, history, client_for):
    response = client_for(participant_user).post(
        reverse("personal_data:mine"), {"format": "zip", "language": "id"}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        f"documents/{history.pk}-id_card-KTP Siti.pdf",
        "personal-data.json",
    ]
    assert archive.read(f"documents/{history.pk}-id_card-KTP Siti.pdf") == make_pdf()


# --- an officer on request -------------------------------------------------------------------


def test_a_national_officer_exports_on_request_with_the_reason_recorded(
    participant_jateng, national_officer, client_for
) -> None:
    url = reverse("personal_data:participant", args=[participant_jateng.pk])
    response = _export(client_for(national_officer), url, reason="Permintaan tertulis 3 Maret 2025")
    assert response.status_code == 200
    export = PersonalDataExport.objects.get()
    assert (export.requested_by, export.reason) == (
        national_officer,
        "Permintaan tertulis 3 Maret 2025",
    )
    change = ChangeRecord.objects.get(operation="participants.personal_data_export")
    assert change.reason == "Permintaan tertulis 3 Maret 2025"


def test_an_officer_export_without_a_reason_is_refused_and_records_nothing(
    participant_jateng, national_officer, client_for
) -> None:
    url = reverse("personal_data:participant", args=[participant_jateng.pk])
    response = _export(client_for(national_officer), url)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert PersonalDataExport.objects.count() == 0
    assert not AccessLog.objects.filter(purpose="participants.export").exists()


def test_an_officer_cannot_take_the_files_as_a_zip(
    participant_jateng, national_officer, client_for
):
    url = reverse("personal_data:participant", args=[participant_jateng.pk])
    response = client_for(national_officer).post(
        url, {"format": "zip", "language": "id", "reason": "Permintaan tertulis peserta"}
    )
    assert "format" in response.context["form"].errors
    assert PersonalDataExport.objects.count() == 0


@pytest.mark.parametrize(
    "who", ["provincial_officer", "sender_operator", "auditor", "participant_user"]
)
def test_only_national_staff_export_for_someone_else(who, participant_jateng, request, client_for):
    url = reverse("personal_data:participant", args=[participant_jateng.pk])
    response = _export(
        client_for(request.getfixturevalue(who)), url, reason="Permintaan peserta xx"
    )
    assert response.status_code == 403
    assert PersonalDataExport.objects.count() == 0


def test_the_pdf_says_what_changed_in_the_persons_language() -> None:
    from django.utils import translation

    from jembatan.privacy.export import changes_text

    changes = {"status": {"before": "registered", "after": "verified"}, "rows": 3}
    with translation.override("id"):
        text = changes_text(changes, "participants.participant")
    assert text == "Status: Terdaftar → Terverifikasi\nrows: 3"
    assert changes_text({"status": "x"}, "no.such_model") == "status: x"


def _updated(
    participant: Any, officer: Any, field: str, before: Any, after: Any, **more: Any
) -> None:
    from jembatan.core.audit import record_change

    record_change(
        acting_user=officer,
        operation="participants.participant_update",
        instance=participant,
        action="update",
        changes={field: {"before": before, "after": after}},
        **more,
    )


def test_the_pdf_names_the_organisations_a_change_points_at(
    participant_jateng, national_officer, lpk_a, lpk_b, monkeypatch
) -> None:
    from jembatan.privacy import export

    _updated(participant_jateng, national_officer, "sending_organisation_id", lpk_a.pk, lpk_b.pk)
    rendered: dict[str, Any] = {}

    def keep(name: str, context: dict[str, Any]) -> str:
        rendered.update(context)
        return "<p>—</p>"

    monkeypatch.setattr(export, "render_to_string", keep)
    export.as_pdf(personal_data(participant_jateng, generated_by=national_officer))

    texts = [c["changes_text"] for c in rendered["history"]]
    assert f"Sending organisation: {lpk_a.name} (#{lpk_a.pk}) → {lpk_b.name} (#{lpk_b.pk})" in texts


def test_every_word_of_the_pdf_lies_on_its_page(
    participant_jateng, national_officer, history, tmp_path
) -> None:
    """Long values (a file's SHA-256, a moment) wrap inside their cell, not off the page."""
    import pypdfium2 as pdfium

    from jembatan.privacy import export

    reason = "Nomor telepon diperbarui atas permintaan peserta (formulir F-12)."
    _updated(participant_jateng, national_officer, "phone", "0" * 40, "9" * 40, reason=reason)
    path = tmp_path / "export.pdf"
    path.write_bytes(
        export.as_pdf(personal_data(participant_jateng, generated_by=national_officer))
    )

    beyond = []
    for page in pdfium.PdfDocument(str(path)):
        width, text = page.get_width(), page.get_textpage()
        for index in range(text.count_chars()):
            left, _bottom, right, _top = text.get_charbox(index)
            if right > width or left < 0:
                beyond.append(text.get_text_range(index, 1))
    assert beyond == []


def test_a_japanese_name_prints_in_the_shipped_font(
    participant_jateng, national_officer, im_japan, tmp_path
) -> None:
    """A partner's name in Japanese is drawn in Jembatan's own CJK font (ADR 0011), not boxes."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from jembatan.privacy import export

    im_japan.name = "中部技能実習協同組合"
    im_japan.save(update_fields=["name"])
    participant_jateng.partner = im_japan
    participant_jateng.save(update_fields=["partner"])
    path = tmp_path / "export.pdf"
    path.write_bytes(
        export.as_pdf(personal_data(participant_jateng, generated_by=national_officer))
    )

    page = pdfium.PdfDocument(str(path))[0]
    text = page.get_textpage()
    first = text.get_text_range().index(im_japan.name)
    fonts = set()
    for index in range(first, first + len(im_japan.name)):
        buffer = ctypes.create_string_buffer(256)
        pdfium_c.FPDFText_GetFontInfo(text.raw, index, buffer, 256, ctypes.byref(ctypes.c_int()))
        fonts.add(buffer.value.decode("latin-1").split("+")[-1])
    assert fonts == {"Jembatan-Noto-Sans-JP"}
