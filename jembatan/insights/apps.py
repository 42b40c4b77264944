from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Home pages, dashboards and reports: reads only, no models of its own."""

    name = "jembatan.insights"
    label = "insights"
    verbose_name = _("Insights")
