"""A job order's requirements against a candidate's facts: what is unmet, and in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jembatan.demand.eligibility import (
    CandidateFacts,
    Unmet,
    describe_unmet,
    load_facts,
    unmet_requirements,
)
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder, LanguageTest
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Sex
from jembatan.training.factories import BatchFactory
from jembatan.training.models import Certificate, CertificateKind, Enrolment, LanguageResult

TODAY = dt.date(2026, 11, 28)


def facts(**changes: object) -> CandidateFacts:
    """A 26-year-old man from SMK with JLPT N4, unit A and a welding certificate."""
    base: dict[str, object] = {
        "participant_id": 1,
        "sex": Sex.MALE,
        "age": 26,
        "education": "smk",
        "jlpt_levels": frozenset({"N4"}),
        "best_scores": {"jft_basic": 210},
        "units": frozenset({"A.011100.001.01"}),
        "certificate_names": ("welding for shipbuilding",),
    }
    return CandidateFacts(**(base | changes))  # type: ignore[arg-type]


def order(**fields: object) -> JobOrder:
    """An unsaved job order with only the given requirements."""
    return JobOrder(**fields)  # type: ignore[misc]


def codes(job_order: JobOrder, candidate: CandidateFacts) -> list[str]:
    return [u.code for u in unmet_requirements(job_order, candidate)]


def test_a_job_order_without_requirements_admits_everyone() -> None:
    assert unmet_requirements(order(), facts()) == []


def test_age_outside_the_range_is_unmet_with_the_figures() -> None:
    assert unmet_requirements(order(min_age=27), facts()) == [
        Unmet("age_below", {"age": 26, "min": 27})
    ]
    assert unmet_requirements(order(max_age=25), facts()) == [
        Unmet("age_above", {"age": 26, "max": 25})
    ]
    assert codes(order(min_age=26, max_age=26), facts()) == []


def test_education_below_the_minimum_is_unmet() -> None:
    assert codes(order(min_education="d3"), facts()) == ["education"]
    assert codes(order(min_education="sma"), facts()) == []


def test_a_harder_jlpt_pass_meets_an_easier_requirement_but_not_the_reverse() -> None:
    assert codes(order(language_test=LanguageTest.JLPT, language_min_level="N5"), facts()) == []
    unmet = unmet_requirements(
        order(language_test=LanguageTest.JLPT, language_min_level="N3"), facts()
    )
    assert unmet == [Unmet("jlpt_level", {"required": "N3", "has": "N4"})]


def test_a_scored_language_test_needs_the_minimum_score() -> None:
    jft = {"language_test": LanguageTest.JFT_BASIC}
    assert codes(order(**jft, language_min_score=200), facts()) == []
    assert unmet_requirements(order(**jft, language_min_score=220), facts()) == [
        Unmet("language_score", {"test": "jft_basic", "required": 220, "has": 210})
    ]
    eps = order(language_test=LanguageTest.EPS_TOPIK, language_min_score=80)
    assert unmet_requirements(eps, facts()) == [
        Unmet("language_score", {"test": "eps_topik", "required": 80, "has": None})
    ]


def test_missing_units_and_certificates_are_named() -> None:
    job_order = order(
        required_units=["A.011100.001.01", "C.222222.002.01"],
        required_certificates=["Welding", "Forklift licence"],
    )
    assert unmet_requirements(job_order, facts()) == [
        Unmet("units", {"missing": ["C.222222.002.01"]}),
        Unmet("certificates", {"missing": ["Forklift licence"]}),
    ]


def test_sex_is_read_only_through_a_lawful_requirement() -> None:
    woman = facts(sex=Sex.FEMALE)
    assert codes(order(), woman) == []
    lawful = order(sex_requirement=Sex.MALE, sex_requirement_legal_reason="Mine work (law X)")
    assert codes(lawful, woman) == ["sex_requirement"]
    assert codes(lawful, facts()) == []


def test_every_unmet_code_reads_as_a_sentence() -> None:
    assert describe_unmet({"code": "age_above", "params": {"age": 36, "max": 35}}) == (
        "Age 36 is above the job order's maximum of 35."
    )
    assert describe_unmet(Unmet("education", {"has": "smp", "required": "sma"}).as_dict()) == (
        "Education “Junior high school (SMP)” is below the required “Senior high school (SMA)”."
    )
    assert describe_unmet(
        {"code": "language_score", "params": {"test": "jft_basic", "required": 200, "has": None}}
    ) == (
        "A JFT-Basic (Japan Foundation Test for Basic Japanese) score of at least 200 is "
        "required; none is recorded."
    )
    assert str(Unmet("units", {"missing": ["A.1", "B.2"]})) == (
        "Competency units not certified: A.1, B.2."
    )
    assert "(zz)" in describe_unmet({"code": "zz"})


@pytest.mark.django_db
def test_facts_come_from_passed_results_and_valid_certificates() -> None:
    person = ParticipantFactory(birth_date=dt.date(2000, 11, 29), education="sma")
    LanguageResult.objects.create(
        participant=person,
        test="jlpt",
        level="N4",
        total=100,
        pass_mark=90,
        tested_on=TODAY,
        passed=True,
        explanation="ok",
        recorded_at=timezone.now(),
    )
    LanguageResult.objects.create(
        participant=person,
        test="jft_basic",
        total=180,
        pass_mark=200,
        tested_on=TODAY,
        passed=False,
        explanation="below",
        recorded_at=timezone.now(),
    )
    enrolment = Enrolment.objects.create(
        batch=BatchFactory(), participant=person, enrolled_at=timezone.now()
    )
    content = {
        "programme": "Pengelasan Kapal",
        "units": [{"code": "A.011100.001.01"}],
        "occupation": {"en": "Welder"},
        "title": {"en": "Certificate of competency"},
    }
    Certificate.objects.create(
        number="C-1",
        token="t1",
        kind=CertificateKind.COMPETENCY,
        enrolment=enrolment,
        participant=person,
        issuer=enrolment.batch.programme.organisation,
        holder_name="x",
        content=content,
        issued_on=TODAY,
        issued_at=timezone.now(),
    )
    revoked = {"programme": "Forklift", "units": [{"code": "Z.999999.999.99"}]}
    Certificate.objects.create(
        number="C-2",
        token="t2",
        kind=CertificateKind.TRAINING,
        enrolment=enrolment,
        participant=person,
        issuer=enrolment.batch.programme.organisation,
        holder_name="x",
        content=revoked,
        issued_on=TODAY,
        issued_at=timezone.now(),
        revoked_at=timezone.now(),
        revocation_reason="forged",
    )

    found = load_facts([person.pk], on=TODAY)[person.pk]

    assert found.age == 25  # the 26th birthday is tomorrow
    assert found.education == "sma"
    assert found.jlpt_levels == frozenset({"N4"})
    assert found.best_scores == {}
    assert found.units == frozenset({"A.011100.001.01"})
    assert "pengelasan kapal" in found.certificate_names
    assert not any("forklift" in name for name in found.certificate_names)
    welder = JobOrderFactory(required_certificates=["welder"], required_units=["A.011100.001.01"])
    assert unmet_requirements(welder, found) == []
