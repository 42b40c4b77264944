from django.urls import path

from jembatan.protection import views

app_name = "protection"
urlpatterns = [
    # --- officers' pages (branch protection) ---
    path("", views.case_list, name="list"),
    path("baru/", views.case_new, name="new"),
    path("tenggat/", views.deadlines_table, name="deadlines"),
    path("kasus/<slug:code>/", views.case_detail, name="detail"),
    # One view for the pages beside the workflow's moves: ``page`` names its row of CASE_PAGES.
    path("kasus/<slug:code>/pesan/", views.case_page, {"page": "message"}, name="message"),
    path("kasus/<slug:code>/berkas/", views.case_page, {"page": "attach"}, name="attach"),
    path("kasus/<slug:code>/berkas/<int:pk>/", views.attachment_download, name="attachment"),
    path("kasus/<slug:code>/rujuk/", views.case_page, {"page": "refer"}, name="refer"),
    path(
        "kasus/<slug:code>/rujukan/<int:pk>/",
        views.case_page,
        {"page": "referral_answer"},
        name="referral_answer",
    ),
    path("kasus/<slug:code>/<slug:action>/", views.case_act, name="act"),
    # --- public side and risk view (branch protect2) below ---
]
