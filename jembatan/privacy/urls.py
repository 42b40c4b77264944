from django.urls import path

from jembatan.privacy import (
    breach_views,
    notice_views,
    processing_views,
    request_views,
    retention_views,
    views,
)

app_name = "personal_data"
urlpatterns = [
    path("saya/", views.export_mine, name="mine"),
    path("peserta/<int:pk>/", views.export_for_participant, name="participant"),
    path("pemrosesan/", processing_views.processing_record, name="processing"),
    path("permintaan/saya/", request_views.my_requests, name="my_requests"),
    path("permintaan/baru/", request_views.request_new, name="request_new"),
    path("permintaan/", request_views.request_list, name="requests"),
    path("permintaan/<int:request_pk>/", request_views.request_detail, name="request"),
    path(
        "permintaan/<int:request_pk>/ambil/", request_views.request_take_view, name="request_take"
    ),
    path(
        "permintaan/<int:request_pk>/laksanakan/",
        request_views.request_complete_view,
        name="request_complete",
    ),
    path(
        "permintaan/<int:request_pk>/tolak/",
        request_views.request_refuse_view,
        name="request_refuse",
    ),
    path(
        "pembatasan/<int:restriction_pk>/cabut/",
        request_views.restriction_lift_view,
        name="restriction_lift",
    ),
    path("pemberitahuan/", notice_views.notice, name="notice"),
    path("tanpa-konfirmasi/", notice_views.unconfirmed_list, name="unconfirmed"),
    path("tanpa-konfirmasi/csv/", notice_views.unconfirmed_csv, name="unconfirmed_csv"),
    path("retensi/", retention_views.retention_schedule, name="retention"),
    path("retensi/jalan/", retention_views.retention_runs, name="retention_runs"),
    path("retensi/jalan/uji/", retention_views.retention_dry_run_view, name="retention_dry_run"),
    path("insiden/", breach_views.breach_list, name="breaches"),
    path("insiden/baru/", breach_views.breach_new, name="breach_new"),
    path("insiden/<int:breach_pk>/", breach_views.breach_detail, name="breach"),
    path(
        "insiden/<int:breach_pk>/terdampak/",
        breach_views.breach_affected_view,
        name="breach_affected",
    ),
    path(
        "insiden/<int:breach_pk>/lembaga/",
        breach_views.breach_authority_view,
        name="breach_authority",
    ),
    path("insiden/<int:breach_pk>/orang/", breach_views.breach_people_view, name="breach_people"),
]
