from django.urls import path

from jembatan.participants import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.import_list, name="list"),
    path("baru/", import_views.import_new, name="new"),
    path("templat/", import_views.import_template, name="template"),
    path("<int:pk>/", import_views.import_detail, name="detail"),
    path("<int:pk>/laporan/", import_views.import_report, name="report"),
]
