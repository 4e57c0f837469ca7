from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("Programme structure")

    def ready(self):
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import pre_save

        from . import audit, sessions

        auth_signals.user_logged_in.connect(audit.on_logged_in, dispatch_uid="triad-audit-in")
        auth_signals.user_logged_out.connect(audit.on_logged_out, dispatch_uid="triad-audit-out")
        auth_signals.user_login_failed.connect(
            audit.on_login_failed, dispatch_uid="triad-audit-failed"
        )
        auth_signals.user_logged_in.connect(sessions.on_logged_in, dispatch_uid="triad-session")
        pre_save.connect(
            sessions.on_user_saved, sender=self.get_model("User"), dispatch_uid="triad-deactivate"
        )
