from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Matching runs over approved job orders: preferences, results, explanations, approval."""

    name = "jembatan.matching"
    label = "matching"
    verbose_name = _("Matching")
