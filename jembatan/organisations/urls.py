from django.urls import path

from jembatan.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("baru/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/ubah/", views.organisation_edit, name="edit"),
    path("<int:pk>/kontak/baru/", views.contact_add, name="contact_add"),
    path("kontak/<int:contact_pk>/arsipkan/", views.contact_archive, name="contact_archive"),
    path("<int:pk>/izin/ajukan/", views.licence_apply, name="licence_apply"),
    path("izin/<int:licence_pk>/", views.licence_detail, name="licence"),
    path("izin/<int:licence_pk>/<slug:action>/", views.licence_action, name="licence_action"),
    path(
        "keputusan/<int:decision_pk>/lampiran/",
        views.decision_attachment,
        name="decision_attachment",
    ),
]
