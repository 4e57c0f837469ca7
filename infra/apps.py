from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfraConfig(AppConfig):
    """What every app stands on: the security audit, the identity-number guard, mail, uploads,
    error pages, the language and navigation every page uses."""

    name = "infra"
    verbose_name = _("Security and shared services")

    def ready(self):
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth import signals as auth_signals
        from django.core import checks

        from . import audit, guard

        # The identity-number guard in every free-text field of our models and forms.
        guard.guard_models()
        guard.guard_forms()
        checks.register(guard.check_guard, checks.Tags.models)

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
