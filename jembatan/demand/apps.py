from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    """Job orders from partners abroad, the fee rules they must respect, and targets."""

    name = "jembatan.demand"
    label = "demand"
    verbose_name = _("Demand and targets")
