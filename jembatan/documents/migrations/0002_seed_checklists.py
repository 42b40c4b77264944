"""The first version of the checklists of the two routes (reference data, editable later)."""

import datetime as dt

from django.db import migrations

MB = 1024 * 1024
ALL = ["application/pdf", "image/jpeg", "image/png"]
PDF = ["application/pdf"]
VALID_FROM = dt.date(2025, 1, 1)

# kind, name_id, name_en, guidance_id, guidance_en, needed_for, required, below_age,
# sensitive, types, max MB
LINES = [
    ("id_card", "Kartu Tanda Penduduk (KTP)", "Identity card (KTP)",
     "Pindai kedua sisi KTP elektronik; NIK harus terbaca jelas.",
     "Scan both sides of the e-KTP; the NIK must be clearly readable.",
     "verification", True, None, False, ALL, 5),
    ("diploma", "Ijazah terakhir", "Latest diploma (ijazah)",
     "Ijazah pendidikan terakhir (minimal SMA/SMK sederajat) yang telah dilegalisasi.",
     "Legalised diploma of the highest education (at least senior high school).",
     "verification", True, None, False, ALL, 5),
    ("guardian_permission", "Surat izin orang tua/wali", "Parent's or guardian's permission",
     "Surat izin bermeterai dari orang tua atau wali, wajib bagi peserta di bawah 21 tahun.",
     "Stamped letter of permission from a parent or guardian, required below age 21.",
     "verification", False, 21, False, ALL, 5),
    ("police_record", "Surat Keterangan Catatan Kepolisian (SKCK)", "Police record (SKCK)",
     "SKCK yang masih berlaku dari Polres tempat tinggal.",
     "A valid police record certificate from the local police.",
     None, True, None, True, ALL, 5),
    ("medical", "Hasil pemeriksaan kesehatan", "Medical check result",
     "Hasil pemeriksaan kesehatan dari sarana kesehatan yang ditunjuk.",
     "Medical check result from an appointed clinic or hospital.",
     "selection", True, None, True, PDF, 10),
    ("passport", "Paspor", "Passport",
     "Halaman identitas paspor yang masih berlaku minimal 18 bulan.",
     "Identity page of a passport valid for at least 18 more months.",
     "departure", True, None, False, ALL, 5),
    ("language_certificate", "Sertifikat bahasa (JLPT/JFT-Basic)",
     "Language certificate (JLPT/JFT-Basic)",
     "Sertifikat JLPT atau JFT-Basic, bila ada.", "JLPT or JFT-Basic certificate, if any.",
     None, None, None, False, PDF, 5),
    ("competency_certificate", "Sertifikat kompetensi (BNSP)", "Competency certificate (BNSP)",
     "Sertifikat kompetensi dari LSP berlisensi BNSP.",
     "Competency certificate from a BNSP-licensed LSP.",
     None, None, None, False, PDF, 5),
]
# Route differences: IM Japan checks the SKCK at the administrative check before
# selection and teaches the language after it; an LPK trains and certifies first.
ROUTE_OVERRIDES = {
    "im_japan": {
        "police_record": ("verification", True),
        "language_certificate": ("selection", False),
        "competency_certificate": ("departure", False),
    },
    "lpk": {
        "police_record": ("selection", True),
        "language_certificate": ("selection", True),
        "competency_certificate": ("selection", True),
    },
}


def seed(apps, schema_editor):
    Requirement = apps.get_model("documents", "DocumentRequirement")
    rows = []
    for route, overrides in ROUTE_OVERRIDES.items():
        for order, line in enumerate(LINES, start=1):
            kind, name_id, name_en, guide_id, guide_en, stage, required, age, sens, types, mb = line
            stage, required = overrides.get(kind, (stage, required))
            rows.append(
                Requirement(
                    route=route, kind=kind, name_id=name_id, name_en=name_en,
                    guidance_id=guide_id, guidance_en=guide_en, needed_for=stage,
                    required=required, required_below_age=age, sensitive=sens,
                    accepted_types=types, max_size_bytes=mb * MB, order=order * 10,
                    version=1, valid_from=VALID_FROM,
                )
            )
    Requirement.objects.bulk_create(rows)


def unseed(apps, schema_editor):
    apps.get_model("documents", "DocumentRequirement").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
