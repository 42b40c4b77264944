"""Upload a stage's results from a spreadsheet: check every row, then save all or nothing.

Columns (Indonesian or English headings, any order, matched like the participant
import's): **NIK**, **Score**/**Nilai** (for a pass/fail stage **Passed**/**Lulus**
with yes/no), **Note**/**Catatan**, **Correction reason**/**Alasan koreksi**;
a Name column is ignored. Each row is checked against the same rules as the
page (:mod:`jembatan.selection.scoring`): known NIK, in this round, eligible at
this stage, on the scale, not twice in the file, a correction with its reason.
If any row has a problem nothing is saved and the report lists row, column,
what is wrong and how to fix it. Rows that repeat the current result change
nothing, so a template downloaded, partly filled and uploaded twice is safe.

Processing is synchronous: a round has at most a few thousand candidates.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.core import spreadsheet
from jembatan.core.spreadsheet import Cell, SpreadsheetError, cell_text, normalise_label
from jembatan.participants.selectors import participants_visible_to
from jembatan.selection import selectors
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    Score,
    ScoreSource,
    Scoring,
    shown,
)
from jembatan.selection.services.rounds import bump_version
from jembatan.selection.services.scoring import (
    Entry,
    eligibility_problem,
    ensure_may_score,
    record_entry,
)

NIK, RESULT, NOTE, REASON = "nik", "result", "note", "reason"
HEADINGS: dict[str, set[str]] = {
    NIK: {"nik", "no ktp", "nomor induk kependudukan"},
    RESULT: {"score", "nilai", "skor", "passed", "lulus", "result", "hasil"},
    NOTE: {"note", "catatan", "keterangan"},
    REASON: {"correction reason", "alasan koreksi", "reason", "alasan"},
}
YES = {"yes", "ya", "y", "lulus", "passed", "pass", "true", "1", "l"}
IGNORED = {"nama", "name", "nama name", "no", "nomor"}
NO = {"no", "tidak", "t", "n", "tidak lulus", "gagal", "failed", "fail", "false", "0", "tl"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: where, what, and how to fix it."""

    row: int
    column: str
    cell: str
    value: str
    message: str
    fix: str


@dataclass
class Report:
    """The outcome of an upload: problems (nothing saved) or what was saved."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    saved: int = 0
    unchanged: int = 0
    corrected: int = 0

    @property
    def ok(self) -> bool:
        """True when no row has a problem (and so everything was saved)."""
        return not self.problems


class FileRefused(Exception):
    """The file as a whole cannot be used; the message says why and what to do."""


# --- the template ----------------------------------------------------------------------


def template_headings(stage: RoundStage) -> list[str]:
    """The headings of the stage's template (bilingual, as people see them)."""
    result = "Lulus / Passed (ya/tidak)" if stage.scoring == Scoring.PASS_FAIL else "Nilai / Score"
    return ["NIK", "Nama / Name", result, "Catatan / Note", "Alasan koreksi / Correction reason"]


def template_rows(stage: RoundStage, candidacies: Iterable[Candidacy]) -> list[list[object]]:
    """A row per candidate who may be scored at ``stage`` now or holds a result to correct."""
    rows: list[list[object]] = []
    listed = list(candidacies)
    current = selectors.current_scores(listed)
    stages = selectors.stages_of(stage.round)
    for candidacy in listed:
        mine = current.get(candidacy.pk, {})
        score = mine.get(stage.pk)
        if score is None and eligibility_problem(candidacy, stage, stages, mine):
            continue
        rows.append(
            [candidacy.participant.nik, candidacy.participant.full_name, _cell(score), "", ""]
        )
    return rows


def _cell(score: Score | None) -> object:
    if score is None:
        return ""
    if score.value is None:
        return "ya" if score.passed else "tidak"
    return float(score.value)


