from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their roles and their scopes."""

    name = "jembatan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from jembatan.accounts.session_limits import session_started
        from jembatan.accounts.two_factor import note_sign_in

        # Django's only hook that every sign-in passes (the form, the admin, force_login).
        user_logged_in.connect(session_started, dispatch_uid="jembatan.session_started")
        user_logged_in.connect(note_sign_in, dispatch_uid="jembatan.two_factor_owed")
