from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Programme structure")

    def ready(self):
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import pre_save

        from . import audit, sessions

        auth_signals.user_logged_in.connect(audit.on_logged_in, dispatch_uid="triad-audit-in")
        auth_signals.user_logged_out.connect(audit.on_logged_out, dispatch_uid="triad-audit-out")
        auth_signals.user_login_failed.connect(
            audit.on_login_failed, dispatch_uid="triad-audit-failed"
        )
        mfa_signals.authentication_failed.connect(
            audit.on_mfa_failed, dispatch_uid="triad-audit-mfa-failed"
        )
        for signal in (
            mfa_signals.authenticator_added,
            mfa_signals.authenticator_removed,
            mfa_signals.authenticator_reset,
        ):
            signal.connect(audit.on_mfa_changed, dispatch_uid=f"triad-audit-mfa-{id(signal)}")
        auth_signals.user_logged_in.connect(sessions.on_logged_in, dispatch_uid="triad-session")
        pre_save.connect(
            sessions.on_user_saved, sender=self.get_model("User"), dispatch_uid="triad-deactivate"
        )
