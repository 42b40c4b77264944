"""The public verification pages: ``/verifikasi/`` by number and name, ``/verifikasi/<token>/``."""

from django.urls import path

from jembatan.training import certificate_views

app_name = "verify"
urlpatterns = [
    path("", certificate_views.verify_lookup, name="lookup"),
    path("<str:token>/", certificate_views.verify, name="certificate"),
]
