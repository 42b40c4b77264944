"""The selection API: rounds, ranking, entering scores and interview decisions, per role.

IM Japan's open round (``factories_ranking.open_round``): written test (max 100,
pass 60, weight 60), interview (max 50, pass 30, weight 40), medical check (pass
or fail), all entered by officers unless a test says otherwise. Siti
(``participant_jateng``) is its candidate.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import AccessLog
from jembatan.core.roles import Role
from jembatan.demand.factories import JobOrderFactory
from jembatan.matching.factories import ClosedRoundFactory, PassedCandidacyFactory
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation
from jembatan.participants.models import Participant
from jembatan.selection.factories import SelectionRoundFactory
from jembatan.selection.models import (
    Candidacy,
    EnteredBy,
    RoundStage,
    RoundStatus,
    Score,
    SelectionRound,
    ShortlistEntry,
)
from jembatan.selection.models import Shortlist as ShortlistModel
from jembatan.selection.tests import factories_ranking as build

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


@pytest.fixture
def round_(im_japan: Organisation) -> SelectionRound:
    """IM Japan's open round."""
    return build.open_round(im_japan)


@pytest.fixture
def siti_candidacy(round_: SelectionRound, participant_jateng: Participant) -> Candidacy:
    return build.candidate(round_, participant=participant_jateng)


@pytest.fixture
def other_partner_user() -> User:
    """A user of another partner abroad."""
    return UserFactory(
        username="kim", role=Role.PARTNER, organisation=OrganisationFactory(partner=True)
    )


def _stage(selection_round: SelectionRound, code: str) -> RoundStage:
    return selection_round.stages.get(stage_type__code=code)


def _scores_url(selection_round: SelectionRound, code: str) -> str:
    stage = _stage(selection_round, code)
    return f"/api/v1/selection/rounds/{selection_round.pk}/stages/{stage.pk}/scores"


def _post(client: Client, url: str, **body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


# --- rounds ----------------------------------------------------------------------------


def test_rounds_are_those_the_caller_may_see_and_filter_by_status(
    client_for: ClientFor, national_officer: User, partner_user: User, round_: SelectionRound
) -> None:
    theirs = SelectionRoundFactory(name="Another partner's round")

    national = client_for(national_officer).get("/api/v1/selection/rounds").json()
    only_open = client_for(national_officer).get("/api/v1/selection/rounds", {"status": "open"})
    partner = client_for(partner_user).get("/api/v1/selection/rounds").json()

    assert [r["id"] for r in national["items"]] == [theirs.pk, round_.pk]
    assert [r["id"] for r in only_open.json()["items"]] == [round_.pk]
    assert [(r["id"], r["partner"], r["status"]) for r in partner["items"]] == [
        (round_.pk, "IM Japan", "open")
    ]
    assert partner["next_cursor"] is None


def test_rounds_page_by_keyset(
    client_for: ClientFor, national_officer: User, round_: SelectionRound
) -> None:
    newer = SelectionRoundFactory()
    client = client_for(national_officer)

    first = client.get("/api/v1/selection/rounds", {"limit": 1}).json()
    second = client.get("/api/v1/selection/rounds", {"limit": 1, "after": first["next_cursor"]})

    assert [r["id"] for r in first["items"]] == [newer.pk]
    assert first["next_cursor"] == newer.pk
    assert [r["id"] for r in second.json()["items"]] == [round_.pk]


def test_a_participant_may_not_list_rounds(client_for: ClientFor, participant_user: User) -> None:
    assert client_for(participant_user).get("/api/v1/selection/rounds").status_code == 403


def test_a_round_shows_its_stages_and_how_many_candidates_are_at_each_status(
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
) -> None:
    build.failed(round_, acting_user=national_officer)

    body = client_for(national_officer).get(f"/api/v1/selection/rounds/{round_.pk}").json()

    written = _stage(round_, "written")
    assert body["stages"][0] == {
        "id": written.pk,
        "position": 1,
        "code": "written",
        "name": "Written test",
        "scoring": "score",
        "max_score": "100.00",
        "pass_mark": "60.00",
        "weight": "60.00",
        "entered_by": "officer",
    }
    assert [(s["code"], s["scoring"], s["max_score"]) for s in body["stages"][1:]] == [
        ("interview", "score", "50.00"),
        ("medical", "pass_fail", None),
    ]
    assert body["counts"] == {"active": 1, "failed": 1, "passed": 0, "withdrawn": 0}


def test_another_partners_round_answers_404(
    client_for: ClientFor, other_partner_user: User, round_: SelectionRound
) -> None:
    response = client_for(other_partner_user).get(f"/api/v1/selection/rounds/{round_.pk}")
    assert response.status_code == 404


# --- ranking ---------------------------------------------------------------------------


def test_the_provisional_ranking_of_an_open_round_is_read_and_logged(
    client_for: ClientFor, national_officer: User, partner_user: User, round_: SelectionRound
) -> None:
    ani = build.passed(round_, "80", "40", acting_user=national_officer, full_name="Ani")
    budi = build.passed(round_, "70", "45", acting_user=national_officer, full_name="Budi")
    url = f"/api/v1/selection/rounds/{round_.pk}/ranking"

    body = client_for(national_officer).get(url).json()
    partner = client_for(partner_user).get(url)

    assert body == {
        "round_id": round_.pk,
        "status": "open",
        "provisional": True,
        "rows": [
            {
                "rank": 1,
                "participant_id": ani.participant_id,
                "name": "Ani",
                "final_score": "80.000",
            },
            {
                "rank": 2,
                "participant_id": budi.participant_id,
                "name": "Budi",
                "final_score": "78.000",
            },
        ],
    }
    assert partner.json()["rows"] == body["rows"]
    logs = AccessLog.objects.filter(purpose="api.selection.ranking")
    assert list(logs.order_by("pk").values_list("actor_id", "object_id")) == [
        (national_officer.pk, str(round_.pk)),
        (partner_user.pk, str(round_.pk)),
    ]


def test_a_closed_round_gives_its_stored_ranking(
    client_for: ClientFor, auditor: User, national_officer: User, round_: SelectionRound
) -> None:
    ani = build.passed(round_, "80", "40", acting_user=national_officer, full_name="Ani")
    Candidacy.objects.filter(pk=ani.pk).update(rank=1, final_score=Decimal("80.000"))
    SelectionRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)

    body = client_for(auditor).get(f"/api/v1/selection/rounds/{round_.pk}/ranking").json()

    assert body["provisional"] is False
    assert body["rows"] == [
        {"rank": 1, "participant_id": ani.participant_id, "name": "Ani", "final_score": "80.000"}
    ]


