"""The reference data loaded by migration core.0002 is complete, and loading it again is a no-op."""

from __future__ import annotations

import pytest

from jembatan.core.models import Country, Occupation, ReferenceDataset, Region, RegionLevel
from jembatan.core.services import refdata

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "datasets": ReferenceDataset.objects.count(),
        "provinces": Region.objects.filter(level=RegionLevel.PROVINCE).count(),
        "regencies": Region.objects.filter(level=RegionLevel.REGENCY).count(),
        "cities": Region.objects.filter(level=RegionLevel.CITY).count(),
        "countries": Country.objects.count(),
        "occupations": Occupation.objects.count(),
    }


def test_there_are_38_provinces_416_regencies_and_98_cities() -> None:
    counts = _counts()
    assert (counts["provinces"], counts["regencies"], counts["cities"]) == (38, 416, 98)


def test_every_regency_and_city_sits_under_a_province() -> None:
    below = Region.objects.exclude(level=RegionLevel.PROVINCE)
    assert below.count() == 514
    assert not below.exclude(parent__level=RegionLevel.PROVINCE).exists()


def test_each_regency_code_starts_with_its_provinces_code() -> None:
    mismatched = [
        code
        for code, parent in Region.objects.exclude(level=RegionLevel.PROVINCE).values_list(
            "code", "parent_id"
        )
        if code.split(".")[0] != parent
    ]
    assert mismatched == []


def test_provinces_have_no_parent() -> None:
    assert not Region.objects.filter(level=RegionLevel.PROVINCE, parent__isnull=False).exists()


def test_the_programmes_countries_exist() -> None:
    found = set(
        Country.objects.filter(alpha2__in=["ID", "JP", "KR", "QA", "AU"]).values_list(
            "alpha2", flat=True
        )
    )
    assert found == {"ID", "JP", "KR", "QA", "AU"}


def test_the_specified_skilled_worker_table_has_16_fields() -> None:
    assert Occupation.objects.filter(dataset__code="jp-ssw-2024").count() == 16


def test_each_table_records_its_version_and_checksum() -> None:
    datasets = ReferenceDataset.objects.all()
    assert {d.code for d in datasets} >= {"kemendagri-2025", "iso-3166-1", "jp-ssw-2024"}
    assert all(len(d.checksum) == 64 for d in datasets)


def test_loading_again_with_the_current_models_changes_no_counts() -> None:
    before = _counts()
    names_before = dict(Region.objects.values_list("code", "name"))

    refdata.load_regions(dataset_model=ReferenceDataset, region_model=Region)
    refdata.load_countries(dataset_model=ReferenceDataset, country_model=Country)
    refdata.load_occupations(dataset_model=ReferenceDataset, occupation_model=Occupation)

    assert _counts() == before
    assert dict(Region.objects.values_list("code", "name")) == names_before


def test_selection_stage_types_are_reference_data_with_their_version() -> None:
    from jembatan.selection.models import StageType

    dataset = ReferenceDataset.objects.get(code="selection-stage-types")
    assert dataset.kind == "selection_stages"
    assert list(StageType.objects.values_list("code", flat=True)) == [
        "administrative", "written", "physical", "interview", "medical", "language",
    ]  # fmt: skip
    StageType.objects.filter(code="written").update(name_en="Renamed")

    loaded = refdata.load_stage_types(dataset_model=ReferenceDataset, stage_type_model=StageType)

    assert loaded == 6
    written = StageType.objects.get(code="written")
    assert (written.name_en, written.name_id, written.entered_by) == (
        "Written test", "Tes tertulis", "examiner",
    )  # fmt: skip
    assert StageType.objects.get(code="medical").default_pass_mark is None
