"""Checking one row at a time, and who may import what.

:class:`RowChecker` runs the cell checkers of
:mod:`~jembatan.participants.import_checks.field_checks` on a row, then the checks
that need the registry: the NIK, the regency within the importer's province and
the sending organisation's licence, each looked up once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jembatan.core import spreadsheet
from jembatan.core.access import role_of
from jembatan.core.models import ImportJob, Region
from jembatan.core.nik import check_nik
from jembatan.core.roles import Role
from jembatan.core.spreadsheet import Cell, cell_text
from jembatan.organisations.models import Licence, LicenceActivity, Organisation
from jembatan.organisations.rules import LicenceRequired, ensure_can_act
from jembatan.participants.import_checks.columns import COLUMN_BY_FIELD, LICENCE
from jembatan.participants.import_checks.field_checks import (
    check_birth_date,
    check_education,
    check_email,
    check_phone,
    check_regency_code,
    check_sex,
    check_text,
)
from jembatan.participants.import_checks.problems import Issue, Problem, fix_for
from jembatan.participants.validation import nik_mismatch, regency_contradiction

IMPORTED_FOR_CONFIRMATION = gettext_lazy(
    "The row is imported and held for an officer to confirm the NIK (a NIK is not reissued "
    "when a birth date or sex is corrected); correct the row instead if it was mistyped."
)


# --- who may import what ---------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one importer may import: which organisation, which province."""

    organisation_id: int | None = None  # only this organisation's participants
    default_licence: str = ""  # the licence of rows that leave the column empty
    default_organisation_id: int | None = None
    province_id: str | None = None

    @classmethod
    def for_job(cls, job: ImportJob) -> Scope:
        """The scope of ``job``'s importer, narrowed by its default licence."""
        user = job.created_by
        role = role_of(user) if user is not None else None
        scope = cls(default_licence=job.default_licence)
        if role == Role.SENDER_OPERATOR:
            org_id = user.organisation_id  # type: ignore[union-attr]
            scope = cls(organisation_id=org_id, default_organisation_id=org_id)
        elif role == Role.PROVINCIAL_OFFICER:
            scope = cls(province_id=user.province_id)  # type: ignore[union-attr]
        if job.default_licence:
            scope = _with_licence(scope, job.default_licence)
        return scope


def _with_licence(scope: Scope, number: str) -> Scope:
    licence = find_licence(number)
    org_id = licence.organisation_id if licence else None
    return Scope(
        organisation_id=scope.organisation_id or org_id,
        default_licence=number,
        default_organisation_id=None,
        province_id=scope.province_id,
    )


def find_licence(number: str) -> Licence | None:
    """The licence with this number, spelled with any case or spacing."""
    cleaned = " ".join(number.split())
    return Licence.objects.filter(number__iexact=cleaned).select_related("organisation").first()


# --- checking one row -----------------------------------------------------------------


@dataclass
class CheckedRow:
    """One data row after checking: clean values and every problem found."""

    row: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    existing: bool = False

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class _OrganisationVerdict:
    organisation_id: int | None
    issues: list[Issue]


