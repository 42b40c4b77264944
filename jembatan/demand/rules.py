"""Rules a job order must meet: the fee rules, a lawful requirement, a consistent occupation.

:func:`ensure_job_order_open` is the rule every matching path calls before it
proposes or places anyone: only a job order the ministry approved (and not yet
filled, closed or cancelled) may receive people.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jembatan.core import age_rules, occupation_tables
from jembatan.core.models import Country, Occupation
from jembatan.demand import wage_floor
from jembatan.demand.errors import DemandErrorCode
from jembatan.demand.models import CostKind, FeeRule, JobOrder, Scheme
from jembatan.demand.workflows import MATCHABLE
from jembatan.participants.models import Education

SKKNI_UNIT = re.compile(r"^[A-Z]\.\d{6}\.\d{3}\.\d{2}$")
# Which occupation tables a programme may use: its current table (core/data/occupations.meta.json
# says which version replaced which) and KBJI, Indonesia's own, which fits every programme.
# SSW's 2024 table stays loaded for the orders posted under it, but new orders use 2026's.
SCHEME_DATASETS: dict[str, frozenset[str]] = {
    Scheme.TITP: frozenset({"jp-titp-2025", "kbji-2014"}),
    Scheme.SSW: frozenset({"jp-ssw-2026", "kbji-2014"}),
    Scheme.ESD: frozenset({"jp-esd-2027", "kbji-2014"}),
}
# Programmes that belong to one destination country.
SCHEME_COUNTRY: dict[str, str] = {
    Scheme.TITP: "JP",
    Scheme.SSW: "JP",
    Scheme.ESD: "JP",
    Scheme.EPS: "KR",
}
OCCUPATION_DATASETS: frozenset[str] = frozenset(
    code for codes in SCHEME_DATASETS.values() for code in codes
)
EDUCATION_ORDER: tuple[str, ...] = tuple(Education.values)


class JobOrderNotOpen(ValidationError):
    """Nobody may be matched to this job order now; the message says why."""


def ensure_job_order_open(job_order: JobOrder) -> None:
    """Raise :class:`JobOrderNotOpen` unless people may be matched to ``job_order`` now."""
    if job_order.status in MATCHABLE:
        return
    raise JobOrderNotOpen(
        _(
            "Nobody can be matched to job order %(reference)s: it is %(status)s. Only a job "
            "order approved by Kemnaker and open for recruitment can receive participants."
        )
        % {"reference": job_order.reference, "status": job_order.get_status_display().lower()},
        code=DemandErrorCode.JOB_ORDER_NOT_OPEN,
    )


def education_rank(value: str) -> int:
    """The position of an education level in participants' Education order (-1 if none)."""
    return EDUCATION_ORDER.index(value) if value in EDUCATION_ORDER else -1


def meets_education(has: str, required: str) -> bool:
    """True if education ``has`` is at least ``required`` (nothing required: always)."""
    return not required or education_rank(has) >= education_rank(required)


@dataclass(frozen=True)
class CostLine:
    """One cost the apprentice pays at home, as entered."""

    kind: str
    description: str
    amount: Decimal
    currency: str
    paid_to: str


