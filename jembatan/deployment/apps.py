from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    """From a confirmed placement to the plane, then monitoring abroad until return."""

    name = "jembatan.deployment"
    label = "deployment"
    verbose_name = _("Departure and stay abroad")

    def ready(self) -> None:
        # Cancelling a placement calls off a departure in preparation, and is refused
        # for someone who has already left (demand cannot import deployment).
        from jembatan.demand.rules import register_placement_cancel_hook
        from jembatan.deployment.services.stay import deployment_call_off

        def call_off(placement: Any, reason: str, acting_user: Any) -> None:
            deployment_call_off(placement=placement, reason=reason, acting_user=acting_user)

        register_placement_cancel_hook(call_off)
