from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data (UU PDP 27/2022): export, rights requests, restrictions, breaches, record."""

    name = "jembatan.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        """Restrictions and withdrawn transfer consents take effect in the registry below."""
        from jembatan.participants.disclosure import register_partner_exclusion
        from jembatan.participants.rules import (
            register_edit_hold,
            register_journey_hold,
            register_processing_hold,
        )
        from jembatan.participants.services.duplicates import register_merge_step
        from jembatan.privacy.restrictions import (
            anonymised_edit_hold,
            decision_hold,
            hidden_from_partners,
            privacy_hold,
            restricted,
        )
        from jembatan.privacy.services.restrictions import requests_follow_merge

        register_partner_exclusion(hidden_from_partners)
        register_journey_hold(privacy_hold)
        register_edit_hold(anonymised_edit_hold)
        register_processing_hold(decision_hold, restricted)
        register_merge_step(requests_follow_merge)