def fee_rule_in_force(country_id: str, scheme: str, on: dt.date | None = None) -> FeeRule | None:
    """The fee rule for ``country_id`` and ``scheme`` on ``on`` (today), the latest start first."""
    on = on or timezone.localdate()
    return (
        FeeRule.objects.filter(country_id=country_id, scheme=scheme, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def check_costs(*, country: Country, scheme: str, costs: Sequence[CostLine]) -> None:
    """Refuse costs the fee rule in force forbids, naming the item and the rule."""
    charged = [c for c in costs if c.amount > 0]
    if not charged:
        return
    rule = fee_rule_in_force(country.pk, scheme)
    if rule is None:
        raise ValidationError(
            _(
                "No fee rule is in force for %(country)s (%(scheme)s), so costs charged to the "
                "apprentice cannot be checked. Kemnaker must record the fee rule first; until "
                "then the apprentice may not be charged anything."
            )
            % {"country": country, "scheme": Scheme(scheme).label},
            code=DemandErrorCode.NO_FEE_RULE,
        )
    errors = [*_forbidden(rule, charged), *_over_cap(rule, charged)]
    if errors:
        raise ValidationError(errors)


def _rule_name(rule: FeeRule) -> str:
    return f"{rule.name} ({rule.legal_basis})"


def _forbidden(rule: FeeRule, costs: Sequence[CostLine]) -> list[ValidationError]:
    forbidden = set(rule.forbidden_kinds or [])
    labels = dict(CostKind.choices)
    return [
        ValidationError(
            _("“%(item)s” (%(kind)s) may not be charged to the apprentice under the rule %(rule)s.")
            % {"item": c.description, "kind": labels.get(c.kind, c.kind), "rule": _rule_name(rule)},
            code=DemandErrorCode.FORBIDDEN_COST,
        )
        for c in costs
        if c.kind in forbidden
    ]


def _over_cap(rule: FeeRule, costs: Sequence[CostLine]) -> list[ValidationError]:
    if rule.max_total_amount is None:
        return []
    other = [c for c in costs if c.currency != rule.currency]
    if other:
        return [
            ValidationError(
                _(
                    "“%(item)s” is stated in %(item_currency)s; state costs paid at home in "
                    "%(currency)s so they can be checked against the rule %(rule)s."
                )
                % {
                    "item": c.description,
                    "item_currency": c.currency,
                    "currency": rule.currency,
                    "rule": _rule_name(rule),
                },
                code=DemandErrorCode.COST_CURRENCY,
            )
            for c in other
        ]
    total = sum((c.amount for c in costs), Decimal(0))
    if total <= rule.max_total_amount:
        return []
    return [
        ValidationError(
            _(
                "The apprentice would pay %(total)s %(currency)s in total; the rule %(rule)s "
                "allows at most %(cap)s %(currency)s."
            )
            % {
                "total": f"{total:,.2f}",
                "cap": f"{rule.max_total_amount:,.2f}",
                "currency": rule.currency,
                "rule": _rule_name(rule),
            },
            code=DemandErrorCode.COST_OVER_CAP,
        )
    ]


def check_occupation(*, occupation: Occupation, scheme: str, country_id: str) -> None:
    """Refuse an occupation from a table the programme does not use, or the wrong country."""
    dataset = occupation.dataset.code
    if dataset not in OCCUPATION_DATASETS or occupation.archived_at is not None:
        raise ValidationError(
            {
                "occupation": _(
                    "Choose a current occupation: from the current table of the job order's "
                    "programme (TITP 2025, SSW 2026, ESD 2027) or KBJI."
                )
            }
        )
    allowed = SCHEME_DATASETS.get(scheme)
    if allowed is not None and dataset not in allowed:
        raise ValidationError(
            {
                "occupation": _(
                    "%(occupation)s is not an occupation of %(scheme)s: its job orders take an "
                    "occupation from %(tables)s."
                )
                % {
                    "occupation": occupation,
                    "scheme": Scheme(scheme).label,
                    "tables": ", ".join(sorted(allowed)),
                }
            }
        )
    expected = SCHEME_COUNTRY.get(scheme)
    if expected is not None and country_id != expected:
        raise ValidationError(
            {
                "country": _("%(scheme)s places apprentices in one country only (%(code)s).")
                % {"scheme": Scheme(scheme).label, "code": expected}
            }
        )


def stage3_refusal(
    *, occupation: Occupation, scheme: str, months: int, field: str
) -> ValidationError | None:
    """Why a TITP stay of ``months`` may not run under ``occupation`` (None: it may).

    A stay longer than three years includes stage 3 (第3号技能実習), which OTIT allows
    only for some operations (``core/occupation_tables.py``).
    """
    if scheme != Scheme.TITP or months <= occupation_tables.STAGE3_AFTER_MONTHS:
        return None
    if occupation.dataset.code != occupation_tables.TITP_TABLE:
        return None
    operations = list(occupation.children.values_list("code", flat=True))
    if occupation_tables.eligible_for_stage3(occupation.code, operations):
        return None
    return ValidationError(
        {
            field: ValidationError(
                _(
                    "%(occupation)s may not move on to stage 3 of technical intern training "
                    "(years 4-5): OTIT lists it as not eligible for stage 3 (%(source)s). "
                    "Plan at most %(months)d months."
                )
                % {
                    "occupation": occupation,
                    "source": occupation_tables.stage3_source(),
                    "months": occupation_tables.STAGE3_AFTER_MONTHS,
                },
                code=DemandErrorCode.NOT_ELIGIBLE_FOR_STAGE3,
            )
        }
    )


def check_units(codes: Sequence[str]) -> None:
    """Refuse anything that is not an SKKNI unit code (X.000000.000.00)."""
    wrong = [c for c in codes if not SKKNI_UNIT.match(c)]
    if wrong:
        raise ValidationError(
            {
                "required_units": _(
                    "Not an SKKNI unit code (expected the form X.000000.000.00): %(codes)s"
                )
                % {"codes": ", ".join(wrong)}
            }
        )


def check_sex_requirement(sex: str, legal_reason: str) -> None:
    """Sex may be required only where the law requires it, and the reason must say so."""
    if sex and not legal_reason.strip():
        raise ValidationError(
            {
                "sex_requirement_legal_reason": _(
                    "State the law that requires this sex for the work. Without a legal reason "
                    "a job order may not restrict sex: selection and matching must not "
                    "discriminate."
                )
            }
        )


# --- the terms: a wage above the legal floor, dates still ahead ---------------------------

JAPAN_MAX_WEEKLY_HOURS = 40  # Labour Standards Act (労働基準法) art. 32


def _yen(amount: Decimal | int) -> str:
    """Yen in the reader's number format: ¥184.080 in Indonesian, ¥184,080 in English."""
    return "¥" + formats.number_format(int(amount), force_grouping=True)


def wage_problems(job_order: JobOrder, on: dt.date) -> dict[str, list[str]]:
    """Why the wage is unlawful at the place of work on ``on`` (empty: it is not, or unknown).

    Japan: the prefecture must be one of the 47, the wage in yen, the weekly
    hours within the statutory 40, and the wage at least the regional minimum
    wage in force for the hours it pays.
    """
    if job_order.country_id != "JP":
        return {}
    code = wage_floor.prefecture_code(job_order.work_prefecture)
    if code is None:
        return {
            "work_prefecture": [
                _(
                    "“%(given)s” is not a Japanese prefecture. Name one of the 47 (for example "
                    "Aichi or 愛知県) so the wage can be checked against its minimum wage."
                )
                % {"given": job_order.work_prefecture}
            ]
        }
    problems: dict[str, list[str]] = {}
    if job_order.weekly_hours > JAPAN_MAX_WEEKLY_HOURS:
        problems["weekly_hours"] = [
            _(
                "Japan's statutory working week is at most %(max)d hours (Labour Standards Act, "
                "art. 32); overtime is not part of the prescribed hours."
            )
            % {"max": JAPAN_MAX_WEEKLY_HOURS}
        ]
    if job_order.wage_currency != "JPY":
        problems["wage_currency"] = [
            _("State the wage in JPY: it is checked against Japan's minimum wage, set in yen.")
        ]
        return problems
    check = wage_floor.floor_check(code, job_order.wage_period, job_order.weekly_hours, on)
    if check is not None and not check.met_by(job_order.wage_amount):
        problems["wage_amount"] = [wage_floor_message(job_order, check)]
    return problems


def wage_floor_message(job_order: JobOrder, check: wage_floor.FloorCheck) -> str:
    """``The wage ¥1 per month is below Toyama's minimum wage (¥1.062/hour × 173 h …)``."""
    return _(
        "The wage %(wage)s %(period)s is below the minimum wage of %(prefecture)s: "
        "%(hourly)s per hour × %(hours)s hours = %(needed)s (MHLW, %(version)s, in force "
        "from %(since)s). Raise the wage to at least %(needed)s."
    ) % {
        "wage": _yen(job_order.wage_amount),
        "period": job_order.get_wage_period_display(),
        "prefecture": check.rate.name_en,
        "hourly": _yen(check.rate.hourly),
        "hours": f"{check.hours:.1f}".rstrip("0").rstrip("."),
        "needed": _yen(check.needed),
        "version": check.rate.version,
        "since": check.rate.effective_from.isoformat(),
    }


def date_problems(job_order: JobOrder, on: dt.date) -> dict[str, list[str]]:
    """Interview dates that are not after ``on``: nobody can attend an interview in the past."""
    past = sorted(str(d) for d in job_order.interview_dates if str(d) <= on.isoformat())
    if not past:
        return {}
    return {
        "interview_dates": [
            _(
                "Interview dates must be after today (%(today)s); these are not: %(dates)s. "
                "Change or remove them."
            )
            % {"today": on.isoformat(), "dates": ", ".join(past)}
        ]
    }


def terms_problems(job_order: JobOrder, on: dt.date | None = None) -> dict[str, list[str]]:
    """Every problem with the job order's terms on ``on`` (today), by field."""
    on = on or timezone.localdate()
    return {**wage_problems(job_order, on), **date_problems(job_order, on)}


def check_terms(job_order: JobOrder, on: dt.date | None = None) -> None:
    """Refuse a wage below the legal floor or an interview date already past."""
    problems = terms_problems(job_order, on)
    if problems:
        raise ValidationError(problems, code=DemandErrorCode.JOB_ORDER_TERMS)


@dataclass(frozen=True)
class ReviewCheck:
    """One check an officer sees before deciding: passed (True), failed (False) or not judged."""

    label: str
    passed: bool | None
    text: str


def review_checks(job_order: JobOrder, on: dt.date | None = None) -> list[ReviewCheck]:
    """The wage floor, the dates and the fee rule, each with its verdict in words."""
    on = on or timezone.localdate()
    return [_wage_check(job_order, on), _date_check(job_order, on), _fee_check(job_order)]


def _wage_check(job_order: JobOrder, on: dt.date) -> ReviewCheck:
    label = _("Wage against the legal minimum")
    problems = wage_problems(job_order, on)
    if problems:
        return ReviewCheck(label, False, " ".join(m for ms in problems.values() for m in ms))
    code = wage_floor.prefecture_code(job_order.work_prefecture)
    check = (
        wage_floor.floor_check(code, job_order.wage_period, job_order.weekly_hours, on)
        if code and job_order.country_id == "JP"
        else None
    )
    if check is None:
        return ReviewCheck(
            label,
            None,
            _(
                "Jembatan holds no minimum wage for this place of work: check the wage against "
                "the destination's law yourself."
            ),
        )
    return ReviewCheck(
        label,
        True,
        _(
            "At least the minimum wage of %(prefecture)s: %(needed)s for %(hours)s hours "
            "(%(hourly)s per hour; MHLW, %(version)s)."
        )
        % {
            "prefecture": check.rate.name_en,
            "needed": _yen(check.needed),
            "hours": f"{check.hours:.1f}".rstrip("0").rstrip("."),
            "hourly": _yen(check.rate.hourly),
            "version": check.rate.version,
        },
    )


def _date_check(job_order: JobOrder, on: dt.date) -> ReviewCheck:
    label = _("Interview dates")
    problems = date_problems(job_order, on)
    if problems:
        return ReviewCheck(label, False, problems["interview_dates"][0])
    if not job_order.interview_dates:
        return ReviewCheck(label, None, _("No interview date given yet."))
    return ReviewCheck(label, True, _("Every interview date is still ahead."))


def _fee_check(job_order: JobOrder) -> ReviewCheck:
    label = _("Costs charged to the apprentice")
    costs = [
        CostLine(c.kind, c.description, c.amount, c.currency, c.paid_to)
        for c in job_order.costs.all()
    ]
    try:
        check_costs(country=job_order.country, scheme=job_order.scheme, costs=costs)
    except ValidationError as refused:
        return ReviewCheck(label, False, " ".join(refused.messages))
    if not any(c.amount > 0 for c in costs):
        return ReviewCheck(label, True, _("The apprentice pays nothing."))
    rule = fee_rule_in_force(job_order.country_id, job_order.scheme)
    return ReviewCheck(
        label,
        True,
        _("Within the fee rule %(rule)s.") % {"rule": _rule_name(rule) if rule else "—"},
    )


def check_age_window(job_order: JobOrder) -> None:
    """Refuse a job order whose age window leaves its scheme's range (core/age_rules.py)."""
    problem = age_rules.window_problem(job_order.scheme, job_order.min_age, job_order.max_age)
    if problem:
        field = "max_age" if job_order.max_age is not None else "min_age"
        raise ValidationError({field: [problem]}, code=DemandErrorCode.AGE_WINDOW)


# What apps above demand do when a placement is cancelled, inside the cancellation's
# transaction: deployment calls off a departure being prepared, and refuses (raises
# ValidationError) when the person has already left. Registered when an app loads.
PlacementCancelHook = Callable[[Any, str, Any], None]
PLACEMENT_CANCEL_HOOKS: list[PlacementCancelHook] = []


def register_placement_cancel_hook(hook: PlacementCancelHook) -> PlacementCancelHook:
    """Add ``hook(placement, reason, acting_user)`` to every placement cancellation (once)."""
    if hook not in PLACEMENT_CANCEL_HOOKS:
        PLACEMENT_CANCEL_HOOKS.append(hook)
    return hook
