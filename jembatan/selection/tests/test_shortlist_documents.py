"""A shortlist puts forward only candidates whose selection-stage documents are verified.

The route's checklist says which documents selection needs (documents migration
0002): on IM Japan the medical check result; on the LPK route also the police
record (SKCK), the language certificate and the BNSP competency certificate.
``factories_ranking.passed`` gives each candidate their papers, verified; each
test takes some away or leaves them unverified.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jembatan.core.models import ChangeRecord
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder
from jembatan.documents.factories import stage_documents_on_record
from jembatan.documents.models import Document, DocumentStatus, Stage
from jembatan.documents.services import document_verify
from jembatan.selection.models import Candidacy, SelectionRound, Shortlist, ShortlistEntry
from jembatan.selection.services.ranking import round_close
from jembatan.selection.services.shortlists import (
    interview_decide,
    shortlist_create,
    shortlist_refill,
)
from jembatan.selection.tests import factories_ranking as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection_round(im_japan) -> SelectionRound:
    return f.open_round(im_japan)


@pytest.fixture
def job_order(im_japan) -> JobOrder:
    return JobOrderFactory(partner=im_japan, approved=True, slots=1, max_age=30)


def ranked(selection_round: SelectionRound, count: int, by, **person) -> list[Candidacy]:
    """``count`` passed candidates with their selection papers verified, best first."""
    return [
        f.passed(selection_round, str(95 - 5 * i), "40", acting_user=by, **person)
        for i in range(count)
    ]


def close(selection_round: SelectionRound, by) -> None:
    round_close(round=selection_round, acting_user=by)
    selection_round.refresh_from_db()


def without_papers(candidacy: Candidacy) -> None:
    """Take the candidate's documents off the record, as if never handed in."""
    Document.objects.filter(participant=candidacy.participant_id).delete()


def test_a_candidate_without_the_medical_result_is_skipped_and_counted(
    selection_round, job_order, national_admin
):
    # Given three ranked candidates, the best of whom never handed in the medical result
    people = ranked(selection_round, 3, national_admin, full_name="Budi Santoso")
    without_papers(people[0])
    close(selection_round, national_admin)
    # When national staff shortlist two for the one slot
    drawn = shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=2, acting_user=national_admin
    )
    # Then ranks 2 and 3 are put forward, and rank 1 is skipped for the named document
    ranks = drawn.shortlist.entries.order_by("position").values_list("candidacy__rank", flat=True)
    assert list(ranks) == [2, 3]
    assert [(u.candidacy.rank, u.problems) for u in drawn.skipped] == [
        (1, ["Medical check result has not been uploaded."])
    ]
    record = ChangeRecord.objects.get(operation="selection.shortlist_create")
    assert record.changes["undocumented"]["after"] == [
        {"candidacy": people[0].pk, "documents": ["medical"]}
    ]


def test_the_only_candidate_owing_a_document_is_refused_by_name_and_nothing_changes(
    selection_round, job_order, national_admin
):
    # Given one ranked candidate whose medical result is handed in but not verified
    (person,) = ranked(selection_round, 1, national_admin, full_name="Siti Aminah")
    without_papers(person)
    stage_documents_on_record(
        person.participant, Stage.SELECTION, by=national_admin, status=DocumentStatus.PENDING
    )
    close(selection_round, national_admin)
    records = ChangeRecord.objects.count()
    # When national staff try to shortlist her
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=job_order, per_vacancy=1, acting_user=national_admin
        )
    # Then the refusal names her and the document as the checklist words it
    assert refused.value.messages == [
        f"No ranked candidate of this round is available and meets the requirements of job "
        f"order {job_order.reference}. 1 ranked candidate was skipped because their selection "
        "documents are not verified: Siti Aminah (rank 1): Medical check result is not "
        "verified yet (Waiting for verification)."
    ]
    # And nothing is written
    assert not Shortlist.objects.exists()
    assert not ShortlistEntry.objects.exists()
    assert ChangeRecord.objects.count() == records