class RowChecker:
    """Checks rows one by one, remembering regions and licences it has looked up."""

    def __init__(self, *, headings: dict[str, tuple[int, str]], scope: Scope) -> None:
        self.headings = headings  # field -> (column index, heading as written)
        self.scope = scope
        self.today = timezone.localdate()
        self.regions = _regency_table()
        self.known_codes = _known_region_codes()
        self.licences: dict[str, _OrganisationVerdict] = {}
        self.organisations: dict[int, _OrganisationVerdict] = {}
        self.checkers = self._checkers()
        self.has_districts = any(code.count(".") == 2 for code in self.known_codes)

    def check(self, index: int, cells: Sequence[Cell]) -> CheckedRow:
        """Check the row at zero-based ``index`` (Excel row ``index + 1``)."""
        raw = {f: _cell(cells, col) for f, (col, _heading) in self.headings.items()}
        values: dict[str, Any] = {}
        issues: list[Issue] = []
        for name, checker in self.checkers:
            value, found = checker(raw.get(name))
            values.update(value)
            issues += [i if i.field else Issue(i.code, i.message, i.severity, name) for i in found]
        nik_value, nik_issues = self._nik(raw.get("nik"), values)
        values["nik"] = nik_value
        issues += nik_issues
        moved = regency_contradiction(nik_value, values.get("regency_id"))
        if moved:  # nobody is there to confirm a move: the row is refused
            issues.append(Issue("regency_contradicts_nik", moved, field="regency_code"))
        organisation, org_issues = self._organisation(raw.get(LICENCE), values)
        values["sending_organisation_id"] = organisation
        issues += org_issues
        return CheckedRow(index + 1, values, [self.problem(index, raw, i) for i in issues])

    def _checkers(self) -> list[tuple[str, Callable[[Cell | None], tuple[dict, list[Issue]]]]]:
        return [
            ("full_name", lambda v: check_text("full_name", v, required=True)),
            ("sex", check_sex),
            ("birth_place", lambda v: check_text("birth_place", v, required=True)),
            ("birth_date", self._birth_date),
            ("phone", check_phone),
            ("email", check_email),
            ("address", lambda v: check_text("address", v, required=False)),
            ("regency_code", self._regency),
            ("education", check_education),
        ]

    def problem(self, index: int, raw: dict[str, Cell | None], issue: Issue) -> Problem:
        """Place ``issue`` in the file: row, cell, heading and the value as typed."""
        column, heading = self.headings.get(issue.field, (-1, ""))
        cell = spreadsheet.cell_ref(index, column) if column >= 0 else ""
        return Problem(
            row=index + 1,
            field=issue.field,
            heading=heading or COLUMN_BY_FIELD[issue.field].heading_for(get_language()),
            cell=cell,
            value=cell_text(raw.get(issue.field)),
            severity=issue.severity,
            code=issue.code,
            message=issue.message,
            fix=fix_for(issue.code),
        )

    def _birth_date(self, value: Cell | None) -> tuple[dict, list[Issue]]:
        found, issues = check_birth_date(value, self.today)
        return {"birth_date": found}, issues

    def _regency(self, value: Cell | None) -> tuple[dict, list[Issue]]:
        code, issues = check_regency_code(value)
        if code is None:
            return {"regency_id": None, "province_id": None}, issues
        if code not in self.regions:
            message = _("There is no regency or city with code %(code)s.") % {"code": code}
            return {"regency_id": None, "province_id": None}, [Issue("regency_unknown", message)]
        province = self.regions[code]
        if self.scope.province_id and province != self.scope.province_id:
            return {"regency_id": code, "province_id": province}, [_other_province(code)]
        return {"regency_id": code, "province_id": province}, []

    def _nik(self, value: Cell | None, values: dict[str, Any]) -> tuple[str | None, list[Issue]]:
        result = check_nik(
            value,
            declared_birth_date=values.get("birth_date"),
            declared_sex=values.get("sex"),
            region_exists=self._region_exists,
            today=self.today,
        )
        issues = [
            Issue(p.code, str(p.message), p.severity, p.field)
            for p in result.problems
            if p.severity != "confirm"
        ]
        # A NIK is never reissued when a birth date or sex is corrected: the row is imported,
        # held for an officer to confirm (participants:nik_mismatches), and the file says so.
        issues += [
            Issue(p.code, f"{p.message} {IMPORTED_FOR_CONFIRMATION}", "warning", p.field)
            for p in result.to_confirm
        ]
        values["nik_mismatch"] = nik_mismatch(result) if result.ok else ""
        return (result.nik if result.ok else None), issues

    def _region_exists(self, code: str) -> bool:
        # Districts are checked only once the district table is loaded.
        return code in self.known_codes or (code.count(".") == 2 and not self.has_districts)

    def _organisation(
        self, value: Cell | None, values: dict[str, Any]
    ) -> tuple[int | None, list[Issue]]:
        number = " ".join(cell_text(value).split())
        if not number and self.scope.default_licence:
            number = self.scope.default_licence
        if number:
            verdict = self._by_licence(number)
        elif self.scope.default_organisation_id:
            verdict = self._by_organisation(self.scope.default_organisation_id)
        else:
            message = _("The licence number of the sending organisation (LPK) is required.")
            verdict = _OrganisationVerdict(None, [Issue("required", message)])
        issues = [Issue(i.code, i.message, i.severity, LICENCE) for i in verdict.issues]
        return verdict.organisation_id, issues

    def _by_licence(self, number: str) -> _OrganisationVerdict:
        key = number.casefold()
        if key not in self.licences:
            self.licences[key] = self._judge_licence(number)
        return self.licences[key]

    def _by_organisation(self, organisation_id: int) -> _OrganisationVerdict:
        if organisation_id not in self.organisations:
            organisation = Organisation.objects.get(pk=organisation_id)
            self.organisations[organisation_id] = _judge_organisation(organisation, None)
        return self.organisations[organisation_id]

    def _judge_licence(self, number: str) -> _OrganisationVerdict:
        licence = find_licence(number)
        if licence is None:
            message = _("No licence with number “%(number)s” is registered.") % {"number": number}
            return _OrganisationVerdict(None, [Issue("licence_unknown", message)])
        allowed = self.scope.organisation_id
        if allowed is not None and licence.organisation_id != allowed:
            return _OrganisationVerdict(None, [_other_organisation(licence)])
        return _judge_organisation(licence.organisation, licence)


def _judge_organisation(organisation: Organisation, named: Licence | None) -> _OrganisationVerdict:
    """Whether ``organisation`` may register participants now (``ensure_can_act``)."""
    try:
        acting = ensure_can_act(organisation, activity=LicenceActivity.REGISTER)
    except LicenceRequired as refusal:
        return _OrganisationVerdict(None, [Issue("licence_required", " ".join(refusal.messages))])
    if named is not None and acting.pk != named.pk:
        message = _(
            "Licence %(named)s is not the one in force; %(name)s now holds licence %(current)s."
        ) % {"named": named.number, "name": organisation.name, "current": acting.number}
        return _OrganisationVerdict(
            organisation.pk, [Issue("licence_not_current", message, "warning")]
        )
    return _OrganisationVerdict(organisation.pk, [])


def _other_organisation(licence: Licence) -> Issue:
    message = _(
        "Licence %(number)s belongs to another organisation; you may import only "
        "participants of your own organisation."
    ) % {"number": licence.number}
    return Issue("other_organisation", message)


def _other_province(code: str) -> Issue:
    message = _(
        "Regency/city %(code)s is outside your province; you may import only participants "
        "of your own province."
    ) % {"code": code}
    return Issue("other_province", message)


def _known_region_codes() -> set[str]:
    return set(Region.objects.values_list("code", flat=True))


def _regency_table() -> dict[str, str]:
    """Every regency/city code with its province code."""
    rows = Region.objects.exclude(parent=None).filter(code__regex=r"^\d{2}\.\d{2}$")
    return dict(rows.values_list("code", "parent_id"))


def _cell(cells: Sequence[Cell], column: int) -> Cell | None:
    return cells[column] if column < len(cells) else None
