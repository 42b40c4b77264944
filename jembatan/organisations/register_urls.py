"""The public register of sending organisations, at ``/daftar-lpk/`` (no login)."""

from django.urls import path

from jembatan.organisations import register_views

app_name = "register"
urlpatterns = [
    path("", register_views.register_search, name="search"),
    path("unduh.csv", register_views.register_csv, name="csv"),
    path("<int:pk>/", register_views.register_detail, name="detail"),
    path(
        "keputusan/<int:decision_pk>/lampiran/",
        register_views.register_attachment,
        name="attachment",
    ),
]
