"""Fixtures for the selection tests: IM Japan's round built through the rounds.

Uses the shared cast of the project's conftest.py: oki (national officer) sets
rounds up, putri (Jawa Tengah's provincial officer) enrols candidates, tono
(BLK Semarang's operator) examines the written test, hiroshi (IM Japan) scores
the interview, bambang (LPK B) sees only his own candidates.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from jembatan.accounts.models import User
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.workflows import JourneyAction
from jembatan.selection.factories import stage_type
from jembatan.selection.models import Candidacy, RoundStage, SelectionRound
from jembatan.selection.services import rounds

ASSESSMENT = {
    "purpose": "Rank candidates for IM Japan's interviews by their test results.",
    "data_used": "NIK, name, results of the written test and the interview.",
    "protected_attributes": "Sex, religion and marital status are never inputs to a score.",
    "risks": "A wrongly entered score could stop a candidate.",
    "mitigations": "Corrections with reasons; each candidate sees every result.",
    "legal_basis": "UU 27/2022 art. 20(2)(b).",
}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def draft_round(im_japan: Organisation, national_officer: User) -> SelectionRound:
    """IM Japan 2026/1, being set up: no stages yet."""
    return rounds.round_create(
        name="IM Japan 2026/1", partner=im_japan, programme=None, acting_user=national_officer
    )


@pytest.fixture
def staged_round(
    draft_round: SelectionRound, national_officer: User, training_operator: User
) -> SelectionRound:
    """Administrative check (pass/fail, officers), written test (max 100, pass 60, weight 60,
    examined by tono), interview (max 100, pass 60, weight 40, the partner)."""
    add = rounds.stage_add
    add(
        selection_round=draft_round,
        stage_type=stage_type("administrative"),
        max_score=None,
        pass_mark=None,
        weight=Decimal(0),
        acting_user=national_officer,
    )
    written = add(
        selection_round=draft_round,
        stage_type=stage_type("written"),
        max_score=None,
        pass_mark=None,
        weight=Decimal(60),
        acting_user=national_officer,
    )
    add(
        selection_round=draft_round,
        stage_type=stage_type("interview"),
        max_score=None,
        pass_mark=None,
        weight=Decimal(40),
        acting_user=national_officer,
    )
    rounds.stage_set_examiners(
        stage=written, examiners=[training_operator], acting_user=national_officer
    )
    rounds.impact_assessment_save(
        selection_round=draft_round, fields=ASSESSMENT, acting_user=national_officer
    )
    draft_round.refresh_from_db()
    return draft_round


@pytest.fixture
def open_round(staged_round: SelectionRound, national_officer: User) -> SelectionRound:
    """The staged round, opened."""
    return rounds.round_open(selection_round=staged_round, acting_user=national_officer)


@pytest.fixture
def stages(staged_round: SelectionRound) -> list[RoundStage]:
    """[administrative, written, interview]."""
    return list(staged_round.stages.order_by("position"))


@pytest.fixture
def make_participant(lpk_a: Organisation, blk: Organisation) -> Callable[..., Participant]:
    """A participant of LPK A (Jawa Tengah) at ``status`` (certified by default)."""

    def make(status: str = JourneyStatus.CERTIFIED, **extra: Any) -> Participant:
        values: dict[str, Any] = {"status": status, "sending_organisation": lpk_a}
        values.update(extra)
        return ParticipantFactory(**values)

    return make


def _png() -> bytes:
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(image, "PNG")
    return image.getvalue()


@pytest.fixture
def make_verified(
    make_participant: Callable[..., Participant],
    national_officer: User,
    sender_operator: User,
    settings: Any,
    tmp_path: Any,
) -> Callable[..., Participant]:
    """A participant verified for real: identity checked, every required document verified.

    Moving back to *verified* (a withdrawal) re-checks these, as the journey does.
    """
    from django.utils import timezone

    from jembatan.documents.rules import current_requirements, is_required, route_of
    from jembatan.documents.services import document_upload, document_verify
    from jembatan.participants.services.registry import participant_transition

    settings.MEDIA_ROOT = tmp_path

    def make(**extra: Any) -> Participant:
        person = make_participant(JourneyStatus.REGISTERED, **extra)
        Participant.objects.filter(pk=person.pk).update(
            identity_verified_at=timezone.now(), identity_verified_by=national_officer
        )
        person.refresh_from_db()
        for requirement in current_requirements(route_of(person)):
            if requirement.needed_for == "verification" and is_required(requirement, person):
                document = document_upload(
                    participant=person,
                    requirement=requirement,
                    chunks=[_png()],
                    original_name="scan.png",
                    acting_user=sender_operator,
                )
                document_verify(document=document, acting_user=national_officer)
        participant_transition(
            participant=person,
            action=JourneyAction.VERIFY,
            acting_user=national_officer,
            reason="",
        )
        return person

    return make


@pytest.fixture
def enrolled(
    open_round: SelectionRound,
    make_participant: Callable[..., Participant],
    make_verified: Callable[..., Participant],
    provincial_officer: User,
) -> list[Candidacy]:
    """Ani (certified) and Bayu (verified), enrolled by putri in the open round."""
    ani = make_participant(full_name="Ani Wijaya")
    bayu = make_verified(full_name="Bayu Saputra")
    done = rounds.candidacy_enrol(
        selection_round=open_round, participants=[ani, bayu], acting_user=provincial_officer
    )
    return sorted(done, key=lambda c: c.participant.full_name)