def template_bytes(stage: RoundStage, candidacies: Iterable[Candidacy]) -> bytes:
    """The xlsx template for ``stage`` listing the candidates to score."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        spreadsheet.write_xlsx(
            path,
            [
                (
                    str(stage.stage_type.name)[:31],
                    template_headings(stage),
                    template_rows(stage, candidacies),
                )
            ],
        )
        return path.read_bytes()


# --- reading ---------------------------------------------------------------------------


def _headings(row: list[Cell]) -> tuple[dict[str, tuple[int, str]], list[str]]:
    index = {label: name for name, labels in HEADINGS.items() for label in labels}
    found: dict[str, tuple[int, str]] = {}
    unknown = []
    for column, value in enumerate(row):
        heading = cell_text(value)
        label = normalise_label(heading)
        name = index.get(label) or index.get(label.split(" ")[0] if label else "")
        if name is None or name in found:
            if heading and name is None and label.split(" ")[0] not in IGNORED:
                unknown.append(heading)
            continue
        found[name] = (column, heading)
    missing = [n for n in (NIK, RESULT) if n not in found]
    if missing:
        raise FileRefused(
            _(
                "The columns NIK and Score (Nilai, or Passed/Lulus for a pass/fail stage) are "
                "required; missing: %(missing)s. Use the headings of the template."
            )
            % {"missing": ", ".join("NIK" if m == NIK else _("Score") for m in missing)}
        )
    return found, unknown


def read_rows(
    path: Path,
) -> tuple[dict[str, tuple[int, str]], list[tuple[int, list[Cell]]], list[str]]:
    """The headings, the non-blank data rows (with their index) and notes about the file."""
    try:
        table = spreadsheet.read_table(path, limits=spreadsheet.Limits.from_settings())
    except SpreadsheetError as error:
        raise FileRefused(error.message) from error
    start = table.header_index()
    headings, unknown = _headings(table.rows[start])
    data = [
        (i, row)
        for i, row in enumerate(table.rows)
        if i > start and not spreadsheet.is_blank_row(row)
    ]
    notes = []
    if unknown:
        notes.append(
            _("Columns not recognised and ignored: %(names)s.") % {"names": ", ".join(unknown)}
        )
    if table.hidden_sheets:
        notes.append(
            _("Hidden sheets were not read: %(names)s.") % {"names": ", ".join(table.hidden_sheets)}
        )
    return headings, data, notes


# --- checking ----------------------------------------------------------------------------


FIXES = {
    "unknown_nik": gettext_lazy(
        "Check the NIK against the candidate's KTP; copy it from the template."
    ),
    "not_in_round": gettext_lazy(
        "Only candidates of this round can be scored here; remove the row."
    ),
    "not_eligible": gettext_lazy("Remove the row, or enter the earlier stage's result first."),
    "value": gettext_lazy("Type a number within the scale, with at most two decimals."),
    "passed": gettext_lazy("Write “ya” (yes) or “tidak” (no)."),
    "duplicate": gettext_lazy("Keep one row per candidate and delete the others."),
    "correction_without_reason": gettext_lazy(
        "Fill in the correction reason, or put back the current result."
    ),
    "withdrawn": gettext_lazy("Remove the row: the candidate's results can no longer change."),
}


@dataclass(frozen=True)
class Issue:
    """What stops one row: the message, the code of its fix, the column it is about."""

    message: str
    code: str
    column: str


@dataclass
class Checker:
    """Checks the rows of one stage's file against the round's candidacies and scores."""

    stage: RoundStage
    headings: dict[str, tuple[int, str]]
    by_nik: dict[str, Candidacy]
    known_niks: set[str]
    current: dict[int, dict[int, Score]]
    stages: list[RoundStage]
    seen: dict[str, int] = field(default_factory=dict)

    def cell(self, row: list[Cell], name: str) -> Cell | None:
        """The cell of column ``name`` in ``row`` (None when the row is short)."""
        column = self.headings.get(name, (-1, ""))[0]
        return row[column] if 0 <= column < len(row) else None

    def problem(self, index: int, row: list[Cell], issue: Issue) -> Problem:
        """Place ``issue`` in the file: row, heading, cell, the value as typed, the fix."""
        column, heading = self.headings.get(issue.column, (-1, issue.column))
        return Problem(
            row=index + 1,
            column=heading,
            cell=spreadsheet.cell_ref(index, column) if column >= 0 else "",
            value=cell_text(self.cell(row, issue.column)),
            message=issue.message,
            fix=str(FIXES[issue.code]),
        )

    def check(self, index: int, row: list[Cell]) -> tuple[Entry | None, list[Problem]]:
        """The entry of one row, or the problem that stops it."""
        nik = "".join(cell_text(self.cell(row, NIK)).split())
        candidacy = self.by_nik.get(nik)
        entry, issue = None, self._unknown(nik) if candidacy is None else None
        if candidacy is not None:
            entry, issue = self._entry(candidacy, row)
        if entry is not None:
            issue = self._order(entry, nik, index)
        if issue is not None:
            return None, [self.problem(index, row, issue)]
        return entry, []

    def _unknown(self, nik: str) -> Issue:
        if nik in self.known_niks:
            message = _("The participant with NIK %(nik)s is not a candidate of this round.")
            return Issue(message % {"nik": nik}, "not_in_round", NIK)
        return Issue(_("No participant has the NIK “%(nik)s”.") % {"nik": nik}, "unknown_nik", NIK)

    def _entry(self, candidacy: Candidacy, row: list[Cell]) -> tuple[Entry | None, Issue | None]:
        result = self.cell(row, RESULT)
        try:
            value, passed = self.stage.result_of(
                _result_value(self.stage, result), _passed(self.stage, result)
            )
        except ValidationError as error:
            code = "passed" if self.stage.scoring == Scoring.PASS_FAIL else "value"
            return None, Issue(" ".join(error.messages), code, RESULT)
        note, reason = cell_text(self.cell(row, NOTE)), cell_text(self.cell(row, REASON))
        return Entry(candidacy, value, passed, note, reason), None

    def _order(self, entry: Entry, nik: str, index: int) -> Issue | None:
        """Duplicates, the order of stages and corrections, as the page checks them."""
        if nik in self.seen:
            message = _("The same NIK is already on row %(row)s.") % {"row": self.seen[nik]}
            return Issue(message, "duplicate", NIK)
        self.seen[nik] = index + 1
        candidacy = entry.candidacy
        mine = self.current.get(candidacy.pk, {})
        previous = mine.get(self.stage.pk)
        if previous is None:
            problem = eligibility_problem(candidacy, self.stage, self.stages, mine)
            return Issue(problem, "not_eligible", NIK) if problem else None
        if previous.value == entry.value and previous.passed == entry.passed:
            return None
        if candidacy.status == CandidacyStatus.WITHDRAWN:
            return Issue(_("The candidate was withdrawn from the round."), "withdrawn", NIK)
        if not entry.correction_reason:
            message = _("The candidate already has %(result)s here; a correction needs a reason.")
            held = shown(previous.value) or (_("a pass") if previous.passed else _("a fail"))
            return Issue(message % {"result": held}, "correction_without_reason", REASON)
        return None


def _result_value(stage: RoundStage, value: Cell | None) -> Any:
    if stage.scoring == Scoring.PASS_FAIL:
        return None
    if isinstance(value, float) and not isinstance(value, bool):
        return repr(value)
    return cell_text(value)


def _passed(stage: RoundStage, value: Cell | None) -> bool | None:
    if stage.scoring != Scoring.PASS_FAIL:
        return None
    if isinstance(value, bool):
        return value
    text = normalise_label(cell_text(value))
    if text in YES:
        return True
    if text in NO:
        return False
    if not text:
        raise ValidationError(_("Write whether the candidate passed."))
    raise ValidationError(_("“%(value)s” is neither yes nor no.") % {"value": cell_text(value)})


def _checker(
    stage: RoundStage, headings: dict[str, tuple[int, str]], niks: set[str], acting_user: Any
) -> Checker:
    """Load what the rows are checked against, in a few queries for the whole file.

    Whether a NIK that is not in the round exists at all is said only for
    participants ``acting_user`` may see in the registry (no hint about anyone else).
    """
    candidacies = list(
        stage.round.candidacies.select_related("participant", "failed_stage__stage_type").filter(
            participant__nik__in=niks
        )
    )
    return Checker(
        stage=stage,
        headings=headings,
        by_nik={c.participant.nik: c for c in candidacies},
        known_niks=set(
            participants_visible_to(acting_user).filter(nik__in=niks).values_list("nik", flat=True)
        ),
        current=selectors.current_scores(candidacies),
        stages=selectors.stages_of(stage.round),
    )


def check_file(path: Path, stage: RoundStage, acting_user: Any) -> tuple[list[Entry], Report]:
    """Every row checked; the entries to save (only meaningful if the report is clean)."""
    headings, data, notes = read_rows(path)
    if not data:
        raise FileRefused(_("The file has headings but no rows. Add one row per candidate."))
    column = headings[NIK][0]
    niks = {"".join(cell_text(r[column] if column < len(r) else None).split()) for _i, r in data}
    checker = _checker(stage, headings, niks, acting_user)
    entries, report = [], Report(notes=notes)
    for index, row in data:
        entry, problems = checker.check(index, row)
        report.problems.extend(problems)
        if entry is not None:
            entries.append(entry)
    return entries, report


# --- saving ------------------------------------------------------------------------------


def upload_scores(*, stage: RoundStage, path: Path, acting_user: Any) -> Report:
    """Check the whole file and, only if every row is right, record every row at once."""
    stage = RoundStage.objects.select_related("round", "stage_type").get(pk=stage.pk)
    ensure_may_score(acting_user, stage)
    entries, report = check_file(path, stage, acting_user)
    if not report.ok:
        return report
    try:
        _save(stage, entries, report, acting_user)
    except (ValidationError, PermissionDenied) as error:  # a race with someone on the page
        report.problems.append(
            Problem(0, "", "", "", " ".join(_messages(error)), _("Upload the file again."))
        )
        report.saved = report.corrected = report.unchanged = 0
    return report


@transaction.atomic
def _save(stage: RoundStage, entries: list[Entry], report: Report, acting_user: Any) -> None:
    now, stages = timezone.now(), selectors.stages_of(stage.round)
    for entry in entries:
        outcome = record_entry(
            entry, stage, acting_user=acting_user, source=ScoreSource.UPLOAD, now=now, stages=stages
        )
        if not outcome.created:
            report.unchanged += 1
        elif outcome.corrected:
            report.corrected += 1
        else:
            report.saved += 1
    if report.saved or report.corrected:
        bump_version(stage.round)


def _messages(error: Exception) -> list[str]:
    """The messages of a refusal, whatever its kind."""
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]
