"""Whether a candidate meets a job order's requirements, and if not, which ones and why.

The only facts used are those a job order may lawfully require (domain.md): age,
education, a language result, SKKNI competency units and named certificates, and
sex only where the job order states a lawful requirement with its reason. Religion,
ethnicity, marital status and the like are never read here.

Facts are loaded in bulk (:func:`load_facts`: five queries whatever the number of
candidates) so that a matching run over tens of thousands of people stays cheap;
:func:`unmet_requirements` is then pure. An :class:`Unmet` is plain data (a code and
its parameters) so that a stored explanation can be phrased later in the reader's
language (:func:`describe_unmet`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from jembatan.core import age_rules, scheme_rules
from jembatan.core.scheme_rules import Rule
from jembatan.demand.models import JobOrder, LanguageTest
from jembatan.demand.rules import meets_education
from jembatan.participants.models import Education, Participant, Sex
from jembatan.training.language_tests import age_on, meets_jlpt_level
from jembatan.training.models import (
    Certificate,
    CertificateKind,
    Enrolment,
    EnrolmentStatus,
    LanguageResult,
)

_CHUNK = 2000  # ids per IN (...) query: below SQLite's variable limit


@dataclass(frozen=True)
class CandidateFacts:
    """What the requirements are checked against, for one participant on one date."""

    participant_id: int
    sex: str
    age: int
    education: str
    jlpt_levels: frozenset[str] = frozenset()
    # Best passing total per scored test (jft_basic, eps_topik).
    best_scores: Mapping[str, int] = field(default_factory=dict)
    units: frozenset[str] = frozenset()
    # Lower-cased names a certificate is known by (programme, occupation, title).
    certificate_names: tuple[str, ...] = ()
    # Occupations (ids) of the programmes the candidate was trained and certified in.
    occupations: frozenset[int] = frozenset()
    # Completed months of age (a programme's window may start at 18 years 6 months).
    months: int | None = None
    # Every programme's rules in force on the day (core/scheme_rules.py), shared by all.
    programme_rules: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Unmet:
    """One requirement a candidate does not meet: a stable code and its figures."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored in a matching run's explanation."""
        return {"code": self.code, "params": dict(self.params)}

    def __str__(self) -> str:
        return describe_unmet(self.as_dict())


def load_facts(participant_ids: Iterable[int], *, on: dt.date) -> dict[int, CandidateFacts]:
    """The facts of every participant in ``participant_ids``, ages taken on ``on``."""
    ids = sorted(set(participant_ids))
    people: dict[int, tuple[str, dt.date, str]] = {}
    jlpt: dict[int, set[str]] = defaultdict(set)
    scores: dict[int, dict[str, int]] = defaultdict(dict)
    units: dict[int, set[str]] = defaultdict(set)
    names: dict[int, set[str]] = defaultdict(set)
    trained: dict[int, set[int]] = defaultdict(set)
    rules = scheme_rules.rules_on(on)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        people.update(_people(chunk))
        _language(chunk, jlpt, scores)
        _certificates(chunk, units, names)
        _trained(chunk, trained)
    return {
        pk: CandidateFacts(
            participant_id=pk,
            sex=sex,
            age=age_on(birth, on),
            education=education,
            jlpt_levels=frozenset(jlpt[pk]),
            best_scores=dict(scores[pk]),
            units=frozenset(units[pk]),
            certificate_names=tuple(sorted(names[pk])),
            occupations=frozenset(trained[pk]),
            months=months_on(birth, on),
            programme_rules=rules,
        )
        for pk, (sex, birth, education) in people.items()
    }


def months_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed months of age on ``day``."""
    months = (day.year - birth_date.year) * 12 + day.month - birth_date.month
    return months - int(day.day < birth_date.day)


def _people(ids: list[int]) -> dict[int, tuple[str, dt.date, str]]:
    rows = Participant.objects.filter(pk__in=ids).values_list(
        "pk", "sex", "birth_date", "education"
    )
    return {pk: (sex, birth, education or "") for pk, sex, birth, education in rows}


def _language(ids: list[int], jlpt: dict[int, set[str]], scores: dict[int, dict[str, int]]) -> None:
    rows = LanguageResult.objects.filter(participant_id__in=ids, passed=True).values_list(
        "participant_id", "test", "level", "total"
    )
    for pk, test, level, total in rows:
        if test == LanguageTest.JLPT:
            jlpt[pk].add(level)
        else:
            scores[pk][test] = max(total, scores[pk].get(test, 0))


def _certificates(ids: list[int], units: dict[int, set[str]], names: dict[int, set[str]]) -> None:
    rows = Certificate.objects.filter(participant_id__in=ids, revoked_at__isnull=True).values_list(
        "participant_id", "kind", "content"
    )
    for pk, kind, content in rows:
        content = content or {}
        if kind == CertificateKind.COMPETENCY:
            units[pk].update(u["code"] for u in content.get("units", []) if "code" in u)
        names[pk].update(_known_names(content))


def _trained(ids: list[int], trained: dict[int, set[int]]) -> None:
    """The occupations of the batches each candidate finished certified."""
    rows = Enrolment.objects.filter(
        participant_id__in=ids, status=EnrolmentStatus.CERTIFIED
    ).values_list("participant_id", "batch__programme__occupation_id")
    for pk, occupation in rows:
        if occupation is not None:
            trained[pk].add(occupation)


def trained_for(job_order: JobOrder, facts: CandidateFacts | None) -> bool:
    """Whether the candidate was trained and certified in the job order's occupation."""
    return facts is not None and job_order.occupation_id in facts.occupations


