from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    """Protection cases: reports of abuse, their handling, deadlines and escalation."""

    name = "jembatan.protection"
    label = "protection"
    verbose_name = _("Protection cases")
