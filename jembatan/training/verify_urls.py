"""The public verification page: ``/verifikasi/<token>/`` (no login, no personal data)."""

from django.urls import path

from jembatan.training import certificate_views

app_name = "verify"
urlpatterns = [
    path("<str:token>/", certificate_views.verify, name="certificate"),
]
