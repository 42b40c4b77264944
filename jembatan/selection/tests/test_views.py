"""The selection pages: who sees which rounds, setting up, entering results, my selection."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.factories import SelectionRoundFactory, stage_type
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    RoundStatus,
    Score,
    SelectionRound,
)
from jembatan.selection.services import rounds
from jembatan.selection.services.scoring import score_record

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _listed(user: User) -> list[str]:
    response = _client(user).get(reverse("selection:list"))
    assert response.status_code == 200
    return [r.name for r in response.context["page"].items]


def _pass(candidacy: Candidacy, stage: RoundStage, by: User, value: str | None = None) -> None:
    score_record(
        candidacy=candidacy,
        stage=stage,
        value=value,
        passed=True if value is None else None,
        note="",
        correction_reason="",
        acting_user=by,
    )


# --- who sees which rounds ----------------------------------------------------------------


@pytest.fixture
def other_round(db: None) -> SelectionRound:
    """A draft round of another partner, with nobody from Jawa Tengah in it."""
    return SelectionRoundFactory(name="Korea EPS 2026", partner=OrganisationFactory(partner=True))


def test_each_role_lists_the_rounds_it_should(
    enrolled: list[Candidacy],
    other_round: SelectionRound,
    national_officer: User,
    auditor: User,
    partner_user: User,
    provincial_officer: User,
    sender_operator: User,
    other_sender_operator: User,
    training_operator: User,
) -> None:
    SelectionRound.objects.filter(pk=other_round.pk).update(status=RoundStatus.CANCELLED)
    both = ["IM Japan 2026/1", "Korea EPS 2026"]
    assert sorted(_listed(national_officer)) == both
    assert sorted(_listed(auditor)) == both
    assert _listed(partner_user) == ["IM Japan 2026/1"]
    assert _listed(provincial_officer) == ["IM Japan 2026/1"]
    assert _listed(sender_operator) == ["IM Japan 2026/1"]  # Ani and Bayu are LPK A's
    assert _listed(other_sender_operator) == []
    assert _listed(training_operator) == ["IM Japan 2026/1"]  # examiner of the written test


def test_a_round_out_of_scope_answers_404(
    open_round: SelectionRound, other_sender_operator: User
) -> None:
    url = reverse("selection:detail", args=[open_round.pk])
    assert _client(other_sender_operator).get(url).status_code == 404


def test_another_partner_does_not_see_the_round(open_round: SelectionRound) -> None:
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role

    kim = UserFactory(role=Role.PARTNER, organisation=OrganisationFactory(partner=True))
    url = reverse("selection:detail", args=[open_round.pk])
    assert _client(kim).get(url).status_code == 404


def test_an_operator_sees_only_the_candidates_of_their_scope(
    enrolled: list[Candidacy],
    open_round: SelectionRound,
    make_participant: Callable[..., Participant],
    lpk_b: Organisation,
    national_officer: User,
    sender_operator: User,
) -> None:
    budi = make_participant(full_name="Budi Jatim", sending_organisation=lpk_b)
    rounds.candidacy_enrol(
        selection_round=open_round, participants=[budi], acting_user=national_officer
    )
    url = reverse("selection:detail", args=[open_round.pk])
    names = [
        c.participant.full_name for c in _client(sender_operator).get(url).context["page"].items
    ]
    assert sorted(names) == ["Ani Wijaya", "Bayu Saputra"]
    everyone = _client(national_officer).get(url).context["page"].items
    assert sorted(c.participant.full_name for c in everyone) == [
        "Ani Wijaya",
        "Bayu Saputra",
        "Budi Jatim",
    ]


# --- setting a round up --------------------------------------------------------------------


def test_a_national_officer_creates_a_round_and_adds_a_stage_on_the_pages(
    im_japan: Organisation, national_officer: User
) -> None:
    client = _client(national_officer)
    response = client.post(
        reverse("selection:create"), {"name": "IM Japan 2026/2", "partner": im_japan.pk}
    )
    created = SelectionRound.objects.get()
    assert response["Location"] == reverse("selection:detail", args=[created.pk])
    response = client.post(
        reverse("selection:stage_add", args=[created.pk]),
        {"stage_type": stage_type("written").pk, "pass_mark": "65", "weight": "100"},
    )
    assert response.status_code == 302
    stage = created.stages.get()
    assert (stage.max_score, stage.pass_mark, stage.weight) == (
        Decimal(100),
        Decimal(65),
        Decimal(100),
    )


def test_a_pass_mark_above_the_maximum_is_shown_on_the_form(
    draft_round: SelectionRound, national_officer: User
) -> None:
    response = _client(national_officer).post(
        reverse("selection:stage_add", args=[draft_round.pk]),
        {
            "stage_type": stage_type("written").pk,
            "max_score": "50",
            "pass_mark": "60",
            "weight": "10",
        },
    )
    assert response.status_code == 200
    assert "The pass mark (60) cannot be above the maximum (50)." in response.content.decode()
    assert not draft_round.stages.exists()


def test_opening_an_incomplete_round_shows_what_is_missing(
    draft_round: SelectionRound, national_officer: User
) -> None:
    client = _client(national_officer)
    response = client.post(reverse("selection:open", args=[draft_round.pk]), follow=True)
    page = response.content.decode()
    assert "Add at least one stage." in page
    assert "Record the impact assessment (UU PDP) of the round&#x27;s scoring." in page
    draft_round.refresh_from_db()
    assert draft_round.status == RoundStatus.DRAFT


def test_the_impact_assessment_is_recorded_on_its_page(
    draft_round: SelectionRound, national_officer: User
) -> None:
    from jembatan.selection.tests.conftest import ASSESSMENT

    response = _client(national_officer).post(
        reverse("selection:impact", args=[draft_round.pk]), ASSESSMENT
    )
    assert response.status_code == 302
    assert draft_round.impact_assessment.assessed_by == national_officer


def test_stages_move_with_the_arrows(
    staged_round: SelectionRound, stages: list[RoundStage], national_officer: User
) -> None:
    _client(national_officer).post(
        reverse("selection:stage_move", args=[staged_round.pk, stages[2].pk]),
        {"direction": "up"},
    )
    codes = staged_round.stages.order_by("position").values_list("stage_type__code", flat=True)
    assert list(codes) == ["administrative", "interview", "written"]


def test_a_partner_user_may_not_open_the_setup_pages(
    draft_round: SelectionRound, partner_user: User
) -> None:
    assert (
        _client(partner_user).get(reverse("selection:stage_add", args=[draft_round.pk])).status_code
        == 403
    )


# --- candidates ----------------------------------------------------------------------------


def test_an_officer_finds_and_enrols_candidates_by_name(
    open_round: SelectionRound,
    make_participant: Callable[..., Participant],
    provincial_officer: User,
) -> None:
    citra = make_participant(full_name="Citra Dewi")
    make_participant(full_name="Dodi Kurnia")
    client = _client(provincial_officer)
    url = reverse("selection:enrol", args=[open_round.pk])
    page = client.get(url, {"q": "citra"})
    assert [p.full_name for p in page.context["candidates"]] == ["Citra Dewi"]
    response = client.post(f"{url}?q=citra", {"participants": [citra.pk]})
    assert response.status_code == 302
    candidacy = Candidacy.objects.get()
    assert (candidacy.participant, candidacy.status_before) == (citra, JourneyStatus.CERTIFIED)


def test_everyone_who_matches_is_enrolled_at_once(
    open_round: SelectionRound,
    make_participant: Callable[..., Participant],
    provincial_officer: User,
) -> None:
    for name in ("Eka", "Fajar", "Gita"):
        make_participant(full_name=name)
    make_participant(JourneyStatus.REGISTERED, full_name="Hadi")
    response = _client(provincial_officer).post(
        reverse("selection:enrol", args=[open_round.pk]), {"everyone": "on"}
    )
    assert response.status_code == 302
    names = Candidacy.objects.order_by("participant__full_name").values_list(
        "participant__full_name", flat=True
    )
    assert list(names) == ["Eka", "Fajar", "Gita"]


def test_the_candidacy_page_shows_the_history_and_logs_the_read(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    ani = enrolled[0]
    _pass(ani, stages[0], national_officer)
    _pass(ani, stages[1], training_operator, "70")
    score_record(
        candidacy=ani,
        stage=stages[1],
        value="72",
        passed=None,
        note="",
        correction_reason="Re-marked.",
        acting_user=training_operator,
    )
    url = reverse("selection:candidacy", args=[ani.round_id, ani.pk])
    response = _client(national_officer).get(url)
    assert [s.value for s in response.context["history"]] == [
        None,
        Decimal("72.00"),
        Decimal("70.00"),
    ]
    assert "Re-marked." in response.content.decode()
    assert (
        AccessLog.objects.filter(purpose="selection.candidacy", actor=national_officer).count() == 1
    )


def test_an_officer_withdraws_a_candidate_with_a_reason(
    enrolled: list[Candidacy], provincial_officer: User
) -> None:
    ani = enrolled[0]
    url = reverse("selection:withdraw", args=[ani.round_id, ani.pk])
    response = _client(provincial_officer).post(url, {"reason": "Found work at home."})
    assert response.status_code == 302
    ani.refresh_from_db()
    assert (ani.status, ani.participant.status) == (
        CandidacyStatus.WITHDRAWN,
        JourneyStatus.CERTIFIED,
    )


# --- entering results ----------------------------------------------------------------------


def test_the_examiner_sees_who_may_be_scored_and_saves_a_row_with_htmx(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    ani = enrolled[0]
    _pass(ani, stages[0], national_officer)
    url = reverse("selection:score_entry", args=[ani.round_id, stages[1].pk])
    client = _client(training_operator)
    page = client.get(url)
    assert page.context["may"] is True
    assert [r["candidacy"] for r in page.context["rows"]] == [ani]  # Bayu waits at stage 1
    response = client.post(
        url,
        {f"c{ani.pk}-candidacy": ani.pk, f"c{ani.pk}-value": "58", f"c{ani.pk}-note": "Late."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Ani Wijaya: 58 (not passed) recorded." in response.content.decode()
    ani.refresh_from_db()
    assert ani.status == CandidacyStatus.FAILED


def test_a_refused_row_shows_the_reason_and_saves_nothing(
    enrolled: list[Candidacy], stages: list[RoundStage], training_operator: User
) -> None:
    bayu = enrolled[1]
    url = reverse("selection:score_entry", args=[bayu.round_id, stages[1].pk])
    response = _client(training_operator).post(
        url, {f"c{bayu.pk}-candidacy": bayu.pk, f"c{bayu.pk}-value": "80"}, HTTP_HX_REQUEST="true"
    )
    assert "Enter the result of “Administrative check” first" in response.content.decode()
    assert not Score.objects.exists()


def test_someone_who_may_not_score_reads_the_page_without_forms(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User, auditor: User
) -> None:
    url = reverse("selection:score_entry", args=[enrolled[0].round_id, stages[1].pk])
    response = _client(national_officer).get(url)
    assert response.context["may"] is False
    assert _client(auditor).get(url).status_code == 200


def test_the_template_downloads_and_an_upload_saves_the_results(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    ani = enrolled[0]
    for candidacy in enrolled:
        _pass(candidacy, stages[0], national_officer)
    client = _client(training_operator)
    template = client.get(reverse("selection:score_template", args=[ani.round_id, stages[1].pk]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.active
    assert sheet is not None
    sheet["C2"], sheet["C3"] = 90, 61.5
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "nilai.xlsx"
    response = client.post(
        reverse("selection:score_upload", args=[ani.round_id, stages[1].pk]), {"file": data}
    )
    assert response.status_code == 302
    values = Score.objects.filter(stage=stages[1]).order_by("candidacy__participant__full_name")
    assert list(values.values_list("value", flat=True)) == [Decimal("90.00"), Decimal("61.50")]


def test_an_upload_with_a_bad_row_shows_the_report_and_saves_nothing(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    _pass(enrolled[0], stages[0], national_officer)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["NIK", "Nilai"])
    sheet.append([enrolled[0].participant.nik, "72.125"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "nilai.xlsx"
    response = _client(training_operator).post(
        reverse("selection:score_upload", args=[enrolled[0].round_id, stages[1].pk]),
        {"file": data},
    )
    assert response.status_code == 200
    assert "72.125 has more than two decimals; round it to two." in response.content.decode()
    assert not Score.objects.filter(stage=stages[1]).exists()


# --- the candidate's own view -----------------------------------------------------------------


def test_the_participant_sees_where_and_why_they_stopped(
    open_round: SelectionRound,
    participant_user: User,
    participant_jateng: Participant,
    national_officer: User,
    training_operator: User,
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.CERTIFIED)
    (siti,) = rounds.candidacy_enrol(
        selection_round=open_round, participants=[participant_jateng], acting_user=national_officer
    )
    _pass(siti, open_round.stages.get(position=1), national_officer)
    score_record(
        candidacy=siti,
        stage=open_round.stages.get(position=2),
        value="48",
        passed=None,
        note="",
        correction_reason="",
        acting_user=training_operator,
    )
    response = _client(participant_user).get(reverse("selection:mine"))
    page = response.content.decode()
    assert (
        "Did not pass “Written test”: the score 48 is below the pass mark of 60 (out of 100)."
        in page
    )
    (item,) = response.context["rounds"]
    assert [(s.stage_type.code, score.passed if score else None) for s, score in item["rows"]] == [
        ("administrative", True),
        ("written", False),
        ("interview", None),
    ]


def test_staff_may_not_open_my_selection(national_officer: User) -> None:
    assert _client(national_officer).get(reverse("selection:mine")).status_code == 403


def test_the_score_page_lists_the_waiting_by_default_and_the_scored_on_request(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> None:
    ani, bayu = enrolled
    _pass(ani, stages[0], national_officer)
    client = _client(national_officer)
    url = reverse("selection:score_entry", args=[ani.round_id, stages[0].pk])
    assert [r["candidacy"] for r in client.get(url).context["rows"]] == [bayu]
    assert [r["candidacy"] for r in client.get(url, {"show": "scored"}).context["rows"]] == [ani]
    assert client.get(url, {"q": "ani"}).context["rows"] == []
    assert [r["candidacy"] for r in client.get(url, {"q": "bay"}).context["rows"]] == [bayu]


def test_the_enrolment_page_offers_the_graduates_of_the_rounds_programme(
    im_japan: Organisation,
    blk: Organisation,
    national_officer: User,
    make_participant: Callable[..., Participant],
) -> None:
    from django.utils import timezone

    from jembatan.training.factories import BatchFactory, ProgrammeFactory
    from jembatan.training.models import Enrolment, EnrolmentStatus

    programme = ProgrammeFactory(organisation=blk, name="Pengelasan Dasar")
    batch = BatchFactory(programme=programme)
    graduate = make_participant(full_name="Lulus Pelatihan")
    dropout = make_participant(full_name="Keluar Pelatihan")
    make_participant(full_name="Tanpa Pelatihan")
    for person, status in ((graduate, EnrolmentStatus.CERTIFIED), (dropout, "withdrawn")):
        Enrolment.objects.create(
            batch=batch,
            participant=person,
            status=status,
            enrolled_at=timezone.now(),
            ended_at=timezone.now(),
        )
    selection_round = rounds.round_create(
        name="IM Japan 2026/3", partner=im_japan, programme=programme, acting_user=national_officer
    )
    url = reverse("selection:enrol", args=[selection_round.pk])
    client = _client(national_officer)
    graduates = client.get(url, {"graduates": "on"}).context["candidates"]
    assert [p.full_name for p in graduates] == ["Lulus Pelatihan"]
    in_batch = client.get(url, {"batch": batch.pk}).context["candidates"]
    assert [p.full_name for p in in_batch] == ["Keluar Pelatihan", "Lulus Pelatihan"]


def test_a_superuser_fixes_stage_types_in_the_admin_and_only_reads_rounds(
    open_round: SelectionRound,
) -> None:
    from jembatan.accounts.factories import DEFAULT_PASSWORD
    from jembatan.core.roles import Role

    root = User.objects.create_superuser(
        "root", "root@example.id", DEFAULT_PASSWORD, role=Role.NATIONAL_ADMIN
    )
    client = _client(root)
    assert client.get("/admin/selection/stagetype/").status_code == 200
    assert client.get("/admin/selection/selectionround/").status_code == 200
    assert client.get("/admin/selection/selectionround/add/").status_code == 403


def test_a_stale_row_shows_the_new_result_and_a_fresh_form(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> None:
    ani = enrolled[0]
    url = reverse("selection:score_entry", args=[ani.round_id, stages[0].pk])
    _pass(ani, stages[0], national_officer)  # by someone else, while the page was open
    response = _client(national_officer).post(
        url,
        {
            f"c{ani.pk}-candidacy": ani.pk,
            f"c{ani.pk}-current": "",
            f"c{ani.pk}-passed": "no",
            f"c{ani.pk}-correction_reason": "KTP expired.",
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "The result changed while you were on the page: it is now “passed”." in page
    current = Score.objects.get(stage=stages[0])
    assert f'name="c{ani.pk}-current" value="{current.pk}"' in page
    assert Score.objects.count() == 1


def test_the_candidate_reads_why_they_stopped_in_their_own_language(
    open_round: SelectionRound,
    participant_user: User,
    participant_jateng: Participant,
    national_officer: User,
    training_operator: User,
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.CERTIFIED)
    (siti,) = rounds.candidacy_enrol(
        selection_round=open_round, participants=[participant_jateng], acting_user=national_officer
    )
    _pass(siti, open_round.stages.get(position=1), national_officer)
    score_record(  # the examiner works in English (the tests' language)
        candidacy=siti, stage=open_round.stages.get(position=2), value="48", passed=None,
        note="Late.", correction_reason="", acting_user=training_operator,
    )  # fmt: skip
    siti.refresh_from_db()
    assert "“Written test”" in siti.stop_reason
    client = _client(participant_user)
    client.cookies["django_language"] = "id"  # the participant reads in Indonesian

    item = client.get(reverse("selection:mine")).context["rounds"][0]

    assert "“Tes tertulis”" in item["stop_reason"]
    assert "Written test" not in item["stop_reason"]
    assert "48" in item["stop_reason"] and "Late." in item["stop_reason"]
