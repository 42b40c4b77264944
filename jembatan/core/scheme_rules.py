"""Each programme's rules as versioned data: age windows, education, tests, physical requirements.

The first version of every programme comes from ``core/data/scheme-rules.csv``
(loaded by core migration 0010); a national administrator publishes later ones
on ``/referensi/aturan-program/`` (:mod:`jembatan.core.services.scheme_rules`), the
old version closed, never deleted. A rule set is CSV text with the columns of
:data:`COLUMNS` (the programme is the page's), parsed and checked by
:func:`parse_rules`; every rule carries its name and its source, so that a
refusal can say which rule refused and where it comes from.

The checks read :func:`rules_on` (eligibility for a job order, and through it
shortlists, matching and the departure gates); a job order follows its programme's
rules (``JobOrder.programme``, IM Japan) or else its scheme's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jembatan.core.errors import CoreErrorCode
from jembatan.core.models import SchemeRuleSet

COLUMNS = ("kind", "condition", "min", "max", "value", "stage", "name", "name_id", "source")
KINDS = ("age", "education", "test", "physical")
CONDITION_KEYS = ("education", "sex")
STAGES = ("registration", "selection", "departure")
MAX_RULES = 200


@dataclass(frozen=True)
class Rule:
    """One rule of a programme: what it asks, of whom, and where it comes from."""

    kind: str
    name: str
    name_id: str
    source: str
    condition: Mapping[str, str] = field(default_factory=dict)
    min: Decimal | None = None
    max: Decimal | None = None
    value: str = ""
    stage: str = "selection"

    @property
    def label(self) -> str:
        """The rule's name in the reader's language."""
        return self.name_id if (get_language() or "id").startswith("id") else self.name

    def applies_to(self, facts: Mapping[str, str]) -> bool:
        """True if every condition of the rule holds for ``facts`` (education, sex)."""
        return all(facts.get(key) == wanted for key, wanted in self.condition.items())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored on a :class:`~jembatan.core.models.SchemeRuleSet`."""
        return {
            "kind": self.kind,
            "name": self.name,
            "name_id": self.name_id,
            "source": self.source,
            "condition": dict(self.condition),
            "min": None if self.min is None else str(self.min),
            "max": None if self.max is None else str(self.max),
            "value": self.value,
            "stage": self.stage,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        """The rule stored as :meth:`as_dict`."""
        return cls(
            kind=data["kind"],
            name=data["name"],
            name_id=data.get("name_id", ""),
            source=data["source"],
            condition=dict(data.get("condition") or {}),
            min=None if data.get("min") in (None, "") else Decimal(data["min"]),
            max=None if data.get("max") in (None, "") else Decimal(data["max"]),
            value=data.get("value", ""),
            stage=data.get("stage", "selection"),
        )

    @property
    def requirement(self) -> str:
        """What the rule asks, in words: ``18–26``, ``SMA or higher``, ``mathematics ≥ 60``."""
        if self.kind == "age":
            return describe_window(self)
        if self.kind == "education":
            return _("%(level)s or higher") % {"level": self.value.upper()}
        bounds = []
        if self.min is not None:
            bounds.append(f"≥ {self.min.normalize():f}")
        if self.max is not None:
            bounds.append(f"≤ {self.max.normalize():f}")
        return f"{self.value} {' '.join(bounds)}".strip()

    def condition_text(self) -> str:
        """The condition as typed in the CSV (``education=smk;sex=female``)."""
        return ";".join(f"{k}={v}" for k, v in sorted(self.condition.items()))


def describe_years(value: Decimal) -> str:
    """An age bound in words: ``18`` or ``18 years 6 months``."""
    years = int(value)
    months = round((value - years) * 12)
    if not months:
        return str(years)
    return _("%(years)d years %(months)d months") % {"years": years, "months": months}


def describe_window(rule: Rule) -> str:
    """An age window in words: ``18–26``, ``18 or older``."""
    low = describe_years(rule.min) if rule.min is not None else None
    high = describe_years(rule.max) if rule.max is not None else None
    if low and high:
        return f"{low}–{high}"
    if low:
        return _("%(min)s or older") % {"min": low}
    return _("up to %(max)s") % {"max": high}


def age_in_years(months: int) -> Decimal:
    """Completed months of age as years (18 years 6 months is 18.5)."""
    return Decimal(months) / Decimal(12)


def most_specific(rules: Iterable[Rule], kind: str, facts: Mapping[str, str]) -> Rule | None:
    """The rule of ``kind`` that applies to ``facts`` with the most conditions, if any."""
    matching = [r for r in rules if r.kind == kind and r.applies_to(facts)]
    return max(matching, key=lambda r: len(r.condition), default=None)


def age_refusal(rule: Rule, months: int) -> str | None:
    """Why someone aged ``months`` (completed months) falls outside ``rule``'s window."""
    age = age_in_years(months)
    if (rule.min is None or age >= rule.min) and (rule.max is None or age < rule.max + 1):
        return None
    return _("%(rule)s: age %(window)s (source: %(source)s); the candidate is %(age)s.") % {
        "rule": rule.label,
        "window": describe_window(rule),
        "source": rule.source,
        "age": describe_years(Decimal(months // 12)),
    }


# --- parsing what an officer typed --------------------------------------------------


def _number(text: str, line: int, column: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if value < 0 or not value.is_finite():
        raise ValidationError(
            _("Line %(line)d: %(column)s must be a number such as 18 or 18.5.")
            % {"line": line, "column": column},
            code=CoreErrorCode.RULE_INVALID,
        )
    return value


def _condition(text: str, line: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, _sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if key not in CONDITION_KEYS or not value:
            raise ValidationError(
                _(
                    "Line %(line)d: a condition is education=… or sex=… (several joined "
                    "by ';'), not “%(part)s”."
                )
                % {"line": line, "part": part},
                code=CoreErrorCode.RULE_INVALID,
            )
        found[key] = value
    return found


def _rule(row: Mapping[str, str], line: int) -> Rule:
    kind = (row.get("kind") or "").strip()
    if kind not in KINDS:
        raise ValidationError(
            _("Line %(line)d: the kind must be one of %(kinds)s.")
            % {"line": line, "kinds": ", ".join(KINDS)},
            code=CoreErrorCode.RULE_INVALID,
        )
    name, source = (row.get("name") or "").strip(), (row.get("source") or "").strip()
    if not name or not source:
        raise ValidationError(
            _("Line %(line)d: every rule needs a name and its source.") % {"line": line},
            code=CoreErrorCode.RULE_INVALID,
        )
    stage = (row.get("stage") or "selection").strip()
    if stage not in STAGES:
        raise ValidationError(
            _("Line %(line)d: the stage must be one of %(stages)s.")
            % {"line": line, "stages": ", ".join(STAGES)},
            code=CoreErrorCode.RULE_INVALID,
        )
    rule = Rule(
        kind=kind,
        name=name,
        name_id=(row.get("name_id") or "").strip() or name,
        source=source,
        condition=_condition(row.get("condition") or "", line),
        min=_number(row.get("min") or "", line, "min"),
        max=_number(row.get("max") or "", line, "max"),
        value=(row.get("value") or "").strip(),
        stage=stage,
    )
    _check_shape(rule, line)
    return rule


def _check_shape(rule: Rule, line: int) -> None:
    if rule.min is not None and rule.max is not None and rule.min > rule.max:
        message = _("Line %(line)d: the minimum is above the maximum.")
    elif rule.kind == "age" and rule.min is None and rule.max is None:
        message = _("Line %(line)d: an age rule needs a minimum or a maximum.")
    elif rule.kind != "age" and not rule.value:
        message = _("Line %(line)d: say in “value” which education level, test or measure it is.")
    else:
        return
    raise ValidationError(message % {"line": line}, code=CoreErrorCode.RULE_INVALID)


def parse_rules(text: str) -> list[Rule]:
    """The rules in ``text`` (CSV with a header of :data:`COLUMNS`), or a refusal per line."""
    reader = csv.DictReader(io.StringIO(text.strip()))
    missing = [c for c in ("kind", "name", "source") if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The first line must name the columns: %(columns)s.")
            % {"columns": ",".join(COLUMNS)},
            code=CoreErrorCode.RULE_INVALID,
        )
    rules = [_rule(row, number) for number, row in enumerate(reader, start=2)]
    if not rules or len(rules) > MAX_RULES:
        raise ValidationError(
            _("A rule set has between 1 and %(max)d rules.") % {"max": MAX_RULES},
            code=CoreErrorCode.RULE_INVALID,
        )
    return rules


def rules_as_text(rules: Iterable[Rule]) -> str:
    """``rules`` as the CSV an officer edits (the inverse of :func:`parse_rules`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rules:
        writer.writerow(
            [
                r.kind,
                r.condition_text(),
                "" if r.min is None else r.min,
                "" if r.max is None else r.max,
                r.value,
                r.stage,
                r.name,
                r.name_id,
                r.source,
            ]
        )
    return out.getvalue()


def rule_set_on(programme: str, day: dt.date | None = None) -> SchemeRuleSet | None:
    """The version of ``programme``'s rules in force on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return (
        SchemeRuleSet.objects.filter(programme=programme, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-version")
        .first()
    )


def rules_on(day: dt.date | None = None) -> dict[str, tuple[Rule, ...]]:
    """Every programme's rules in force on ``day``, by programme (one query)."""
    day = day or timezone.localdate()
    found: dict[str, tuple[Rule, ...]] = {}
    rows = (
        SchemeRuleSet.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("programme", "-version")
    )
    for row in rows:
        found.setdefault(row.programme, tuple(Rule.from_dict(r) for r in row.rules))
    return found
