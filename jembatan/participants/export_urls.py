from django.urls import path

from jembatan.participants import export_views

app_name = "personal_data"
urlpatterns = [
    path("saya/", export_views.export_mine, name="mine"),
    path("peserta/<int:pk>/", export_views.export_for_participant, name="participant"),
]
