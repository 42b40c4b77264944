from django.urls import path

from jembatan.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("persyaratan/", views.requirements, name="requirements"),
    path(
        "persyaratan/<int:requirement_pk>/ubah/",
        views.requirement_edit,
        name="requirement_edit",
    ),
    path("jenis/", views.document_types, name="types"),
    path("jenis/baru/", views.document_type_new, name="type_new"),
    path("saya/", views.my_documents, name="mine"),
    path("peserta/<int:participant_pk>/", views.checklist, name="checklist"),
    path("peserta/<int:participant_pk>/unggah/<slug:kind>/", views.upload, name="upload"),
    path("<int:pk>/berkas/", views.open_document, name="open"),
    path("<int:pk>/tinjau/", views.review, name="review"),
    path("<int:pk>/lihat/", views.show_document, name="show"),
    path("<int:pk>/verifikasi/", views.verify, name="verify"),
    path("<int:pk>/tolak/", views.reject, name="reject"),
]
