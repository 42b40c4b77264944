"""Uploading a stage's results: a good file saves every row, any bad row saves nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from jembatan.accounts.models import User
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.selection.models import Candidacy, CandidacyStatus, RoundStage, Score, ScoreSource
from jembatan.selection.services.scoring import score_record
from jembatan.selection.upload import FileRefused, template_bytes, upload_scores

pytestmark = pytest.mark.django_db


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _pass_administrative(enrolled: list[Candidacy], stage: RoundStage, by: User) -> None:
    for candidacy in enrolled:
        score_record(
            candidacy=candidacy,
            stage=stage,
            value=None,
            passed=True,
            note="",
            correction_reason="",
            acting_user=by,
        )


@pytest.fixture
def ready(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> list[Candidacy]:
    """Ani and Bayu passed the administrative check: both may take the written test."""
    _pass_administrative(enrolled, stages[0], national_officer)
    return enrolled


def _problems(report: Any) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.cell, p.message) for p in report.problems]


def test_a_good_file_saves_every_row_as_an_upload(
    ready: list[Candidacy], stages: list[RoundStage], training_operator: User, tmp_path: Path
) -> None:
    ani, bayu = ready
    path = _xlsx(
        tmp_path / "nilai.xlsx",
        [
            ["NIK", "Nama / Name", "Nilai / Score", "Catatan / Note"],
            [ani.participant.nik, "Ani", 82.5, "Good"],
            [bayu.participant.nik, "Bayu", "41", ""],
        ],
    )
    report = upload_scores(stage=stages[1], path=path, acting_user=training_operator)
    assert (report.ok, report.saved, report.corrected, report.unchanged) == (True, 2, 0, 0)
    assert report.notes == []
    scores = Score.objects.filter(stage=stages[1]).order_by("candidacy__participant__full_name")
    assert [(s.value, s.passed, s.note, s.source) for s in scores] == [
        (Decimal("82.50"), True, "Good", ScoreSource.UPLOAD),
        (Decimal("41.00"), False, "", ScoreSource.UPLOAD),
    ]
    bayu.refresh_from_db()
    assert bayu.status == CandidacyStatus.FAILED


def test_rows_with_problems_are_reported_and_nothing_is_saved(
    ready: list[Candidacy],
    stages: list[RoundStage],
    training_operator: User,
    blk: Organisation,
    tmp_path: Path,
) -> None:
    ani, bayu = ready
    stranger = ParticipantFactory(full_name="Orang Lain", training_centre=blk)
    path = _xlsx(
        tmp_path / "nilai.xlsx",
        [
            ["NIK", "Score", "Note"],
            [ani.participant.nik, 82, ""],
            ["3374000000000000", 70, ""],
            [stranger.nik, 70, ""],
            [bayu.participant.nik, 120, ""],
            [ani.participant.nik, 82, ""],
        ],
    )
    report = upload_scores(stage=stages[1], path=path, acting_user=training_operator)
    assert _problems(report) == [
        (3, "NIK", "A3", "No participant has the NIK “3374000000000000”."),
        (
            4,
            "NIK",
            "A4",
            f"The participant with NIK {stranger.nik} is not a candidate of this round.",
        ),
        (5, "Score", "B5", "120 is outside the scale: enter a score from 0 to 100."),
        (6, "NIK", "A6", "The same NIK is already on row 2."),
    ]
    assert report.problems[2].fix == "Type a number within the scale, with at most two decimals."
    assert not Score.objects.filter(stage=stages[1]).exists()


def test_a_nik_outside_the_uploaders_scope_reads_as_unknown(
    ready: list[Candidacy], stages: list[RoundStage], partner_user: User, tmp_path: Path
) -> None:
    stranger = ParticipantFactory(full_name="Orang Lain")
    path = _xlsx(tmp_path / "n.xlsx", [["NIK", "Nilai"], [stranger.nik, 80]])
    report = upload_scores(stage=stages[2], path=path, acting_user=partner_user)
    assert _problems(report) == [(2, "NIK", "A2", f"No participant has the NIK “{stranger.nik}”.")]


def test_a_candidate_not_yet_eligible_at_the_stage_is_reported(
    enrolled: list[Candidacy], stages: list[RoundStage], partner_user: User, tmp_path: Path
) -> None:
    path = _xlsx(tmp_path / "n.xlsx", [["NIK", "Nilai"], [enrolled[0].participant.nik, 80]])
    report = upload_scores(stage=stages[2], path=path, acting_user=partner_user)
    assert _problems(report) == [
        (
            2,
            "NIK",
            "A2",
            "Enter the result of “Administrative check” first: stages are marked in order.",
        )
    ]
    assert not Score.objects.exists()


def test_a_correction_needs_its_reason_and_an_unchanged_row_changes_nothing(
    ready: list[Candidacy], stages: list[RoundStage], training_operator: User, tmp_path: Path
) -> None:
    ani, bayu = ready
    first = _xlsx(
        tmp_path / "1.xlsx",
        [["NIK", "Nilai"], [ani.participant.nik, 70], [bayu.participant.nik, 65]],
    )
    upload_scores(stage=stages[1], path=first, acting_user=training_operator)
    second = _xlsx(
        tmp_path / "2.xlsx",
        [
            ["NIK", "Nilai", "Alasan koreksi"],
            [ani.participant.nik, 70, ""],
            [bayu.participant.nik, 75, ""],
        ],
    )
    report = upload_scores(stage=stages[1], path=second, acting_user=training_operator)
    assert _problems(report) == [
        (
            3,
            "Alasan koreksi",
            "C3",
            "The candidate already has 65 here; a correction needs a reason.",
        )
    ]
    assert Score.objects.filter(stage=stages[1]).count() == 2
    third = _xlsx(
        tmp_path / "3.xlsx",
        [
            ["NIK", "Nilai", "Alasan koreksi"],
            [ani.participant.nik, 70, ""],
            [bayu.participant.nik, 75, "Essay re-marked."],
        ],
    )
    report = upload_scores(stage=stages[1], path=third, acting_user=training_operator)
    assert (report.ok, report.saved, report.corrected, report.unchanged) == (True, 0, 1, 1)
    assert Score.objects.filter(stage=stages[1]).count() == 3


def test_a_pass_fail_stage_reads_yes_and_no_in_both_languages(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User, tmp_path: Path
) -> None:
    ani, bayu = enrolled
    path = tmp_path / "admin.csv"
    path.write_text(
        "NIK;Lulus (ya/tidak);Catatan\n"
        f"{ani.participant.nik};ya;\n{bayu.participant.nik};No;KTP expired\n",
        encoding="utf-8",
    )
    report = upload_scores(stage=stages[0], path=path, acting_user=national_officer)
    assert report.ok
    bayu.refresh_from_db()
    assert bayu.stop_reason == (
        "Did not pass “Administrative check”: the result was a fail. Examiner's note: KTP expired"
    )


def test_a_file_that_is_not_a_spreadsheet_is_refused(
    ready: list[Candidacy], stages: list[RoundStage], training_operator: User, tmp_path: Path
) -> None:
    path = tmp_path / "nilai.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(FileRefused) as refused:
        upload_scores(stage=stages[1], path=path, acting_user=training_operator)
    assert "This is not a spreadsheet" in str(refused.value)
    assert not Score.objects.filter(stage=stages[1]).exists()


def test_a_file_without_a_score_column_is_refused(
    ready: list[Candidacy], stages: list[RoundStage], training_operator: User, tmp_path: Path
) -> None:
    path = _xlsx(tmp_path / "n.xlsx", [["NIK", "Komentar"], [ready[0].participant.nik, "x"]])
    with pytest.raises(FileRefused) as refused:
        upload_scores(stage=stages[1], path=path, acting_user=training_operator)
    assert str(refused.value) == (
        "The columns NIK and Score (Nilai, or Passed/Lulus for a pass/fail stage) are required; "
        "missing: Score. Use the headings of the template."
    )


def test_the_template_lists_the_candidates_who_may_be_scored_with_their_current_result(
    ready: list[Candidacy], stages: list[RoundStage], training_operator: User, tmp_path: Path
) -> None:
    ani, bayu = ready
    score_record(
        candidacy=ani,
        stage=stages[1],
        value="70",
        passed=None,
        note="",
        correction_reason="",
        acting_user=training_operator,
    )
    content = template_bytes(stages[1], Candidacy.objects.order_by("participant__full_name"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows == [
        [
            "NIK",
            "Nama / Name",
            "Nilai / Score",
            "Catatan / Note",
            "Alasan koreksi / Correction reason",
        ],
        [ani.participant.nik, "Ani Wijaya", 70, None, None],
        [bayu.participant.nik, "Bayu Saputra", None, None, None],
    ]
    path = tmp_path / "template.xlsx"
    path.write_bytes(content)
    report = upload_scores(stage=stages[1], path=path, acting_user=training_operator)
    assert _problems(report) == [(3, "Nilai / Score", "C3", "Enter the score.")]
