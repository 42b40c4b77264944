from django.urls import path

from jembatan.privacy import views

app_name = "personal_data"
urlpatterns = [
    path("saya/", views.export_mine, name="mine"),
    path("peserta/<int:pk>/", views.export_for_participant, name="participant"),
]
