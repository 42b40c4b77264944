"""Eligibility reads each programme's rules as data, and a refusal names the rule and its source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from jembatan.core.services.scheme_rules import scheme_rules_publish
from jembatan.demand.eligibility import load_facts, unmet_requirements
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder, Programme, Scheme
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Education, Participant

pytestmark = pytest.mark.django_db
SELECTION_TEST = dt.date(2026, 6, 1)
IM_JAPAN_SOURCE = "Kemnaker national selection announcement for IM Japan"


def _unmet(job_order: JobOrder, person: Participant, on: dt.date = SELECTION_TEST) -> list[str]:
    facts = load_facts([person.pk], on=on)[person.pk]
    with translation.override("en"):
        return [str(u) for u in unmet_requirements(job_order, facts)]


def _person(birth: dt.date, education: str = Education.SMK) -> Participant:
    return ParticipantFactory(birth_date=birth, education=education)


def test_an_im_japan_applicant_above_the_age_window_is_refused_with_the_rule_named() -> None:
    job_order = JobOrderFactory(programme=Programme.IM_JAPAN)
    too_old = _person(dt.date(1999, 5, 1))  # 27 at the selection test
    [refusal] = _unmet(job_order, too_old)
    assert refusal.startswith(
        "IM Japan: age at the selection test (SMK graduates): age 18–26 (source: " + IM_JAPAN_SOURCE
    )
    assert refusal.endswith("the candidate is 27.")


def test_an_sma_graduate_of_18_years_3_months_is_too_young_for_im_japan() -> None:
    job_order = JobOrderFactory(programme=Programme.IM_JAPAN)
    young = _person(dt.date(2008, 3, 1), education=Education.SMA)  # 18 years 3 months
    [refusal] = _unmet(job_order, young)
    assert "(other graduates): age 18 years 6 months–26" in refusal
    smk = _person(dt.date(2008, 3, 1), education=Education.SMK)
    assert _unmet(job_order, smk) == []


def test_the_same_person_fits_a_titp_job_order_outside_im_japan() -> None:
    too_old_for_im_japan = _person(dt.date(1999, 5, 1))
    assert _unmet(JobOrderFactory(scheme=Scheme.TITP), too_old_for_im_japan) == []


def test_im_japan_asks_at_least_senior_high_school() -> None:
    job_order = JobOrderFactory(programme=Programme.IM_JAPAN)
    [refusal] = _unmet(job_order, _person(dt.date(2004, 1, 1), education=Education.SMP))
    assert refusal.startswith("IM Japan: at least senior high school (SMA/SMK): education ")
    assert "(source: Kemnaker national selection announcement for IM Japan" in refusal


def test_a_new_version_of_the_rules_applies_from_its_first_day(national_admin: object) -> None:
    job_order = JobOrderFactory(programme=Programme.IM_JAPAN)
    person = _person(dt.date(2000, 1, 1))  # 26 from January 2026
    today = timezone.localdate()
    assert _unmet(job_order, person, on=today) == []
    scheme_rules_publish(
        programme="im_japan",
        text=(
            "kind,condition,min,max,value,stage,name,name_id,source\n"
            "age,,18,24,,selection,IM Japan: age (2026 intake),IM Japan: usia (2026),"
            "Pengumuman seleksi IM Japan 2026\n"
        ),
        source="Pengumuman seleksi IM Japan 2026",
        reason="The 2026 intake lowers the upper age.",
        acting_user=national_admin,
    )
    [refusal] = _unmet(job_order, person, on=today)
    assert refusal == (
        "IM Japan: age (2026 intake): age 18–24 (source: Pengumuman seleksi IM Japan 2026); "
        "the candidate is 26."
    )


def test_im_japan_takes_only_technical_intern_training_job_orders() -> None:
    job_order = JobOrderFactory.build(programme=Programme.IM_JAPAN, scheme=Scheme.SSW)
    from jembatan.demand.rules import check_programme

    with pytest.raises(ValidationError) as refused:
        check_programme(job_order)
    assert refused.value.message_dict["programme"] == [
        "IM Japan sends technical intern trainees: choose the TITP scheme."
    ]
