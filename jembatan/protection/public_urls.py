"""The reporter's pages at ``/lapor/``: report, follow up, and the apprentice's own cases."""

from django.urls import path

from jembatan.protection import my_views, public_views

app_name = "report"
urlpatterns = [
    path("", public_views.report, name="report"),
    path("terkirim/", public_views.report_done, name="done"),
    path("lanjut/", public_views.follow_up, name="follow_up"),
    path("lanjut/kasus/", public_views.follow_up_case, name="follow_up_case"),
    path("lanjut/selesai/", public_views.follow_up_end, name="follow_up_end"),
    path("saya/", my_views.my_cases, name="mine"),
    path("saya/baru/", my_views.my_report, name="my_report"),
    path("saya/<str:code>/", my_views.my_case, name="my_case"),
]
