from django.urls import path

from jembatan.insights import views

app_name = "insights"
urlpatterns = [
    path("pelatihan/kesenjangan/", views.training_gap, name="training_gap"),
]