def test_once_the_document_is_verified_the_candidate_is_put_forward(
    selection_round, job_order, national_admin, national_officer
):
    # Given the medical result handed in and refused a shortlist while pending
    (person,) = ranked(selection_round, 1, national_admin)
    without_papers(person)
    (medical,) = stage_documents_on_record(
        person.participant, Stage.SELECTION, by=national_admin, status=DocumentStatus.PENDING
    )
    close(selection_round, national_admin)
    with pytest.raises(ValidationError):
        shortlist_create(
            round=selection_round, job_order=job_order, per_vacancy=1, acting_user=national_admin
        )
    # When an officer verifies it
    document_verify(document=medical, acting_user=national_officer)
    # Then the same shortlist is drawn up with her on it, nobody skipped
    drawn = shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=1, acting_user=national_admin
    )
    assert [e.candidacy_id for e in drawn.added] == [person.pk]
    assert drawn.skipped == []


def test_on_the_lpk_route_every_selection_document_of_its_checklist_is_named(
    selection_round, job_order, national_admin, lpk_a
):
    # Given an LPK candidate who handed in only the medical result (IM Japan's one paper)
    (person,) = ranked(selection_round, 1, national_admin, sending_organisation=lpk_a)
    Document.objects.filter(participant=person.participant_id).exclude(kind="medical").delete()
    close(selection_round, national_admin)
    # When national staff try to shortlist
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=job_order, per_vacancy=1, acting_user=national_admin
        )
    # Then the LPK checklist's other selection documents are each named
    message = refused.value.messages[0]
    for name in (
        "Police record (SKCK) has not been uploaded.",
        "Language certificate (JLPT/JFT-Basic) has not been uploaded.",
        "Competency certificate (BNSP) has not been uploaded.",
    ):
        assert name in message
    assert "Medical check result" not in message


def test_a_refill_skips_and_counts_candidates_owing_documents(
    selection_round, job_order, national_admin, partner_user
):
    # Given a shortlist of ranks 1-2 for the one slot, and rank 3 without the medical result
    people = ranked(selection_round, 4, national_admin)
    close(selection_round, national_admin)
    drawn = shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=2, acting_user=national_admin
    )
    without_papers(people[2])
    for entry in drawn.shortlist.entries.all():
        interview_decide(entry=entry, decision="declined", note="No.", acting_user=partner_user)
    # When national staff refill it
    refilled = shortlist_refill(shortlist=drawn.shortlist, acting_user=national_admin)
    # Then rank 4 joins, rank 3 is skipped and counted with the document
    assert [e.candidacy.rank for e in refilled.added] == [4]
    assert [(u.candidacy.rank, u.problems) for u in refilled.skipped] == [
        (3, ["Medical check result has not been uploaded."])
    ]
    record = ChangeRecord.objects.get(operation="selection.shortlist_refill")
    assert record.changes["undocumented"]["after"] == [
        {"candidacy": people[2].pk, "documents": ["medical"]}
    ]


def test_the_page_says_how_many_were_skipped_and_why(
    client_for, selection_round, job_order, national_admin
):
    # Given three ranked candidates, rank 1 without the medical result
    people = ranked(selection_round, 3, national_admin, full_name="Budi Santoso")
    without_papers(people[0])
    close(selection_round, national_admin)
    client = client_for(national_admin)
    client.cookies["django_language"] = "en"
    # When national staff draw up the shortlist on the page
    url = reverse("selection:shortlists", args=[selection_round.pk])
    response = client.post(url, {"job_order": job_order.pk, "per_vacancy": 2}, follow=True)
    # Then it is drawn up, and the page warns of the one skipped and the document
    assert Shortlist.objects.get().entries.count() == 2
    assert [str(m) for m in response.context["messages"]] == [
        "The shortlist is drawn up.",
        "1 ranked candidate was skipped because their selection documents are not verified: "
        "Budi Santoso (rank 1): Medical check result has not been uploaded.",
    ]


def test_the_page_refuses_with_the_document_named_and_draws_nothing(
    client_for, selection_round, job_order, national_admin
):
    (person,) = ranked(selection_round, 1, national_admin, full_name="Siti Aminah")
    without_papers(person)
    close(selection_round, national_admin)
    client = client_for(national_admin)
    client.cookies["django_language"] = "en"
    url = reverse("selection:shortlists", args=[selection_round.pk])
    response = client.post(url, {"job_order": job_order.pk, "per_vacancy": 1})
    assert response.status_code == 200
    assert "Siti Aminah (rank 1): Medical check result has not been uploaded." in (
        response.content.decode()
    )
    assert not Shortlist.objects.exists()
