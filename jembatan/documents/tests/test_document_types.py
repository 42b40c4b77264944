"""Document types are data: loaded from a file, added by the administrator, read by checklists."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from jembatan.core.models import ChangeRecord
from jembatan.documents.models import (
    DocumentKind,
    DocumentRequirement,
    DocumentType,
    Route,
    Stage,
)
from jembatan.documents.rules import document_blockers
from jembatan.documents.services import document_type_add

pytestmark = pytest.mark.django_db


def _add(user: object, **kwargs: object) -> DocumentType:
    values = {
        "code": "health_insurance_card",
        "name_en": "BPJS Kesehatan card",
        "name_id": "Kartu BPJS Kesehatan",
        "basis": "Partner's requirement (2027 intake)",
    } | kwargs
    return document_type_add(acting_user=user, **values)


def test_the_types_are_loaded_keeping_the_codes_documents_were_filed_under() -> None:
    codes = set(DocumentType.objects.values_list("pk", flat=True))
    assert {"passport", "id_card", "diploma", "medical", "police_record"} <= codes
    assert {"family_card", "ak1", "birth_certificate", "apprenticeship_agreement"} <= codes
    assert codes == set(DocumentKind.values)
    assert all(DocumentType.objects.values_list("basis", flat=True))


def test_an_added_type_on_a_route_is_owed_by_its_participants(
    national_admin: object, participant_jateng: object
) -> None:
    _add(national_admin, route=Route.LPK, needed_for=Stage.VERIFICATION, required=True)
    line = DocumentRequirement.objects.get(kind="health_insurance_card")
    assert (line.route, line.version, line.name_en) == ("lpk", 1, "BPJS Kesehatan card")
    assert "BPJS Kesehatan card has not been uploaded." in document_blockers(participant_jateng)
    operations = ChangeRecord.objects.filter(operation="documents.document_type_add")
    assert operations.count() == 2


def test_a_code_in_use_is_refused_and_nothing_changes(national_admin: object) -> None:
    before = DocumentType.objects.get(pk="passport")
    with pytest.raises(ValidationError) as refused:
        _add(national_admin, code="passport", name_en="Something else")
    assert refused.value.message_dict["code"] == ["A document type with this code exists already."]
    assert DocumentType.objects.get(pk="passport").name_en == before.name_en
    assert not ChangeRecord.objects.filter(operation="documents.document_type_add").exists()


def test_only_the_national_administrator_adds_types(national_officer: object) -> None:
    with pytest.raises(PermissionDenied):
        _add(national_officer)
    assert not DocumentType.objects.filter(pk="health_insurance_card").exists()


def test_a_checklist_line_of_an_unknown_type_is_refused() -> None:
    line = DocumentRequirement.objects.filter(route=Route.LPK, valid_to__isnull=True).first()
    assert line is not None
    line.kind = "no_such_type"
    with pytest.raises(ValidationError) as refused:
        line.clean()
    assert refused.value.message_dict["kind"] == ["Choose a document type from the list."]


def test_the_types_page_and_the_form(national_admin: object, client: Client) -> None:
    assert "Job-seeker card (AK1)" in (client.get("/dokumen/jenis/").content.decode())
    admin = Client()
    admin.force_login(national_admin)
    response = admin.post(
        "/dokumen/jenis/baru/",
        {
            "code": "health_insurance_card",
            "name_id": "Kartu BPJS Kesehatan",
            "name_en": "BPJS Kesehatan card",
            "basis": "Partner's requirement",
            "route": "",
            "needed_for": "verification",
        },
    )
    assert response.status_code == 302
    assert DocumentType.objects.filter(pk="health_insurance_card").exists()
