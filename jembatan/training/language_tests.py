"""Language tests as reference data, and one pure function per test that decides pass or fail.

The scales and pass rules are the published ones:

* JLPT (Japan Foundation / JEES): every level is scored 0-180. N1-N3 have three
  sections of 0-60 (language knowledge, reading, listening); N4-N5 have two,
  language knowledge and reading together (0-120) and listening (0-60). A
  candidate passes with a total at or above the level's pass mark (N1 100,
  N2 90, N3 95, N4 90, N5 80) *and* every section at or above its minimum
  (19 of 60; 38 of 120).
* JFT-Basic: scored 10-250; 200 and up means A2 (the Specified Skilled Worker bar).
* EPS-TOPIK (Korea's Employment Permit System): 0-200 (reading 100, listening
  100); the pass mark is set per round (commonly 80); candidates are 18 to 39.

Each function returns a :class:`Verdict` that says why, check by check, and
raises :class:`ScoreOutOfRange` for a score the test cannot produce (a typing
error is not a failed test).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


class ScoreOutOfRange(ValueError):
    """A score the test's scale cannot produce."""


@dataclass(frozen=True)
class Verdict:
    """Pass or fail, and the reasons in words (every check that decided it)."""

    passed: bool
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return " ".join(self.reasons)


@dataclass(frozen=True)
class Section:
    """One scored section of a test."""

    name: str
    maximum: int
    minimum: int


@dataclass(frozen=True)
class JlptRule:
    """The pass rule of one JLPT level."""

    level: str
    pass_mark: int
    sections: tuple[Section, ...]

    @property
    def maximum(self) -> int:
        return sum(s.maximum for s in self.sections)


THREE_SECTIONS = (
    Section("Language knowledge (vocabulary, grammar)", 60, 19),
    Section("Reading", 60, 19),
    Section("Listening", 60, 19),
)
TWO_SECTIONS = (
    Section("Language knowledge (vocabulary, grammar) and reading", 120, 38),
    Section("Listening", 60, 19),
)
JLPT_RULES: dict[str, JlptRule] = {
    "N1": JlptRule("N1", 100, THREE_SECTIONS),
    "N2": JlptRule("N2", 90, THREE_SECTIONS),
    "N3": JlptRule("N3", 95, THREE_SECTIONS),
    "N4": JlptRule("N4", 90, TWO_SECTIONS),
    "N5": JlptRule("N5", 80, TWO_SECTIONS),
}
JLPT_RANK = {"N5": 1, "N4": 2, "N3": 3, "N2": 4, "N1": 5}
JFT_BASIC_SCALE = (10, 250)
JFT_BASIC_A2 = 200
EPS_TOPIK_SCALE = (0, 200)
EPS_TOPIK_DEFAULT_PASS_MARK = 80
EPS_TOPIK_AGES = (18, 39)


def jlpt_rule(level: str) -> JlptRule:
    """The rule of ``level`` (N1-N5), or ScoreOutOfRange for an unknown level."""
    try:
        return JLPT_RULES[level]
    except KeyError:
        raise ScoreOutOfRange(_("“%(level)s” is not a JLPT level.") % {"level": level}) from None


def _check_sections(rule: JlptRule, scores: Sequence[int]) -> None:
    if len(scores) != len(rule.sections):
        raise ScoreOutOfRange(
            _("JLPT %(level)s has %(n)d sections; %(given)d scores were given.")
            % {"level": rule.level, "n": len(rule.sections), "given": len(scores)}
        )
    for section, score in zip(rule.sections, scores, strict=True):
        if not 0 <= score <= section.maximum:
            raise ScoreOutOfRange(
                _("%(section)s is scored 0-%(max)d, not %(score)d.")
                % {"section": _(section.name), "max": section.maximum, "score": score}
            )


def jlpt_verdict(level: str, scores: Sequence[int]) -> Verdict:
    """Pass or fail at JLPT ``level`` from the section scores (in the order of the rule)."""
    rule = jlpt_rule(level)
    _check_sections(rule, scores)
    total = sum(scores)
    failures = [
        _("%(section)s: %(score)d is below the section minimum of %(min)d.")
        % {"section": _(s.name), "score": score, "min": s.minimum}
        for s, score in zip(rule.sections, scores, strict=True)
        if score < s.minimum
    ]
    if total < rule.pass_mark:
        failures.append(
            _("Total %(total)d of %(max)d is below the %(level)s pass mark of %(mark)d.")
            % {"total": total, "max": rule.maximum, "level": level, "mark": rule.pass_mark}
        )
    if failures:
        return Verdict(False, tuple(failures))
    return Verdict(
        True,
        (
            _(
                "Total %(total)d of %(max)d reaches the %(level)s pass mark of %(mark)d "
                "and every section reaches its minimum."
            )
            % {"total": total, "max": rule.maximum, "level": level, "mark": rule.pass_mark},
        ),
    )


def jft_basic_verdict(score: int) -> Verdict:
    """A2 or not, from a JFT-Basic score (10-250; A2 from 200)."""
    low, high = JFT_BASIC_SCALE
    if not low <= score <= high:
        raise ScoreOutOfRange(
            _("JFT-Basic is scored %(low)d-%(high)d, not %(score)d.")
            % {"low": low, "high": high, "score": score}
        )
    if score >= JFT_BASIC_A2:
        return Verdict(True, (_("%(score)d reaches A2 (200 and up).") % {"score": score},))
    return Verdict(False, (_("%(score)d is below A2, which starts at 200.") % {"score": score},))


def eps_topik_verdict(
    score: int, *, pass_mark: int = EPS_TOPIK_DEFAULT_PASS_MARK, age: int | None = None
) -> Verdict:
    """Pass or fail in EPS-TOPIK (0-200) against the round's pass mark and the age limits."""
    low, high = EPS_TOPIK_SCALE
    if not low <= score <= high or not low <= pass_mark <= high:
        raise ScoreOutOfRange(
            _("EPS-TOPIK is scored %(low)d-%(high)d; score %(score)d, pass mark %(mark)d.")
            % {"low": low, "high": high, "score": score, "mark": pass_mark}
        )
    failures = []
    youngest, oldest = EPS_TOPIK_AGES
    if age is not None and not youngest <= age <= oldest:
        failures.append(
            _("EPS-TOPIK candidates are %(low)d to %(high)d years old; the candidate was %(age)d.")
            % {"low": youngest, "high": oldest, "age": age}
        )
    if score < pass_mark:
        failures.append(
            _("%(score)d of 200 is below the pass mark of %(mark)d.")
            % {"score": score, "mark": pass_mark}
        )
    if failures:
        return Verdict(False, tuple(failures))
    return Verdict(
        True,
        (
            _("%(score)d of 200 reaches the pass mark of %(mark)d.")
            % {"score": score, "mark": pass_mark},
        ),
    )


def meets_jlpt_level(has: str, required: str) -> bool:
    """A pass at a harder level (N3) meets a requirement of an easier one (N4)."""
    return JLPT_RANK.get(has, 0) >= JLPT_RANK[required]


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on a date (the EPS-TOPIK age limit is checked on the test date)."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)