def test_the_ranking_is_refused_to_other_roles_and_other_partners(
    client_for: ClientFor,
    sender_operator: User,
    other_partner_user: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
) -> None:
    url = f"/api/v1/selection/rounds/{round_.pk}/ranking"

    assert client_for(sender_operator).get(url).status_code == 403
    assert client_for(other_partner_user).get(url).status_code == 404
    assert not AccessLog.objects.filter(purpose="api.selection.ranking").exists()


def test_a_partner_examining_another_partners_round_does_not_read_its_ranking(
    client_for: ClientFor, other_partner_user: User, round_: SelectionRound
) -> None:
    _stage(round_, "interview").examiners.add(other_partner_user)
    url = f"/api/v1/selection/rounds/{round_.pk}/ranking"

    assert (
        client_for(other_partner_user).get(f"/api/v1/selection/rounds/{round_.pk}").status_code
        == 200
    )
    assert client_for(other_partner_user).get(url).status_code == 404


# --- scores ----------------------------------------------------------------------------


def test_an_officer_records_a_score_through_the_api(
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    response = _post(
        client_for(national_officer),
        _scores_url(round_, "written"),
        nik=participant_jateng.nik,
        value=72.5,
        note="Neat work",
    )

    assert response.status_code == 201
    score = Score.objects.get()
    body = response.json()
    assert body["created"] is True
    assert body["corrected"] is False
    assert body["score"]["id"] == score.pk
    assert body["score"]["value"] == "72.50"
    assert body["score"]["passed"] is True
    assert body["score"]["source"] == "api"
    assert body["candidacy"] == {
        "id": siti_candidacy.pk,
        "participant_id": participant_jateng.pk,
        "status": "active",
        "failed_stage_id": None,
        "stop_reason": "",
    }
    assert (score.source, score.entered_by_id, score.note) == (
        "api",
        national_officer.pk,
        "Neat work",
    )


def test_the_same_score_again_answers_200_and_creates_nothing(
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    client, url = client_for(national_officer), _scores_url(round_, "written")
    first = _post(client, url, nik=participant_jateng.nik, value=72.5)

    again = _post(client, url, nik=int(participant_jateng.nik), value=72.5)  # a JSON number

    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["score"]["id"] == first.json()["score"]["id"]
    assert Score.objects.count() == 1


def test_a_fail_stops_the_candidate_with_the_reason(
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    response = _post(
        client_for(national_officer),
        _scores_url(round_, "written"),
        nik=participant_jateng.nik,
        value=35,
    )

    assert response.status_code == 201
    assert response.json()["candidacy"]["status"] == "failed"
    assert response.json()["candidacy"]["failed_stage_id"] == _stage(round_, "written").pk
    assert response.json()["candidacy"]["stop_reason"] == (
        "Did not pass “Written test”: the score 35 is below the pass mark of 60 (out of 100)."
    )


def test_a_correction_needs_a_reason_and_keeps_the_old_score(
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    client, url = client_for(national_officer), _scores_url(round_, "written")
    _post(client, url, nik=participant_jateng.nik, value=72.5)

    refused = _post(client, url, nik=participant_jateng.nik, value=82)
    corrected = _post(
        client, url, nik=participant_jateng.nik, value=82, correction_reason="Page 3 not counted"
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "This stage already has a result (72.5 (passed)). To correct it, give the "
        "reason for the correction."
    }
    assert corrected.status_code == 201
    assert corrected.json()["corrected"] is True
    assert list(Score.objects.order_by("pk").values_list("value", "correction_reason")) == [
        (Decimal("72.50"), "Page 3 not counted"),
        (Decimal("82.00"), ""),
    ]


@pytest.mark.parametrize(
    ("stage", "value", "status", "detail"),
    [
        ("written", 120, 400, "120 is outside the scale: enter a score from 0 to 100."),
        ("written", None, 400, "Enter the score."),
        (
            "interview",
            40,
            409,
            "Enter the result of “Written test” first: stages are marked in order.",
        ),
    ],
)
def test_a_refused_score_answers_with_the_reason_and_writes_nothing(
    stage: str,
    value: float | None,
    status: int,
    detail: str,
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    response = _post(
        client_for(national_officer),
        _scores_url(round_, stage),
        nik=participant_jateng.nik,
        value=value,
    )

    assert (response.status_code, response.json()) == (status, {"detail": detail})
    assert not Score.objects.exists()
    siti_candidacy.refresh_from_db()
    assert siti_candidacy.status == "active"


def test_scores_are_refused_once_the_round_is_closed(
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    SelectionRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)

    response = _post(
        client_for(national_officer),
        _scores_url(round_, "written"),
        nik=participant_jateng.nik,
        value=70,
    )

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "The round is “Closed: ranking final”: results are entered only while it is open."
    )
    assert not Score.objects.exists()


def test_a_nik_outside_the_round_answers_404_whether_or_not_it_exists(
    client_for: ClientFor,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jatim: Participant,
) -> None:
    client, url = client_for(national_officer), _scores_url(round_, "written")

    elsewhere = _post(client, url, nik=participant_jatim.nik, value=70)
    unknown = _post(client, url, nik="3374019999999999", value=70)

    assert elsewhere.status_code == unknown.status_code == 404
    assert (
        elsewhere.json()
        == unknown.json()
        == {"detail": "No candidate with this NIK in this round."}
    )
    assert not Score.objects.exists()


def test_who_may_score_follows_the_stage(
    client_for: ClientFor,
    partner_user: User,
    training_operator: User,
    sender_operator: User,
    national_officer: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    nik = participant_jateng.nik
    _stage(round_, "written").examiners.add(training_operator)
    RoundStage.objects.filter(round=round_, stage_type__code="interview").update(
        entered_by=EnteredBy.PARTNER
    )

    partner_written = _post(
        client_for(partner_user), _scores_url(round_, "written"), nik=nik, value=70
    )
    sender_written = _post(
        client_for(sender_operator), _scores_url(round_, "written"), nik=nik, value=70
    )
    assert (partner_written.status_code, sender_written.status_code) == (403, 403)
    assert partner_written.json() == {"detail": "You may not enter results for this stage."}
    assert not Score.objects.exists()

    examiner = _post(
        client_for(training_operator), _scores_url(round_, "written"), nik=nik, value=70
    )
    partner = _post(client_for(partner_user), _scores_url(round_, "interview"), nik=nik, value=40)
    officer = _post(
        client_for(national_officer), _scores_url(round_, "interview"), nik=nik, value=41
    )

    assert (examiner.status_code, partner.status_code, officer.status_code) == (201, 201, 403)
    assert list(Score.objects.order_by("pk").values_list("entered_by_id", "value")) == [
        (training_operator.pk, Decimal("70.00")),
        (partner_user.pk, Decimal("40.00")),
    ]


def test_an_auditor_may_not_enter_scores(
    client_for: ClientFor,
    auditor: User,
    round_: SelectionRound,
    siti_candidacy: Candidacy,
    participant_jateng: Participant,
) -> None:
    response = _post(
        client_for(auditor), _scores_url(round_, "written"), nik=participant_jateng.nik, value=70
    )

    assert response.status_code == 403
    assert not Score.objects.exists()


# --- interview decisions -----------------------------------------------------------------


@pytest.fixture
def entry(im_japan: Organisation, national_officer: User, participant_jateng: Participant) -> Any:
    """Siti, first on the shortlist of IM Japan's closed round for a greenhouse job order."""
    closed = ClosedRoundFactory(partner=im_japan)
    candidacy = PassedCandidacyFactory(round=closed, participant=participant_jateng, rank=1)
    shortlist = ShortlistModel.objects.create(
        round=closed,
        job_order=JobOrderFactory(partner=im_japan, approved=True),
        per_vacancy=3,
        created_by=national_officer,
        created_at=timezone.now(),
    )
    return ShortlistEntry.objects.create(shortlist=shortlist, candidacy=candidacy, position=1)


def _decide(client: Client, entry: ShortlistEntry, **body: Any) -> Any:
    return _post(client, f"/api/v1/selection/shortlist-entries/{entry.pk}/decision", **body)


def test_the_partner_records_an_interview_decision(
    client_for: ClientFor, partner_user: User, entry: ShortlistEntry
) -> None:
    response = _decide(client_for(partner_user), entry, decision="accepted")

    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.decision, entry.decided_by_id) == ("accepted", partner_user.pk)
    body = response.json()
    assert (body["id"], body["decision"], body["position"]) == (entry.pk, "accepted", 1)
    assert body["participant_id"] == entry.candidacy.participant_id


def test_a_refused_decision_answers_with_the_reason_and_changes_nothing(
    client_for: ClientFor, partner_user: User, entry: ShortlistEntry
) -> None:
    client = client_for(partner_user)

    no_note = _decide(client, entry, decision="declined")
    _decide(client, entry, decision="accepted")
    again = _decide(client, entry, decision="accepted")

    assert (no_note.status_code, no_note.json()) == (
        400,
        {
            "detail": "Say why the candidate was declined or absent; the note stays with the "
            "decision."
        },
    )
    assert (again.status_code, again.json()) == (
        400,
        {"detail": "This decision is already recorded."},
    )
    entry.refresh_from_db()
    assert (entry.decision, entry.decision_note) == ("accepted", "")


def test_a_decision_on_a_stale_reading_is_a_conflict(
    client_for: ClientFor, partner_user: User, national_officer: User, entry: ShortlistEntry
) -> None:
    _decide(client_for(national_officer), entry, decision="accepted")

    stale = _decide(
        client_for(partner_user), entry, decision="absent", note="Not seen", seen="pending"
    )

    assert (stale.status_code, stale.json()) == (
        409,
        {
            "detail": "Someone recorded “Accepted” for Siti Rahayu while you were deciding. "
            "Reload the shortlist and decide again."
        },
    )
    entry.refresh_from_db()
    assert (entry.decision, entry.decided_by_id) == ("accepted", national_officer.pk)


def test_decisions_by_role(
    client_for: ClientFor,
    national_officer: User,
    other_partner_user: User,
    sender_operator: User,
    auditor: User,
    entry: ShortlistEntry,
) -> None:
    assert _decide(client_for(sender_operator), entry, decision="accepted").status_code == 403
    assert _decide(client_for(auditor), entry, decision="accepted").status_code == 403
    assert _decide(client_for(other_partner_user), entry, decision="accepted").status_code == 404
    entry.refresh_from_db()
    assert entry.decision == "pending"

    done = _decide(client_for(national_officer), entry, decision="absent", note="Did not come")

    assert done.status_code == 200
    assert done.json()["decision_note"] == "Did not come"
