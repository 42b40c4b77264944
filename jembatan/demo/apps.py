from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo and bulk seeding (``jembatan seed``): no models, nothing imports it."""

    name = "jembatan.demo"
    label = "demo"
    verbose_name = _("Demo data")
