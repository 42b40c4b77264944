from django.urls import path

from jembatan.training import certificate_views, views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("program/baru/", views.programme_create, name="programme_create"),
    path("program/<int:programme_pk>/", views.programme_detail, name="programme"),
    path("program/<int:programme_pk>/angkatan/baru/", views.batch_create, name="batch_create"),
    path("angkatan/<int:batch_pk>/", views.batch_detail, name="batch"),
    path("angkatan/<int:batch_pk>/pengajar/", views.trainer_add, name="trainer_add"),
    path("angkatan/<int:batch_pk>/mulai/", views.batch_start, name="batch_start"),
    path("angkatan/<int:batch_pk>/daftarkan/", views.enrol, name="enrol"),
    path("angkatan/<int:batch_pk>/kehadiran/", views.attendance, name="attendance"),
    path(
        "angkatan/<int:batch_pk>/kehadiran/tabel/",
        views.attendance_grid,
        name="attendance_grid",
    ),
    path("angkatan/<int:batch_pk>/selesai/", views.complete, name="complete"),
    path(
        "angkatan/<int:batch_pk>/peserta/<int:enrolment_pk>/asesmen/",
        views.assess,
        name="assess",
    ),
    path(
        "angkatan/<int:batch_pk>/peserta/<int:enrolment_pk>/bahasa/",
        views.language_result,
        name="language_result",
    ),
    path(
        "angkatan/<int:batch_pk>/peserta/<int:enrolment_pk>/kompetensi/",
        certificate_views.competency_record,
        name="competency_record",
    ),
    path(
        "angkatan/<int:batch_pk>/peserta/<int:enrolment_pk>/keluar/",
        views.withdraw,
        name="withdraw",
    ),
    path("unit/", certificate_views.units, name="units"),
    path("unit/baru/", certificate_views.unit_edit, name="unit_create"),
    path("unit/<int:unit_pk>/ubah/", certificate_views.unit_edit, name="unit_edit"),
    path("sertifikat/saya/", certificate_views.my_certificates, name="my_certificates"),
    path(
        "sertifikat/<int:certificate_pk>/",
        certificate_views.certificate_detail,
        name="certificate",
    ),
    path(
        "sertifikat/<int:certificate_pk>/pdf/",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "sertifikat/<int:certificate_pk>/cabut/",
        certificate_views.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path("lulusan/", certificate_views.outcomes, name="outcomes"),
]
