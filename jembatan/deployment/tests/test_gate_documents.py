"""The ``documents`` gate reads the route's current checklist of selection- and departure-stage
documents: what selection asked for is still owed at departure."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.deployment.factories import make_ready
from jembatan.deployment.gates import unmet_gates
from jembatan.deployment.models import Deployment, DeploymentStatus
from jembatan.deployment.services.departure import deployment_depart
from jembatan.documents.factories import make_pdf, stage_documents_verified
from jembatan.documents.models import Document, DocumentKind, DocumentRequirement, Stage
from jembatan.documents.rules import route_of
from jembatan.documents.services import (
    document_reject,
    document_type_add,
    document_upload,
    document_verify,
)

pytestmark = pytest.mark.django_db


def _unmet(deployment: Deployment) -> dict[str, str]:
    fresh = Deployment.objects.get(pk=deployment.pk)
    return {r.gate.code: str(r.refusal) for r in unmet_gates(fresh, today=timezone.localdate())}


def _hand_in(deployment: Deployment, kind: str, by: User) -> Document:
    return document_upload(
        participant=deployment.participant,
        requirement=DocumentRequirement.objects.get(
            route=route_of(deployment.participant), kind=kind, valid_to__isnull=True
        ),
        chunks=[make_pdf(kind)],
        original_name=f"{kind}.pdf",
        acting_user=by,
    )


def test_a_departure_missing_its_passport_scan_is_refused_naming_it_until_it_is_verified(
    deployment: Deployment, sender_operator: User, participant_user: User, national_officer: User
) -> None:
    # Given every step recorded, selection's papers verified, but no departure document
    make_ready(deployment, documents=False)
    stage_documents_verified(deployment.participant, Stage.SELECTION)

    # Then the documents gate alone is unmet, naming the passport, its rule and source;
    # the perjanjian pemagangan is left to the agreement step (recorded), not asked twice
    refusal = _unmet(deployment)["documents"]
    assert list(_unmet(deployment)) == ["documents"]
    assert refusal.startswith("Passport has not been uploaded (rule: departure checklist")
    assert "source: UU 6/2011 on Immigration (travel documents))." in refusal
    assert "perjanjian pemagangan" not in refusal

    # And confirming the departure is refused and changes nothing
    with pytest.raises(ValidationError) as refused:
        deployment_depart(deployment=deployment, acting_user=sender_operator)
    assert refused.value.messages[0].startswith(
        "Selection and departure documents verified: Passport has not"
    )
    assert Deployment.objects.get(pk=deployment.pk).status == DeploymentStatus.PREPARING

    # When Siti hands in her passport, it still waits for an officer
    passport = _hand_in(deployment, DocumentKind.PASSPORT, participant_user)
    assert (
        "Passport is not verified yet (Waiting for verification)"
        in (_unmet(deployment)["documents"])
    )

    # And once an officer verifies it, the gate is met and she may depart
    document_verify(document=passport, acting_user=national_officer)
    assert _unmet(deployment) == {}
    departed = deployment_depart(deployment=deployment, acting_user=sender_operator)
    assert departed.status == DeploymentStatus.DEPARTED


def test_a_departure_document_added_to_the_checklist_is_read_by_the_gate_at_once(
    ready: Deployment, national_admin: User, participant_user: User, national_officer: User
) -> None:
    # Given a departure meeting every gate
    assert _unmet(ready) == {}

    # When the administrator adds a departure-stage document to the LPK route's checklist
    document_type_add(
        code="bpjs_kesehatan",
        name_en="BPJS Kesehatan card",
        name_id="Kartu BPJS Kesehatan",
        basis="Perpres 82/2018 on health insurance (test)",
        route=route_of(ready.participant),
        needed_for=Stage.DEPARTURE,
        acting_user=national_admin,
    )

    # Then the same departure is held by the documents gate, naming the new line and its source
    assert _unmet(ready) == {
        "documents": "BPJS Kesehatan card has not been uploaded (rule: departure checklist, "
        "Through a licensed LPK, version 1; source: Perpres 82/2018 on health insurance (test))."
    }

    # And handing it in and verifying it lets it through again
    card = _hand_in(ready, "bpjs_kesehatan", participant_user)
    document_verify(document=card, acting_user=national_officer)
    assert _unmet(ready) == {}


def test_a_selection_paper_still_owed_stops_the_departure_naming_its_checklist(
    ready: Deployment, sender_operator: User, national_officer: User
) -> None:
    # Given a departure meeting every gate (LPK route: SKCK, language and BNSP certificates
    # were owed at selection and are verified)
    assert _unmet(ready) == {}
    police_record = Document.objects.get(
        participant=ready.participant, kind=DocumentKind.POLICE_RECORD, replaced_by__isnull=True
    )

    # When the police record is found false and an officer rejects it after the shortlist
    document_reject(
        document=police_record,
        reason="Nomor SKCK tidak terdaftar di Polres.",
        acting_user=national_officer,
    )

    # Then the documents gate holds the departure, naming the paper and the selection checklist
    refusal = _unmet(ready)["documents"]
    assert refusal.startswith(
        "Police record (SKCK) is not verified yet (Rejected) (rule: selection"
    )
    assert "checklist, Through a licensed LPK" in refusal
    with pytest.raises(ValidationError):
        deployment_depart(deployment=ready, acting_user=sender_operator)
    assert Deployment.objects.get(pk=ready.pk).status == DeploymentStatus.PREPARING
