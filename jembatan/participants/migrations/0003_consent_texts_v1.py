"""The first published consent texts (privacy notice, transfer abroad), in Indonesian and English.

New versions are added as new rows (never edited): a consent always points at
the exact text the person agreed to.
"""

import datetime as dt

from django.db import migrations

PUBLISHED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

TEXTS = [
    {
        "purpose": "privacy_notice",
        "version": 1,
        "title_id": "Pemberitahuan privasi Program Pemagangan Luar Negeri",
        "title_en": "Privacy notice of the Overseas Apprenticeship Programme",
        "body_id": (
            "Kementerian Ketenagakerjaan (Ditjen Binalavotas) memproses data pribadi Anda "
            "(identitas, kontak, pendidikan, dokumen, dan tahapan program) untuk "
            "menyelenggarakan program pemagangan luar negeri: pendaftaran, verifikasi, "
            "pelatihan, seleksi, penempatan, pelindungan, dan pemantauan setelah kembali. "
            "Data Anda hanya dapat dilihat oleh petugas yang tugasnya memerlukannya, dan "
            "setiap akses dicatat. Sesuai UU No. 27 Tahun 2022 tentang Pelindungan Data "
            "Pribadi, Anda berhak memperoleh salinan data Anda beserta riwayat pemrosesannya, "
            "meminta perbaikan, dan menarik persetujuan ini kapan saja; penarikan dapat "
            "menghentikan keikutsertaan Anda dalam program."
        ),
        "body_en": (
            "The Ministry of Manpower (Directorate General Binalavotas) processes your "
            "personal data (identity, contact details, education, documents and programme "
            "stages) to run the overseas apprenticeship programme: registration, "
            "verification, training, selection, placement, protection and follow-up after "
            "your return. Only officials whose work needs it can see your data, and every "
            "access is logged. Under Law No. 27 of 2022 on Personal Data Protection you may "
            "obtain a copy of your data and its processing history, ask for corrections, and "
            "withdraw this consent at any time; withdrawing may end your participation."
        ),
    },
    {
        "purpose": "transfer_abroad",
        "version": 1,
        "title_id": "Pengiriman data ke mitra di luar negeri",
        "title_en": "Transfer of data to partners abroad",
        "body_id": (
            "Untuk seleksi dan penempatan, data yang diperlukan (identitas, pendidikan, "
            "hasil pelatihan dan seleksi) dapat dikirim ke mitra di negara tujuan dan "
            "perusahaan penerima. Pengiriman hanya dilakukan setelah dasar hukumnya dicatat."
        ),
        "body_en": (
            "For selection and placement, the data needed (identity, education, training "
            "and selection results) may be sent to partners in the destination country and "
            "to host companies. Data is sent only after its legal basis has been recorded."
        ),
    },
]


def publish(apps, schema_editor):
    ConsentText = apps.get_model("participants", "ConsentText")
    for text in TEXTS:
        ConsentText.objects.get_or_create(
            purpose=text["purpose"],
            version=text["version"],
            defaults={**text, "published_at": PUBLISHED},
        )


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_registry_record")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
