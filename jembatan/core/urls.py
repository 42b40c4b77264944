from django.urls import path

from jembatan.core import scheme_rule_views, views

app_name = "core"
urlpatterns = [
    path("referensi/", views.reference, name="reference"),
    path("referensi/jabatan/<slug:code>/", views.occupation_table, name="occupations"),
    path("referensi/jabatan/ubah/<int:pk>/", views.occupation_edit, name="occupation_edit"),
    path("referensi/aturan-program/", scheme_rule_views.scheme_rules_index, name="scheme_rules"),
    path(
        "referensi/aturan-program/<slug:programme>/",
        scheme_rule_views.scheme_rules_history,
        name="scheme_rules_history",
    ),
    path(
        "referensi/aturan-program/<slug:programme>/versi-baru/",
        scheme_rule_views.scheme_rules_new_version,
        name="scheme_rules_new_version",
    ),
    path("audit/perubahan/", views.changes, name="changes"),
    path("audit/akses/", views.access_log, name="access_log"),
    path("tugas/", views.tasks, name="tasks"),
    path("tugas/<uuid:task_id>/lanjutkan/", views.task_resume_view, name="task_resume"),
]
