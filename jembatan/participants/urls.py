from django.urls import path

from jembatan.participants import (
    consent_text_views,
    invitation_views,
    nik_views,
    registration_views,
    review_views,
    transfer_views,
    views,
)

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("daftar/", registration_views.register, name="register"),
    path("daftar-mandiri/", registration_views.self_register, name="self_register"),
    path(
        "daftar-mandiri/selesai/",
        registration_views.self_register_done,
        name="self_register_done",
    ),
    path("persetujuan/teks/", consent_text_views.consent_texts, name="consent_texts"),
    path("duplikat/", review_views.duplicate_list, name="duplicates"),
    path("nik-perlu-konfirmasi/", nik_views.nik_mismatch_list, name="nik_mismatches"),
    path("<int:pk>/konfirmasi-nik/", nik_views.nik_mismatch_confirm, name="nik_confirm"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/ubah/", review_views.participant_edit, name="edit"),
    path("<int:pk>/status/", review_views.participant_transition_view, name="transition"),
    path("<int:pk>/verifikasi-identitas/", review_views.participant_verify, name="verify"),
    path("<int:pk>/duplikat/", review_views.participant_duplicates, name="duplicates_of"),
    path("<int:pk>/undangan/", invitation_views.participant_invite, name="invite"),
    path(
        "undangan/<str:token>/",
        invitation_views.invitation_accept_view,
        name="invitation_accept",
    ),
    path("<int:pk>/transfer/", transfer_views.participant_transfer, name="transfer"),
    path(
        "<int:pk>/transfer/persetujuan/",
        transfer_views.participant_transfer_consent,
        name="transfer_consent",
    ),
    path("saya/", views.my_record, name="mine"),
    path(
        "saya/persetujuan/transfer/",
        transfer_views.my_transfer_consent,
        name="my_transfer_consent",
    ),
    path("saya/persetujuan/tarik/", views.my_consent_withdraw, name="consent_withdraw"),
]
