from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in, invitations, the two-factor policy and session ageing."""

    name = "accounts"
    verbose_name = _("Accounts and invitations")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import pre_save

        from . import sessions

        auth_signals.user_logged_in.connect(sessions.on_logged_in, dispatch_uid="triad-session")
        # allauth's own signal: it names the federated sign-in (sociallogin), Django's does not.
        from allauth.account import signals as allauth_signals

        allauth_signals.user_logged_in.connect(
            sessions.mark_federated_mfa, dispatch_uid="triad-federated-mfa"
        )
        pre_save.connect(
            sessions.on_user_saved, sender=get_user_model(), dispatch_uid="triad-deactivate"
        )
