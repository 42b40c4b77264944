"""Checks on the reference data files shipped in ``jembatan/core/data``.

Plain file checks: no database, no Django, standard library only.
"""

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"

REGIONS = "regions-kemendagri-2025.csv"
COUNTRIES = "countries.csv"
KBJI = "occupations-kbji-2014.csv"
SSW = "occupations-jp-ssw-2024.csv"
SSW_2026 = "occupations-jp-ssw-2026.csv"
ESD = "occupations-jp-esd-2027.csv"
TITP = "occupations-jp-titp-2025.csv"
OCCUPATION_FILES = [KBJI, SSW, SSW_2026, TITP, ESD]
REGION_HISTORY = "region-code-history.csv"
WAGES_JP = "minimum-wage-jp-2025.csv"
AGES = "scheme-age-ranges.csv"
ALL_CSV = [REGIONS, COUNTRIES, *OCCUPATION_FILES, WAGES_JP, AGES, REGION_HISTORY]
ALL_JSON = [
    "scheme-age-ranges.meta.json",
    "minimum-wage-jp-2025.meta.json",
    "regions-kemendagri-2025.meta.json",
    "countries.meta.json",
    "occupations.meta.json",
    "region-code-history.meta.json",
]
OCCUPATION_HEADER = ["code", "name_id", "name_en", "name_ja", "parent_code"]


