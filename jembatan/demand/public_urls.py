from django.urls import path

from jembatan.demand import public_views

app_name = "jobs"
urlpatterns = [
    path("", public_views.public_list, name="list"),
    path("<int:pk>/", public_views.public_detail, name="detail"),
]
