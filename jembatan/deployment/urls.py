from django.urls import path

from jembatan.deployment import manifest_views, my_views, stay_views, views

app_name = "deployment"
urlpatterns = [
    path("", views.deployment_list, name="list"),
    path("siap/", views.to_prepare, name="to_prepare"),
    path("siap/<int:placement_pk>/", views.deployment_create, name="create"),
    path("terlambat/", stay_views.overdue, name="overdue"),
    path("penerbangan/", manifest_views.flights, name="flights"),
    path(
        "penerbangan/<slug:flight>/<str:date>/pdf/",
        manifest_views.manifest_pdf,
        name="manifest_pdf",
    ),
    path(
        "penerbangan/<slug:flight>/<str:date>/xlsx/",
        manifest_views.manifest_xlsx,
        name="manifest_xlsx",
    ),
    path("saya/", my_views.mine, name="mine"),
    path("saya/lapor/", my_views.check_in, name="check_in"),
    path("saya/bantuan/", my_views.help_contacts, name="help"),
    path("<int:pk>/", views.deployment_detail, name="detail"),
    path("<int:pk>/kontrak/", views.contract, name="contract"),
    path("<int:pk>/kontrak/setujui/", views.contract_approve, name="contract_approve"),
    path("<int:pk>/langkah/<slug:kind>/", views.step, name="step"),
    path("<int:pk>/berangkat/", views.depart, name="depart"),
    path("<int:pk>/tiba/", stay_views.arrive, name="arrive"),
    path("<int:pk>/tahap/<int:stage_pk>/", stay_views.stage, name="stage"),
    path("<int:pk>/pindah/", stay_views.transfer, name="transfer"),
    path("<int:pk>/laporan/", stay_views.report, name="report"),
    path("<int:pk>/status/<slug:action>/", stay_views.move, name="move"),
]
