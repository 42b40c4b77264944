from django.urls import path

from jembatan.demand import fee_rule_views, views

app_name = "demand"
urlpatterns = [
    path("", views.job_order_list, name="list"),
    path("baru/", views.job_order_create, name="create"),
    path("tinjauan/", views.review_queue, name="review"),
    path("target/", views.targets, name="targets"),
    path("biaya/", fee_rule_views.fee_rules, name="fee_rules"),
    path("biaya/baru/", fee_rule_views.fee_rule_add, name="fee_rule_add"),
    path(
        "biaya/<int:fee_rule_pk>/akhiri/", fee_rule_views.fee_rule_close_view, name="fee_rule_close"
    ),
    path("penempatan/", views.placement_list, name="placements"),
    path("penempatan/<int:pk>/", views.placement_detail, name="placement"),
    path("penempatan/<int:pk>/konfirmasi/", views.placement_confirm, name="placement_confirm"),
    path("penempatan/<int:pk>/tolak/", views.placement_decline, name="placement_decline"),
    path("<int:pk>/", views.job_order_detail, name="detail"),
    path("<int:pk>/ubah/", views.job_order_edit, name="edit"),
    path("<int:pk>/<slug:action>/", views.job_order_action, name="action"),
]
