"""Demo identities: believable, consistent with the NIK rules, unique, repeatable.

Runs without Django settings (``-p no:django``).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date

import pytest

from jembatan.core.nik import check_nik, encode_nik
from jembatan.core.phone import normalize_id_phone
from jembatan.demo.identity import (
    MOBILE_OPERATORS,
    PROVINCE_POPULATION,
    IdentityFactory,
    Person,
    load_regencies,
    people,
)
from jembatan.demo.names import (
    BALINESE,
    BATAK,
    EMAIL_DOMAINS,
    PROVINCE_TRADITIONS,
    TRADITIONS,
    NamingTradition,
)

TODAY = date(2025, 6, 1)
REGENCIES = load_regencies()
REGION_CODES = {code for code, _province, _name in REGENCIES} | {p for _c, p, _n in REGENCIES}


def make_factory(seed: int = 1) -> IdentityFactory:
    """A factory over the shipped Kemendagri regencies, pinned to TODAY."""
    return IdentityFactory(random.Random(seed), REGENCIES, TODAY)


@pytest.fixture(scope="module")
def sample() -> list[Person]:
    """Five thousand people from one factory, shared by the read-only tests."""
    factory = make_factory()
    return [factory.person() for _ in range(5000)]


def age(person: Person) -> int:
    """Completed years on TODAY."""
    before_birthday = (TODAY.month, TODAY.day) < (person.birth_date.month, person.birth_date.day)
    return TODAY.year - person.birth_date.year - before_birthday


def known_region(code: str) -> bool:
    """Provinces and regencies from the reference file; districts are not shipped."""
    return code.count(".") == 2 or code in REGION_CODES


# --- NIK -------------------------------------------------------------------


def test_every_generated_nik_passes_check_nik_with_its_birth_date_and_sex(
    sample: list[Person],
) -> None:
    for person in sample:
        result = check_nik(
            person.nik,
            declared_birth_date=person.birth_date,
            declared_sex=person.sex,
            region_exists=known_region,
            today=TODAY,
        )
        assert result.problems == [], (person, result.codes)
        assert result.decoded is not None
        assert result.decoded.regency_code == person.regency_code
        assert result.decoded.birth_date(today=TODAY) == person.birth_date


def test_generated_nik_is_what_encode_nik_builds_from_the_same_parts(
    sample: list[Person],
) -> None:
    for person in sample[:500]:
        rebuilt = encode_nik(
            regency_code=person.regency_code,
            district=int(person.nik[4:6]),
            birth_date=person.birth_date,
            sex=person.sex,
            serial=int(person.nik[12:]),
        )
        assert rebuilt == person.nik


def test_niks_are_unique_over_fifty_thousand_people() -> None:
    factory = make_factory(seed=3)

    niks = [person.nik for person in factory.people(50_000)]

    assert len(set(niks)) == len(niks)


def test_niks_stay_unique_when_everyone_shares_a_province_and_an_age() -> None:
    factory = make_factory(seed=4)

    niks = [factory.person(province_code="65", ages=(20, 20)).nik for _ in range(20_000)]

    assert len(set(niks)) == len(niks)


# --- determinism -----------------------------------------------------------


def test_same_seed_gives_the_same_people() -> None:
    assert list(make_factory(seed=9).people(300)) == list(make_factory(seed=9).people(300))


def test_different_seeds_give_different_people() -> None:
    first = {p.nik for p in make_factory(seed=1).people(300)}
    second = {p.nik for p in make_factory(seed=2).people(300)}

    assert len(first & second) < 5


def test_people_streams_the_same_people_for_the_same_seed_and_day() -> None:
    stream = people(200, seed=5, today=TODAY)

    assert not isinstance(stream, list)
    assert list(stream) == list(people(200, seed=5, regencies=REGENCIES, today=TODAY))


# --- other fields ----------------------------------------------------------


def test_phone_numbers_are_e164_on_real_operator_prefixes(sample: list[Person]) -> None:
    prefixes = {p for _operator, _share, group in MOBILE_OPERATORS for p in group}

    for person in sample:
        assert normalize_id_phone(person.phone) == person.phone
        assert "0" + person.phone[3:6] in prefixes


def test_emails_are_made_from_the_name_at_common_domains(sample: list[Person]) -> None:
    domains = {domain for domain, _share in EMAIL_DOMAINS}
    pattern = re.compile(r"^[a-z]+[._]?[a-z]*[0-9]*@[a-z.]+$")

    for person in sample:
        local, _at, domain = person.email.partition("@")
        assert pattern.match(person.email), person.email
        assert domain in domains
        words = person.full_name.lower().replace(".", "").replace("'", "").split()
        assert any(word in local for word in words), person


def test_birth_place_is_the_regency_name_without_kabupaten_or_kota(sample: list[Person]) -> None:
    names = {code: name for code, _province, name in REGENCIES}

    for person in sample:
        assert person.birth_place == names[person.regency_code]
        assert not person.birth_place.startswith(("Kabupaten ", "Kota "))


def test_most_people_are_of_apprentice_age_and_a_few_are_staff(sample: list[Person]) -> None:
    ages = [age(person) for person in sample]
    apprentices = sum(18 <= a <= 35 for a in ages)

    assert all(18 <= a <= 60 for a in ages)
    assert 0.85 * len(ages) <= apprentices < len(ages)


def test_explicit_age_range_is_respected() -> None:
    factory = make_factory()

    ages = {age(factory.person(ages=(40, 45))) for _ in range(500)}

    assert ages == set(range(40, 46))


def test_both_sexes_are_drawn_in_similar_numbers(sample: list[Person]) -> None:
    women = sum(person.sex == "F" for person in sample)

    assert 0.45 * len(sample) < women < 0.55 * len(sample)


def test_provinces_are_weighted_by_population(sample: list[Person]) -> None:
    provinces = Counter(person.nik[:2] for person in sample)

    assert provinces.most_common(3)[0][0] == "32"  # Jawa Barat
    assert provinces["32"] > 10 * provinces["95"]  # Papua Pegunungan


def test_province_code_restricts_people_to_that_province() -> None:
    factory = make_factory()

    codes = {factory.person(province_code="51").regency_code[:2] for _ in range(200)}

    assert codes == {"51"}


def test_unknown_province_code_is_refused() -> None:
    with pytest.raises(ValueError, match="province"):
        make_factory().person(province_code="99")


def test_regencies_given_without_names_are_born_in_the_province_capital() -> None:
    factory = IdentityFactory(random.Random(1), [("33.74", "33"), ("33.01", "33")], TODAY)

    person = factory.person()

    assert person.birth_place == "Semarang"
    assert person.regency_code in {"33.74", "33.01"}


# --- names -----------------------------------------------------------------


def words_of(tradition: NamingTradition, sex: str) -> set[str]:
    """Every word the tradition may use in a name for ``sex``."""
    parts = (
        tradition.prefixes(sex)
        + tradition.first_names(sex)
        + tradition.second_names(sex)
        + tradition.family
    )
    return {word for part in parts for word in part.split()}


@pytest.mark.parametrize("tradition", TRADITIONS.values(), ids=lambda t: t.key)
def test_names_use_only_the_lists_for_the_persons_sex(tradition: NamingTradition) -> None:
    rng = random.Random(11)

    for sex in ("M", "F"):
        allowed = words_of(tradition, sex)
        for _ in range(300):
            assert set(tradition.full_name(sex, rng).split()) <= allowed


def test_balinese_names_start_with_i_for_men_and_ni_for_women() -> None:
    rng = random.Random(2)
    men = [BALINESE.full_name("M", rng) for _ in range(300)]
    women = [BALINESE.full_name("F", rng) for _ in range(300)]

    assert all(name.startswith(("I ", "Anak Agung", "Ida Bagus")) for name in men)
    assert all(name.startswith(("Ni ", "I Gusti Ayu", "Anak Agung", "Ida Ayu")) for name in women)
    assert sum(name.startswith("Ni ") for name in women) > 200


def test_batak_names_end_with_a_marga() -> None:
    rng = random.Random(3)
    names = [BATAK.full_name(sex, rng) for sex in ("M", "F") * 200]

    assert sum(name.split()[-1] in BATAK.family for name in names) > 0.9 * len(names)


def test_names_follow_the_tradition_of_the_province() -> None:
    factory = make_factory()
    bali_women = [factory.person(province_code="51", sex="F").full_name for _ in range(300)]
    tapanuli = [factory.person(province_code="12").full_name for _ in range(300)]

    assert sum(name.startswith("Ni ") for name in bali_women) > 0.6 * len(bali_women)
    assert sum(name.split()[-1] in BATAK.family for name in tapanuli) > 0.3 * len(tapanuli)


def test_men_and_women_get_different_given_names() -> None:
    factory = make_factory()
    men = Counter(factory.person(sex="M").full_name.split()[0] for _ in range(2000))
    women = Counter(factory.person(sex="F").full_name.split()[0] for _ in range(2000))

    shared = set(men) & set(women)
    assert sum(women[name] for name in shared) < 0.1 * sum(women.values())


def test_name_lists_hold_at_least_eighty_given_names_per_sex() -> None:
    male = {name for t in TRADITIONS.values() for name in t.male_first}
    female = {name for t in TRADITIONS.values() for name in t.female_first}

    assert len(male) >= 80 and len(female) >= 80


def test_every_province_has_a_mix_of_known_traditions_summing_to_one() -> None:
    provinces = {province for _code, province, _name in REGENCIES}

    assert provinces == set(PROVINCE_TRADITIONS) == set(PROVINCE_POPULATION)
    assert len(provinces) == 38
    for mix in PROVINCE_TRADITIONS.values():
        assert {key for key, _share in mix} <= set(TRADITIONS)
        assert sum(share for _key, share in mix) == pytest.approx(1.0)
