from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses: access rules, audit, reference data."""

    name = "jembatan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app's workflows.py registers its status tables (core.transitions.REGISTRY).
        autodiscover_modules("workflows")
