from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    """From a confirmed placement to the plane, then monitoring abroad until return."""

    name = "jembatan.deployment"
    label = "deployment"
    verbose_name = _("Departure and stay abroad")
