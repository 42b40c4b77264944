"""Document pages: who opens which file (every opening logged), handing in, deciding."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jembatan.accounts.factories import UserFactory
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.core.roles import Role
from jembatan.documents.models import Document, DocumentKind, DocumentRequirement, DocumentStatus
from jembatan.documents.tests.conftest import HTML_PAGE, WINDOWS_EXE, make_image, make_pdf
from jembatan.organisations.models import Licence, LicenceStatus
from jembatan.participants.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Who may open the participant_jateng's files (LPK A, BLK Semarang, IM Japan, Jawa Tengah).
ORDINARY_READERS = {
    "national_admin",
    "national_officer",
    "provincial_officer",
    "training_operator",
    "sender_operator",
    "partner_user",
    "participant_user",
}
SENSITIVE_READERS = {"national_admin", "national_officer", "provincial_officer", "participant_user"}
EVERYONE = sorted(
    ORDINARY_READERS
    | {"other_provincial_officer", "other_sender_operator", "auditor", "other_participant"}
)


@pytest.fixture
def other_participant(db):
    """A participant signed in as someone else than participant_jateng."""
    user = UserFactory(username="wati", role=Role.PARTICIPANT)
    ParticipantFactory(full_name="Wati", user=user)
    return user


@pytest.fixture
def documents(participant_jateng, participant_user, upload) -> dict[str, Document]:
    return {
        "ordinary": upload(participant_jateng, participant_user, kind=DocumentKind.ID_CARD),
        "sensitive": upload(
            participant_jateng, participant_user, kind=DocumentKind.MEDICAL, name="mcu.pdf"
        ),
    }


def _views_logged(document: Document) -> list[tuple[str, str]]:
    rows = AccessLog.objects.filter(
        object_id=str(document.pk), purpose__startswith="documents.view"
    )
    return list(rows.values_list("actor_label", "purpose"))


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("which", ["ordinary", "sensitive"])
def test_a_file_opens_only_for_the_roles_that_need_it_and_each_opening_is_logged(
    who, which, documents, request, client_for
) -> None:
    user = request.getfixturevalue(who)
    document = documents[which]
    response = client_for(user).get(reverse("documents:open", args=[document.pk]))
    readers = SENSITIVE_READERS if which == "sensitive" else ORDINARY_READERS
    if who in readers:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == make_pdf()
        purpose = "documents.view_sensitive" if which == "sensitive" else "documents.view"
        assert _views_logged(document) == [(user.username, purpose)]
    else:
        assert response.status_code == 404
        assert _views_logged(document) == []


def test_a_file_is_served_as_an_attachment_that_browsers_must_not_sniff(
    documents, national_officer, client_for
) -> None:
    response = client_for(national_officer).get(
        reverse("documents:open", args=[documents["ordinary"].pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ktp.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_an_old_version_opens_and_is_logged_too(
    participant_jateng, participant_user, national_officer, upload, client_for
) -> None:
    old = upload(participant_jateng, participant_user)
    upload(participant_jateng, participant_user, content=make_image("PNG"), name="ktp.png")
    response = client_for(national_officer).get(reverse("documents:open", args=[old.pk]))
    assert response.status_code == 200
    assert _views_logged(old) == [("oki", "documents.view")]


def test_an_unknown_document_is_a_404(national_admin, client_for) -> None:
    assert (
        client_for(national_admin).get(reverse("documents:open", args=[999999])).status_code == 404
    )


# --- the checklist page ---------------------------------------------------------------


def test_the_checklist_shows_each_line_with_its_status_and_is_logged(
    documents, participant_jateng, provincial_officer, client_for
) -> None:
    url = reverse("documents:checklist", args=[participant_jateng.pk])
    response = client_for(provincial_officer).get(url, **EN)
    assert response.status_code == 200
    lines = {line.requirement.kind: line for line in response.context["checklist"].lines}
    assert lines["id_card"].current == documents["ordinary"]
    assert lines["passport"].current is None
    assert response.context["checklist"].can_decide is True
    assert b'data-testid="verify-id_card"' in response.content
    assert list(
        AccessLog.objects.filter(purpose="documents.checklist").values_list(
            "actor_label", "object_id"
        )
    ) == [("putri", str(participant_jateng.pk))]


def test_the_sender_sees_that_a_medical_result_exists_but_not_its_name_or_link(
    documents, participant_jateng, sender_operator, client_for
) -> None:
    response = client_for(sender_operator).get(
        reverse("documents:checklist", args=[participant_jateng.pk])
    )
    content = response.content.decode()
    assert reverse("documents:open", args=[documents["ordinary"].pk]) in content
    assert reverse("documents:open", args=[documents["sensitive"].pk]) not in content
    assert "mcu.pdf" not in content  # even a file name can reveal health data
    assert "ktp.pdf" in content
    assert response.context["checklist"].can_upload is True
    assert response.context["checklist"].can_decide is False


def test_a_checklist_outside_ones_scope_is_a_404(
    participant_jateng, other_provincial_officer, other_participant, client_for
) -> None:
    url = reverse("documents:checklist", args=[participant_jateng.pk])
    assert client_for(other_provincial_officer).get(url).status_code == 404
    assert client_for(other_participant).get(url).status_code == 404


def test_a_participant_reaches_their_own_checklist(
    participant_jateng, participant_user, client_for
):
    response = client_for(participant_user).get(reverse("documents:mine"))
    assert response["Location"] == reverse("documents:checklist", args=[participant_jateng.pk])


# --- handing in through the page --------------------------------------------------------


def _post_file(client, participant, kind, content, name):
    url = reverse("documents:upload", args=[participant.pk, kind])
    return client.post(url, {"file": SimpleUploadedFile(name, content, "application/pdf")}, **EN)


def test_a_participant_uploads_a_png_named_pdf_and_its_real_type_is_kept(
    participant_jateng, participant_user, client_for
) -> None:
    response = _post_file(
        client_for(participant_user), participant_jateng, "id_card", make_image("PNG"), "ktp.pdf"
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.original_name, document.status) == (
        "image/png",
        "ktp.png",
        DocumentStatus.PENDING,
    )


@pytest.mark.parametrize(
    ("content", "what"),
    [(HTML_PAGE, "a web page (HTML)"), (WINDOWS_EXE, "a Windows program (EXE)")],
    ids=["html", "exe"],
)
def test_a_disguised_file_is_refused_on_the_page_with_a_clear_message(
    participant_jateng, participant_user, client_for, content, what
) -> None:
    response = _post_file(
        client_for(participant_user), participant_jateng, "diploma", content, "ijazah.pdf"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        f"Whatever its name says, this file is {what}. Latest diploma (ijazah) must be a "
        "PDF, JPEG or PNG file: save or scan it in that format and upload it again."
    ]
    assert Document.objects.count() == 0


def test_a_sender_whose_licence_is_suspended_sees_why_above_the_form(
    participant_jateng, sender_operator, client_for
) -> None:
    Licence.objects.filter(organisation=sender_operator.organisation).update(
        status=LicenceStatus.SUSPENDED
    )
    response = _post_file(
        client_for(sender_operator), participant_jateng, "id_card", make_pdf(), "ktp.pdf"
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "is suspended" in errors[0]
    assert Document.objects.count() == 0


def test_a_file_above_the_lines_limit_is_refused_on_the_page(
    participant_jateng, participant_user, client_for
) -> None:
    DocumentRequirement.objects.filter(kind="diploma").update(max_size_bytes=2048)
    big = make_pdf("x" * 3000)
    response = _post_file(client_for(participant_user), participant_jateng, "diploma", big, "i.pdf")
    assert response.context["form"].errors["file"][0].startswith("The file is larger than")
    assert Document.objects.count() == 0


def test_a_sender_uploads_for_a_candidate_of_another_organisation_gets_404(
    participant_jatim, sender_operator, client_for
) -> None:
    response = _post_file(
        client_for(sender_operator), participant_jatim, "id_card", make_pdf(), "ktp.pdf"
    )
    assert response.status_code == 404
    assert Document.objects.count() == 0


def test_an_unknown_kind_is_a_404(participant_jateng, participant_user, client_for) -> None:
    url = reverse("documents:upload", args=[participant_jateng.pk, "horoscope"])
    assert client_for(participant_user).get(url).status_code == 404


# --- deciding through the page ---------------------------------------------------------------


def test_an_officer_verifies_through_the_page(documents, national_officer, client_for) -> None:
    document = documents["ordinary"]
    response = client_for(national_officer).post(reverse("documents:verify", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.verified_by) == (DocumentStatus.VERIFIED, national_officer)


def test_verifying_a_document_twice_shows_why_in_the_messages_and_records_once(
    documents, national_officer, client_for
) -> None:
    client = client_for(national_officer)
    url = reverse("documents:verify", args=[documents["ordinary"].pk])
    client.post(url, follow=True, **EN)  # the first succeeds (its message shown)
    response = client.post(url, follow=True, **EN)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["This document is already verified."]
    assert ChangeRecord.objects.filter(operation="documents.document_verify").count() == 1


def test_rejecting_a_replaced_version_shows_why_above_the_form(
    participant_jateng, participant_user, national_officer, upload, client_for
) -> None:
    old = upload(participant_jateng, participant_user)
    upload(participant_jateng, participant_user, content=make_image("PNG"), name="ktp.png")
    response = client_for(national_officer).post(
        reverse("documents:reject", args=[old.pk]), {"reason": "Foto buram."}, **EN
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A newer version of this document has been uploaded; decide on that one."
    ]
    old.refresh_from_db()
    assert old.status == DocumentStatus.PENDING


def test_verify_refuses_a_get(documents, national_officer, client_for) -> None:
    url = reverse("documents:verify", args=[documents["ordinary"].pk])
    assert client_for(national_officer).get(url).status_code == 405


def test_an_officer_rejects_through_the_page_with_a_reason(
    documents, provincial_officer, client_for
) -> None:
    document = documents["ordinary"]
    url = reverse("documents:reject", args=[document.pk])
    response = client_for(provincial_officer).post(url, {"reason": "Foto buram, ulangi."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.rejection_reason) == ("rejected", "Foto buram, ulangi.")


def test_an_officer_of_another_province_cannot_verify(
    documents, other_provincial_officer, client_for
) -> None:
    document = documents["ordinary"]
    response = client_for(other_provincial_officer).post(
        reverse("documents:verify", args=[document.pk])
    )
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert not ChangeRecord.objects.filter(operation="documents.document_verify").exists()


# --- the checklist as reference data ------------------------------------------------------------


def test_the_checklist_of_each_route_is_public(client) -> None:
    response = client.get(reverse("documents:requirements"), **EN)
    assert response.status_code == 200
    assert [label for label, _lines in response.context["routes"]] == [
        "IM Japan (government to government)",
        "Through a licensed LPK",
    ]
    assert b"Police record (SKCK)" in response.content


def test_the_national_admin_revises_a_line_through_the_page(national_admin, client_for) -> None:
    line = DocumentRequirement.objects.get(route="lpk", kind="passport", valid_to__isnull=True)
    response = client_for(national_admin).post(
        reverse("documents:requirement_edit", args=[line.pk]),
        {
            "name_id": "Paspor",
            "name_en": "Passport",
            "needed_for": "departure",
            "required": "on",
            "accepted_types": ["application/pdf"],
            "max_size_mb": "3",
            "reason": "Hanya PDF",
        },
    )
    assert response.status_code == 302
    current = DocumentRequirement.objects.get(route="lpk", kind="passport", valid_to__isnull=True)
    assert (current.version, current.accepted_types, current.max_size_bytes) == (
        2,
        ["application/pdf"],
        3 * 1024 * 1024,
    )


def test_the_reason_a_medical_result_was_rejected_stays_hidden_from_the_sender(
    documents, participant_jateng, national_officer, sender_operator, participant_user, client_for
) -> None:
    from jembatan.documents.services import document_reject

    document_reject(
        document=documents["sensitive"],
        reason="Hasil rontgen paru perlu diulang.",
        acting_user=national_officer,
    )
    url = reverse("documents:checklist", args=[participant_jateng.pk])
    assert "rontgen" not in client_for(sender_operator).get(url).content.decode()
    assert "rontgen" in client_for(participant_user).get(url).content.decode()