def _known_names(content: Mapping[str, Any]) -> set[str]:
    """The names a certificate answers to: its programme, occupation and title, any language."""
    found = {str(content.get("programme", ""))}
    for key in ("occupation", "title"):
        value = content.get(key)
        if isinstance(value, Mapping):
            found.update(str(v) for v in value.values())
    return {_normal(name) for name in found if name and name.strip()}


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def unmet_requirements(job_order: JobOrder, facts: CandidateFacts) -> list[Unmet]:
    """Every requirement of ``job_order`` that ``facts`` do not meet (empty: eligible)."""
    return [
        *_age(job_order, facts),
        *_education(job_order, facts),
        *_language_requirement(job_order, facts),
        *_units(job_order, facts),
        *_named_certificates(job_order, facts),
        *_sex(job_order, facts),
    ]


def _programme_rules(job_order: JobOrder, facts: CandidateFacts) -> tuple[Rule, ...]:
    """The rules of the job order's programme (IM Japan's) or else of its scheme."""
    return facts.programme_rules.get(job_order.programme or job_order.scheme, ())


def _who(facts: CandidateFacts) -> dict[str, str]:
    return {"education": facts.education, "sex": facts.sex}


def _age(job_order: JobOrder, facts: CandidateFacts) -> list[Unmet]:
    """The job order's own window, and the programme's (core/scheme_rules.py).

    Where the programme has no rule set, its range of ``core/age_rules.py`` fills
    what the job order leaves open, as before the rules were data.
    """
    rule = scheme_rules.most_specific(_programme_rules(job_order, facts), "age", _who(facts))
    found = _job_order_window(job_order, facts, fallback=rule is None)
    if (
        rule is not None
        and facts.months is not None
        and scheme_rules.age_refusal(rule, facts.months)
    ):
        found.append(Unmet("programme_rule", _rule_params(rule, has=facts.age)))
    return found


def _job_order_window(job_order: JobOrder, facts: CandidateFacts, *, fallback: bool) -> list[Unmet]:
    low = job_order.min_age
    high = job_order.max_age
    scheme = age_rules.ranges().get(job_order.scheme) if fallback else None
    if scheme is not None:
        low = scheme.min_age if low is None else low
        high = scheme.max_age if high is None else high
    if low is not None and facts.age < low:
        return [Unmet("age_below", {"age": facts.age, "min": low})]
    if high is not None and facts.age > high:
        return [Unmet("age_above", {"age": facts.age, "max": high})]
    return []


def _rule_params(rule: Rule, *, has: object) -> dict[str, Any]:
    """What a stored explanation needs to name the rule and its source in either language."""
    return {"rule": rule.as_dict(), "has": has}


def _education(job_order: JobOrder, facts: CandidateFacts) -> list[Unmet]:
    if not meets_education(facts.education, job_order.min_education):
        return [Unmet("education", {"has": facts.education, "required": job_order.min_education})]
    rule = scheme_rules.most_specific(_programme_rules(job_order, facts), "education", _who(facts))
    if rule is None or meets_education(facts.education, rule.value):
        return []
    return [Unmet("programme_rule", _rule_params(rule, has=facts.education))]


def _language_requirement(job_order: JobOrder, facts: CandidateFacts) -> list[Unmet]:
    test = job_order.language_test
    if not test:
        return []
    if test == LanguageTest.JLPT:
        required = job_order.language_min_level
        if any(meets_jlpt_level(level, required) for level in facts.jlpt_levels):
            return []
        best = max(facts.jlpt_levels, key=lambda level: -int(level[1]), default="")
        return [Unmet("jlpt_level", {"required": required, "has": best})]
    needed = job_order.language_min_score or 0
    has = facts.best_scores.get(test)
    if has is not None and has >= needed:
        return []
    return [Unmet("language_score", {"test": test, "required": needed, "has": has})]


