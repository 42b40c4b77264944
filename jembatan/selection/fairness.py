"""Selection rates by sex, province and age band, with the four-fifths rule (pure Python).

Used for selection rounds (who passed a stage, who passed the round) and for
matching runs (who was placed). Protected attributes are *outputs* here: they
are counted after the decision, never fed into it.

The rule, per dimension (``sex``, ``province``, ``age_band``):

* a group's *rate* is ``selected / total``;
* the *reference rate* is the highest rate among the groups of that dimension
  that have at least ``min_group`` people. When every group is smaller than
  that, the reference is the highest rate of all groups. Small groups are kept
  out of the reference because one person selected out of one would otherwise
  make every large group look disadvantaged;
* a group's *impact ratio* is ``rate / reference`` (1.0 for every group when
  the reference rate is 0: nobody was selected, nobody was favoured). A small
  group may therefore have a ratio above 1;
* a group is *flagged* when its ratio is below 0.8 (four fifths) **and** it is
  not small. A small group (``total < min_group``) is never flagged: its rate
  is shown with the caveat that the group is too small for the rule to say
  anything reliable.

The comparison with four fifths is exact (integer arithmetic), so a ratio of
exactly 0.8 is not flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

DIMENSIONS: tuple[str, ...] = ("sex", "province", "age_band")
AGE_BANDS: tuple[str, ...] = ("<18", "18–24", "25–29", "30–34", "35–39", "40+")
FOUR_FIFTHS = Fraction(4, 5)
MIN_GROUP = 5


@dataclass(frozen=True)
class Person:
    """One person counted in a report: their groups and whether they were selected."""

    sex: str
    province: str
    age_band: str
    selected: bool


@dataclass(frozen=True)
class GroupRate:
    """The selection rate of one group in one dimension, compared with the reference group."""

    dimension: str
    group: str
    total: int
    selected: int
    rate: float
    impact_ratio: float
    flagged: bool
    small: bool

    @property
    def rate_percent(self) -> float:
        """The rate in percent, one decimal (for display)."""
        return round(self.rate * 100, 1)

    @property
    def impact_percent(self) -> float:
        """The impact ratio in percent, one decimal (for display)."""
        return round(self.impact_ratio * 100, 1)


@dataclass(frozen=True)
class FairnessReport:
    """Overall and per-group selection rates; ``flagged`` lists the four-fifths breaches."""

    total: int
    selected: int
    rate: float
    groups: list[GroupRate] = field(default_factory=list)
    min_group: int = MIN_GROUP

    @property
    def rate_percent(self) -> float:
        """The overall rate in percent, one decimal (for display)."""
        return round(self.rate * 100, 1)

    @property
    def flagged(self) -> list[GroupRate]:
        """The groups whose impact ratio is below four fifths (small groups excluded)."""
        return [g for g in self.groups if g.flagged]

    @property
    def has_small(self) -> bool:
        """True if some group is too small for the four-fifths rule."""
        return any(g.small for g in self.groups)

    def dimension(self, name: str) -> list[GroupRate]:
        """The groups of one dimension (``sex``, ``province`` or ``age_band``), in order."""
        return [g for g in self.groups if g.dimension == name]

    @property
    def by_dimension(self) -> list[tuple[str, list[GroupRate]]]:
        """(dimension, groups) pairs in the fixed order of :data:`DIMENSIONS` (for templates)."""
        return [(name, self.dimension(name)) for name in DIMENSIONS]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; :meth:`from_dict` reads it back."""
        return {
            "total": self.total,
            "selected": self.selected,
            "rate": self.rate,
            "min_group": self.min_group,
            "groups": [asdict(g) for g in self.groups],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FairnessReport:
        """Rebuild a report stored with :meth:`to_dict`."""
        return cls(
            total=int(data["total"]),
            selected=int(data["selected"]),
            rate=float(data["rate"]),
            min_group=int(data.get("min_group", MIN_GROUP)),
            groups=[GroupRate(**g) for g in data.get("groups", [])],
        )


def age_band(age: int) -> str:
    """The age band of an age in whole years: <18, 18–24, 25–29, 30–34, 35–39, 40+."""
    if age < 18:
        return "<18"
    if age < 25:
        return "18–24"
    if age >= 40:
        return "40+"
    low = age // 5 * 5
    return f"{low}–{low + 4}"


def fairness_report(people: Iterable[Person], *, min_group: int = MIN_GROUP) -> FairnessReport:
    """Count selection rates overall and per group, and apply the four-fifths rule."""
    counts: dict[tuple[str, str], list[int]] = {}
    total = selected = 0
    for person in people:
        total += 1
        selected += person.selected
        for name in DIMENSIONS:
            tally = counts.setdefault((name, getattr(person, name)), [0, 0])
            tally[0] += 1
            tally[1] += person.selected
    groups: list[GroupRate] = []
    for name in DIMENSIONS:
        tallies = {g: (t, s) for (d, g), (t, s) in counts.items() if d == name}
        groups.extend(_dimension_rates(name, tallies, min_group))
    return FairnessReport(
        total=total,
        selected=selected,
        rate=selected / total if total else 0.0,
        groups=groups,
        min_group=min_group,
    )


def _dimension_rates(
    name: str, tallies: Mapping[str, tuple[int, int]], min_group: int
) -> list[GroupRate]:
    """The rates of one dimension's groups against that dimension's reference rate."""
    rates = {g: Fraction(s, t) for g, (t, s) in tallies.items()}
    large = [rates[g] for g, (t, _s) in tallies.items() if t >= min_group]
    reference = max(large or rates.values(), default=Fraction(0))
    result = []
    for group in sorted(tallies, key=lambda g: _group_key(name, g)):
        total, chosen = tallies[group]
        ratio = rates[group] / reference if reference else Fraction(1)
        small = total < min_group
        result.append(
            GroupRate(
                dimension=name,
                group=group,
                total=total,
                selected=chosen,
                rate=float(rates[group]),
                impact_ratio=float(ratio),
                flagged=not small and ratio < FOUR_FIFTHS,
                small=small,
            )
        )
    return result


def _group_key(dimension: str, group: str) -> tuple[int, str]:
    """Sort age bands in age order and other groups alphabetically (unknown last)."""
    if dimension == "age_band" and group in AGE_BANDS:
        return (AGE_BANDS.index(group), group)
    return (len(AGE_BANDS) if group else len(AGE_BANDS) + 1, group)