def read_rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_header(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def read_json(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def occupation_meta(file_name):
    tables = read_json("occupations.meta.json")["tables"]
    return next(t for t in tables if t["file"] == file_name)


# --- encoding -----------------------------------------------------------


@pytest.mark.parametrize("name", ALL_CSV + ALL_JSON)
def test_file_is_utf8_without_bom(name):
    raw = (DATA / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")  # raises if not UTF-8


@pytest.mark.parametrize("name", ALL_CSV)
def test_every_row_has_the_header_width(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    width = len(rows[0])
    assert all(len(row) == width for row in rows)


# --- regions ------------------------------------------------------------


def test_regions_header():
    assert read_header(REGIONS) == ["code", "name", "level", "parent_code"]


def test_regions_counts():
    counts = Counter(row["level"] for row in read_rows(REGIONS))
    assert counts == {"province": 38, "regency": 416, "city": 98}


def test_regions_meta_counts_match_file():
    meta = read_json("regions-kemendagri-2025.meta.json")
    counts = Counter(row["level"] for row in read_rows(REGIONS))
    assert meta["counts"] == dict(counts)
    assert meta["version"] == "2025"
    assert "300.2.2-2138" in meta["source"]
    assert meta["mirror"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["valid_from"])


def test_region_codes_have_the_right_shape():
    for row in read_rows(REGIONS):
        code, level, parent = row["code"], row["level"], row["parent_code"]
        if level == "province":
            assert re.fullmatch(r"\d{2}", code), code
            assert parent == "", code
        else:
            assert re.fullmatch(r"\d{2}\.\d{2}", code), code
            assert parent == code[:2], code
            suffix = int(code[3:])
            if level == "regency":
                assert 1 <= suffix <= 69, code
                assert row["name"].startswith("Kabupaten "), code
            elif level == "city":
                assert 71 <= suffix <= 99, code
                assert row["name"].startswith("Kota "), code
            else:
                pytest.fail(f"unknown level {level!r} for {code}")


def test_region_codes_are_unique_and_parents_exist():
    rows = read_rows(REGIONS)
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    provinces = {row["code"] for row in rows if row["level"] == "province"}
    assert all(row["parent_code"] in provinces for row in rows if row["level"] != "province")


def test_region_names_are_clean():
    for row in read_rows(REGIONS):
        name = row["name"]
        assert name and name == name.strip() and "  " not in name, row["code"]


def test_known_regions():
    names = {row["code"]: row["name"] for row in read_rows(REGIONS)}
    assert names["31"] == "DKI Jakarta"
    assert names["33"] == "Jawa Tengah"
    assert names["34"] == "DI Yogyakarta"
    assert names["33.22"] == "Kabupaten Semarang"
    assert names["33.74"] == "Kota Semarang"
    assert names["31.71"] == "Kota Administrasi Jakarta Pusat"
    assert names["31.01"] == "Kabupaten Administrasi Kepulauan Seribu"
    assert names["65"] == "Kalimantan Utara"
    papua = {
        "91": "Papua",
        "92": "Papua Barat",
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    }
    for code, name in papua.items():
        assert names[code] == name


# --- countries ----------------------------------------------------------


def test_countries_header():
    assert read_header(COUNTRIES) == [
        "alpha2",
        "alpha3",
        "numeric",
        "name_en",
        "name_id",
    ]


def test_countries_codes():
    rows = read_rows(COUNTRIES)
    alpha2 = [row["alpha2"] for row in rows]
    assert len(alpha2) == len(set(alpha2))
    assert len({row["alpha3"] for row in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"[A-Z]{2}", row["alpha2"])
        assert re.fullmatch(r"[A-Z]{3}", row["alpha3"])
        assert re.fullmatch(r"\d{3}", row["numeric"])
        for field in ("name_en", "name_id"):
            assert row[field] and row[field] == row[field].strip()
    assert {"ID", "JP", "KR", "QA", "AU", "TW", "MY", "SA", "DE"} <= set(alpha2)


def test_countries_indonesian_names():
    names = {row["alpha2"]: row["name_id"] for row in read_rows(COUNTRIES)}
    assert names["JP"] == "Jepang"
    assert names["KR"] == "Korea Selatan"
    assert names["ID"] == "Indonesia"
    assert names["QA"] == "Qatar"
    assert names["AU"] == "Australia"


def test_countries_meta_counts_match_file():
    meta = read_json("countries.meta.json")
    assert meta["counts"]["country"] == len(read_rows(COUNTRIES))
    assert meta["source"] and meta["version"]


# --- occupations --------------------------------------------------------


@pytest.mark.parametrize("name", OCCUPATION_FILES)
def test_occupation_header(name):
    assert read_header(name) == OCCUPATION_HEADER


@pytest.mark.parametrize("name", OCCUPATION_FILES)
def test_occupation_codes_unique_and_parents_exist(name):
    rows = read_rows(name)
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    known = set(codes)
    for row in rows:
        assert row["parent_code"] == "" or row["parent_code"] in known, row["code"]
        assert row["parent_code"] != row["code"]


@pytest.mark.parametrize("name", OCCUPATION_FILES)
def test_occupation_names_are_clean(name):
    for row in read_rows(name):
        for field in ("code", "name_id", "name_en"):
            assert row[field] and row[field] == row[field].strip(), (row["code"], field)
        assert row["name_ja"] == row["name_ja"].strip()


def test_kbji_major_groups():
    rows = read_rows(KBJI)
    majors = [row for row in rows if re.fullmatch(r"\d", row["code"])]
    assert sorted(row["code"] for row in majors) == [str(d) for d in range(10)]
    assert all(row["parent_code"] == "" for row in majors)
    for row in rows:
        assert re.fullmatch(r"\d{1,2}", row["code"])
        if len(row["code"]) == 2:
            assert row["parent_code"] == row["code"][0]


def test_ssw_has_exactly_16_fields():
    rows = read_rows(SSW)
    assert [row["code"] for row in rows] == [f"SSW-{i:02d}" for i in range(1, 17)]
    assert all(row["name_ja"] and row["parent_code"] == "" for row in rows)
    japanese = {row["name_ja"] for row in rows}
    assert {
        "介護",
        "ビルクリーニング",
        "工業製品製造業",
        "建設",
        "造船・舶用工業",
        "自動車整備",
        "航空",
        "宿泊",
        "農業",
        "漁業",
        "飲食料品製造業",
        "外食業",
        "自動車運送業",
        "鉄道",
        "林業",
        "木材産業",
    } == japanese


def test_ssw_2026_has_the_19_fields_of_the_cabinet_decision_of_23_january_2026():
    rows = read_rows(SSW_2026)
    assert [row["code"] for row in rows] == [f"SSW-{i:02d}" for i in range(1, 20)]
    earlier = {row["code"]: row["name_ja"] for row in read_rows(SSW)}
    assert {row["code"]: row["name_ja"] for row in rows[:16]} == earlier
    assert [row["name_ja"] for row in rows[16:]] == ["リネンサプライ", "物流倉庫", "資源循環"]
    meta = occupation_meta(SSW_2026)
    assert meta["valid_from"] == "2026-01-23" and meta["supersedes"] == "jp-ssw-2024"


def test_esd_has_17_fields_all_of_them_ssw_2026_fields():
    rows = read_rows(ESD)
    assert [row["code"] for row in rows] == [f"ESD-{i:02d}" for i in range(1, 18)]
    ssw = {row["name_ja"] for row in read_rows(SSW_2026)}
    assert {row["name_ja"] for row in rows} <= ssw
    meta = occupation_meta(ESD)
    assert meta["valid_from"] == "2027-04-01" and meta["not_verified"]


def test_every_operation_not_eligible_for_stage_3_is_an_operation_of_the_titp_table():
    operations = {row["code"] for row in read_rows(TITP) if titp_level(row["code"]) == "operation"}
    listed = occupation_meta(TITP)["operations_not_eligible_for_stage3"]
    assert listed and set(listed) <= operations
    assert occupation_meta(TITP)["stage3_rule"]["source"]


def _meta_files():
    return sorted(p.name for p in DATA.glob("*.meta.json"))


@pytest.mark.parametrize("name", _meta_files())
def test_every_reference_file_states_its_source_and_date(name):
    meta = read_json(name)
    described = meta.get("tables", [meta])
    for table in described:
        assert str(table.get("source", "")).strip(), (name, table.get("code"))
        stated = table.get("date") or table.get("valid_from")
        assert stated and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(stated)), (name, table.get("code"))


def test_every_csv_file_has_a_meta_file_that_describes_it():
    described = {t["file"] for t in read_json("occupations.meta.json")["tables"]}
    for path in DATA.glob("*.csv"):
        own = path.with_name(path.name.replace(".csv", ".meta.json"))
        assert own.exists() or path.name in described, path.name


def titp_level(code):
    if re.fullmatch(r"TITP-S\d+", code):
        return "sector"
    if re.fullmatch(r"TITP-S\d+-\d{2}", code):
        return "occupation"
    if re.fullmatch(r"TITP-S\d+-\d{2}-\d{2}", code):
        return "operation"
    return None


def test_titp_hierarchy():
    for row in read_rows(TITP):
        code, parent = row["code"], row["parent_code"]
        level = titp_level(code)
        assert level is not None, code
        assert row["name_ja"], code
        if level == "sector":
            assert parent == ""
        else:
            assert parent == code.rsplit("-", 1)[0], code
    rows = read_rows(TITP)
    occupations = {row["code"] for row in rows if titp_level(row["code"]) == "occupation"}
    with_operations = {row["parent_code"] for row in rows if titp_level(row["code"]) == "operation"}
    assert occupations == with_operations  # every occupation has at least one operation


def test_titp_meta_counts_match_file():
    counts = Counter(titp_level(row["code"]) for row in read_rows(TITP))
    meta_counts = occupation_meta(TITP)["counts"]
    assert meta_counts["sector"] == counts["sector"]
    assert meta_counts["occupation"] == counts["occupation"]
    assert meta_counts["operation"] == counts["operation"]
    assert meta_counts["total"] == sum(counts.values())


@pytest.mark.parametrize("name", OCCUPATION_FILES)
def test_occupation_meta_describes_each_table(name):
    meta = occupation_meta(name)
    for key in ("code", "name", "version", "source", "valid_from", "counts"):
        assert meta.get(key), (name, key)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["valid_from"])
    assert meta["counts"]["total"] == len(read_rows(name))


def test_occupation_meta_lists_every_file_once():
    tables = read_json("occupations.meta.json")["tables"]
    assert sorted(t["file"] for t in tables) == sorted(OCCUPATION_FILES)
    assert len({t["code"] for t in tables}) == len(tables)


# --- Japan's minimum wages ------------------------------------------------------


def test_japans_minimum_wages_cover_the_47_prefectures_with_plausible_rates():
    rows = read_rows(WAGES_JP)
    assert [row["code"] for row in rows] == [f"{n:02d}" for n in range(1, 48)]
    rates = {row["name_en"]: int(row["hourly_jpy"]) for row in rows}
    assert all(1000 <= rate <= 1300 for rate in rates.values())
    assert max(rates, key=rates.__getitem__) == "Tokyo"
    assert all(
        re.fullmatch(r"2025-1[0-2]-\d\d|2026-0[1-3]-\d\d", r["effective_from"]) for r in rows
    )
    assert all(row["name_ja"].endswith(("都", "道", "府", "県")) for row in rows)
    meta = read_json("minimum-wage-jp-2025.meta.json")
    assert meta["counts"]["prefecture"] == len(rows)
    assert "mhlw.go.jp" in meta["source"]
