from django.urls import path

from jembatan.selection import grid_views, report_views, score_views, views

app_name = "selection"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("baru/", views.round_create, name="create"),
    path("saya/", views.mine, name="mine"),
    path("<int:round_pk>/", views.round_detail, name="detail"),
    path("<int:round_pk>/ubah/", views.round_edit, name="edit"),
    path("<int:round_pk>/buka/", views.round_open, name="open"),
    path("<int:round_pk>/batalkan/", views.round_cancel, name="cancel"),
    path("<int:round_pk>/penilaian-dampak/", views.impact_assessment, name="impact"),
    path("<int:round_pk>/tahap/baru/", views.stage_add, name="stage_add"),
    path("<int:round_pk>/tahap/<int:stage_pk>/ubah/", views.stage_edit, name="stage_edit"),
    path("<int:round_pk>/tahap/<int:stage_pk>/geser/", views.stage_move, name="stage_move"),
    path("<int:round_pk>/tahap/<int:stage_pk>/hapus/", views.stage_remove, name="stage_remove"),
    path(
        "<int:round_pk>/tahap/<int:stage_pk>/penguji/",
        views.stage_examiners,
        name="stage_examiners",
    ),
    path(
        "<int:round_pk>/tahap/<int:stage_pk>/nilai/",
        score_views.score_entry,
        name="score_entry",
    ),
    path(
        "<int:round_pk>/tahap/<int:stage_pk>/nilai/tabel/",
        grid_views.score_grid,
        name="score_grid",
    ),
    path(
        "<int:round_pk>/tahap/<int:stage_pk>/unggah/",
        score_views.score_upload,
        name="score_upload",
    ),
    path(
        "<int:round_pk>/tahap/<int:stage_pk>/templat/",
        score_views.score_template,
        name="score_template",
    ),
    path("<int:round_pk>/peserta/tambah/", views.enrol, name="enrol"),
    path(
        "<int:round_pk>/peserta/<int:candidacy_pk>/",
        views.candidacy_detail,
        name="candidacy",
    ),
    path(
        "<int:round_pk>/peserta/<int:candidacy_pk>/mundur/",
        views.candidacy_withdraw,
        name="withdraw",
    ),
    # Ranking, closing, fairness, shortlists and interview decisions (report_views.py).
    path("<int:round_pk>/peringkat/", report_views.ranking, name="ranking"),
    path("<int:round_pk>/tutup/", report_views.close, name="close"),
    path("<int:round_pk>/keadilan/", report_views.fairness, name="fairness"),
    path("<int:round_pk>/daftar-pendek/", report_views.shortlist_list, name="shortlists"),
    path("daftar-pendek/<int:shortlist_pk>/", report_views.shortlist_detail, name="shortlist"),
    path(
        "daftar-pendek/<int:shortlist_pk>/isi-ulang/",
        report_views.shortlist_refill,
        name="shortlist_refill",
    ),
    path(
        "daftar-pendek/<int:shortlist_pk>/keputusan/",
        grid_views.decision_grid,
        name="decision_grid",
    ),
    path(
        "daftar-pendek/kandidat/<int:entry_pk>/keputusan/",
        report_views.decide,
        name="decide",
    ),
]