def _units(job_order: JobOrder, facts: CandidateFacts) -> list[Unmet]:
    missing = sorted(set(job_order.required_units) - facts.units)
    return [Unmet("units", {"missing": missing})] if missing else []


def _named_certificates(job_order: JobOrder, facts: CandidateFacts) -> list[Unmet]:
    missing = [
        name
        for name in job_order.required_certificates
        if not any(_normal(name) in known for known in facts.certificate_names)
    ]
    return [Unmet("certificates", {"missing": missing})] if missing else []


def _sex(job_order: JobOrder, facts: CandidateFacts) -> list[Unmet]:
    # Read only because the job order states a lawful requirement (with its reason).
    if not job_order.sex_requirement or facts.sex == job_order.sex_requirement:
        return []
    return [
        Unmet(
            "sex_requirement",
            {
                "required": job_order.sex_requirement,
                "reason": job_order.sex_requirement_legal_reason,
            },
        )
    ]


def describe_unmet(data: Mapping[str, Any]) -> str:
    """One stored :class:`Unmet` (``as_dict`` form) as a sentence in the active language."""
    params = dict(data.get("params") or {})
    describe = _DESCRIBERS.get(str(data.get("code")))
    if describe is None:
        return _("A requirement of the job order is not met (%(code)s).") % {
            "code": data.get("code")
        }
    return describe(params)


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or _("none"))


def _age_below(p: dict[str, Any]) -> str:
    return _("Age %(age)s is below the job order's minimum of %(min)s.") % p


def _age_above(p: dict[str, Any]) -> str:
    return _("Age %(age)s is above the job order's maximum of %(max)s.") % p


def _programme_rule_text(p: dict[str, Any]) -> str:
    rule = Rule.from_dict(p["rule"])
    if rule.kind == "age":
        return _("%(rule)s: age %(window)s (source: %(source)s); the candidate is %(has)s.") % {
            "rule": rule.label,
            "window": scheme_rules.describe_window(rule),
            "source": rule.source,
            "has": p.get("has"),
        }
    if rule.kind == "education":
        return _(
            "%(rule)s: education “%(required)s” or higher (source: %(source)s); the candidate "
            "has “%(has)s”."
        ) % {
            "rule": rule.label,
            "required": _label(Education, rule.value),
            "source": rule.source,
            "has": _label(Education, p.get("has")),
        }
    return _("%(rule)s is not met (source: %(source)s).") % {
        "rule": rule.label,
        "source": rule.source,
    }


def _education_text(p: dict[str, Any]) -> str:
    return _("Education “%(has)s” is below the required “%(required)s”.") % {
        "has": _label(Education, p.get("has")),
        "required": _label(Education, p.get("required")),
    }


def _jlpt_text(p: dict[str, Any]) -> str:
    if not p.get("has"):
        return (
            _("A passed JLPT %(required)s (or harder) is required; no JLPT pass is recorded.") % p
        )
    return _("A passed JLPT %(required)s (or harder) is required; the best pass is %(has)s.") % p


def _score_text(p: dict[str, Any]) -> str:
    values = {
        "test": _label(LanguageTest, p.get("test")),
        "required": p.get("required"),
        "has": p.get("has"),
    }
    if p.get("has") is None:
        return (
            _("A %(test)s score of at least %(required)s is required; none is recorded.") % values
        )
    return _("A %(test)s score of at least %(required)s is required; the best is %(has)s.") % values


def _units_text(p: dict[str, Any]) -> str:
    return _("Competency units not certified: %(units)s.") % {
        "units": ", ".join(p.get("missing", []))
    }


def _certificates_text(p: dict[str, Any]) -> str:
    return _("Certificates not held: %(names)s.") % {"names": ", ".join(p.get("missing", []))}


def _sex_text(p: dict[str, Any]) -> str:
    return _("The job order lawfully requires %(sex)s candidates (%(reason)s).") % {
        "sex": _label(Sex, p.get("required")).lower(),
        "reason": p.get("reason", ""),
    }


_DESCRIBERS = {
    "age_below": _age_below,
    "age_above": _age_above,
    "education": _education_text,
    "jlpt_level": _jlpt_text,
    "language_score": _score_text,
    "units": _units_text,
    "certificates": _certificates_text,
    "sex_requirement": _sex_text,
    "programme_rule": _programme_rule_text,
}


__all__ = [
    "CandidateFacts",
    "Unmet",
    "describe_unmet",
    "load_facts",
    "unmet_requirements",
]
