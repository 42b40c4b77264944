from django.urls import path

from jembatan.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("baru/", views.run_create, name="create"),
    path("pilihan-saya/", views.preferences, name="preferences"),
    path("hasil-saya/", views.my_result, name="my_result"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/hasil/", views.run_outcomes, name="outcomes"),
    path("<int:pk>/hasil/<int:participant_pk>/", views.run_outcome, name="outcome"),
    path("<int:pk>/setujui/", views.run_approve, name="approve"),
    path("<int:pk>/buang/", views.run_discard, name="discard"),
]
