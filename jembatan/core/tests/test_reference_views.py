"""Reference data pages: the national administrator corrects, others read or are refused."""

from __future__ import annotations

import pytest

from jembatan.core.models import AccessLog, ChangeRecord, Occupation

pytestmark = pytest.mark.django_db

NEW_NAMES = {"name_id": "Perawatan lansia", "name_en": "Elderly care", "name_ja": "介護"}


@pytest.fixture
def occupation() -> Occupation:
    return Occupation.objects.filter(dataset__code="jp-ssw-2024").order_by("code")[0]


def _edit_url(occupation: Occupation) -> str:
    return f"/referensi/jabatan/ubah/{occupation.pk}/"


def _names(occupation: Occupation) -> dict[str, str]:
    stored = Occupation.objects.get(pk=occupation.pk)
    return {"name_id": stored.name_id, "name_en": stored.name_en, "name_ja": stored.name_ja}


def test_national_admin_sees_the_edit_form(client_for, national_admin, occupation) -> None:
    response = client_for(national_admin).get(_edit_url(occupation))
    assert response.status_code == 200
    assert response.context["form"].instance == occupation
    assert occupation.name_en in response.text


def test_national_admin_corrects_an_occupations_names_with_an_audit_record(
    client_for, national_admin, occupation: Occupation
) -> None:
    before = _names(occupation)

    response = client_for(national_admin).post(_edit_url(occupation), NEW_NAMES)

    assert (response.status_code, response["Location"]) == (302, "/referensi/jabatan/jp-ssw-2024/")
    assert _names(occupation) == NEW_NAMES
    record = ChangeRecord.objects.get(operation="core.occupation_update")
    assert (record.actor, record.action, record.object_id) == (
        national_admin,
        "update",
        str(occupation.pk),
    )
    assert record.changes == {
        field: {"before": before[field], "after": NEW_NAMES[field]}
        for field in NEW_NAMES
        if before[field] != NEW_NAMES[field]
    }
    assert record.changes["name_en"] == {"before": before["name_en"], "after": "Elderly care"}


def test_saving_unchanged_names_records_nothing(
    client_for, national_admin, occupation: Occupation
) -> None:
    client_for(national_admin).post(_edit_url(occupation), _names(occupation))
    assert not ChangeRecord.objects.filter(operation="core.occupation_update").exists()


def test_an_empty_name_is_refused_and_changes_nothing(
    client_for, national_admin, occupation: Occupation
) -> None:
    before = _names(occupation)
    response = client_for(national_admin).post(_edit_url(occupation), {**NEW_NAMES, "name_en": ""})
    assert response.status_code == 200
    assert "name_en" in response.context["form"].errors
    assert _names(occupation) == before
    assert not ChangeRecord.objects.filter(operation="core.occupation_update").exists()


@pytest.mark.parametrize("person", ["national_officer", "auditor", "provincial_officer"])
def test_others_may_not_edit_an_occupation(
    request: pytest.FixtureRequest, client_for, occupation: Occupation, person: str
) -> None:
    client = client_for(request.getfixturevalue(person))
    before = _names(occupation)

    assert client.get(_edit_url(occupation)).status_code == 403
    assert client.post(_edit_url(occupation), NEW_NAMES).status_code == 403

    assert _names(occupation) == before
    assert not ChangeRecord.objects.filter(operation="core.occupation_update").exists()


@pytest.mark.parametrize("person", ["national_admin", "national_officer", "auditor"])
def test_the_ministry_and_auditors_read_the_occupation_table(
    request: pytest.FixtureRequest, client_for, person: str
) -> None:
    response = client_for(request.getfixturevalue(person)).get("/referensi/jabatan/jp-ssw-2024/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 16


def test_only_the_national_admin_sees_edit_links(client_for, national_admin, auditor) -> None:
    url = "/referensi/jabatan/jp-ssw-2024/"
    assert "/referensi/jabatan/ubah/" in client_for(national_admin).get(url).text
    assert "/referensi/jabatan/ubah/" not in client_for(auditor).get(url).text


def test_an_unknown_occupation_table_is_404(client_for, national_admin) -> None:
    assert client_for(national_admin).get("/referensi/jabatan/no-such-table/").status_code == 404


def test_the_regions_page_lists_38_provinces(client_for, national_officer) -> None:
    response = client_for(national_officer).get("/referensi/")
    provinces = list(response.context["provinces"])
    assert len(provinces) == 38
    assert {p.code for p in provinces} >= {"11", "33", "35", "65", "91", "96"}
    jateng = next(p for p in provinces if p.code == "33")
    assert jateng.children_count == 35
    assert "Kalimantan Utara" in response.text


def test_auditor_reads_reference_data_and_each_read_is_logged(client_for, auditor) -> None:
    client = client_for(auditor)
    assert client.get("/referensi/").status_code == 200
    assert client.get("/referensi/jabatan/jp-ssw-2024/").status_code == 200
    assert list(
        AccessLog.objects.filter(actor=auditor).order_by("id").values_list("path", flat=True)
    ) == ["/referensi/", "/referensi/jabatan/jp-ssw-2024/"]


@pytest.mark.parametrize(
    ("table", "count", "field"),
    [("jp-ssw-2026", 19, "物流倉庫"), ("jp-esd-2027", 17, "リネンサプライ")],
)
def test_the_2026_ssw_and_the_esd_tables_are_listed_with_their_fields(
    client_for, national_officer, table: str, count: int, field: str
) -> None:
    response = client_for(national_officer).get(f"/referensi/jabatan/{table}/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    assert field in response.text
