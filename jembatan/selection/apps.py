from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    """Selection rounds: ordered stages, scores with history, ranking, shortlists, fairness."""

    name = "jembatan.selection"
    label = "selection"
    verbose_name = _("Selection")
