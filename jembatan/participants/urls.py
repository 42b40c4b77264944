from django.urls import path

from jembatan.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("saya/", views.my_record, name="mine"),
]
