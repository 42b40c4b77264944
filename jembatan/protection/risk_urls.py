"""The licence risk view, mounted at ``/perlindungan/risiko/``."""

from django.urls import path

from jembatan.protection import risk_views

app_name = "risk"
urlpatterns = [
    path("", risk_views.risk_list, name="list"),
    path("lpk/<int:pk>/", risk_views.risk_detail, name="detail"),
    path("lpk/<int:pk>/<slug:action>/", risk_views.risk_decide, name="decide"),
    path("keputusan/<int:decision_pk>/", risk_views.decision_cases, name="decision"),
]
